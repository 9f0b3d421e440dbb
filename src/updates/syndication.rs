//! The feed for feed readers: Atom (RFC 4287) and JSON Feed 1.1, built from
//! the same published items the widgets show.

use std::collections::HashMap;
use std::str::FromStr;

use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Text};
use chorus_wire::updates::Attachment;
use serde::Serialize;

use crate::storage::{FeedRecord, ItemRecord, Millis, rfc3339};

/// The URLs a feed is published at.
#[derive(Debug, Clone)]
pub struct FeedUrls {
    pub atom: String,
    pub json: String,
    /// An item's own address, when it has no link: its id as a fragment.
    pub home: String,
}

fn time(millis: Millis) -> FixedDateTime {
    rfc3339(millis)
        .and_then(|t| FixedDateTime::from_str(&t).ok())
        .unwrap_or_default()
}

fn item_url(item: &ItemRecord, urls: &FeedUrls) -> String {
    item.content
        .link
        .clone()
        .unwrap_or_else(|| format!("{}#update-{}", urls.home, item.id))
}

/// A stable id for an item: `tag:` URIs (RFC 4151) never change with the
/// address Chorus is reached at.
fn item_id(feed: &FeedRecord, item: &ItemRecord) -> String {
    format!("tag:chorus,2026:{}/{}", feed.slug, item.id)
}

/// Each item's attachments, by item id.
pub type Attached = HashMap<i64, Vec<Attachment>>;

/// An attachment as an Atom `enclosure` link (RFC 4287 4.2.7.2), with its
/// language as `hreflang`.
fn enclosure(attachment: &Attachment) -> Link {
    let mut link = Link::default();
    link.set_rel("enclosure");
    link.set_href(attachment.url.clone());
    link.set_mime_type(Some(attachment.media_type.clone()));
    link.set_length(Some(attachment.length.to_string()));
    link.set_hreflang(Some(attachment.lang.clone()));
    link.set_title(Some(attachment.title.clone()));
    link
}

pub fn atom(
    feed: &FeedRecord,
    items: &[ItemRecord],
    attached: &Attached,
    urls: &FeedUrls,
) -> String {
    let mut atom = Feed::default();
    atom.set_id(format!("tag:chorus,2026:{}", feed.slug));
    atom.set_title(Text::plain(feed.title.clone()));
    atom.set_lang(Some(feed.default_lang.to_string()));
    let updated = items
        .iter()
        .map(|i| i.updated_at)
        .max()
        .unwrap_or(feed.created_at);
    atom.set_updated(time(updated));
    let mut own = Link::default();
    own.set_rel("self");
    own.set_href(urls.atom.clone());
    own.set_mime_type(Some("application/atom+xml".to_owned()));
    atom.set_links(vec![own]);
    let entries = items
        .iter()
        .map(|item| {
            let content = &item.content;
            let mut entry = Entry::default();
            entry.set_id(item_id(feed, item));
            entry.set_title(Text::plain(content.title.clone()));
            entry.set_updated(time(item.updated_at));
            entry.set_published(Some(time(content.published_at)));
            entry.set_summary(Some(Text::plain(content.summary.clone())));
            let mut body = Content::default();
            body.set_content_type(Some("html".to_owned()));
            body.set_value(Some(content.body_html.clone()));
            body.set_lang(Some(content.lang.to_string()));
            entry.set_content(Some(body));
            let mut link = Link::default();
            link.set_href(item_url(item, urls));
            let enclosures = attached.get(&item.id).into_iter().flatten().map(enclosure);
            entry.set_links(std::iter::once(link).chain(enclosures).collect::<Vec<_>>());
            entry.set_categories(
                content
                    .tags
                    .iter()
                    .map(|tag| {
                        let mut category = Category::default();
                        category.set_term(tag.clone());
                        category
                    })
                    .collect::<Vec<_>>(),
            );
            entry
        })
        .collect::<Vec<_>>();
    atom.set_entries(entries);
    atom.to_string()
}

/// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
#[derive(Debug, Serialize)]
struct JsonFeed {
    version: &'static str,
    title: String,
    home_page_url: String,
    feed_url: String,
    language: String,
    items: Vec<JsonItem>,
}

#[derive(Debug, Serialize)]
struct JsonItem {
    id: String,
    url: String,
    title: String,
    summary: String,
    content_html: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    language: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<JsonAttachment>,
}

#[derive(Debug, Serialize)]
struct JsonAttachment {
    url: String,
    mime_type: String,
    /// JSON Feed reads attachments with one title as alternates of one
    /// file: alternates take their group's first title.
    title: String,
    size_in_bytes: u64,
}

fn json_attachments(attachments: Option<&Vec<Attachment>>) -> Vec<JsonAttachment> {
    let attachments = attachments.map_or(&[][..], Vec::as_slice);
    attachments
        .iter()
        .map(|attachment| {
            let first = attachments
                .iter()
                .find(|a| a.group == attachment.group)
                .unwrap_or(attachment);
            JsonAttachment {
                url: attachment.url.clone(),
                mime_type: attachment.media_type.clone(),
                title: first.title.clone(),
                size_in_bytes: attachment.length,
            }
        })
        .collect()
}

pub fn json(
    feed: &FeedRecord,
    items: &[ItemRecord],
    attached: &Attached,
    urls: &FeedUrls,
) -> String {
    let document = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: feed.title.clone(),
        home_page_url: urls.home.clone(),
        feed_url: urls.json.clone(),
        language: feed.default_lang.to_string(),
        items: items
            .iter()
            .map(|item| {
                let content = &item.content;
                JsonItem {
                    id: item_id(feed, item),
                    url: item_url(item, urls),
                    title: content.title.clone(),
                    summary: content.summary.clone(),
                    content_html: content.body_html.clone(),
                    image: content.image_url.clone(),
                    date_published: rfc3339(content.published_at).unwrap_or_default(),
                    date_modified: rfc3339(item.updated_at).unwrap_or_default(),
                    tags: content.tags.clone(),
                    language: content.lang.to_string(),
                    attachments: json_attachments(attached.get(&item.id)),
                }
            })
            .collect(),
    };
    serde_json::to_string_pretty(&document).unwrap_or_default()
}
