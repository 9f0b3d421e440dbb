//! Mirroring an organisation's own feed (RSS 2.0, Atom or JSON Feed) into a
//! Chorus feed, on a schedule.
//!
//! A fetch is conditional (ETag, Last-Modified), bounded in time and size,
//! and all-or-nothing for the feed's validators: when the source is down or
//! sends something broken, the items already mirrored stay as they are and
//! the problem is kept for the organiser to see (`chorus feed list`).

use std::sync::Arc;
use std::time::Duration;

use feed_rs::model::{Entry, Feed, FeedType};
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use url::Url;

use super::feed_picture::{self, JsonPictures};
use super::{dates, item, sanitise};
use crate::ident::Lang;
use crate::outbound::{FetchConfig, Outbound, describe};
use crate::storage::{
    AttachedFile, FeedRecord, FeedSource, ItemContent, NewAttachment, Store, now_millis,
};

/// The largest feed accepted: real feeds are tens of kilobytes.
pub const MAX_FEED_BYTES: usize = 2 * 1024 * 1024;
/// Items read from one fetch: the newest, as feeds list them.
const MAX_ITEMS: usize = 200;
const SUMMARY: usize = 280;

/// What a fetch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fetched {
    /// The source answered 304: nothing changed since the last fetch.
    pub not_modified: bool,
    pub added: usize,
    pub changed: usize,
    /// Entries left out: no title, nothing usable.
    pub skipped: usize,
}

/// The HTTP side of mirroring.
#[derive(Debug, Clone)]
pub struct Mirror {
    http: Outbound,
}

impl Mirror {
    /// A mirror whose requests give up after `timeout`, and reach only the
    /// addresses `fetch` allows.
    pub fn new(fetch: FetchConfig, timeout: Duration) -> Self {
        Self {
            http: Outbound::new(fetch, timeout, "feed mirror"),
        }
    }

    /// Fetches `feed`'s source and stores what changed. `Ok(None)`: the feed
    /// is not a mirror. `Err`: why the source could not be used; the error is
    /// also stored for organisers, and the items stay as they were.
    pub async fn fetch(
        &self,
        store: &dyn Store,
        feed: &FeedRecord,
    ) -> anyhow::Result<Option<Fetched>> {
        let Some(mut source) = store.feed_source(feed.id).await? else {
            return Ok(None);
        };
        source.checked_at = Some(now_millis());
        let result = match self.download(&source).await {
            Ok(None) => Ok(Fetched {
                not_modified: true,
                ..Fetched::default()
            }),
            Ok(Some(body)) => match read_feed(&body.bytes, &source.url, &feed.default_lang) {
                Ok(entries) => {
                    let fetched = store_entries(store, feed, entries).await?;
                    // Validators are kept only for a body that was used, so
                    // a broken one is fetched again in full next time.
                    source.etag = body.etag;
                    source.last_modified = body.last_modified;
                    Ok(fetched)
                }
                Err(problem) => Err(problem),
            },
            Err(problem) => Err(problem),
        };
        source.error = result.as_ref().err().cloned();
        store.record_fetch(feed.id, &source).await?;
        result.map(Some).map_err(anyhow::Error::msg)
    }

    /// `Ok(None)` when the source says nothing changed.
    async fn download(&self, source: &FeedSource) -> Result<Option<Body>, String> {
        let mut request = self.http.get(&source.url).header(
            ACCEPT,
            "application/atom+xml, application/rss+xml, application/feed+json, \
             application/json, application/xml;q=0.9, text/xml;q=0.9",
        );
        if let Some(etag) = &source.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(last_modified) = &source.last_modified {
            request = request.header(IF_MODIFIED_SINCE, last_modified);
        }
        let mut response = self.http.send(request).await?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(format!("the source answered HTTP {status}"));
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(CONTENT_TYPE).unwrap_or_default();
        let feedish = ["xml", "rss", "atom", "json"]
            .iter()
            .any(|kind| content_type.to_ascii_lowercase().contains(kind));
        if !feedish {
            return Err(format!(
                "the source sent {content_type:?}, not a feed (RSS, Atom or JSON Feed)"
            ));
        }
        let (etag, last_modified) = (header(ETAG), header(LAST_MODIFIED));
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| describe(&e))? {
            if bytes.len() + chunk.len() > MAX_FEED_BYTES {
                return Err(format!("the feed is larger than {MAX_FEED_BYTES} bytes"));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Some(Body {
            bytes,
            etag,
            last_modified,
        }))
    }
}

