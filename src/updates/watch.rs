//! Tells open widgets when a feed changes: a `feed` event on the page's one
//! live connection, after which the widget reads the feed again.
//!
//! A feed changes when an item is posted, edited or unpublished (on any
//! instance, or by a mirror) and when a scheduled item comes due, so the
//! watch compares each feed's version every second rather than waiting to
//! be told.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chorus_wire::updates::FeedChanged;
use tokio::sync::{Notify, broadcast};

use crate::ident::Slug;
use crate::live::CountUpdate;
use crate::storage::{Store, StoreResult, now_millis};

const POLL_INTERVAL: Duration = Duration::from_secs(1);
const CHANNEL_CAPACITY: usize = 256;

#[derive(Debug, Clone)]
pub struct FeedWatch {
    store: Arc<dyn Store>,
    versions: Arc<Mutex<HashMap<i64, String>>>,
    updates: broadcast::Sender<Arc<CountUpdate>>,
    wake: Arc<Notify>,
}

impl FeedWatch {
    pub async fn load(store: Arc<dyn Store>) -> StoreResult<Self> {
        let (updates, _) = broadcast::channel(CHANNEL_CAPACITY);
        let watch = Self {
            store,
            versions: Arc::default(),
            updates,
            wake: Arc::default(),
        };
        watch.look().await?;
        Ok(watch)
    }

    pub fn spawn_refresher(&self) -> tokio::task::JoinHandle<()> {
        let watch = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = watch.wake.notified() => {}
                    () = tokio::time::sleep(POLL_INTERVAL) => {}
                }
                if let Err(error) = watch.look().await {
                    tracing::warn!(%error, "could not check feeds for changes");
                }
            }
        })
    }

    /// Asks the watch to look now, after this process changed a feed.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<CountUpdate>> {
        self.updates.subscribe()
    }

    async fn look(&self) -> StoreResult<()> {
        let fresh: HashMap<i64, String> = self
            .store
            .feed_versions(now_millis())
            .await?
            .into_iter()
            .collect();
        let changed: Vec<i64> = {
            let mut known = self.versions.lock().unwrap_or_else(|e| e.into_inner());
            let changed = fresh
                .iter()
                .filter(|(id, version)| known.get(id) != Some(version))
                .map(|(id, _)| *id)
                .collect();
            *known = fresh;
            changed
        };
        if changed.is_empty() {
            return Ok(());
        }
        for feed in self.store.feeds().await? {
            if changed.contains(&feed.id) {
                self.publish(feed.slug);
            }
        }
        Ok(())
    }

    fn publish(&self, slug: Slug) {
        let event = FeedChanged {
            feed: slug.to_string(),
        };
        if let Ok(json) = serde_json::to_string(&event) {
            // An error only means nobody is listening right now.
            let _ = self.updates.send(Arc::new(CountUpdate { slug, json }));
        }
    }
}
