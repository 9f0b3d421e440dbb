//! One implementation of [`PersonalStore`] for both backends, its SQL
//! written once in what SQLite and PostgreSQL both accept.
//!
//! [`PersonalStore`]: super::PersonalStore

/// Implements `PersonalStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! personal_store {
    ($store:ident, $db:ty) => {
        mod personal {
            use async_trait::async_trait;

            use super::$store;
            use crate::ident::Slug;
            use crate::personal::{EmailHash, OrgPublicKey};
            use crate::storage::read::{self, conflict};
            use crate::storage::{Millis, Organisation, PersonalStore, StoreResult, now_millis};

            const COLUMNS: &str = "id, name, public_key, created_at";

            #[async_trait]
            impl PersonalStore for $store {
                async fn add_organisation(
                    &self,
                    name: &str,
                    key: &OrgPublicKey,
                ) -> StoreResult<Organisation> {
                    let created_at = now_millis();
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO organisations (name, public_key, created_at)
                         VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(name)
                    .bind(key.as_bytes())
                    .bind(created_at)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| conflict(e, || format!("organisation {name}")))?;
                    Ok(Organisation {
                        id,
                        name: name.to_owned(),
                        public_key: key.clone(),
                        created_at,
                    })
                }

                async fn organisation(&self, id: i64) -> StoreResult<Option<Organisation>> {
                    let sql = format!("SELECT {COLUMNS} FROM organisations WHERE id = $1");
                    let row = sqlx::query(&sql)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(read::organisation).transpose()
                }

                async fn organisation_by_name(
                    &self,
                    name: &str,
                ) -> StoreResult<Option<Organisation>> {
                    let sql = format!("SELECT {COLUMNS} FROM organisations WHERE name = $1");
                    let row = sqlx::query(&sql)
                        .bind(name)
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(read::organisation).transpose()
                }

                async fn organisations(&self) -> StoreResult<Vec<Organisation>> {
                    let sql = format!("SELECT {COLUMNS} FROM organisations ORDER BY name");
                    let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
                    rows.iter().map(read::organisation).collect()
                }

                async fn anonymise_signer(
                    &self,
                    email_hash: &EmailHash,
                    at: Millis,
                ) -> StoreResult<Vec<Slug>> {
                    let mut tx = self.begin_write().await?;
                    let slugs: Vec<String> = sqlx::query_scalar(
                        "SELECT p.slug FROM signers s JOIN petitions p ON p.id = s.petition_id
                         WHERE s.email_hash = $1 ORDER BY p.slug",
                    )
                    .bind(email_hash.as_bytes())
                    .fetch_all(&mut *tx)
                    .await?;
                    for table in ["signer_tokens", "wall_names"] {
                        sqlx::query(&format!(
                            "DELETE FROM {table} WHERE signer_id IN
                                 (SELECT id FROM signers WHERE email_hash = $1)"
                        ))
                        .bind(email_hash.as_bytes())
                        .execute(&mut *tx)
                        .await?;
                    }
                    sqlx::query(
                        "UPDATE signers SET sealed = NULL, email_hash = NULL, client_hash = NULL, anonymised_at = $2
                         WHERE email_hash = $1",
                    )
                    .bind(email_hash.as_bytes())
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    slugs.iter().map(|s| read::slug(s)).collect()
                }

                async fn anonymise_closed(
                    &self,
                    closed_before: Millis,
                    at: Millis,
                ) -> StoreResult<u64> {
                    let done = sqlx::query(
                        "UPDATE signers SET sealed = NULL, email_hash = NULL, client_hash = NULL, anonymised_at = $2
                         WHERE sealed IS NOT NULL AND petition_id IN
                             (SELECT id FROM petitions WHERE closed_at <= $1)",
                    )
                    .bind(closed_before)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                    // Names on the wall go with the details they came from.
                    sqlx::query(
                        "DELETE FROM wall_names WHERE petition_id IN
                             (SELECT id FROM petitions WHERE closed_at <= $1)",
                    )
                    .bind(closed_before)
                    .execute(&self.pool)
                    .await?;
                    // The people who signed for organisations; the
                    // organisations' public details stay with the petition.
                    let endorsers = sqlx::query(
                        "UPDATE endorsements SET sealed = NULL, email_hash = NULL, client_hash = NULL,
                             token_hash = NULL, anonymised_at = $2
                         WHERE sealed IS NOT NULL AND petition_id IN
                             (SELECT id FROM petitions WHERE closed_at <= $1)",
                    )
                    .bind(closed_before)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected() + endorsers.rows_affected())
                }
            }
        }
    };
}

pub(super) use personal_store;
