// Chorus embed loader. Partners paste:
//   <script type="module" src="https://CHORUS-HOST/embed.js" async></script>
//   <div data-chorus="counter" data-campaign="petition-slug"></div>
//
// It shows each count as plain text at once, loads the widgets' WebAssembly
// once for the whole page, mounts every placeholder, and watches for
// placeholders added later (single-page apps, CMS previews).
// It sets no cookies and talks to no one but the Chorus that served it.

const origin = new URL(import.meta.url).origin;
const api = `${origin}/api/v1`;
const taken = new WeakSet();
const counts = new Map();
let widgets;

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

// The widget bundle, imported and instantiated once per page.
function loadWidgets() {
  widgets ??= import(`${origin}/chorus-widgets.js`).then(async (module) => {
    await module.default();
    return module;
  });
  return widgets;
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
  const slug = element.dataset.campaign;
  const bundle = loadWidgets();
  let count = null;
  if (slug) {
    count = await fetchCount(slug);
    showCountAsText(element, count);
  }
  try {
    (await bundle).mount(element, origin, count);
  } catch (error) {
    console.error("Chorus could not show a widget:", error);
  }
}

function scan(root) {
  if (root.nodeType !== Node.ELEMENT_NODE) return;
  if (root.matches("[data-chorus]")) take(root);
  root.querySelectorAll("[data-chorus]").forEach(take);
}

scan(document.documentElement);
new MutationObserver((mutations) => {
  for (const mutation of mutations) mutation.addedNodes.forEach(scan);
}).observe(document.documentElement, { childList: true, subtree: true });
