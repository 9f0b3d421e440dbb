//! The share step: one link per network, each carrying the campaign's
//! message, hashtags and UTM parameters, plus copy, Mastodon and the
//! browser's own share sheet.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::client::encode;

/// What every share says and where it points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareContent {
    pub slug: String,
    pub title: String,
    pub message: String,
    pub hashtags: Vec<String>,
    /// The campaign's share address, or the page the supporter signed on.
    pub url: String,
}

impl ShareContent {
    /// `url` with UTM parameters naming the network, so the campaign sees
    /// which shares bring signers.
    #[cfg(target_arch = "wasm32")]
    pub fn url_for(&self, network: &str) -> String {
        let Ok(url) = web_sys::Url::new(&self.url) else {
            return self.url.clone();
        };
        let params = url.search_params();
        params.set("utm_source", network);
        params.set("utm_medium", "share");
        params.set("utm_campaign", &self.slug);
        url.href()
    }

    /// As in the browser, for the thank-you page the server renders.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn url_for(&self, network: &str) -> String {
        let Ok(mut url) = url::Url::parse(&self.url) else {
            return self.url.clone();
        };
        let utm = [
            ("utm_source", network),
            ("utm_medium", "share"),
            ("utm_campaign", self.slug.as_str()),
        ];
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(key, _)| !utm.iter().any(|(name, _)| key == name))
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .extend_pairs(utm);
        url.into()
    }

    /// The message with its hashtags, for networks without a hashtag field.
    fn text(&self) -> String {
        let tags: Vec<String> = self.hashtags.iter().map(|t| format!("#{t}")).collect();
        [self.message.as_str(), &tags.join(" ")]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// (network, visible name, link) for every network with a share URL.
    pub fn links(&self, email_label: &str) -> Vec<(&'static str, String, String)> {
        let text_and_url = |network| format!("{} {}", self.text(), self.url_for(network));
        vec![
            (
                "x",
                "X".into(),
                format!(
                    "https://x.com/intent/tweet?text={}&url={}&hashtags={}",
                    encode(&self.message),
                    encode(&self.url_for("x")),
                    encode(&self.hashtags.join(","))
                ),
            ),
            (
                "facebook",
                "Facebook".into(),
                format!(
                    "https://www.facebook.com/sharer/sharer.php?u={}",
                    encode(&self.url_for("facebook"))
                ),
            ),
            (
                "whatsapp",
                "WhatsApp".into(),
                format!("https://wa.me/?text={}", encode(&text_and_url("whatsapp"))),
            ),
            (
                "telegram",
                "Telegram".into(),
                format!(
                    "https://t.me/share/url?url={}&text={}",
                    encode(&self.url_for("telegram")),
                    encode(&self.text())
                ),
            ),
            (
                "bluesky",
                "Bluesky".into(),
                format!(
                    "https://bsky.app/intent/compose?text={}",
                    encode(&text_and_url("bluesky"))
                ),
            ),
            (
                "email",
                email_label.to_owned(),
                format!(
                    "mailto:?subject={}&body={}",
                    encode(&self.title),
                    encode(&text_and_url("email"))
                ),
            ),
        ]
    }

    /// The share page of a Mastodon server the supporter named, if the name
    /// is a plain host name.
    pub fn mastodon_link(&self, server: &str) -> Option<String> {
        let server = server
            .trim()
            .trim_start_matches("https://")
            .trim_end_matches('/')
            .to_ascii_lowercase();
        let plain_host = server.contains('.')
            && server
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        plain_host.then(|| {
            format!(
                "https://{server}/share?text={}",
                encode(&format!("{} {}", self.text(), self.url_for("mastodon")))
            )
        })
    }
}

/// `navigator[name]`, if this browser has it.
fn navigator_method(target: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .filter(JsValue::is_function)
        .map(Function::from)
}

/// Whether the browser has its own share sheet (most phones do).
pub fn can_share_natively() -> bool {
    web_sys::window().is_some_and(|w| navigator_method(&w.navigator().into(), "share").is_some())
}

/// Opens the browser's share sheet.
pub fn share_natively(content: &ShareContent) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator: JsValue = window.navigator().into();
    if let Some(share) = navigator_method(&navigator, "share") {
        let data = Object::new();
        let _ = Reflect::set(&data, &"title".into(), &content.title.as_str().into());
        let _ = Reflect::set(&data, &"text".into(), &content.text().into());
        let _ = Reflect::set(&data, &"url".into(), &content.url_for("native").into());
        // A dismissed sheet rejects the promise; there is nothing to do then.
        let _ = share.call1(&navigator, &data);
    }
}

/// Copies the link; `false` when the browser refused.
pub fn copy_link(content: &ShareContent) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator: JsValue = window.navigator().into();
    let Ok(clipboard) = Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    navigator_method(&clipboard, "writeText")
        .map(|write| write.call1(&clipboard, &content.url_for("copy").into()))
        .is_some_and(|result| result.is_ok())
}
