//! Reading a petition's text and settings in the supporter's language.

use chorus_wire::PetitionCount;
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::client::{decode_count, encode, request};

/// What the petition widget shows around its form.
#[derive(Debug, Clone, PartialEq)]
pub struct PetitionInfo {
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub privacy_url: Option<String>,
    pub share_message: String,
    pub hashtags: Vec<String>,
    pub share_url: Option<String>,
    /// The partner asking its own opt-in question, by name.
    pub partner_opt_in: Option<String>,
    /// The signature counts once confirmed from an email.
    pub confirm_by_email: bool,
    /// Who signs: `people`, `organisations` or `both`.
    pub signatories: String,
    /// Its wall shows a listed signer's city: the form asks for one.
    pub wall_city: bool,
    pub count: Option<PetitionCount>,
    /// The country select's options as the server named and sorted them,
    /// when it rendered the widget: the widget shows the same, whatever
    /// version of the names its browser has.
    pub countries: Option<Vec<(String, String)>>,
}

/// `Ok(None)`: Chorus has no such petition.
pub async fn fetch(
    slug: &str,
    lang: &str,
    partner: Option<&str>,
) -> Result<Option<PetitionInfo>, JsValue> {
    let mut path = format!("/petitions/{slug}?lang={}", encode(lang));
    if let Some(partner) = partner {
        path.push_str(&format!("&partner={}", encode(partner)));
    }
    let answer = request(&path, None).await?;
    match answer.status {
        404 => Ok(None),
        200 => Ok(Some(decode(&answer.json))),
        status => Err(JsValue::from_str(&format!("HTTP {status}"))),
    }
}

/// Only web addresses become links: a stored `javascript:` URL would run in
/// the widget's origin.
fn web_address(value: Option<String>) -> Option<String> {
    value.filter(|url| url.starts_with("https://") || url.starts_with("http://"))
}

fn text(value: &JsValue, name: &str) -> Option<String> {
    Reflect::get(value, &JsValue::from_str(name))
        .ok()?
        .as_string()
}

/// The petition the server already read, as the widget shows it.
#[cfg(not(target_arch = "wasm32"))]
impl From<chorus_wire::Petition> for PetitionInfo {
    fn from(petition: chorus_wire::Petition) -> Self {
        Self {
            lang: petition.lang,
            title: petition.title,
            summary: petition.summary,
            body: petition.body,
            privacy_url: web_address(petition.privacy_url),
            share_message: petition.share.message,
            hashtags: petition.share.hashtags,
            share_url: web_address(petition.share.url),
            partner_opt_in: petition.partner_opt_in,
            confirm_by_email: petition.confirm_by_email,
            signatories: petition.signatories,
            wall_city: petition.wall_city,
            count: Some(petition.count),
            countries: None,
        }
    }
}

/// A petition as `GET /petitions/{slug}` answers it, or `None` for anything
/// else (a bare count, from a loader older than this bundle).
pub fn decode_petition(value: &JsValue) -> Option<PetitionInfo> {
    text(value, "title").is_some().then(|| decode(value))
}

/// `"countries": [["SN", "Senegal"], ...]`, when the server sent them.
fn decode_countries(value: &JsValue) -> Option<Vec<(String, String)>> {
    let list = Reflect::get(value, &"countries".into()).ok()?;
    let list = list.dyn_ref::<Array>()?;
    Some(
        list.iter()
            .filter_map(|pair| {
                let pair = pair.dyn_into::<Array>().ok()?;
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect(),
    )
}

/// Field by field, like counts: no serde in the bundle.
fn decode(value: &JsValue) -> PetitionInfo {
    let share = Reflect::get(value, &"share".into()).unwrap_or(JsValue::NULL);
    let hashtags = Reflect::get(&share, &"hashtags".into())
        .ok()
        .filter(Array::is_array)
        .map(|tags| {
            Array::from(&tags)
                .iter()
                .filter_map(|t| t.as_string())
                .collect()
        })
        .unwrap_or_default();
    PetitionInfo {
        lang: text(value, "lang").unwrap_or_default(),
        title: text(value, "title").unwrap_or_default(),
        summary: text(value, "summary").unwrap_or_default(),
        body: text(value, "body").unwrap_or_default(),
        privacy_url: web_address(text(value, "privacy_url")),
        share_message: text(&share, "message").unwrap_or_default(),
        hashtags,
        share_url: web_address(text(&share, "url")),
        partner_opt_in: text(value, "partner_opt_in"),
        confirm_by_email: Reflect::get(value, &"confirm_by_email".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        signatories: text(value, "signatories").unwrap_or_default(),
        wall_city: Reflect::get(value, &"wall_city".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        count: decode_count(value),
        countries: decode_countries(value),
    }
}
