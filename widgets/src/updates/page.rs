//! Reading a page of a feed's items from Chorus.

use wasm_bindgen::JsValue;

use crate::client::{Answer, encode, field, field_list, field_text, request, request_fresh, whole};

/// One item as the widget shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: u64,
    pub title: String,
    pub summary: String,
    pub has_image: bool,
    pub image_alt: String,
    /// Only `http(s)` addresses; anything else is dropped.
    pub link: Option<String>,
    pub lang: String,
    /// RFC 3339, for `<time datetime>`.
    pub published_at: String,
}

/// A page of items, newest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub title: String,
    pub items: Vec<Item>,
    /// The cursor of the next page, if there is one.
    pub next: Option<String>,
    /// The feed's topics (first pages only).
    pub tags: Vec<String>,
}

/// Which items to read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    pub limit: u32,
    pub tag: Option<String>,
    /// A primary language subtag; `None` for every language.
    pub lang: Option<String>,
    pub cursor: Option<String>,
}

/// `Ok(None)`: Chorus has no such feed. `fresh` skips the browser's cache,
/// for a feed the live connection says has changed.
pub async fn fetch(slug: &str, query: &Query, fresh: bool) -> Result<Option<Page>, JsValue> {
    let mut path = format!("/feeds/{}/items?limit={}", encode(slug), query.limit);
    let params = [
        ("tag", &query.tag),
        ("lang", &query.lang),
        ("cursor", &query.cursor),
    ];
    for (name, value) in params {
        if let Some(value) = value {
            path += &format!("&{name}={}", encode(value));
        }
    }
    let answer: Answer = if fresh {
        request_fresh(&path).await?
    } else {
        request(&path, None).await?
    };
    match answer.status {
        404 => Ok(None),
        200 => decode(&answer.json)
            .map(Some)
            .ok_or_else(|| JsValue::from_str("not a page of updates")),
        status => Err(JsValue::from_str(&format!("HTTP {status}"))),
    }
}

/// Field by field, like counts: no serde in the bundle. An item missing a
/// required field is left out rather than failing the page.
fn decode(value: &JsValue) -> Option<Page> {
    let items = field_list(value, "items")
        .iter()
        .filter_map(decode_item)
        .collect();
    Some(Page {
        title: field_text(value, "title")?,
        items,
        next: field_text(value, "next"),
        tags: field_list(value, "tags")
            .iter()
            .filter_map(JsValue::as_string)
            .collect(),
    })
}

fn decode_item(value: &JsValue) -> Option<Item> {
    let link =
        field_text(value, "link").filter(|l| l.starts_with("https://") || l.starts_with("http://"));
    Some(Item {
        id: whole(field(value, "id")?)?,
        title: field_text(value, "title")?,
        summary: field_text(value, "summary").unwrap_or_default(),
        has_image: field_text(value, "image_url").is_some(),
        image_alt: field_text(value, "image_alt").unwrap_or_default(),
        link,
        lang: field_text(value, "lang").unwrap_or_default(),
        published_at: field_text(value, "published_at")?,
    })
}
