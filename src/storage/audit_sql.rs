//! One implementation of [`AuditStore`] for both backends, in SQL both
//! accept.
//!
//! [`AuditStore`]: super::AuditStore

/// Implements `AuditStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! audit_store {
    ($store:ident, $db:ty) => {
        mod audit {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use crate::storage::{AuditEntry, AuditRecord, AuditStore, Millis, StoreResult};

            #[async_trait]
            impl AuditStore for $store {
                async fn record_audit(&self, entry: &AuditEntry, at: Millis) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO audit_log (organisation_id, at, actor, action, detail)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(entry.organisation_id)
                    .bind(at)
                    .bind(&entry.actor)
                    .bind(entry.action)
                    .bind(&entry.detail)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn audit_log(
                    &self,
                    organisation_id: i64,
                    before: Option<i64>,
                    limit: u32,
                ) -> StoreResult<Vec<AuditRecord>> {
                    let rows = sqlx::query(
                        "SELECT id, at, actor, action, detail FROM audit_log
                         WHERE organisation_id = $1 AND id < $2
                         ORDER BY id DESC LIMIT $3",
                    )
                    .bind(organisation_id)
                    .bind(before.unwrap_or(i64::MAX))
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(AuditRecord {
                                id: row.try_get("id")?,
                                at: row.try_get("at")?,
                                actor: row.try_get("actor")?,
                                action: row.try_get("action")?,
                                detail: row.try_get("detail")?,
                            })
                        })
                        .collect()
                }
            }
        }
    };
}

pub(crate) use audit_store;
