//! Which picture a mirrored entry shows: the one its source chose for it
//! before any found in its text, and never a tracking pixel or an icon.
//!
//! In order: JSON Feed's `image` then `banner_image`; RSS enclosures and
//! Media RSS `media:content` images; `media:thumbnail`; JSON Feed image
//! attachments; the first plausible `<img>` in the entry's HTML.

use feed_rs::model::{Entry, MediaObject};
use serde::Deserialize;
use url::Url;

use super::{item, sanitise};

/// A picture with a side given below this many pixels is a spacer, a
/// tracking pixel or an icon, not an update's picture.
pub const MIN_SIDE: u32 = 48;

/// JSON Feed's own picture fields, which feed-rs does not read: by entry id.
#[derive(Debug, Default)]
pub struct JsonPictures(Vec<(String, Vec<String>)>);

impl JsonPictures {
    /// The pictures a JSON Feed names for its items; empty for any other
    /// format, or bytes that are not JSON.
    pub fn read(bytes: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct Feed {
            #[serde(default)]
            items: Vec<serde_json::Value>,
        }
        let Ok(feed) = serde_json::from_slice::<Feed>(bytes) else {
            return Self::default();
        };
        let text = |value: &serde_json::Value| match value {
            serde_json::Value::String(s) => Some(s.clone()),
            // JSON Feed 1.0 allowed numbers as ids.
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        Self(
            feed.items
                .iter()
                .filter_map(|item| {
                    let id = text(item.get("id")?)?;
                    let pictures = ["image", "banner_image"]
                        .iter()
                        .filter_map(|field| item.get(field).and_then(text))
                        .collect();
                    Some((id, pictures))
                })
                .collect(),
        )
    }

    fn of(&self, id: &str) -> &[String] {
        self.0
            .iter()
            .find(|(item, _)| item == id)
            .map_or(&[], |(_, pictures)| pictures)
    }
}

/// The entry's picture and its description (empty when the source gives
/// none).
pub fn of(
    entry: &Entry,
    json: &JsonPictures,
    raw_body: &str,
    base: Option<&Url>,
) -> Option<(String, String)> {
    if let Some(url) = json.of(&entry.id).iter().find_map(|url| address(url, base)) {
        return Some((url, String::new()));
    }
    let media_content = entry.media.iter().find_map(|media| {
        media
            .content
            .iter()
            .filter(|c| match &c.content_type {
                Some(kind) => kind.ty() == "image",
                // `media:content` often says only `medium="image"`, which
                // feed-rs does not keep: the address then tells.
                None => c
                    .url
                    .as_ref()
                    .is_some_and(|u| looks_like_a_picture(u.path())),
            })
            .filter(|c| plausible(c.width, c.height))
            .find_map(|c| address(c.url.as_ref()?.as_str(), base))
            .map(|url| (url, described(media)))
    });
    let thumbnail = || {
        entry.media.iter().find_map(|media| {
            media
                .thumbnails
                .iter()
                .filter(|t| plausible(t.image.width, t.image.height))
                .find_map(|t| address(&t.image.uri, base))
                .map(|url| (url, described(media)))
        })
    };
    let attached = || {
        entry
            .links
            .iter()
            .filter(|l| {
                l.media_type
                    .as_deref()
                    .is_some_and(|t| t.starts_with("image/"))
            })
            .find_map(|l| {
                let alt = sanitise::text(l.title.as_deref().unwrap_or_default());
                Some((address(&l.href, base)?, alt))
            })
    };
    let in_body = || {
        sanitise::images(raw_body)
            .into_iter()
            .filter(|image| plausible(image.width, image.height))
            .find_map(|image| Some((address(&image.src, base)?, image.alt)))
    };
    media_content
        .or_else(thumbnail)
        .or_else(attached)
        .or_else(in_body)
}

fn looks_like_a_picture(path: &str) -> bool {
    let path = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"]
        .iter()
        .any(|extension| path.ends_with(extension))
}

/// A side is plausible when it is not given or not tiny.
fn plausible(width: Option<u32>, height: Option<u32>) -> bool {
    width.is_none_or(|w| w >= MIN_SIDE) && height.is_none_or(|h| h >= MIN_SIDE)
}

/// A picture's web address: entities a source escaped once too often
/// (`&amp;amp;` in its XML) decoded, resolved against the entry's address.
fn address(raw: &str, base: Option<&Url>) -> Option<String> {
    let decoded = html_escape::decode_html_entities(raw.trim());
    let resolved = match base {
        Some(base) => base.join(&decoded).ok()?.to_string(),
        None => decoded.into_owned(),
    };
    item::web_address(&resolved, "image").ok()
}

fn described(media: &MediaObject) -> String {
    media
        .description
        .as_ref()
        .or(media.title.as_ref())
        .map(|t| sanitise::text(&t.content))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_or_unsized_sides_decide_plausibility() {
        assert!(plausible(None, None));
        assert!(plausible(Some(600), None));
        assert!(!plausible(Some(1), Some(1)));
        assert!(!plausible(Some(600), Some(16)));
    }

    #[test]
    fn addresses_lose_their_extra_escaping_and_resolve() {
        let base = Url::parse("https://news.example/posts/1").expect("a URL");
        assert_eq!(
            address("/img/a.jpg?w=600&amp;h=400", Some(&base)).as_deref(),
            Some("https://news.example/img/a.jpg?w=600&h=400")
        );
        assert_eq!(address("javascript:alert(1)", Some(&base)), None);
    }

    #[test]
    fn json_feed_pictures_are_read_by_item_id() {
        let pictures = JsonPictures::read(
            br#"{"version":"https://jsonfeed.org/version/1","items":[
                {"id":7,"image":"https://j.example/a.jpg","banner_image":"https://j.example/b.jpg"},
                {"id":"x","banner_image":"https://j.example/c.jpg"}]}"#,
        );
        assert_eq!(
            pictures.of("7"),
            ["https://j.example/a.jpg", "https://j.example/b.jpg"]
        );
        assert_eq!(pictures.of("x"), ["https://j.example/c.jpg"]);
        assert!(JsonPictures::read(b"<rss/>").of("7").is_empty());
    }
}