struct Body {
    bytes: Vec<u8>,
    etag: Option<String>,
    last_modified: Option<String>,
}

fn parse(bytes: &[u8], url: &str) -> Result<Feed, String> {
    let coerced = json_feed_with_string_ids(bytes);
    feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        .timestamp_parser(dates::parse)
        .build()
        .parse(coerced.as_deref().unwrap_or(bytes))
        .map_err(|e| format!("the source is not a valid feed: {e}"))
}

/// A JSON Feed whose item ids are numbers, with those ids as strings: the
/// specification asks readers to coerce them, and feed-rs refuses them.
/// `None` when there is nothing to coerce.
fn json_feed_with_string_ids(bytes: &[u8]) -> Option<Vec<u8>> {
    use serde_json::Value;

    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return None;
    }
    let mut feed: Value = serde_json::from_slice(bytes).ok()?;
    let mut coerced = false;
    for item in feed.get_mut("items")?.as_array_mut()? {
        if let Some(id) = item.get_mut("id").filter(|id| id.is_number()) {
            *id = Value::String(id.to_string());
            coerced = true;
        }
    }
    coerced.then(|| feed.to_string().into_bytes())
}

/// An entry of a source, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    /// Its id in the source.
    pub id: String,
    /// `None`: nothing usable (no title).
    pub content: Option<ItemContent>,
    /// The source gave a date Chorus could read. Otherwise the content's
    /// time is now, and an item already stored keeps its own.
    pub dated: bool,
    /// Its enclosures: files Chorus links to where the source keeps them,
    /// never fetched.
    pub enclosures: Vec<Enclosure>,
}

/// A file a source's entry links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosure {
    pub url: String,
    pub media_type: String,
    /// In bytes, as the source says; 0 when it does not.
    pub length: u64,
    pub title: String,
    pub lang: Lang,
}

/// Enclosures kept of one entry, at most.
const MAX_ENCLOSURES: usize = 10;

/// A feed's entries as Chorus would store them, sanitised: everything done
/// with a source's bytes short of the database. `Err`: the bytes are not a
/// feed. The fuzz target runs this.
pub fn read_feed(bytes: &[u8], url: &str, default_lang: &Lang) -> Result<Vec<SourceEntry>, String> {
    let parsed = parse(bytes, url)?;
    let json_feed = matches!(parsed.feed_type, FeedType::JSON);
    let json = if json_feed {
        JsonPictures::read(bytes)
    } else {
        JsonPictures::default()
    };
    // RSS says nothing of its text's type; Atom and JSON Feed do.
    let rss = matches!(
        parsed.feed_type,
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2
    );
    let feed_lang = parsed
        .language
        .as_deref()
        .and_then(|l| Lang::parse(l).ok())
        .unwrap_or_else(|| default_lang.clone());
    let base = Url::parse(url).ok();
    Ok(parsed
        .entries
        .iter()
        .take(MAX_ITEMS)
        .map(|entry| SourceEntry {
            id: entry.id.clone(),
            content: content_of(entry, &json, rss, &feed_lang, base.as_ref())
                .map(item::within_limits),
            dated: entry.published.or(entry.updated).is_some(),
            enclosures: enclosures_of(entry, json_feed, &feed_lang),
        })
        .collect())
}

