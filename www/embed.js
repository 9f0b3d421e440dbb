// Chorus embed loader. Partners paste:
//   <script type="module" src="https://CHORUS-HOST/embed.js" async></script>
//   <div data-chorus="counter" data-campaign="petition-slug"></div>
//   <div data-chorus="counter" data-campaign="petition-slug" data-count="organisations"></div>
//   <div data-chorus="petition" data-campaign="petition-slug"></div>
//   <div data-chorus="donate" data-campaign="donation-campaign-slug"></div>
//   <div data-chorus="updates" data-feed="feed-slug" data-limit="5"></div>
//   <div data-chorus="events" data-day="action-day-slug"></div>
//   <div data-chorus="signers" data-campaign="petition-slug"></div>
//   <div data-chorus="signup" data-list="list-slug"></div>
//   <div data-chorus="storm" data-storm="storm-slug"></div>
//   <div data-chorus="resources" data-feed="feed-slug"></div>
//
// It asks Chorus once for every placeholder's HTML and shows it at once, so
// the widgets can be read (and the petition filled in) before any
// WebAssembly arrives; then it loads the widgets' WebAssembly once for the
// whole page (at once for a form, on idle or first view for the rest),
// which takes over each widget where the supporter left it. It watches for
// placeholders added later (single-page apps, CMS previews). A petition is
// shown in a frame on the Chorus origin unless data-mode="inline", so what a
// supporter types never passes through the partner's page.
// It sets no cookies and talks to no one but the Chorus that served it.

const origin = new URL(import.meta.url).origin;
const api = `${origin}/api/v1`;
const taken = new WeakSet();
const counts = new Map();
const bundles = new Map();
const sentEarly = new WeakSet();
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

// The widget bundles (chorus-NAME), smallest first, with the widgets each
// runs beside counters, which every bundle shows ("pledge": a petition
// organisations sign too). A page loads the first that runs every widget
// it needs.
const BUNDLES = {
  counter: [],
  signup: ["signup"],
  updates: ["updates", "resources"],
  donate: ["donate"],
  widgets: ["petition"],
  coalition: ["petition", "pledge", "signers", "signup"],
  storm: ["storm", "resources"],
  events: ["events"],
  campaign: ["petition", "donate", "updates"],
  all: ["petition", "pledge", "donate", "updates", "events", "signers", "signup", "storm", "resources"],
};

function bundleRunning(kinds) {
  return Object.keys(BUNDLES).find((name) => kinds.every((kind) => BUNDLES[name].includes(kind)));
}

// A widget bundle, imported and instantiated once per page.
function loadBundle(name) {
  if (!bundles.has(name)) {
    bundles.set(
      name,
      import(`${origin}/chorus-${name}.js`).then(async (module) => {
        await module.default({ module_or_path: `${origin}/chorus-${name}_bg.wasm` });
        return module;
      }),
    );
  }
  return bundles.get(name);
}

function isFramed(element) {
  return element.dataset.chorus === "petition" && element.dataset.mode !== "inline";
}

// The widgets a placeholder needs a bundle for: none for counters, which
// every bundle shows, nor for framed petitions, whose frame brings its own.
// An inline petition organisations sign needs the pledge too, as the
// server's rendering says (or may, when there was none).
function kindsNeeded(element, rendered) {
  const kind = element.dataset.chorus;
  if (["donate", "updates", "events", "signers", "signup", "storm", "resources"].includes(kind)) return [kind];
  if (kind !== "petition" || isFramed(element)) return [];
  const signatories = rendered?.data?.signatories;
  return !rendered?.data || (signatories && signatories !== "people") ? [kind, "pledge"] : [kind];
}

// Every placeholder of the first scan shares the page's bundle. One added
// later that needs a widget the page's bundle lacks brings its own.
function bundleFor(element, rendered) {
  const needed = kindsNeeded(element, rendered);
  const fits = needed.every((kind) => BUNDLES[pageBundle].includes(kind));
  return loadBundle(fits ? pageBundle : bundleRunning(needed));
}

