//! Checking an update before it is stored: lengths, web addresses, tags, the
//! publication time, and the body sanitised.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::sanitise;
use crate::ident::Lang;
use crate::storage::{ItemContent, Millis, now_millis};

const MAX_TITLE: usize = 200;
const MAX_SUMMARY: usize = 600;
/// A summary made from the body stops near here, at a word.
const DERIVED_SUMMARY: usize = 280;
const MAX_BODY: usize = 50_000;
const MAX_URL: usize = 2_000;
const MAX_ALT: usize = 300;
const MAX_TAGS: usize = 8;
const MAX_TAG: usize = 32;

/// An update as an organiser typed it; the body in Markdown.
#[derive(Debug, Clone, Default)]
pub struct ItemDraft {
    pub title: String,
    /// Plain text; empty: the start of the body.
    pub summary: String,
    pub body_markdown: String,
    pub image_url: Option<String>,
    pub image_alt: String,
    pub link: Option<String>,
    /// Separated by commas or spaces.
    pub tags: String,
    pub lang: String,
    /// RFC 3339; `None`: now.
    pub publish_at: Option<String>,
}

pub fn check(draft: &ItemDraft) -> Result<ItemContent, String> {
    let title = sanitise::text(&draft.title);
    let title_len = title.chars().count();
    if title_len == 0 || title_len > MAX_TITLE {
        return Err(format!(
            "a title has 1 to {MAX_TITLE} characters; got {title_len}"
        ));
    }
    if draft.body_markdown.len() > MAX_BODY {
        return Err(format!("a body has at most {MAX_BODY} bytes"));
    }
    let body_html = sanitise::markdown(&draft.body_markdown);
    let summary = match sanitise::text(&draft.summary) {
        written if written.is_empty() => shorten(&sanitise::text(&body_html), DERIVED_SUMMARY),
        written if written.chars().count() > MAX_SUMMARY => {
            return Err(format!("a summary has at most {MAX_SUMMARY} characters"));
        }
        written => written,
    };
    let image_url = draft
        .image_url
        .as_deref()
        .map(|u| web_address(u, "image"))
        .transpose()?;
    let image_alt = sanitise::text(&draft.image_alt);
    if image_url.is_some() && image_alt.is_empty() {
        return Err("an image needs a text alternative (--image-alt) for screen readers".into());
    }
    if image_alt.chars().count() > MAX_ALT {
        return Err(format!(
            "an image's text alternative has at most {MAX_ALT} characters"
        ));
    }
    Ok(ItemContent {
        title,
        summary,
        body_html,
        image_url,
        image_alt,
        link: draft
            .link
            .as_deref()
            .map(|u| web_address(u, "link"))
            .transpose()?,
        tags: tags(&draft.tags)?,
        lang: Lang::parse(&draft.lang)?,
        published_at: draft
            .publish_at
            .as_deref()
            .map(publication_time)
            .transpose()?
            .unwrap_or_else(now_millis),
    })
}

/// An absolute http(s) address.
pub fn web_address(raw: &str, what: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.len() > MAX_URL {
        return Err(format!(
            "the {what} address is longer than {MAX_URL} characters"
        ));
    }
    match url::Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url.to_string()),
        _ => Err(format!(
            "the {what} address {raw:?} is not an http(s) address"
        )),
    }
}

/// Tags as stored: lower case, `a-z`, `0-9` and `-`, no repeats.
pub fn tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw
        .split([',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let tag = tag.trim_start_matches('#').to_lowercase();
        let valid = (1..=MAX_TAG).contains(&tag.len())
            && tag
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            return Err(format!(
                "tag {tag:?}: up to {MAX_TAG} letters a-z, digits and hyphens, such as africa or treaty-bodies"
            ));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("at most {MAX_TAGS} tags"));
    }
    Ok(tags)
}

fn publication_time(raw: &str) -> Result<Millis, String> {
    let time = OffsetDateTime::parse(raw.trim(), &Rfc3339).map_err(|e| {
        format!("{raw:?} is not an RFC 3339 time such as 2026-12-18T09:00:00Z: {e}")
    })?;
    i64::try_from(time.unix_timestamp_nanos() / 1_000_000).map_err(|e| e.to_string())
}