/// The files an entry links to, of the kinds Chorus shows: Atom's
/// `enclosure` links, JSON Feed's attachments, and RSS's `<enclosure>`
/// (which feed-rs reads as media) when it is a document. An RSS picture is
/// the item's picture, not a file to download.
fn enclosures_of(entry: &Entry, json_feed: bool, feed_lang: &Lang) -> Vec<Enclosure> {
    let kept = |media_type: &str| {
        let media_type = media_type.split(';').next().unwrap_or_default().trim();
        matches!(
            media_type,
            "application/pdf" | "image/png" | "image/jpeg" | "image/webp"
        )
        .then(|| media_type.to_owned())
    };
    let title = |given: Option<&str>| {
        let given = given.map(sanitise::text).unwrap_or_default();
        if given.is_empty() {
            entry
                .title
                .as_ref()
                .map(|t| sanitise::text(&t.content))
                .unwrap_or_default()
        } else {
            given
        }
    };
    let lang = |given: Option<&str>| {
        given
            .and_then(|l| Lang::parse(l).ok())
            .or_else(|| entry.language.as_deref().and_then(|l| Lang::parse(l).ok()))
            .unwrap_or_else(|| feed_lang.clone())
    };
    let linked = entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure") || (json_feed && l.media_type.is_some()))
        .filter_map(|l| {
            Some(Enclosure {
                url: item::web_address(&l.href, "enclosure").ok()?,
                media_type: kept(l.media_type.as_deref()?)?,
                length: l.length.unwrap_or(0),
                title: title(l.title.as_deref()),
                lang: lang(l.href_lang.as_deref()),
            })
        });
    let documents = entry
        .media
        .iter()
        .flat_map(|media| &media.content)
        .filter_map(|content| {
            let media_type = kept(content.content_type.as_ref()?.as_ref())?;
            (media_type == "application/pdf").then_some(())?;
            Some(Enclosure {
                url: item::web_address(content.url.as_ref()?.as_str(), "enclosure").ok()?,
                media_type,
                length: content.size.unwrap_or(0),
                title: title(None),
                lang: lang(None),
            })
        });
    let mut enclosures: Vec<Enclosure> = Vec::new();
    for enclosure in linked.chain(documents) {
        if enclosures.len() < MAX_ENCLOSURES && !enclosures.iter().any(|e| e.url == enclosure.url) {
            enclosures.push(enclosure);
        }
    }
    enclosures
}

async fn store_entries(
    store: &dyn Store,
    feed: &FeedRecord,
    entries: Vec<SourceEntry>,
) -> anyhow::Result<Fetched> {
    let mut fetched = Fetched::default();
    for entry in entries {
        let Some(mut content) = entry.content else {
            fetched.skipped += 1;
            continue;
        };
        let item_id = match store.item_by_source(feed.id, &entry.id).await? {
            None => {
                let item = store.post_mirrored(feed.id, &entry.id, &content).await?;
                fetched.added += 1;
                item.id
            }
            Some(existing) => {
                // An undated entry keeps the time it was first seen: a
                // new time at each fetch would make it news again.
                if !entry.dated {
                    content.published_at = existing.content.published_at;
                }
                if existing.content != content {
                    store.edit_item(existing.id, &content).await?;
                    fetched.changed += 1;
                }
                existing.id
            }
        };
        keep_enclosures(store, item_id, &entry.enclosures).await?;
    }
    Ok(fetched)
}

/// Stores an item's enclosures as links, when they changed since the last
/// fetch.
async fn keep_enclosures(
    store: &dyn Store,
    item_id: i64,
    enclosures: &[Enclosure],
) -> anyhow::Result<()> {
    let stored: Vec<(String, String, u64, String, String)> = store
        .attachments_of(&[item_id])
        .await?
        .into_iter()
        .filter_map(|a| {
            Some((
                a.source_url?,
                a.media_type,
                a.length,
                a.title,
                a.lang.to_string(),
            ))
        })
        .collect();
    let fresh: Vec<(String, String, u64, String, String)> = enclosures
        .iter()
        .map(|e| {
            (
                e.url.clone(),
                e.media_type.clone(),
                e.length,
                e.title.clone(),
                e.lang.to_string(),
            )
        })
        .collect();
    if stored == fresh {
        return Ok(());
    }
    let linked: Vec<NewAttachment> = enclosures
        .iter()
        .map(|e| NewAttachment {
            item_id,
            alternate_of: None,
            title: e.title.clone(),
            lang: e.lang.clone(),
            file_name: String::new(),
            file: AttachedFile::Linked {
                url: e.url.clone(),
                media_type: e.media_type.clone(),
                length: e.length,
            },
        })
        .collect();
    store.replace_linked(item_id, &linked).await?;
    Ok(())
}

