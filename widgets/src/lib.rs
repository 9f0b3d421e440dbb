//! Chorus's widgets, compiled to WebAssembly and mounted by `embed.js`.
//!
//! Invariant: this crate never depends on the server crate; it shares only
//! the wire types. `ARCHITECTURE.md` maps the modules.

mod client;
mod clock;
mod counter;
mod goal;
mod host;
mod i18n;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::counter::Counter;
use crate::host::Placeholder;

// Smaller and faster than the default dlmalloc; every byte here is downloaded
// by every supporter on every partner page.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Renders the widget a placeholder asks for, inside its shadow root.
///
/// `chorus_origin` is where `embed.js` came from; `initial` is the count it
/// already fetched for `data-campaign`, or `null`.
#[wasm_bindgen]
pub fn mount(
    placeholder: HtmlElement,
    chorus_origin: String,
    initial: JsValue,
) -> Result<(), JsValue> {
    report_panics();
    // Client tasks may start before the first view mounts.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let placeholder = Placeholder::read(placeholder);
    match placeholder.kind.as_str() {
        "counter" => mount_counter(&placeholder, &chorus_origin, initial),
        other => {
            web_sys::console::warn_1(&format!("Chorus: no widget named {other:?}").into());
            Ok(())
        }
    }
}

/// A panic in WebAssembly surfaces as "unreachable"; say what it was instead,
/// so a partner's bug report can be acted on.
fn report_panics() {
    static HOOKED: std::sync::Once = std::sync::Once::new();
    HOOKED.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            web_sys::console::error_1(&format!("Chorus widget failed: {info}").into());
        }));
    });
}

fn mount_counter(placeholder: &Placeholder, origin: &str, initial: JsValue) -> Result<(), JsValue> {
    let Some(slug) = placeholder.campaign.as_deref() else {
        return Err("Chorus: a counter needs data-campaign=\"petition-slug\"".into());
    };
    let initial = client::decode_count(&initial);
    let count = client::follow(origin, slug, initial);
    let (locale, theme) = (placeholder.locale.clone(), placeholder.theme);
    let container = placeholder.container()?;
    // Each widget gets its own root owner, so no other widget's re-render can
    // dispose it; both live as long as the page.
    let owner = Owner::new_root(None);
    owner.with(|| {
        leptos::mount::mount_to(container, move || view! { <Counter count locale theme /> })
            .forget();
    });
    std::mem::forget(owner);
    Ok(())
}
