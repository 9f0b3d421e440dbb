//! The part of the storage interface that defends against bots: forgetting
//! spent proofs of work and client hashes, and the organiser's review of
//! held and suspicious signatures. (Proofs are spent in the transaction
//! that stores their signature; clients' recent signatures are counted in
//! memory, `guard::tally`.)

use async_trait::async_trait;

use super::{Millis, StoreResult};

/// Signers of one petition from one client (one day's hash of its network).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub client_hash: Vec<u8>,
    pub counted: u64,
    pub held: u64,
    pub first: Millis,
    pub last: Millis,
}

/// One change to a count other than a signature counting: the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub change: i64,
    pub reason: String,
    /// `organiser` or `signer`.
    pub actor: String,
    pub at: Millis,
}

/// An organiser's decision on signers under review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Held signers count after all.
    Accept,
    /// Held and counted signers no longer count.
    Invalidate,
}

/// Which signers a decision is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewScope {
    pub petition_id: i64,
    /// Only this client's signers.
    pub client_hash: Option<Vec<u8>>,
    /// Only these signers (an hour's, a domain's). With neither, every
    /// held signer of the petition.
    pub signer_ids: Option<Vec<i64>>,
}

#[async_trait]
pub trait GuardStore {
    /// Forgets challenges that expired before `before`: they cannot verify
    /// again. Returns how many.
    async fn forget_spent_proofs(&self, before: Millis) -> StoreResult<u64>;

    /// Forgets the client hashes of signers who signed before `before`:
    /// review is over for them. Returns how many.
    async fn forget_client_hashes(&self, before: Millis) -> StoreResult<u64>;

    /// The sealed key clients are hashed with on `day` (days since 1970,
    /// UTC): the one stored, or `fresh` when there is none yet, so every
    /// instance hashes a client alike.
    async fn client_day_key(&self, day: i64, fresh: &[u8]) -> StoreResult<Vec<u8>>;

    /// Destroys the keys of the days before `before_day`. Returns how many.
    async fn forget_client_day_keys(&self, before_day: i64) -> StoreResult<u64>;

    /// The petition's clients with held signers or more than one signer,
    /// largest first.
    async fn clusters(&self, petition_id: i64) -> StoreResult<Vec<Cluster>>;

    /// The petition's count corrections, oldest first.
    async fn corrections(&self, petition_id: i64) -> StoreResult<Vec<Correction>>;

    /// Applies an organiser's decision, writing the change to the count and
    /// a `count_corrections` row with `reason`. Returns the change.
    async fn decide(
        &self,
        scope: &ReviewScope,
        decision: Decision,
        reason: &str,
        now: Millis,
    ) -> StoreResult<i64>;
}
