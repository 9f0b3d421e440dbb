//! Mirroring an organisation's own feed (RSS 2.0, Atom or JSON Feed) into a
//! Chorus feed, on a schedule.
//!
//! A fetch is conditional (ETag, Last-Modified), bounded in time and size,
//! and all-or-nothing for the feed's validators: when the source is down or
//! sends something broken, the items already mirrored stay as they are and
//! the problem is kept for the organiser to see (`chorus feed list`).

use std::sync::Arc;
use std::time::Duration;

use feed_rs::model::{Entry, Feed};
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use url::Url;

use super::{item, sanitise};
use crate::ident::Lang;
use crate::outbound::{FetchConfig, Outbound, describe};
use crate::storage::{FeedRecord, FeedSource, ItemContent, Store, now_millis};

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
    feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        .build()
        .parse(bytes)
        .map_err(|e| format!("the source is not a valid feed: {e}"))
}

/// A feed's entries as Chorus would store them, sanitised, each with its
/// id in the source: everything done with a source's bytes short of the
/// database. `Err`: the bytes are not a feed. The fuzz target runs this.
pub fn read_feed(
    bytes: &[u8],
    url: &str,
    default_lang: &Lang,
) -> Result<Vec<(String, Option<ItemContent>)>, String> {
    let parsed = parse(bytes, url)?;
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
        .map(|entry| {
            let content = content_of(entry, &feed_lang, base.as_ref()).map(item::within_limits);
            (entry.id.clone(), content)
        })
        .collect())
}

async fn store_entries(
    store: &dyn Store,
    feed: &FeedRecord,
    entries: Vec<(String, Option<ItemContent>)>,
) -> anyhow::Result<Fetched> {
    let mut fetched = Fetched::default();
    for (source_id, content) in entries {
        let Some(content) = content else {
            fetched.skipped += 1;
            continue;
        };
        match store.item_by_source(feed.id, &source_id).await? {
            None => {
                store.post_mirrored(feed.id, &source_id, &content).await?;
                fetched.added += 1;
            }
            Some(existing) if existing.content != content => {
                store.edit_item(existing.id, &content).await?;
                fetched.changed += 1;
            }
            Some(_) => {}
        }
    }
    Ok(fetched)
}

/// An entry as Chorus stores it, sanitised; `None` for an entry without a title.
fn content_of(entry: &Entry, feed_lang: &Lang, feed_base: Option<&Url>) -> Option<ItemContent> {
    let base = entry
        .base
        .as_deref()
        .and_then(|b| Url::parse(b).ok())
        .or_else(|| feed_base.cloned());
    let title = plain_text(entry.title.as_ref()?);
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
    let (image_url, image_alt) = image_of(entry, &raw_body, base.as_ref())
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
        tags: entry
            .categories
            .iter()
            .filter_map(|c| {
                let tag = c.term.trim().to_lowercase().replace([' ', '_'], "-");
                item::tags(&tag).ok()?.into_iter().next()
            })
            .take(8)
            .collect(),
        lang: entry
            .language
            .as_deref()
            .and_then(|l| Lang::parse(l).ok())
            .unwrap_or_else(|| feed_lang.clone()),
        published_at: published.map_or_else(now_millis, |t| t.timestamp_millis()),
    })
}

/// The entry's picture and its description: a media thumbnail, an image
/// enclosure or attachment, else the first image in its HTML.
fn image_of(entry: &Entry, raw_body: &str, base: Option<&Url>) -> Option<(String, String)> {
    let described = |media: &feed_rs::model::MediaObject| {
        media
            .description
            .as_ref()
            .or(media.title.as_ref())
            .map(|t| sanitise::text(&t.content))
            .unwrap_or_default()
    };
    for media in &entry.media {
        if let Some(thumbnail) = media.thumbnails.first()
            && let Ok(url) = item::web_address(&thumbnail.image.uri, "image")
        {
            return Some((url, described(media)));
        }
        let image = media
            .content
            .iter()
            .find(|c| c.content_type.as_ref().is_some_and(|t| t.ty() == "image"));
        if let Some(url) = image.and_then(|c| c.url.as_ref())
            && let Ok(url) = item::web_address(url.as_str(), "image")
        {
            return Some((url, described(media)));
        }
    }
    // JSON Feed attachments arrive as links with a media type.
    let attached = entry.links.iter().find(|l| {
        l.media_type
            .as_deref()
            .is_some_and(|t| t.starts_with("image/"))
    });
    if let Some(url) = attached.and_then(|l| item::web_address(&l.href, "image").ok()) {
        let alt = attached
            .and_then(|l| l.title.as_deref())
            .unwrap_or_default();
        return Some((url, sanitise::text(alt)));
    }
    first_img(raw_body, base)
}

/// A feed's text field as plain text. HTML-typed text (Atom `type="html"`)
/// loses its tags; plain text is kept as it is, `<Chile>` included.
fn plain_text(text: &feed_rs::model::Text) -> String {
    if text.content_type.subty() == "html" || text.content_type.subty() == "xhtml" {
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

/// The first `<img>` in some HTML, resolved against the entry's address
/// (the sanitiser drops images, so they are read before it runs).
fn first_img(html: &str, base: Option<&Url>) -> Option<(String, String)> {
    let (src, alt) = sanitise::first_image(html)?;
    let resolved = match base {
        Some(base) => base.join(&src).ok()?.to_string(),
        None => src,
    };
    let url = item::web_address(&resolved, "image").ok()?;
    Some((url, alt))
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