/// A mirrored item brought within the limits an organiser's item must meet:
/// a feed is not refused for one long entry, so what is too long is cut
/// (text at a word, HTML sanitised again after the cut, so that it stays
/// well formed).
pub fn within_limits(mut content: ItemContent) -> ItemContent {
    content.title = shorten(&content.title, MAX_TITLE);
    content.summary = shorten(&content.summary, MAX_SUMMARY);
    content.image_alt = shorten(&content.image_alt, MAX_ALT);
    if content.body_html.len() > MAX_BODY {
        let mut cut = MAX_BODY;
        while !content.body_html.is_char_boundary(cut) {
            cut -= 1;
        }
        content.body_html = sanitise::clean(&content.body_html[..cut], None);
    }
    content.tags.truncate(MAX_TAGS);
    content
}

/// `text` cut at a word near `max` characters, with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ItemDraft {
        ItemDraft {
            title: "Treaty body session <b>opens</b>".into(),
            body_markdown: "The committee meets in **Geneva**.\n\n<script>x()</script>".into(),
            tags: "#Geneva, treaty-bodies geneva".into(),
            lang: "en".into(),
            ..ItemDraft::default()
        }
    }

    #[test]
    fn a_draft_is_sanitised_and_summarised() {
        let item = check(&draft()).expect("valid");
        assert_eq!(item.title, "Treaty body session opens");
        assert_eq!(item.summary, "The committee meets in Geneva.");
        assert!(item.body_html.contains("<strong>Geneva</strong>"));
        assert!(!item.body_html.contains("script"));
        assert_eq!(item.tags, ["geneva", "treaty-bodies"]);
    }

    #[test]
    fn bad_drafts_are_refused_with_the_reason() {
        let refused = |change: fn(&mut ItemDraft)| {
            let mut draft = draft();
            change(&mut draft);
            check(&draft).expect_err("refused")
        };
        assert!(refused(|d| d.title = "  ".into()).contains("title"));
        assert!(
            refused(|d| d.image_url = Some("https://x.example/a.jpg".into()))
                .contains("alternative")
        );
        assert!(refused(|d| d.link = Some("javascript:alert(1)".into())).contains("http(s)"));
        assert!(refused(|d| d.tags = "Ünïcode".into()).contains("tag"));
        assert!(refused(|d| d.publish_at = Some("tomorrow".into())).contains("RFC 3339"));
        assert!(refused(|d| d.lang = "english!".into()).contains("language"));
    }

    #[test]
    fn a_future_time_is_kept_for_later_publication() {
        let mut future = draft();
        future.publish_at = Some("2030-01-01T00:00:00Z".into());
        assert_eq!(
            check(&future).expect("valid").published_at,
            1_893_456_000_000
        );
    }

    #[test]
    fn a_mirrored_item_is_cut_to_the_limits_of_an_organisers() {
        let long = ItemContent {
            title: "Title ".repeat(100),
            summary: "Summary ".repeat(200),
            body_html: format!("<p>{}</p>", "<b>bold</b> ".repeat(10_000)),
            image_alt: "Alt ".repeat(200),
            tags: (0..20).map(|n| format!("tag-{n}")).collect(),
            ..check(&draft()).expect("valid")
        };
        let cut = within_limits(long);
        assert!(cut.title.chars().count() <= MAX_TITLE + 1, "{}", cut.title);
        assert!(cut.summary.chars().count() <= MAX_SUMMARY + 1);
        assert!(cut.image_alt.chars().count() <= MAX_ALT + 1);
        assert!(
            cut.body_html.len() <= MAX_BODY + 16,
            "{}",
            cut.body_html.len()
        );
        assert!(cut.body_html.ends_with("</p>"), "still well formed");
        assert_eq!(cut.tags.len(), MAX_TAGS);
    }

    #[test]
    fn long_bodies_are_summarised_at_a_word() {
        let summary = shorten(&"word ".repeat(100), 20);
        assert_eq!(summary, "word word word word…");
    }
}
