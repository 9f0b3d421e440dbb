//! Chorus's widgets, compiled to WebAssembly and mounted by `embed.js`.
//!
//! Invariant: this crate never depends on the server crate; it shares only
//! the wire types. `ARCHITECTURE.md` maps the modules.

mod client;
mod clock;
mod counter;
// The parts of forms that are more than a field or two (the petition's,
// the sign-up's): labelled fields, and what waits on the device.
#[cfg(feature = "donate")]
mod donate;
#[cfg(feature = "feeds")]
mod downloads;
#[cfg(feature = "events")]
mod events;
#[cfg(feature = "feeds")]
mod feed;
#[cfg(any(feature = "petition", feature = "signup"))]
mod fields;
mod goal;
mod host;
mod i18n;
#[cfg(any(feature = "petition", feature = "signup"))]
mod pending;
#[cfg(feature = "petition")]
mod petition;
#[cfg(any(feature = "petition", feature = "events", feature = "signup"))]
mod proof;
#[cfg(not(target_arch = "wasm32"))]
pub mod render;
#[cfg(feature = "resources")]
mod resources;
// Sending what is sent again until Chorus answers (RSVPs, proposals,
// sign-ups).
#[cfg(any(feature = "events", feature = "signup"))]
mod send;
#[cfg(feature = "signers")]
mod signers;
#[cfg(feature = "signup")]
mod signup;
#[cfg(feature = "storm")]
mod storm;
#[cfg(feature = "updates")]
mod updates;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::counter::{Counter, Counting};
use crate::host::Placeholder;

// Smaller and faster than the default dlmalloc; every byte here is downloaded
// by every supporter on every partner page.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Renders the widget a placeholder asks for, inside its shadow root.
///
/// `chorus_origin` is where `embed.js` came from; `initial` is what it
/// already read for the placeholder (the petition, or its count), or `null`.
/// Where the server's rendering is in the shadow root already, the widget
/// takes over from it.
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
        #[cfg(feature = "petition")]
        "petition" => mount_petition(placeholder, &chorus_origin, initial),
        #[cfg(feature = "donate")]
        "donate" => mount_donate(placeholder, &chorus_origin, initial),
        #[cfg(feature = "updates")]
        "updates" => mount_updates(placeholder, &chorus_origin, initial),
        #[cfg(feature = "events")]
        "events" => mount_events(placeholder, &chorus_origin, initial),
        #[cfg(feature = "signers")]
        "signers" => mount_signers(placeholder, &chorus_origin, initial),
        #[cfg(feature = "signup")]
        "signup" => mount_signup(placeholder, &chorus_origin, initial),
        #[cfg(feature = "storm")]
        "storm" => mount_storm(placeholder, &chorus_origin, initial),
        #[cfg(feature = "resources")]
        "resources" => mount_resources(placeholder, &chorus_origin, initial),
        other => {
            web_sys::console::warn_1(&format!("Chorus: no widget named \"{other}\"").into());
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
    let counting = Counting::parse(placeholder.element.dataset().get("count").as_deref());
    mount_in(
        placeholder,
        move || view! { <Counter count locale theme counting /> },
    )
}

/// Mounts a view in the placeholder's shadow root. Each widget gets its own
/// root owner, so no other widget's re-render can dispose it; both live as
/// long as the page.
fn mount_in<V: IntoView + 'static>(
    placeholder: &Placeholder,
    view: impl FnOnce() -> V + 'static,
) -> Result<(), JsValue> {
    placeholder.render_in(|container| {
        let owner = Owner::new_root(None);
        owner.with(|| leptos::mount::mount_to(container.clone(), view).forget());
        std::mem::forget(owner);
    })
}

