// Chorus embed loader. Partners paste:
//   <script type="module" src="https://CHORUS-HOST/embed.js" async></script>
//   <div data-chorus="counter" data-campaign="petition-slug"></div>
//   <div data-chorus="petition" data-campaign="petition-slug"></div>
//   <div data-chorus="donate" data-campaign="donation-campaign-slug"></div>
//   <div data-chorus="updates" data-feed="feed-slug" data-limit="5"></div>
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
// The bundle that serves what the page shows first (see bundleForPage).
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
// (counters), "chorus-widgets" (counters and the petition form),
// "chorus-donate" (counters and the donate button), "chorus-updates"
// (counters and the updates feed) or "chorus-all" (every widget).
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

// The bundle a placeholder needs; null for counters, which every bundle
// shows, and for framed petitions, whose frame brings its own.
function bundleNeeded(element) {
  const kind = element.dataset.chorus;
  if (kind === "donate") return "chorus-donate";
  if (kind === "updates") return "chorus-updates";
  if (kind === "petition" && !isFramed(element)) return "chorus-widgets";
  return null;
}

// Every placeholder of the first scan shares the page's bundle. One added
// later that needs a widget the page's bundle lacks brings its own.
function bundleFor(element) {
  const needed = bundleNeeded(element);
  const covered = !needed || needed === pageBundle || pageBundle === "chorus-all";
  return loadBundle(covered ? pageBundle : needed);
}

// The smallest bundle with every widget the page shows, so the page runs one
// module and holds one live connection: "chorus-all" when it shows more than
// one kind beyond counters.
function bundleForPage(found) {
  const needed = new Set(found.map(bundleNeeded).filter(Boolean));
  if (needed.size > 1) return "chorus-all";
  return [...needed][0] ?? "chorus-counter";
}

function languageOf(element) {
  return (
    element.dataset.lang ||
    document.documentElement.lang ||
    navigator.language ||
    "en"
  );
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
  element.attachShadow({ mode: "open" }).textContent = text;
}

async function take(element) {
  if (taken.has(element)) return;
  taken.add(element);
  if (isFramed(element)) {
    // Frame handling is loaded only by pages that show a framed petition.
    import(`${origin}/frames.js`).then((frames) =>
      frames.showInFrame(element, languageOf(element)),
    );
    return;
  }
  const slug = element.dataset.campaign;
  const bundle = bundleFor(element);
  let count = null;
  // Only counters and petitions name a petition.
  if (slug && ["counter", "petition"].includes(element.dataset.chorus)) {
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
  pageBundle ??= bundleForPage(found);
  found.forEach(take);
}

scan(document.documentElement);
new MutationObserver((mutations) => {
  for (const mutation of mutations) mutation.addedNodes.forEach(scan);
}).observe(document.documentElement, { childList: true, subtree: true });
