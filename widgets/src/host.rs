//! The one module that touches the partner's page: reading a placeholder's
//! attributes, and giving each widget a shadow root styled by Chorus alone.

// Only the petition's and the events' renderings have anything to carry
// over: the other widgets' have no fields, and their bundles leave this out.
#[cfg(any(feature = "petition", feature = "events"))]
mod takeover;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::i18n::Locale;

/// The class of the container a widget renders into, whoever rendered it.
const CONTAINER: &str = "chorus-root";

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

/// The placeholder a mounted widget speaks through: where it announces
/// events to the partner page and moves focus. A widget rendered on the
/// server has none, and its announcements go nowhere.
#[cfg(feature = "beyond-counters")]
#[derive(Debug, Clone, Default)]
pub struct Anchor(Option<HtmlElement>);

#[cfg(feature = "beyond-counters")]
impl Anchor {
    pub fn new(element: HtmlElement) -> Self {
        Self(Some(element))
    }

    pub fn element(&self) -> Option<&HtmlElement> {
        self.0.as_ref()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// Follows the supporter's system setting.
    Auto,
}

impl Theme {
    /// `data-theme` as a partner wrote it; light unless it says otherwise.
    pub fn parse(attribute: Option<&str>) -> Self {
        match attribute {
            Some("dark") => Self::Dark,
            Some("auto") => Self::Auto,
            _ => Self::Light,
        }
    }

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
        let theme = Theme::parse(data.get("theme").as_deref());
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

    /// Renders `render` into a fresh container and puts it in the
    /// placeholder's shadow root. Where the server's rendering of the widget
    /// is already there, the supporter's work in it (typed values, the
    /// focused field and its caret, open sections) moves into the new one,
    /// which replaces it in the same task: nothing flickers or shifts.
    pub fn render_in(&self, render: impl FnOnce(&HtmlElement)) -> Result<(), JsValue> {
        let root = match self.element.shadow_root() {
            Some(root) => root,
            None => self
                .element
                .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
        };
        let document = self
            .element
            .owner_document()
            .ok_or("placeholder has no document")?;
        let container: HtmlElement = document.create_element("div")?.unchecked_into();
        container.set_class_name(CONTAINER);
        render(&container);
        match root.query_selector(&format!(".{CONTAINER}"))? {
            Some(rendered) => {
                #[cfg(any(feature = "petition", feature = "events"))]
                takeover::carry_over(&root, &rendered, &container);
                rendered.replace_with_with_node_1(&container)?;
                #[cfg(any(feature = "petition", feature = "events"))]
                takeover::restore_focus(&container);
            }
            None => {
                // A count shown as text, or nothing: the widget replaces it.
                root.set_inner_html("");
                ensure_style(&root, &self.kind)?;
                root.append_child(&container)?;
            }
        }
        // For the partner page (and tests): the widget is live.
        self.element.set_attribute("data-chorus-ready", "")?;
        Ok(())
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

/// `embed.js` adopts Chorus's stylesheets into every shadow root it makes,
/// and the frame page writes them in (or links them). A root made
/// otherwise (Chorus could not render the widget, a loader older than this
/// bundle) links them here: `widgets.css`, and the events' or the storm's
/// own.
fn ensure_style(root: &ShadowRoot, kind: &str) -> Result<(), JsValue> {
    let adopted = root.adopted_style_sheets().length() > 0;
    if adopted
        || root
            .query_selector("style, link[rel=stylesheet]")?
            .is_some()
    {
        return Ok(());
    }
    let document = root.owner_document().ok_or("shadow root has no document")?;
    // Each bundle knows the sheets of the widgets it has.
    let own = match kind {
        #[cfg(feature = "events")]
        "events" => Some("/events.css"),
        #[cfg(feature = "storm")]
        "storm" => Some("/storm.css"),
        _ => None,
    };
    for sheet in own.into_iter().chain(["/widgets.css"]) {
        let link = document.create_element("link")?;
        link.set_attribute("rel", "stylesheet")?;
        link.set_attribute("href", &crate::client::origin_url(sheet))?;
        root.prepend_with_node_1(&link)?;
    }
    Ok(())
}

/// Tells the partner page what happened, with no personal data: a
/// `chorus:{what}` event on the placeholder, with `detail` as its detail.
#[cfg(any(feature = "petition", feature = "donate"))]
pub fn announce(placeholder: &Anchor, what: &str, detail: &[(&str, &str)]) {
    let Some(placeholder) = placeholder.element() else {
        return;
    };
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
#[cfg(feature = "beyond-counters")]
pub fn focus_later(placeholder: &Anchor, selector: impl AsRef<str> + 'static) {
    let Some(placeholder) = placeholder.element().cloned() else {
        return;
    };
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
#[cfg(feature = "beyond-counters")]
pub async fn sleep(duration: std::time::Duration) {
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
