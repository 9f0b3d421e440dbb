//! Reading a page of a feed's items from Chorus: what the updates feed
//! and the resources box both show.

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
    /// Files to download, alternates of one file sharing a group.
    pub attachments: Vec<Attachment>,
}

/// A file attached to an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub group: u64,
    pub title: String,
    pub lang: String,
    pub media_type: String,
    /// In bytes.
    pub length: u64,
    /// Only `http(s)` addresses.
    pub url: String,
    /// `None` for a mirrored feed's file, which Chorus does not keep.
    pub sha256: Option<String>,
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
        200 => decode_page(&answer.json)
            .map(Some)
            .ok_or_else(|| JsValue::from_str("not a page of updates")),
        status => Err(JsValue::from_str(&format!("HTTP {status}"))),
    }
}

/// Field by field, like counts: no serde in the bundle. An item missing a
/// required field is left out rather than failing the page. Also reads the
/// first page the server's rendering came with.
pub fn decode_page(value: &JsValue) -> Option<Page> {
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

/// Only a web address is followed: anything else could run script.
fn web_link(link: Option<String>) -> Option<String> {
    link.filter(|l| l.starts_with("https://") || l.starts_with("http://"))
}

fn decode_item(value: &JsValue) -> Option<Item> {
    let link = web_link(field_text(value, "link"));
    Some(Item {
        id: whole(field(value, "id")?)?,
        title: field_text(value, "title")?,
        summary: field_text(value, "summary").unwrap_or_default(),
        has_image: field_text(value, "image_url").is_some(),
        image_alt: field_text(value, "image_alt").unwrap_or_default(),
        link,
        lang: field_text(value, "lang").unwrap_or_default(),
        published_at: field_text(value, "published_at")?,
        attachments: field_list(value, "attachments")
            .iter()
            .filter_map(decode_attachment)
            .collect(),
    })
}

fn decode_attachment(value: &JsValue) -> Option<Attachment> {
    Some(Attachment {
        group: whole(field(value, "group")?)?,
        title: field_text(value, "title")?,
        lang: field_text(value, "lang").unwrap_or_default(),
        media_type: field_text(value, "media_type")?,
        length: whole(field(value, "length")?)?,
        url: web_link(field_text(value, "url"))?,
        sha256: field_text(value, "sha256"),
    })
}

#[cfg(not(target_arch = "wasm32"))]
impl From<chorus_wire::updates::UpdatesPage> for Page {
    fn from(page: chorus_wire::updates::UpdatesPage) -> Self {
        let items = page
            .items
            .into_iter()
            .filter_map(|item| {
                Some(Item {
                    id: u64::try_from(item.id).ok()?,
                    title: item.title,
                    summary: item.summary,
                    has_image: item.image_url.is_some(),
                    image_alt: item.image_alt,
                    link: web_link(item.link),
                    lang: item.lang,
                    published_at: item.published_at,
                    attachments: item
                        .attachments
                        .into_iter()
                        .filter_map(|a| {
                            Some(Attachment {
                                group: u64::try_from(a.group).ok()?,
                                title: a.title,
                                lang: a.lang,
                                media_type: a.media_type,
                                length: a.length,
                                url: web_link(Some(a.url))?,
                                sha256: a.sha256,
                            })
                        })
                        .collect(),
                })
            })
            .collect();
        Self {
            title: page.title,
            items,
            next: page.next,
            tags: page.tags,
        }
    }
}
