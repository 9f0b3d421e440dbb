// Chorus's frame page: mounts the petition widget in this frame, keeps the
// frame's height in step with it, and passes its events up to the partner
// page. Only heights and event names cross; never what a supporter typed.

const placeholder = document.querySelector("[data-chorus]");
const partner = placeholder.dataset.framePartner;

function tell(message) {
  // Without a verified partner origin there is no one to tell.
  if (partner && window.parent !== window) window.parent.postMessage(message, partner);
}

new ResizeObserver(() => {
  tell({ chorus: "height", height: document.documentElement.scrollHeight });
}).observe(document.body);

for (const name of ["chorus:signed", "chorus:shared"]) {
  placeholder.addEventListener(name, (event) => {
    const { petition, network } = event.detail || {};
    tell({ chorus: "event", name, petition, network });
  });
}

// The bundle the page names: one with organisations' form where the
// petition takes them. Only a name Chorus knows is loaded.
const bundle = placeholder.dataset.frameBundle === "coalition" ? "coalition" : "widgets";
const widgets = await import(`/chorus-${bundle}.js`);
await widgets.default({ module_or_path: `/chorus-${bundle}_bg.wasm` });
// The petition the page was rendered with: the widget takes over from that
// rendering without reading the petition again.
const data = JSON.parse(document.getElementById("chorus-petition")?.textContent || "null");
widgets.mount(placeholder, location.origin, data);
tell({ chorus: "ready" });
