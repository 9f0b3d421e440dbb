//! A list Chorus serves page by page (the updates feed, the events): what
//! it shows while it reads, which read is current, and the retries while
//! Chorus cannot be reached. Each widget keeps its own pages and filters.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::host::sleep;

/// The longest pause between two attempts to read a list.
const MAX_RETRY: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq)]
pub enum Shown<P> {
    Loading,
    /// Chorus has no such list.
    Missing,
    /// The first read failed; trying again.
    Failed,
    Ready(P),
}

/// One list's reads, shared by the widget's parts.
#[derive(Clone)]
pub struct Paged<P: Send + Sync + 'static> {
    pub shown: RwSignal<Shown<P>>,
    pub fetching_more: RwSignal<bool>,
    /// Bumped by every first-page read, so a slow answer to an old filter
    /// never replaces a newer one.
    generation: Arc<AtomicU32>,
}

impl<P: Clone + Send + Sync + 'static> Paged<P> {
    pub fn new(shown: Shown<P>) -> Self {
        Self {
            shown: RwSignal::new(shown),
            fetching_more: RwSignal::new(false),
            generation: Arc::default(),
        }
    }

    /// The page shown now, if any.
    pub fn ready(&self) -> Option<P> {
        match self.shown.get_untracked() {
            Shown::Ready(page) => Some(page),
            _ => None,
        }
    }

    /// Reads a first page, trying again while Chorus cannot be reached.
    /// What is shown stays; only a list never read says the read failed.
    /// `None` when Chorus has no such list (then it says so) or a newer
    /// read started meanwhile; the caller shows the page it gets.
    pub async fn read_first<F, R>(&self, fetch: F) -> Option<P>
    where
        F: Fn() -> R,
        R: Future<Output = Result<Option<P>, JsValue>>,
    {
        let generation = self
            .generation
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_add(1);
        let mut pause = Duration::from_secs(1);
        loop {
            let read = fetch().await;
            if self.generation.load(Ordering::Relaxed) != generation {
                return None;
            }
            match read {
                Ok(Some(page)) => return Some(page),
                Ok(None) => {
                    self.shown.set(Shown::Missing);
                    return None;
                }
                Err(_) => {
                    if !matches!(self.shown.get_untracked(), Shown::Ready(_)) {
                        self.shown.set(Shown::Failed);
                    }
                    sleep(pause).await;
                    pause = (pause * 2).min(MAX_RETRY);
                }
            }
        }
    }

    /// Reads the page after the one shown, once. `None` when it failed or
    /// a first read started meanwhile (its answer replaces the list, so
    /// this page would be stale).
    pub async fn read_more(
        &self,
        fetch: impl Future<Output = Result<Option<P>, JsValue>>,
    ) -> Option<P> {
        let generation = self.generation.load(Ordering::Relaxed);
        self.fetching_more.set(true);
        let read = fetch.await;
        self.fetching_more.set(false);
        if self.generation.load(Ordering::Relaxed) != generation {
            return None;
        }
        read.ok().flatten()
    }

    /// What to say instead of the list, if anything: `loading`,
    /// `missing` or `failed`. Reactive.
    pub fn notice(&self, [loading, missing, failed]: [&'static str; 3]) -> Option<&'static str> {
        self.shown.with(|shown| match shown {
            Shown::Loading => Some(loading),
            Shown::Missing => Some(missing),
            Shown::Failed => Some(failed),
            Shown::Ready(_) => None,
        })
    }

    pub fn is_loading(&self) -> bool {
        self.shown.with(|shown| matches!(shown, Shown::Loading))
    }
}
