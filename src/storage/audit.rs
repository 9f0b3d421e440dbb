//! What storage knows about organisations' audit logs, and the part of the
//! storage interface that keeps them: lines added, never changed.

use async_trait::async_trait;

use super::{Millis, StoreResult};

/// One thing that happened, to add to an organisation's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub organisation_id: i64,
    pub actor: String,
    pub action: &'static str,
    pub detail: String,
}

/// A line of the log as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: Millis,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

#[async_trait]
pub trait AuditStore {
    async fn record_audit(&self, entry: &AuditEntry, at: Millis) -> StoreResult<()>;
    /// An organisation's log, the newest first: at most `limit` lines from
    /// before line `before` (from the newest without it).
    async fn audit_log(
        &self,
        organisation_id: i64,
        before: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>>;
}
