//! The in-memory count table and the task that keeps it true.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chorus_wire::PetitionCount;
use tokio::sync::{Notify, broadcast};

use crate::ident::Slug;
use crate::storage::{Millis, PetitionRecord, Store, StoreResult, TallySince, now_millis, rfc3339};

/// How often the engine looks for signatures it was not told about.
const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// The least time between two publications: updates within it coalesce, so a
/// petition's widgets get at most a few events a second however fast it is signed.
const MIN_PUBLISH_GAP: Duration = Duration::from_millis(200);
/// How often every count is recomputed from scratch.
const FULL_TALLY_INTERVAL: Duration = Duration::from_secs(300);
/// Updates a slow live connection may fall behind before it is resynchronised.
const CHANNEL_CAPACITY: usize = 1024;

/// One petition's new count, serialised once for every listener.
#[derive(Debug)]
pub struct CountUpdate {
    pub slug: Slug,
    pub json: String,
}

#[derive(Debug, Clone)]
struct Entry {
    slug: Slug,
    goal: Option<u64>,
    count: u64,
    last_signed_at: Option<Millis>,
    /// Approved organisations, apart from `count`.
    organisations: u64,
    /// Individuals on the wall now.
    listed: u64,
}

impl Entry {
    fn new(petition: &PetitionRecord) -> Self {
        Self {
            slug: petition.slug.clone(),
            goal: petition.goal,
            count: 0,
            last_signed_at: None,
            organisations: 0,
            listed: 0,
        }
    }

    fn to_wire(&self) -> PetitionCount {
        PetitionCount {
            petition: self.slug.to_string(),
            count: self.count,
            goal: self.goal,
            last_signed_at: self.last_signed_at.and_then(rfc3339),
            organisations: self.organisations,
            listed: self.listed,
        }
    }
}

#[derive(Debug, Default)]
struct Table {
    by_id: HashMap<i64, Entry>,
    id_by_slug: HashMap<Slug, i64>,
    watermark: i64,
}

impl Table {
    fn insert(&mut self, petition: &PetitionRecord) {
        self.id_by_slug.insert(petition.slug.clone(), petition.id);
        self.by_id
            .entry(petition.id)
            .or_insert_with(|| Entry::new(petition));
    }
}

/// The live count of every petition. Cheap to clone; all clones share state.
#[derive(Debug, Clone)]
pub struct Counts {
    store: Arc<dyn Store>,
    table: Arc<RwLock<Table>>,
    updates: broadcast::Sender<Arc<CountUpdate>>,
    wake: Arc<Notify>,
}

impl Counts {
    /// Loads every petition and tallies every signature, so the first answer
    /// after start-up is already exact.
    pub async fn load(store: Arc<dyn Store>) -> StoreResult<Self> {
        let (updates, _) = broadcast::channel(CHANNEL_CAPACITY);
        let counts = Self {
            store,
            table: Arc::default(),
            updates,
            wake: Arc::default(),
        };
        counts.full_tally().await?;
        counts.refresh_organisations().await?;
        Ok(counts)
    }

    /// Keeps the counts true until the process ends: wakes on [`Self::wake`]
    /// or every poll interval, tails new signatures and publishes the changes.
    pub fn spawn_refresher(&self) -> tokio::task::JoinHandle<()> {
        let counts = self.clone();
        tokio::spawn(async move {
            let mut last_full = tokio::time::Instant::now();
            let mut last_organisations = last_full;
            loop {
                tokio::select! {
                    () = counts.wake.notified() => {}
                    () = counts.store.signatures_committed() => {}
                    () = tokio::time::sleep(POLL_INTERVAL) => {}
                }
                let signatures = if last_full.elapsed() >= FULL_TALLY_INTERVAL {
                    last_full = tokio::time::Instant::now();
                    counts.full_tally().await
                } else {
                    counts.catch_up().await
                };
                // Organisations change by an organiser's decision, a few a
                // day, and the wall once a batch: one look per poll
                // interval however fast people sign.
                let organisations = if last_organisations.elapsed() >= POLL_INTERVAL {
                    last_organisations = tokio::time::Instant::now();
                    counts.refresh_organisations().await
                } else {
                    Ok(false)
                };
                let result = signatures.and_then(|a| organisations.map(|b| a || b));
                match result {
                    // Coalesce: whatever arrives during the gap goes out as one update.
                    Ok(true) => tokio::time::sleep(MIN_PUBLISH_GAP).await,
                    Ok(false) => {}
                    Err(error) => {
                        tracing::warn!(%error, "could not refresh live counts; serving the last known");
                        tokio::time::sleep(POLL_INTERVAL).await;
                    }
                }
            }
        })
    }

