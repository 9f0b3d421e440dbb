//! The one module that touches the partner's page: reading a placeholder's
//! attributes, and giving each widget a shadow root styled by Chorus alone.

use std::cell::OnceCell;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::i18n::Locale;

const STYLE: &str = include_str!("style.css");
#[cfg(any(feature = "petition", feature = "updates"))]
const HIDDEN_STYLE: &str = include_str!("hidden.css");
#[cfg(not(any(feature = "petition", feature = "updates")))]
const HIDDEN_STYLE: &str = "";
#[cfg(feature = "petition")]
const PETITION_STYLE: &str = include_str!("petition/style.css");
#[cfg(not(feature = "petition"))]
const PETITION_STYLE: &str = "";
#[cfg(feature = "donate")]
const DONATE_STYLE: &str = include_str!("donate/style.css");
#[cfg(not(feature = "donate"))]
const DONATE_STYLE: &str = "";
#[cfg(feature = "updates")]
const UPDATES_STYLE: &str = include_str!("updates/style.css");
#[cfg(not(feature = "updates"))]
const UPDATES_STYLE: &str = "";

/// What a partner wrote on a placeholder.
#[derive(Debug, Clone)]
pub struct Placeholder {
    pub element: HtmlElement,
    /// `data-chorus`: which widget.
    pub kind: String,
    /// `data-campaign`: the petition (or campaign) slug.
    pub campaign: Option<String>,
    pub theme: Theme,
    pub locale: Locale,
    /// On Chorus's frame page only: the partner origin around the frame and
    /// the page the supporter is on (the frame cannot read either itself).
    #[cfg(feature = "petition")]
    pub frame_partner: Option<String>,
    #[cfg(feature = "petition")]
    pub frame_page: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// Follows the supporter's system setting.
    Auto,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
            Self::Auto => "auto",
        }
    }
}

impl Placeholder {
    pub fn read(element: HtmlElement) -> Self {
        let data = element.dataset();
        let theme = match data.get("theme").as_deref() {
            Some("dark") => Theme::Dark,
            Some("auto") => Theme::Auto,
            _ => Theme::Light,
        };
        let locale = negotiate_locale(data.get("lang"));
        Self {
            kind: data.get("chorus").unwrap_or_default(),
            campaign: data.get("campaign").filter(|c| !c.is_empty()),
            theme,
            locale,
            #[cfg(feature = "petition")]
            frame_partner: data.get("framePartner").filter(|p| !p.is_empty()),
            #[cfg(feature = "petition")]
            frame_page: data.get("framePage").filter(|p| !p.is_empty()),
            element,
        }
    }

    /// A fresh, empty container inside the placeholder's shadow root, with
    /// Chorus's stylesheet adopted. Reuses the root `embed.js` attached.
    pub fn container(&self) -> Result<HtmlElement, JsValue> {
        let root = match self.element.shadow_root() {
            Some(root) => root,
            None => self
                .element
                .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
        };
        adopt_style(&root)?;
        root.set_inner_html("");
        let document = self
            .element
            .owner_document()
            .ok_or("placeholder has no document")?;
        let container: HtmlElement = document.create_element("div")?.unchecked_into();
        root.append_child(&container)?;
        Ok(container)
    }
}

/// `data-lang`, else the page's `<html lang>`, else the browser's languages.
fn negotiate_locale(data_lang: Option<String>) -> Locale {
    let window = web_sys::window();
    let page_lang = window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|html| html.get_attribute("lang"));
    let browser: Vec<String> = window
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|l| l.as_string())
                .collect()
        })
        .unwrap_or_default();
    let candidates = data_lang.into_iter().chain(page_lang).chain(browser);
    let candidates: Vec<String> = candidates.collect();
    Locale::negotiate(candidates.iter().map(String::as_str))
}

thread_local! {
    /// One stylesheet object for the page, shared by every widget's shadow root.
    static SHEET: OnceCell<Result<CssStyleSheet, JsValue>> = const { OnceCell::new() };
}

/// A constructable stylesheet, unlike a `<style>` element, is not blocked by a
/// partner's `style-src` policy, and host-page rules never reach into it.
fn adopt_style(root: &ShadowRoot) -> Result<(), JsValue> {
    let sheet = SHEET.with(|cell| {
        cell.get_or_init(|| {
            let sheet = CssStyleSheet::new()?;
            sheet.replace_sync(
                &[
                    STYLE,
                    HIDDEN_STYLE,
                    PETITION_STYLE,
                    DONATE_STYLE,
                    UPDATES_STYLE,
                ]
                .concat(),
            )?;
            Ok(sheet)
        })
        .clone()
    })?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    Ok(())
}

/// Tells the partner page what happened, with no personal data: a
/// `chorus:{what}` event on the placeholder, with `detail` as its detail.
#[cfg(any(feature = "petition", feature = "donate"))]
pub fn announce(placeholder: &HtmlElement, what: &str, detail: &[(&str, &str)]) {
    let object = js_sys::Object::new();
    for (key, value) in detail {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&object);
    if let Ok(event) =
        web_sys::CustomEvent::new_with_event_init_dict(&format!("chorus:{what}"), &init)
    {
        let _ = placeholder.dispatch_event(&event);
    }
}

/// Moves focus to the first element matching `selector` in the widget once
/// the next frame has rendered it.
#[cfg(any(feature = "petition", feature = "donate", feature = "updates"))]
pub fn focus_later(placeholder: &HtmlElement, selector: impl AsRef<str> + 'static) {
    let placeholder = placeholder.clone();
    leptos::prelude::request_animation_frame(move || {
        let found = placeholder
            .shadow_root()
            .and_then(|root| root.query_selector(selector.as_ref()).ok().flatten());
        if let Some(element) = found.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            let _ = element.focus();
        }
    });
}

/// Waits without blocking the page.
#[cfg(any(feature = "petition", feature = "donate", feature = "updates"))]
pub async fn sleep(duration: std::time::Duration) {
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
