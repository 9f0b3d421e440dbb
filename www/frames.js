// Frame mode, loaded by embed.js only for pages with a framed petition: the
// petition runs on Chorus's own page in an iframe. The frame learns the
// partner's origin (Chorus then lets only that origin frame it) and the page
// address without its query, where shares point. Back come only heights and
// event names, checked against the frame they claim to come from.

const chorus = new URL(import.meta.url).origin;
const frames = new Map();

export function showInFrame(element, lang) {
  const params = new URLSearchParams({
    lang,
    partner: location.origin,
    page: location.origin + location.pathname,
  });
  if (element.dataset.theme) params.set("theme", element.dataset.theme);
  const slug = encodeURIComponent(element.dataset.campaign || "");
  const frame = document.createElement("iframe");
  frame.src = `${chorus}/frame/petition/${slug}?${params}`;
  frame.title = element.dataset.title || "Petition";
  frame.style.cssText = "display:block;width:100%;height:36em;border:0";
  (element.shadowRoot || element.attachShadow({ mode: "open" })).replaceChildren(frame);
  frames.set(frame, element);
}

addEventListener("message", (event) => {
  if (event.origin !== chorus || !event.data || typeof event.data !== "object") return;
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
});
