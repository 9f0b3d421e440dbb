// Chorus embed loader. Partners paste:
//   <script type="module" src="https://CHORUS-HOST/embed.js" async></script>
//   <div data-chorus="counter" data-campaign="petition-slug"></div>
//   <div data-chorus="petition" data-campaign="petition-slug"></div>
//
// It shows each count as plain text at once, loads the widgets' WebAssembly
// once for the whole page, mounts every placeholder, and watches for
// placeholders added later (single-page apps, CMS previews). A petition is
// shown in a frame on the Chorus origin unless data-mode="inline", so what a
// supporter types never passes through the partner's page.
// It sets no cookies and talks to no one but the Chorus that served it.

const origin = new URL(import.meta.url).origin;
const api = `${origin}/api/v1`;
const taken = new WeakSet();
const counts = new Map();
const bundles = new Map();
const frames = new Map();
// The smallest bundle that serves what the page shows first.
let pageBundle;

// One request per petition, however many placeholders show it.
function fetchCount(slug) {
  if (!counts.has(slug)) {
    const request = fetch(`${api}/petitions/${encodeURIComponent(slug)}/count`, {
      credentials: "omit",
    })
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => null);
    counts.set(slug, request);
  }
  return counts.get(slug);
}

// A widget bundle, imported and instantiated once per page: "chorus-counter"
// (counters only) or "chorus-widgets" (every widget).
function loadBundle(name) {
  if (!bundles.has(name)) {
    bundles.set(
      name,
      import(`${origin}/${name}.js`).then(async (module) => {
        await module.default({ module_or_path: `${origin}/${name}_bg.wasm` });
        return module;
      }),
    );
  }
  return bundles.get(name);
}

function isFramed(element) {
  return element.dataset.chorus === "petition" && element.dataset.mode !== "inline";
}

function needsFullBundle(element) {
  return element.dataset.chorus !== "counter" && !isFramed(element);
}

function bundleFor(element) {
  if (needsFullBundle(element) && pageBundle !== "chorus-widgets") {
    return loadBundle("chorus-widgets");
  }
  return loadBundle(pageBundle);
}

function languageOf(element) {
  return (
    element.dataset.lang ||
    document.documentElement.lang ||
    navigator.language ||
    "en"
  );
}

function shadowOf(element) {
  return element.shadowRoot || element.attachShadow({ mode: "open" });
}

// The count as text, before the widget arrives, so a slow phone shows the
// number that matters first.
function showCountAsText(element, count) {
  if (!count || element.shadowRoot) return;
  let text;
  try {
    text = new Intl.NumberFormat(languageOf(element)).format(count.count);
  } catch {
    text = String(count.count);
  }
  shadowOf(element).textContent = text;
}

// Frame mode: the petition runs on Chorus's own page. The frame learns the
// partner's origin (Chorus lets only that origin frame it) and the page
// address without its query, where shares point.
function showInFrame(element) {
  const slug = element.dataset.campaign || "";
  const params = new URLSearchParams({
    lang: languageOf(element),
    partner: location.origin,
    page: location.origin + location.pathname,
  });
  if (element.dataset.theme) params.set("theme", element.dataset.theme);
  const frame = document.createElement("iframe");
  frame.src = `${origin}/frame/petition/${encodeURIComponent(slug)}?${params}`;
  frame.title = element.dataset.title || "Petition";
  frame.style.cssText = "display:block;width:100%;height:36em;border:0;color-scheme:normal";
  shadowOf(element).replaceChildren(frame);
  frames.set(frame, element);
}

// Frames tell their height and their events; nothing else is accepted, and
// only from a Chorus frame this loader made.
window.addEventListener("message", (event) => {
  if (event.origin !== origin || !event.data || typeof event.data !== "object") return;
  for (const [frame, element] of frames) {
    if (frame.contentWindow !== event.source) continue;
    const { chorus, height, name, petition, network } = event.data;
    if (chorus === "height" && Number.isFinite(height)) {
      frame.style.height = `${Math.min(Math.max(Math.ceil(height), 80), 20000)}px`;
    } else if (chorus === "event" && (name === "chorus:signed" || name === "chorus:shared")) {
      const detail = { petition: String(petition || "") };
      if (network) detail.network = String(network);
      element.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
    }
  }
});

async function take(element) {
  if (taken.has(element)) return;
  taken.add(element);
  if (isFramed(element)) {
    showInFrame(element);
    return;
  }
  const slug = element.dataset.campaign;
  const bundle = bundleFor(element);
  let count = null;
  if (slug) {
    count = await fetchCount(slug);
    if (element.dataset.chorus === "counter") showCountAsText(element, count);
  }
  try {
    (await bundle).mount(element, origin, count);
  } catch (error) {
    console.error("Chorus could not show a widget:", error);
  }
}

function placeholdersIn(root) {
  if (root.nodeType !== Node.ELEMENT_NODE) return [];
  const found = [...root.querySelectorAll("[data-chorus]")];
  return root.matches("[data-chorus]") ? [root, ...found] : found;
}

function scan(root) {
  const found = placeholdersIn(root);
  pageBundle ??= found.some(needsFullBundle) ? "chorus-widgets" : "chorus-counter";
  found.forEach(take);
}

scan(document.documentElement);
new MutationObserver((mutations) => {
  for (const mutation of mutations) mutation.addedNodes.forEach(scan);
}).observe(document.documentElement, { childList: true, subtree: true });
