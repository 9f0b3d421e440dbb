//! One implementation of [`ActivityStore`] for both backends, in SQL both
//! accept: integer division buckets the times alike in each.
//!
//! [`ActivityStore`]: super::ActivityStore

/// Implements `ActivityStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! activity_store {
    ($store:ident, $db:ty) => {
        mod activity {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use crate::storage::{ActivityRow, ActivityStore, Millis, StoreResult};

            #[async_trait]
            impl ActivityStore for $store {
                async fn signature_activity(
                    &self,
                    petition_id: i64,
                    every: Millis,
                    since: Millis,
                ) -> StoreResult<Vec<ActivityRow>> {
                    let rows = sqlx::query(
                        "SELECT (s.signed_at / $2) * $2 AS period, p.name AS partner,
                             COALESCE(g.country, '') AS country,
                             CAST(SUM(s.delta) AS BIGINT) AS signatures
                         FROM signatures s
                         LEFT JOIN partners p ON p.id = s.partner_id
                         LEFT JOIN signers g ON g.id = s.signer_id
                         WHERE s.petition_id = $1 AND s.signed_at >= $3
                         GROUP BY (s.signed_at / $2) * $2, p.name, COALESCE(g.country, '')
                         ORDER BY period, partner, country",
                    )
                    .bind(petition_id)
                    .bind(every.max(1))
                    .bind(since)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(ActivityRow {
                                period: row.try_get("period")?,
                                partner: row.try_get("partner")?,
                                country: row.try_get("country")?,
                                signatures: row.try_get("signatures")?,
                            })
                        })
                        .collect()
                }
            }
        }
    };
}

pub(crate) use activity_store;
