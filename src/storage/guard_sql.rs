//! One implementation of [`GuardStore`] for both backends, its SQL written
//! once in what SQLite and PostgreSQL both accept.
//!
//! [`GuardStore`]: super::GuardStore

/// Implements `GuardStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! guard_store {
    ($store:ident, $db:ty) => {
        mod guard {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use crate::storage::{
                Cluster, Correction, Decision, GuardStore, Millis, ReviewScope,
                StoreResult,
            };

            #[async_trait]
            impl GuardStore for $store {
                async fn forget_spent_proofs(&self, before: Millis) -> StoreResult<u64> {
                    let done = sqlx::query("DELETE FROM spent_proofs WHERE expires_at < $1")
                        .bind(before)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected())
                }

                async fn client_day_key(&self, day: i64, fresh: &[u8]) -> StoreResult<Vec<u8>> {
                    sqlx::query(
                        "INSERT INTO client_day_keys (day, sealed_key) VALUES ($1, $2)
                         ON CONFLICT (day) DO NOTHING",
                    )
                    .bind(day)
                    .bind(fresh)
                    .execute(&self.pool)
                    .await?;
                    let row = sqlx::query("SELECT sealed_key FROM client_day_keys WHERE day = $1")
                        .bind(day)
                        .fetch_one(&self.pool)
                        .await?;
                    Ok(row.try_get("sealed_key")?)
                }

                async fn forget_client_day_keys(&self, before_day: i64) -> StoreResult<u64> {
                    let done = sqlx::query("DELETE FROM client_day_keys WHERE day < $1")
                        .bind(before_day)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected())
                }

                async fn forget_client_hashes(&self, before: Millis) -> StoreResult<u64> {
                    let done = sqlx::query(
                        "UPDATE signers SET client_hash = NULL
                         WHERE client_hash IS NOT NULL AND signed_at < $1",
                    )
                    .bind(before)
                    .execute(&self.pool)
                    .await?;
                    // Organisations' signers too: a day's key goes only once
                    // no hash made with it is left anywhere.
                    let endorsers = sqlx::query(
                        "UPDATE endorsements SET client_hash = NULL
                         WHERE client_hash IS NOT NULL AND created_at < $1",
                    )
                    .bind(before)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected() + endorsers.rows_affected())
                }

                async fn clusters(&self, petition_id: i64) -> StoreResult<Vec<Cluster>> {
                    let rows = sqlx::query(
                        "SELECT client_hash,
                             SUM(CASE WHEN status = 'counted' THEN 1 ELSE 0 END) AS counted,
                             SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END) AS held,
                             MIN(signed_at) AS first, MAX(signed_at) AS last
                         FROM signers
                         WHERE petition_id = $1 AND client_hash IS NOT NULL
                             AND status IN ('counted', 'held')
                         GROUP BY client_hash
                         HAVING COUNT(*) > 1 OR SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END) > 0
                         ORDER BY COUNT(*) DESC, MIN(signed_at)",
                    )
                    .bind(petition_id)
                    .fetch_all(&self.pool)
                    .await?;
                    let count = |row: &<$db as sqlx::Database>::Row, name: &str| -> StoreResult<u64> {
                        Ok(u64::try_from(row.try_get::<i64, _>(name)?).unwrap_or(0))
                    };
                    rows.iter()
                        .map(|row| {
                            Ok(Cluster {
                                client_hash: row.try_get("client_hash")?,
                                counted: count(row, "counted")?,
                                held: count(row, "held")?,
                                first: row.try_get("first")?,
                                last: row.try_get("last")?,
                            })
                        })
                        .collect()
                }

                async fn corrections(&self, petition_id: i64) -> StoreResult<Vec<Correction>> {
                    let rows = sqlx::query(
                        "SELECT change, reason, actor, at FROM count_corrections
                         WHERE petition_id = $1 ORDER BY id",
                    )
                    .bind(petition_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(Correction {
                                change: i64::from(row.try_get::<i32, _>("change")?),
                                reason: row.try_get("reason")?,
                                actor: row.try_get("actor")?,
                                at: row.try_get("at")?,
                            })
                        })
                        .collect()
                }

                async fn decide(
                    &self,
                    scope: &ReviewScope,
                    decision: Decision,
                    reason: &str,
                    now: Millis,
                ) -> StoreResult<i64> {
                    let mut tx = self.begin_ledger().await?;
                    let (from, to, delta): (&[&str], &str, i32) = match decision {
                        Decision::Accept => (&["held"], "counted", 1),
                        Decision::Invalidate => (&["held", "counted"], "invalidated", -1),
                    };
                    let only: Option<std::collections::BTreeSet<i64>> =
                        scope.signer_ids.as_ref().map(|ids| ids.iter().copied().collect());
                    let mut change: i64 = 0;
                    for status in from {
                        // Count entries only for signers whose counting changes.
                        let counts = (*status == "counted") != (to == "counted");
                        let mut ids: Vec<i64> = sqlx::query_scalar(
                            "SELECT id FROM signers WHERE petition_id = $1 AND status = $2
                                 AND ($3 IS NULL OR client_hash = $3)
                             ORDER BY id",
                        )
                        .bind(scope.petition_id)
                        .bind(*status)
                        .bind(scope.client_hash.as_deref())
                        .fetch_all(&mut *tx)
                        .await?;
                        ids.retain(|id| only.as_ref().is_none_or(|only| only.contains(id)));
                        for id in &ids {
                            sqlx::query("UPDATE signers SET status = $2, held_reason = NULL WHERE id = $1")
                                .bind(id)
                                .bind(to)
                                .execute(&mut *tx)
                                .await?;
                            if counts {
                                sqlx::query(
                                    "INSERT INTO signatures (petition_id, partner_id, signed_at, delta, signer_id)
                                     SELECT petition_id, partner_id, $2, $3, id FROM signers WHERE id = $1",
                                )
                                .bind(id)
                                .bind(now)
                                .bind(delta)
                                .execute(&mut *tx)
                                .await?;
                                change += i64::from(delta);
                            }
                        }
                    }
                    if change != 0 {
                        sqlx::query(
                            "INSERT INTO count_corrections (petition_id, change, reason, actor, at)
                             VALUES ($1, $2, $3, 'organiser', $4)",
                        )
                        .bind(scope.petition_id)
                        .bind(i32::try_from(change).unwrap_or(i32::MAX))
                        .bind(reason)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                        Self::announce_ledger(&mut tx).await?;
                    }
                    tx.commit().await?;
                    Ok(change)
                }
            }
        }
    };
}

pub(super) use guard_store;