#[cfg(feature = "petition")]
fn mount_petition(placeholder: Placeholder, origin: &str, initial: JsValue) -> Result<(), JsValue> {
    let Some(slug) = placeholder.campaign.clone() else {
        return Err("Chorus: a petition needs data-campaign=\"petition-slug\"".into());
    };
    let info = petition::decode_petition(&initial);
    let first = info.as_ref().and_then(|i| i.count.clone());
    let count = client::follow(
        origin,
        &slug,
        first.or_else(|| client::decode_count(&initial)),
    );
    let location = web_sys::window().map(|w| w.location());
    // Shares point at the page without its query, which may carry a
    // newsletter's personal tracking tokens.
    let page = placeholder.frame_page.clone().or_else(|| {
        let location = location.as_ref()?;
        Some(location.origin().ok()? + &location.pathname().ok()?)
    });
    let partner = placeholder
        .frame_partner
        .clone()
        .or_else(|| location.as_ref()?.origin().ok());
    let setup = petition::Setup {
        slug,
        locale: placeholder.locale.clone(),
        theme: placeholder.theme,
        placeholder: host::Anchor::new(placeholder.element.clone()),
        partner,
        page_url: page.unwrap_or_default(),
        posting: placeholder
            .element
            .dataset()
            .get("frameKey")
            .filter(|k| !k.is_empty()),
        entered: None,
    };
    mount_in(
        &placeholder,
        move || view! { <petition::Petition setup count info /> },
    )
}

#[cfg(feature = "donate")]
fn mount_donate(placeholder: Placeholder, origin: &str, initial: JsValue) -> Result<(), JsValue> {
    let Some(slug) = placeholder.campaign.clone() else {
        return Err("Chorus: a donate button needs data-campaign=\"campaign-slug\"".into());
    };
    client::set_origin(origin);
    let location = web_sys::window().map(|w| w.location());
    // The donor comes back to this page without its query or fragment, which
    // may carry a newsletter's tokens or an address: they never reach the
    // payment provider.
    let page_url = location
        .as_ref()
        .and_then(|l| Some(l.origin().ok()? + &l.pathname().ok()?))
        .unwrap_or_default();
    // The provider sends the donor back with ?chorus=thanks&chorus_campaign=SLUG.
    let query = location.and_then(|l| l.search().ok()).unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&query).ok();
    let param = |name: &str| params.as_ref().and_then(|p| p.get(name));
    let returned = match param("chorus").as_deref() {
        _ if param("chorus_campaign").as_deref() != Some(slug.as_str()) => None,
        Some("thanks") => Some(donate::Return::Thanks),
        Some("cancelled") => Some(donate::Return::Cancelled),
        _ => None,
    };
    let setup = donate::Setup {
        slug,
        origin: origin.to_owned(),
        locale: placeholder.locale.clone(),
        theme: placeholder.theme,
        placeholder: host::Anchor::new(placeholder.element.clone()),
        page_url,
        returned,
    };
    let campaign = donate::decode_campaign(&initial);
    mount_in(
        &placeholder,
        move || view! { <donate::Donate setup campaign /> },
    )
}

#[cfg(feature = "updates")]
fn mount_updates(placeholder: Placeholder, origin: &str, initial: JsValue) -> Result<(), JsValue> {
    let data = placeholder.element.dataset();
    let Some(slug) = data.get("feed").filter(|f| !f.is_empty()) else {
        return Err("Chorus: an updates feed needs data-feed=\"feed-slug\"".into());
    };
    client::set_origin(origin);
    let setup = updates::Setup {
        slug,
        origin: origin.to_owned(),
        locale: placeholder.locale.clone(),
        theme: placeholder.theme,
        limit: updates::limit(data.get("limit").as_deref()),
        compact: updates::is_compact(data.get("layout").as_deref()),
        placeholder: host::Anchor::new(placeholder.element.clone()),
    };
    let first = updates::decode_page(&initial);
    mount_in(
        &placeholder,
        move || view! { <updates::Updates setup first /> },
    )
}

