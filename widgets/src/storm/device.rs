//! What the storm widget asks of the supporter's browser: a random
//! variant, the Mastodon server remembered on this device (never sent to
//! Chorus), the clipboard, the share sheet, a new tab. The browser's
//! newer APIs are reached by name, so a browser without one still runs the
//! rest, and the bundle carries no bindings it barely uses.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Where this device keeps the supporter's Mastodon server.
const MASTODON_KEY: &str = "chorus.mastodon-server";

/// A variant in `0..variants`, at random.
pub fn pick(variants: usize) -> usize {
    #[cfg(target_arch = "wasm32")]
    return (js_sys::Math::random() * variants as f64) as usize % variants.max(1);
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = variants;
        0
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The server the supporter gave once, if this device kept it.
pub fn mastodon_server() -> Option<String> {
    let kept = storage()?.get_item(MASTODON_KEY).ok().flatten()?;
    super::share::mastodon_server(&kept)
}

pub fn remember_mastodon_server(server: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(MASTODON_KEY, server);
    }
}

/// `navigator`'s member `name`, when the browser has it.
fn navigator_member(name: &str) -> Option<(JsValue, JsValue)> {
    let navigator = JsValue::from(web_sys::window()?.navigator());
    let member = Reflect::get(&navigator, &name.into()).ok()?;
    (!member.is_undefined()).then_some((navigator, member))
}

/// Whether the device has a share sheet (phones, some desktops).
pub fn can_share() -> bool {
    navigator_member("share").is_some()
}

/// Opens the device's share sheet with the post.
pub fn share(title: &str, text: &str, url: &str) {
    let Some((navigator, share)) = navigator_member("share") else {
        return;
    };
    let data = Object::new();
    for (key, value) in [("title", title), ("text", text), ("url", url)] {
        let _ = Reflect::set(&data, &key.into(), &value.into());
    }
    if let Ok(share) = share.dyn_into::<Function>() {
        // A supporter closing the sheet rejects the promise: nothing to do.
        let _ = share.call1(&navigator, &data);
    }
}

/// Puts `text` on the clipboard; whether the browser did.
pub async fn copy(text: &str) -> bool {
    let Some((_, clipboard)) = navigator_member("clipboard") else {
        return false;
    };
    let write = Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|w| w.dyn_into::<Function>().ok());
    let Some(promise) = write
        .and_then(|write| write.call1(&clipboard, &text.into()).ok())
        .and_then(|p| p.dyn_into::<Promise>().ok())
    else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Opens `url` in a new tab, as a share link does.
pub fn open(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.open_with_url_and_target_and_features(url, "_blank", "noopener");
    }
}