// The smallest bundle with every widget the page shows, so the page runs one
// module and holds one live connection.
function bundleForPage(found, rendered) {
  return bundleRunning([...new Set(found.flatMap((element, i) => kindsNeeded(element, rendered[i])))]);
}

function languageOf(element) {
  return languagesOf(element)[0] || "en";
}

// Every language the supporter may want, most wanted first, as the widget
// itself weighs them: the placeholder's, the page's, the browser's.
function languagesOf(element) {
  const wanted = [element.dataset.lang, document.documentElement.lang, ...(navigator.languages || [])];
  return wanted.filter(Boolean).slice(0, 8);
}

// Chorus's stylesheets, each fetched once and adopted into the shadow roots
// that need it: constructed sheets, which a partner's style-src policy does
// not block. Every widget has widgets.css; the events widget, the wall and
// the storm add their own, which pages without them never download.
const sheets = new Map();
function stylesheet(file) {
  if (!sheets.has(file)) {
    const made = fetch(`${origin}/${file}`, { credentials: "omit" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((text) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(text);
        return sheet;
      })
      .catch(() => null);
    sheets.set(file, made);
  }
  return sheets.get(file);
}

function stylesheetsFor(element) {
  const own = { events: "events.css", signers: "coalition.css", storm: "storm.css" }[element.dataset.chorus];
  const files = own ? ["widgets.css", own] : ["widgets.css"];
  return Promise.all(files.map(stylesheet)).then((found) => found.filter(Boolean));
}

// The slug a placeholder names: a feed for updates and resources, a day for
// events (none: every day's), a list for a sign-up, a storm, else a campaign.
function slugOf(element) {
  const { chorus, feed, day, list, storm, campaign } = element.dataset;
  if (chorus === "updates" || chorus === "resources") return feed || "";
  if (chorus === "storm") return storm || "";
  if (chorus === "events") return day || campaign || "";
  if (chorus === "signup") return list || "";
  return campaign || "";
}

// The server's rendering of every placeholder in `elements`, in one request
// (cacheable, so a crowd on one page costs Chorus little); null when Chorus
// cannot be asked, and each widget then renders itself.
function fetchRendered(elements) {
  if (elements.length === 0) return Promise.resolve([]);
  const params = new URLSearchParams({ partner: location.origin });
  // A donate button links to Chorus's donate page, which sends the donor
  // back here: the page's address, without its query.
  if (elements.some((element) => element.dataset.chorus === "donate")) {
    params.set("page", location.origin + location.pathname);
  }
  for (const element of elements) {
    const { chorus, theme = "", limit = "", layout = "", count = "" } = element.dataset;
    const parts = [chorus, slugOf(element), languagesOf(element).join(","), theme];
    if (chorus === "updates") parts.push(limit, layout);
    // What a counter counts travels as its layout.
    if (chorus === "counter" && count) parts.push("", count);
    params.append("w", parts.join(":"));
  }
  return fetch(`${api}/embed?${params}`, { credentials: "omit" })
    .then((response) => (response.ok ? response.json() : null))
    .then((answer) => answer?.widgets ?? null)
    .catch(() => null);
}

// Shows the server's rendering in the placeholder's own shadow root, styled;
// false when there is none to show.
async function showRendered(element, rendered) {
  if (!rendered?.html || element.shadowRoot) return false;
  const root = element.attachShadow({ mode: "open" });
  root.adoptedStyleSheets = await stylesheetsFor(element);
  const container = document.createElement("div");
  container.className = "chorus-root";
  container.innerHTML = rendered.html;
  // A form sent before its widget runs is sent by the widget once it does.
  container.addEventListener("submit", (event) => {
    event.preventDefault();
    sentEarly.add(element);
  });
  root.replaceChildren(container);
  return true;
}

// The count as text, before the widget arrives, where Chorus could not
// render the counter.
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

// Widgets with forms, whose WebAssembly is wanted at once.
const FORMS = ["petition", "donate", "events", "signup"];

// A form is wanted at once; what is only read can wait until the page is
// idle or the widget comes into view, whichever is first.
function whenWanted(element) {
  if (FORMS.includes(element.dataset.chorus)) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) done();
    });
    const idle = window.requestIdleCallback
      ? requestIdleCallback(() => done(), { timeout: 3000 })
      : setTimeout(() => done(), 1500);
    function done() {
      observer.disconnect();
      if (window.cancelIdleCallback) cancelIdleCallback(idle);
      else clearTimeout(idle);
      resolve();
    }
    observer.observe(element);
  });
}