#[cfg(feature = "events")]
fn mount_events(placeholder: Placeholder, origin: &str, initial: JsValue) -> Result<(), JsValue> {
    client::set_origin(origin);
    let day = placeholder
        .element
        .dataset()
        .get("day")
        .filter(|d| !d.is_empty())
        .or_else(|| placeholder.campaign.clone());
    let setup = events::Setup {
        day,
        origin: origin.to_owned(),
        locale: placeholder.locale.clone(),
        theme: placeholder.theme,
        placeholder: host::Anchor::new(placeholder.element.clone()),
    };
    let first = events::decode_page(&initial);
    mount_in(
        &placeholder,
        move || view! { <events::Events setup first /> },
    )
}

#[cfg(feature = "signers")]
fn mount_signers(placeholder: Placeholder, origin: &str, initial: JsValue) -> Result<(), JsValue> {
    let Some(slug) = placeholder.campaign.clone() else {
        return Err("Chorus: a wall of signatories needs data-campaign=\"petition-slug\"".into());
    };
    client::set_origin(origin);
    let setup = signers::Setup {
        slug,
        origin: origin.to_owned(),
        locale: placeholder.locale.clone(),
        theme: placeholder.theme,
        placeholder: host::Anchor::new(placeholder.element.clone()),
    };
    // What the server rendered the wall from, when it did.
    let first = client::field_text(&initial, "petition").map(|_| signers::decode_wall(&initial));
    let count = client::field(&initial, "count").and_then(|c| client::decode_count(&c));
    mount_in(
        &placeholder,
        move || view! { <signers::Signers setup first count /> },
    )
}

#[cfg(feature = "signup")]
fn mount_signup(placeholder: Placeholder, origin: &str, initial: JsValue) -> Result<(), JsValue> {
    let Some(slug) = placeholder
        .element
        .dataset()
        .get("list")
        .filter(|l| !l.is_empty())
    else {
        return Err("Chorus: a sign-up needs data-list=\"list-slug\"".into());
    };
    client::set_origin(origin);
    let setup = signup::Setup {
        slug,
        locale: placeholder.locale.clone(),
        theme: placeholder.theme,
        placeholder: host::Anchor::new(placeholder.element.clone()),
        partner: web_sys::window().and_then(|w| w.location().origin().ok()),
    };
    let first = signup::decode_list(&initial);
    mount_in(
        &placeholder,
        move || view! { <signup::Signup setup first /> },
    )
}

#[cfg(feature = "storm")]
fn mount_storm(placeholder: Placeholder, origin: &str, initial: JsValue) -> Result<(), JsValue> {
    let Some(slug) = placeholder
        .element
        .dataset()
        .get("storm")
        .filter(|s| !s.is_empty())
    else {
        return Err("Chorus: a storm needs data-storm=\"storm-slug\"".into());
    };
    client::set_origin(origin);
    let setup = storm::Setup {
        slug,
        origin: origin.to_owned(),
        locale: placeholder.locale.clone(),
        theme: placeholder.theme,
        placeholder: host::Anchor::new(placeholder.element.clone()),
    };
    let first = storm::decode(&initial);
    mount_in(&placeholder, move || view! { <storm::Storm setup first /> })
}

#[cfg(feature = "resources")]
fn mount_resources(
    placeholder: Placeholder,
    origin: &str,
    initial: JsValue,
) -> Result<(), JsValue> {
    let Some(slug) = placeholder
        .element
        .dataset()
        .get("feed")
        .filter(|f| !f.is_empty())
    else {
        return Err("Chorus: a resources box needs data-feed=\"feed-slug\"".into());
    };
    client::set_origin(origin);
    let setup = resources::Setup {
        slug,
        origin: origin.to_owned(),
        locale: placeholder.locale.clone(),
        theme: placeholder.theme,
    };
    let first = feed::decode_page(&initial);
    mount_in(
        &placeholder,
        move || view! { <resources::Resources setup first /> },
    )
}