/// An entry as Chorus stores it, sanitised; `None` for an entry without a title.
fn content_of(
    entry: &Entry,
    json: &JsonPictures,
    rss: bool,
    feed_lang: &Lang,
    feed_base: Option<&Url>,
) -> Option<ItemContent> {
    let base = entry
        .base
        .as_deref()
        .and_then(|b| Url::parse(b).ok())
        .or_else(|| feed_base.cloned());
    let title = plain_text(entry.title.as_ref()?, rss);
    if title.is_empty() {
        return None;
    }
    let raw_body = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
        .unwrap_or_default();
    let body_html = sanitise::clean(&raw_body, base.as_ref());
    let summary = match entry.summary.as_ref().map(|s| sanitise::text(&s.content)) {
        Some(summary) if !summary.is_empty() => item::shorten(&summary, SUMMARY),
        _ => item::shorten(&sanitise::text(&body_html), SUMMARY),
    };
    let link = entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .filter(|l| l.media_type.as_deref().is_none_or(|t| t.contains("html")))
        .find_map(|l| item::web_address(&l.href, "link").ok());
    let (image_url, image_alt) = feed_picture::of(entry, json, &raw_body, base.as_ref())
        .map_or((None, String::new()), |(url, alt)| {
            (Some(url), if alt.is_empty() { title.clone() } else { alt })
        });
    let published = entry.published.or(entry.updated);
    Some(ItemContent {
        title,
        summary,
        body_html,
        image_url,
        image_alt,
        link,
        tags: tags_of(entry),
        lang: entry
            .language
            .as_deref()
            .and_then(|l| Lang::parse(l).ok())
            .unwrap_or_else(|| feed_lang.clone()),
        published_at: published.map_or_else(now_millis, |t| t.timestamp_millis()),
    })
}

/// The entry's categories as tags, each once: `Nokia` and `nokia` are one
/// tag, and so are `Migración` and `migracion` (compatibility-decomposed,
/// accents dropped, lower case, spaces and underscores as hyphens).
fn tags_of(entry: &Entry) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for category in &entry.categories {
        let folded = crate::ident::fold(&category.term).replace([' ', '_'], "-");
        let Some(tag) = item::tags(&folded).ok().and_then(|t| t.into_iter().next()) else {
            continue;
        };
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags.truncate(8);
    tags
}

/// A feed's text field as plain text. HTML-typed text (Atom `type="html"`)
/// loses its tags, and so does an RSS title that looks like HTML, as feed
/// readers read it (`raise <span>₹</span>4,000`); other plain text is kept
/// as it is, `<Chile>` included.
fn plain_text(text: &feed_rs::model::Text, rss: bool) -> String {
    let subtype = text.content_type.subty();
    if subtype == "html" || subtype == "xhtml" || (rss && sanitise::looks_like_html(&text.content))
    {
        sanitise::text(&text.content)
    } else {
        let visible: String = text
            .content
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        visible.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Fetches every mirrored feed every `every`, for as long as the process runs.
pub fn spawn_schedule(
    store: Arc<dyn Store>,
    fetch: FetchConfig,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mirror = Mirror::new(fetch, Duration::from_secs(10));
        loop {
            match store.feeds().await {
                Ok(feeds) => {
                    for feed in feeds.iter().filter(|f| f.source_url.is_some()) {
                        if let Err(error) = mirror.fetch(&*store, feed).await {
                            tracing::warn!(feed = %feed.slug, %error, "feed mirror failed; keeping the last good copy");
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "could not list feeds to mirror"),
            }
            tokio::time::sleep(every).await;
        }
    })
}