// Frame mode: the petition runs on Chorus's own page in an iframe. The
// frame learns the partner's origin (Chorus then lets only that origin frame
// it) and the page's address without its query, where shares point. Back
// come only heights and event names, checked against the frame they claim
// to come from. Here rather than in a module of its own: on a slow phone
// one more request before the frame would delay the form by a round trip.
const frames = new Map();

function showInFrame(element) {
  const params = new URLSearchParams({
    lang: languageOf(element),
    partner: location.origin,
    page: location.origin + location.pathname,
  });
  if (element.dataset.theme) params.set("theme", element.dataset.theme);
  const slug = encodeURIComponent(element.dataset.campaign || "");
  const frame = document.createElement("iframe");
  frame.src = `${origin}/frame/petition/${slug}?${params}`;
  frame.title = element.dataset.title || "Petition";
  frame.style.cssText = "display:block;width:100%;height:36em;border:0";
  (element.shadowRoot || element.attachShadow({ mode: "open" })).replaceChildren(frame);
  if (frames.size === 0) addEventListener("message", fromFrame);
  frames.set(frame, element);
}

function fromFrame(event) {
  if (event.origin !== origin || !event.data || typeof event.data !== "object") return;
  for (const [frame, element] of frames) {
    if (frame.contentWindow !== event.source) continue;
    const { chorus: kind, height, name, petition, network } = event.data;
    if (kind === "ready") {
      element.setAttribute("data-chorus-ready", "");
    } else if (kind === "height" && Number.isFinite(height)) {
      frame.style.height = `${Math.min(Math.max(Math.ceil(height), 80), 20000)}px`;
    } else if (kind === "event" && (name === "chorus:signed" || name === "chorus:shared")) {
      const detail = { petition: String(petition || "") };
      if (network) detail.network = String(network);
      element.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
    }
  }
}

async function take(element, rendered) {
  // A form's WebAssembly downloads while its HTML is shown.
  const eager = FORMS.includes(element.dataset.chorus);
  const bundle = eager ? bundleFor(element, rendered) : null;
  let initial = null;
  if (await showRendered(element, rendered)) {
    initial = rendered.data ?? null;
  } else if (element.dataset.campaign && ["counter", "petition"].includes(element.dataset.chorus)) {
    // Only counters and petitions name a petition.
    initial = await fetchCount(element.dataset.campaign);
    if (element.dataset.chorus === "counter") showCountAsText(element, initial);
  }
  await whenWanted(element);
  try {
    (await (bundle ?? bundleFor(element, rendered))).mount(element, origin, initial);
    if (sentEarly.has(element)) element.shadowRoot.querySelector("form")?.requestSubmit();
  } catch (error) {
    console.error("Chorus could not show a widget:", error);
  }
}

function placeholdersIn(root) {
  if (root.nodeType !== Node.ELEMENT_NODE) return [];
  const found = [...root.querySelectorAll("[data-chorus]")];
  return root.matches("[data-chorus]") ? [root, ...found] : found;
}

async function scan(root) {
  const found = placeholdersIn(root).filter((element) => !taken.has(element));
  if (found.length === 0) return;
  found.forEach((element) => taken.add(element));
  // A frame brings its own rendering: it need not wait for the others'.
  found.filter(isFramed).forEach(showInFrame);
  const inline = found.filter((element) => !isFramed(element));
  if (inline.length === 0) return;
  inline.forEach(stylesheetsFor);
  const rendered = (await fetchRendered(inline)) || [];
  pageBundle ??= bundleForPage(inline, rendered);
  inline.forEach((element, i) => take(element, rendered[i]));
}

scan(document.documentElement);
new MutationObserver((mutations) => {
  for (const mutation of mutations) mutation.addedNodes.forEach(scan);
}).observe(document.documentElement, { childList: true, subtree: true });
