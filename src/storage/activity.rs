//! What storage knows about a petition's signing over time, and the part
//! of the storage interface that reads it: the count's ledger summed by
//! period, partner and country, for organisers' charts.

use async_trait::async_trait;

use super::{Millis, StoreResult};

/// The count's change in one period from one partner's page and one
/// country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    /// The period's start: a multiple of its length since the epoch.
    pub period: Millis,
    /// The partner's name; `None` for signatures no partner's page sent.
    pub partner: Option<String>,
    /// The signer's country as they gave it ("" when not asked).
    pub country: String,
    /// Counted less withdrawn.
    pub signatures: i64,
}

#[async_trait]
pub trait ActivityStore {
    /// The ledger of `petition_id` from `since`, summed by periods of
    /// `every` milliseconds, partner and country, the earliest first.
    async fn signature_activity(
        &self,
        petition_id: i64,
        every: Millis,
        since: Millis,
    ) -> StoreResult<Vec<ActivityRow>>;
}
