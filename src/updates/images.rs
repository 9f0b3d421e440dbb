//! Items' pictures, served from Chorus's own origin.
//!
//! A widget on a partner page must not make the supporter's browser ask
//! anyone but Chorus for anything: the organisation's image host would
//! learn who reads the coalition's news, and from where. So Chorus fetches
//! each picture once, checks it is a raster image of reasonable size, keeps
//! it in memory for a while and serves it itself. Only pictures of
//! published items are fetched, so this is no open proxy.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE};

use crate::outbound::{FetchConfig, Outbound};

/// The largest picture accepted: a news photo for a phone is a few hundred KB.
pub const MAX_IMAGE_BYTES: usize = 3 * 1024 * 1024;
/// Memory given to pictures; the oldest fetched leave first.
const CACHE_BYTES: usize = 48 * 1024 * 1024;
/// How long a fetched picture is served before it is fetched again, so a
/// picture replaced at the same address shows within the hour.
const KEEP: Duration = Duration::from_secs(60 * 60);
/// How long a failure is remembered, so a broken source is not asked again
/// by every supporter who opens the page.
const KEEP_FAILURE: Duration = Duration::from_secs(5 * 60);
/// Raster formats every browser shows. No SVG: it can carry script.
const KINDS: [&str; 5] = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "image/avif",
];

/// A picture ready to serve.
#[derive(Debug, Clone)]
pub struct Picture {
    pub content_type: &'static str,
    pub bytes: Bytes,
}

#[derive(Debug)]
struct Kept {
    picture: Result<Picture, String>,
    at: Instant,
}

#[derive(Debug, Default)]
struct Cache {
    kept: HashMap<String, Kept>,
    /// Addresses in the order they were fetched.
    order: VecDeque<String>,
    bytes: usize,
}

impl Cache {
    fn fresh(&self, url: &str) -> Option<Result<Picture, String>> {
        let kept = self.kept.get(url)?;
        let keep = if kept.picture.is_ok() {
            KEEP
        } else {
            KEEP_FAILURE
        };
        (kept.at.elapsed() < keep).then(|| kept.picture.clone())
    }

    fn keep(&mut self, url: String, picture: Result<Picture, String>) {
        if let Some(old) = self.kept.remove(&url) {
            self.bytes -= size(&old.picture);
            self.order.retain(|u| *u != url);
        }
        self.bytes += size(&picture);
        while self.bytes > CACHE_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.kept.remove(&oldest) {
                self.bytes -= size(&gone.picture);
            }
        }
        self.order.push_back(url.clone());
        let at = Instant::now();
        self.kept.insert(url, Kept { picture, at });
    }
}

fn size(picture: &Result<Picture, String>) -> usize {
    picture.as_ref().map_or(0, |p| p.bytes.len())
}

/// One lock per address being fetched, so that supporters asking for a
/// picture at the same moment wait for one fetch instead of making several.
type Fetching = Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>;

/// Fetches and keeps items' pictures.
#[derive(Debug, Clone)]
pub struct ItemImages {
    http: Outbound,
    cache: Arc<Mutex<Cache>>,
    fetching: Fetching,
}

impl ItemImages {
    /// Pictures fetched within `timeout`, from the addresses `fetch` allows.
    pub fn new(fetch: FetchConfig, timeout: Duration) -> Self {
        Self {
            http: Outbound::new(fetch, timeout, "images"),
            cache: Arc::default(),
            fetching: Arc::default(),
        }
    }

    /// The picture at `url`, from memory or fetched now. `Err` says why it
    /// cannot be shown.
    pub async fn get(&self, url: &str) -> Result<Picture, String> {
        if let Some(kept) = self.lock().fresh(url) {
            return kept;
        }
        let gate = self
            .fetching
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(url.to_owned())
            .or_default()
            .clone();
        let turn = gate.lock().await;
        // Whoever held the gate before may have fetched it meanwhile.
        if let Some(kept) = self.lock().fresh(url) {
            return kept;
        }
        let fetched = self.fetch(url).await;
        self.lock().keep(url.to_owned(), fetched.clone());
        // Kept: later requests find it in the cache, not at the gate.
        self.fetching
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(url);
        drop(turn);
        fetched
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        // The cache holds no invariant a panic elsewhere could break.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn fetch(&self, url: &str) -> Result<Picture, String> {
        let request = self.http.get(url).header(ACCEPT, KINDS.join(", "));
        let mut response = self
            .http
            .send(request)
            .await
            .map_err(|e| format!("fetching the picture failed: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("the picture's host answered {}", response.status()));
        }
        let declared = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let content_type = KINDS
            .into_iter()
            .find(|kind| *kind == declared)
            .ok_or_else(|| format!("{declared:?} is not a picture Chorus serves"))?;
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("reading the picture failed: {e}"))?
        {
            if bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
                return Err(format!(
                    "the picture is larger than {MAX_IMAGE_BYTES} bytes"
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Picture {
            content_type,
            bytes: bytes.into(),
        })
    }
}