    /// Asks the refresher to look now, after this process recorded signatures.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Every count update, for live connections to filter.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<CountUpdate>> {
        self.updates.subscribe()
    }

    /// Live connections open on this instance right now.
    pub fn listeners(&self) -> usize {
        self.updates.receiver_count()
    }

    /// The count of a petition this process already knows, without I/O.
    pub fn cached(&self, slug: &Slug) -> Option<PetitionCount> {
        let table = self.table.read().unwrap_or_else(|e| e.into_inner());
        let id = table.id_by_slug.get(slug)?;
        table.by_id.get(id).map(Entry::to_wire)
    }

    /// The count of a petition, learning about petitions created since start-up.
    /// `None` when no such petition exists.
    pub async fn get(&self, slug: &Slug) -> StoreResult<Option<PetitionCount>> {
        if let Some(count) = self.cached(slug) {
            return Ok(Some(count));
        }
        let Some(petition) = self.store.petition_by_slug(slug).await? else {
            return Ok(None);
        };
        self.learn(&petition).await?;
        Ok(self.cached(slug))
    }

    /// Adds a petition the table did not know. Its signatures so far may lie
    /// below the watermark, so it gets a full tally.
    async fn learn(&self, petition: &PetitionRecord) -> StoreResult<()> {
        self.table
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(petition);
        self.full_tally().await.map(|_| ())
    }

    /// Counts signatures above the watermark; true if any count changed.
    async fn catch_up(&self) -> StoreResult<bool> {
        let watermark = self
            .table
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .watermark;
        let since = self.store.tally_since(watermark).await?;
        if since.tallies.is_empty() {
            return Ok(false);
        }
        self.learn_missing(&since).await?;
        let changed = {
            let mut table = self.table.write().unwrap_or_else(|e| e.into_inner());
            // A full tally may have run meanwhile; never count a range twice.
            if table.watermark != watermark {
                return Ok(false);
            }
            table.watermark = since.watermark;
            let mut changed = Vec::new();
            for tally in &since.tallies {
                if let Some(entry) = table.by_id.get_mut(&tally.petition_id) {
                    entry.count = entry.count.saturating_add_signed(tally.change);
                    entry.last_signed_at = entry.last_signed_at.max(tally.last_signed_at);
                    changed.push(entry.clone());
                }
            }
            changed
        };
        Ok(self.publish(changed))
    }

    /// Recounts everything and publishes what differs from memory; true if
    /// any count changed.
    async fn full_tally(&self) -> StoreResult<bool> {
        // Tally first: every petition a signature refers to existed before it,
        // so the list read afterwards covers all of them. Signatures added
        // between the two reads lie above the watermark and are caught up later.
        let since = self.store.tally_since(0).await?;
        let petitions = self.store.petitions().await?;
        let changed = {
            let mut table = self.table.write().unwrap_or_else(|e| e.into_inner());
            let mut fresh = Table {
                watermark: since.watermark,
                ..Table::default()
            };
            for petition in &petitions {
                fresh.insert(petition);
            }
            // Organisations and the wall are not in the ledger: they stay
            // as last read.
            for (id, entry) in &mut fresh.by_id {
                if let Some(old) = table.by_id.get(id) {
                    (entry.organisations, entry.listed) = (old.organisations, old.listed);
                }
            }
            for tally in &since.tallies {
                if let Some(entry) = fresh.by_id.get_mut(&tally.petition_id) {
                    entry.count = u64::try_from(tally.change).unwrap_or(0);
                    entry.last_signed_at = tally.last_signed_at;
                }
            }
            let changed = fresh
                .by_id
                .iter()
                .filter(|(id, entry)| {
                    table.by_id.get(id).is_none_or(|old| {
                        (old.count, old.goal, old.last_signed_at)
                            != (entry.count, entry.goal, entry.last_signed_at)
                    })
                })
                .map(|(_, entry)| entry.clone())
                .collect();
            *table = fresh;
            changed
        };
        Ok(self.publish(changed))
    }

    /// Reads every petition's approved organisations and individuals on
    /// the wall, and publishes the counts that changed; true if any. A
    /// wall reads itself again when either changes.
    async fn refresh_organisations(&self) -> StoreResult<bool> {
        let approved: HashMap<i64, u64> = self
            .store
            .organisation_counts()
            .await?
            .into_iter()
            .map(|c| (c.petition_id, c.approved))
            .collect();
        let listed: HashMap<i64, u64> = self
            .store
            .listed_counts(now_millis())
            .await?
            .into_iter()
            .map(|c| (c.petition_id, c.listed))
            .collect();
        let changed = {
            let mut table = self.table.write().unwrap_or_else(|e| e.into_inner());
            let mut changed = Vec::new();
            for (id, entry) in &mut table.by_id {
                let now = (
                    approved.get(id).copied().unwrap_or(0),
                    listed.get(id).copied().unwrap_or(0),
                );
                if (entry.organisations, entry.listed) != now {
                    (entry.organisations, entry.listed) = now;
                    changed.push(entry.clone());
                }
            }
            changed
        };
        Ok(self.publish(changed))
    }

    async fn learn_missing(&self, since: &TallySince) -> StoreResult<()> {
        let unknown: HashSet<i64> = {
            let table = self.table.read().unwrap_or_else(|e| e.into_inner());
            since
                .tallies
                .iter()
                .map(|t| t.petition_id)
                .filter(|id| !table.by_id.contains_key(id))
                .collect()
        };
        for id in unknown {
            if let Some(petition) = self.store.petition_by_id(id).await? {
                // Inserted with a zero count: the tail being applied counts it.
                self.table
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(&petition);
            }
        }
        Ok(())
    }

    /// Sends each changed count to the live connections; true if any.
    fn publish(&self, changed: Vec<Entry>) -> bool {
        let any = !changed.is_empty();
        for entry in changed {
            let json = match serde_json::to_string(&entry.to_wire()) {
                Ok(json) => json,
                Err(error) => {
                    tracing::error!(%error, "could not serialise a count");
                    continue;
                }
            };
            // An error only means nobody is listening right now.
            let _ = self.updates.send(Arc::new(CountUpdate {
                slug: entry.slug,
                json,
            }));
        }
        any
    }
}

#[cfg(test)]
mod tests {
    use crate::storage::rfc3339;

    #[test]
    fn storage_times_become_rfc3339_utc() {
        assert_eq!(
            rfc3339(1_766_016_000_000).as_deref(),
            Some("2025-12-18T00:00:00Z")
        );
    }
}
