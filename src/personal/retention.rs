//! Signers' details are kept only while they are needed: once a petition has
//! been closed for the retention period, its signers are anonymised. What
//! remains (the count, countries, languages, consents) names no one.

use std::sync::Arc;
use std::time::Duration;

use crate::storage::{Millis, Store, StoreResult, now_millis};

/// Six months, the default retention after a petition closes.
pub const DEFAULT_DAYS: u32 = 183;
/// How often `chorus serve` looks for signers to anonymise.
const EVERY: Duration = Duration::from_secs(60 * 60);

/// Anonymises the signers of every petition closed at least `days` ago.
/// Returns how many it anonymised.
pub async fn anonymise_expired(store: &dyn Store, days: u32) -> StoreResult<u64> {
    let now = now_millis();
    let period = Millis::from(days) * 24 * 60 * 60 * 1000;
    store.anonymise_closed(now - period, now).await
}

/// Runs [`anonymise_expired`] now and every hour while Chorus serves.
pub fn spawn(store: Arc<dyn Store>, days: u32) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        loop {
            ticks.tick().await;
            match anonymise_expired(&*store, days).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(signers = n, days, "anonymised signers of closed petitions")
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot anonymise closed petitions; will retry")
                }
            }
        }
    });
}
