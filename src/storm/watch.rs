//! Every storm's state and shares, pushed to open widgets: a `storm` event
//! on the page's one live connection when a storm starts or ends by the
//! server's clock, or its shares grow (on any instance).
//!
//! The watch reads every storm's tally once a second (one small query)
//! rather than waiting to be told, so "it's on now" reaches every page
//! within a second of the instant, whichever instance counted the click.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chorus_wire::storm::StormLive;
use tokio::sync::broadcast;

use super::card::state_at;
use crate::clock::Clock;
use crate::ident::Slug;
use crate::live::CountUpdate;
use crate::storage::{Store, StoreResult};

const POLL_INTERVAL: Duration = Duration::from_secs(1);
const CHANNEL_CAPACITY: usize = 256;

#[derive(Debug, Clone)]
pub struct StormWatch {
    store: Arc<dyn Store>,
    clock: Clock,
    /// Each storm's last published state, as JSON.
    known: Arc<Mutex<HashMap<Slug, String>>>,
    updates: broadcast::Sender<Arc<CountUpdate>>,
}

impl StormWatch {
    pub async fn load(store: Arc<dyn Store>, clock: Clock) -> StoreResult<Self> {
        let (updates, _) = broadcast::channel(CHANNEL_CAPACITY);
        let watch = Self {
            store,
            clock,
            known: Arc::default(),
            updates,
        };
        watch.look().await?;
        Ok(watch)
    }

    pub fn spawn_refresher(&self) -> tokio::task::JoinHandle<()> {
        let watch = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(POLL_INTERVAL).await;
                if let Err(error) = watch.look().await {
                    tracing::warn!(%error, "could not read the storms' tallies");
                }
            }
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<CountUpdate>> {
        self.updates.subscribe()
    }

    /// Storm `slug`'s state and shares as last read, as JSON.
    pub fn current(&self, slug: &Slug) -> Option<String> {
        let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        known.get(slug).cloned()
    }

    /// As [`current`](Self::current), reading the tallies first when the
    /// storm is newer than the last read.
    pub async fn read(&self, slug: &Slug) -> StoreResult<Option<String>> {
        if let Some(json) = self.current(slug) {
            return Ok(Some(json));
        }
        self.look().await?;
        Ok(self.current(slug))
    }

    async fn look(&self) -> StoreResult<()> {
        let now = self.clock.now();
        let tallies = self.store.storm_tallies().await?;
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        for tally in tallies {
            let live = StormLive {
                storm: tally.slug.to_string(),
                state: state_at(tally.starts_at, tally.ends_at, now),
                shares: tally.shares,
            };
            let Ok(json) = serde_json::to_string(&live) else {
                continue;
            };
            if known.get(&tally.slug) == Some(&json) {
                continue;
            }
            known.insert(tally.slug.clone(), json.clone());
            // An error only means nobody is listening right now.
            let _ = self.updates.send(Arc::new(CountUpdate {
                slug: tally.slug,
                json,
            }));
        }
        Ok(())
    }
}
