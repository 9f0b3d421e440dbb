//! One implementation of [`TokenStore`] for both backends, in SQL both
//! accept. A use is one statement: the check and the last-use mark
//! together (`UPDATE ... RETURNING`).
//!
//! [`TokenStore`]: super::TokenStore

/// Implements `TokenStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! token_store {
    ($store:ident, $db:ty) => {
        mod tokens {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use crate::storage::{
                ApiTokenRecord, Millis, NewApiToken, StoreResult, TokenStore, now_millis,
            };

            type DbRow = <$db as sqlx::Database>::Row;

            const COLUMNS: &str = "id, organisation_id, label, scopes, created_at, expires_at, \
                 revoked_at, last_used_at";

            fn token(row: &DbRow) -> StoreResult<ApiTokenRecord> {
                Ok(ApiTokenRecord {
                    id: row.try_get("id")?,
                    organisation_id: row.try_get("organisation_id")?,
                    label: row.try_get("label")?,
                    scopes: row.try_get("scopes")?,
                    created_at: row.try_get("created_at")?,
                    expires_at: row.try_get("expires_at")?,
                    revoked_at: row.try_get("revoked_at")?,
                    last_used_at: row.try_get("last_used_at")?,
                })
            }

            #[async_trait]
            impl TokenStore for $store {
                async fn create_api_token(&self, new: &NewApiToken) -> StoreResult<ApiTokenRecord> {
                    let sql = format!(
                        "INSERT INTO api_tokens
                         (organisation_id, label, digest, scopes, created_at, expires_at)
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
                    );
                    let row = sqlx::query(&sql)
                        .bind(new.organisation_id)
                        .bind(&new.label)
                        .bind(&new.digest[..])
                        .bind(&new.scopes)
                        .bind(now_millis())
                        .bind(new.expires_at)
                        .fetch_one(&self.pool)
                        .await?;
                    token(&row)
                }

                async fn use_api_token(
                    &self,
                    digest: &[u8; 32],
                    now: Millis,
                ) -> StoreResult<Option<ApiTokenRecord>> {
                    let sql = format!(
                        "UPDATE api_tokens SET last_used_at = $2
                         WHERE digest = $1 AND revoked_at IS NULL AND expires_at > $2
                         RETURNING {COLUMNS}"
                    );
                    let row = sqlx::query(&sql)
                        .bind(&digest[..])
                        .bind(now)
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(token).transpose()
                }

                async fn api_tokens(
                    &self,
                    organisation_id: i64,
                ) -> StoreResult<Vec<ApiTokenRecord>> {
                    let sql = format!(
                        "SELECT {COLUMNS} FROM api_tokens WHERE organisation_id = $1
                         ORDER BY id DESC"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(organisation_id)
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter().map(token).collect()
                }

                async fn revoke_api_token(
                    &self,
                    organisation_id: i64,
                    token_id: i64,
                    at: Millis,
                ) -> StoreResult<bool> {
                    let done = sqlx::query(
                        "UPDATE api_tokens SET revoked_at = $3
                         WHERE id = $2 AND organisation_id = $1 AND revoked_at IS NULL",
                    )
                    .bind(organisation_id)
                    .bind(token_id)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected() > 0)
                }
            }
        }
    };
}

pub(crate) use token_store;
