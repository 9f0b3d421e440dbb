//! Every donation campaign's totals in memory, recomputed when a donation is
//! stored on any instance, and pushed to the live connections.
//!
//! Donations arrive a few a minute even in a busy campaign, so unlike the
//! signature counts the totals are simply recomputed: a cheap version query
//! each poll says whether anything changed.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chorus_wire::donate::DonationTotals;
use tokio::sync::{Notify, broadcast};

use crate::ident::Slug;
use crate::live::CountUpdate;
use crate::storage::{DonationCampaignRecord, DonationsVersion, Store, StoreResult};

/// How often the totals look for donations stored by another instance.
const POLL_INTERVAL: Duration = Duration::from_millis(250);
const CHANNEL_CAPACITY: usize = 256;

#[derive(Debug, Default)]
struct Table {
    by_slug: HashMap<Slug, DonationTotals>,
    version: Option<DonationsVersion>,
}

/// The live totals of every campaign. Cheap to clone; clones share state.
#[derive(Debug, Clone)]
pub struct Totals {
    store: Arc<dyn Store>,
    table: Arc<RwLock<Table>>,
    updates: broadcast::Sender<Arc<CountUpdate>>,
    wake: Arc<Notify>,
}

impl Totals {
    pub async fn load(store: Arc<dyn Store>) -> StoreResult<Self> {
        let (updates, _) = broadcast::channel(CHANNEL_CAPACITY);
        let totals = Self {
            store,
            table: Arc::default(),
            updates,
            wake: Arc::default(),
        };
        totals.refresh().await?;
        Ok(totals)
    }

    /// Keeps the totals true until the process ends.
    pub fn spawn_refresher(&self) -> tokio::task::JoinHandle<()> {
        let totals = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = totals.wake.notified() => {}
                    () = tokio::time::sleep(POLL_INTERVAL) => {}
                }
                if let Err(error) = totals.refresh().await {
                    tracing::warn!(%error, "could not refresh donation totals; serving the last known");
                }
            }
        })
    }

    /// Asks the refresher to look now, after this process stored a donation.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<CountUpdate>> {
        self.updates.subscribe()
    }

    pub fn cached(&self, slug: &Slug) -> Option<DonationTotals> {
        let table = self.table.read().unwrap_or_else(|e| e.into_inner());
        table.by_slug.get(slug).cloned()
    }

    /// The totals of a campaign, learning about campaigns created since
    /// start-up; `None` when there is no such campaign.
    pub async fn get(&self, slug: &Slug) -> StoreResult<Option<DonationTotals>> {
        if let Some(totals) = self.cached(slug) {
            return Ok(Some(totals));
        }
        if self.store.donation_campaign_by_slug(slug).await?.is_none() {
            return Ok(None);
        }
        self.recompute(None).await?;
        Ok(self.cached(slug))
    }

    /// Recomputes when a donation was stored since the last look.
    async fn refresh(&self) -> StoreResult<()> {
        let version = self.store.donations_version().await?;
        let known = self.table.read().unwrap_or_else(|e| e.into_inner()).version;
        if known != Some(version) {
            self.recompute(Some(version)).await?;
        }
        Ok(())
    }

    async fn recompute(&self, version: Option<DonationsVersion>) -> StoreResult<()> {
        let campaigns = self.store.donation_campaigns().await?;
        let sums = self.store.donation_totals().await?;
        let fresh: HashMap<Slug, DonationTotals> = campaigns
            .iter()
            .map(|campaign| {
                let sum = sums.get(&campaign.id).copied().unwrap_or_default();
                (
                    campaign.slug.clone(),
                    totals_of(campaign, sum.raised, sum.donors),
                )
            })
            .collect();
        let changed: Vec<(Slug, DonationTotals)> = {
            let mut table = self.table.write().unwrap_or_else(|e| e.into_inner());
            let changed = fresh
                .iter()
                .filter(|(slug, totals)| table.by_slug.get(*slug) != Some(totals))
                .map(|(slug, totals)| (slug.clone(), totals.clone()))
                .collect();
            table.by_slug = fresh;
            if version.is_some() {
                table.version = version;
            }
            changed
        };
        for (slug, totals) in changed {
            match serde_json::to_string(&totals) {
                // An error only means nobody is listening right now.
                Ok(json) => drop(self.updates.send(Arc::new(CountUpdate { slug, json }))),
                Err(error) => tracing::error!(%error, "could not serialise donation totals"),
            }
        }
        Ok(())
    }
}

fn totals_of(campaign: &DonationCampaignRecord, raised: u64, donors: u64) -> DonationTotals {
    DonationTotals {
        campaign: campaign.slug.to_string(),
        raised,
        goal: campaign.settings.goal,
        donors,
    }
}
