//! One implementation of [`SignupStore`] for both backends, in SQL both
//! accept. Each backend invokes `signup_store!` after `event_store!`, whose
//! proof and outbox helpers it shares.
//!
//! One sign-up per address and list: the `(list_id, email_hash)` key
//! settles it, so two sign-ups of one address arriving together on two
//! instances store one.
//!
//! [`SignupStore`]: super::SignupStore

/// Implements `SignupStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! signup_store {
    ($store:ident, $db:ty) => {
        mod signups {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use super::events::{queue, spend_proof};
            use crate::ident::Slug;
            use crate::personal::EmailHash;
            use crate::storage::read::{conflict, missing, slug};
            use crate::storage::{
                Millis, NewSignup, NewSignupList, SignupConfirmed, SignupList, SignupOutcome,
                SignupRepeat, SignupRow, SignupStore, StoreResult, TokenHash, now_millis,
            };

            type DbRow = <$db as sqlx::Database>::Row;

            const LIST_COLUMNS: &str =
                "id, slug, organisation_id, name, privacy_url, created_at";

            fn list(row: &DbRow) -> StoreResult<SignupList> {
                Ok(SignupList {
                    id: row.try_get("id")?,
                    slug: slug(&row.try_get::<String, _>("slug")?)?,
                    organisation_id: row.try_get("organisation_id")?,
                    name: row.try_get("name")?,
                    privacy_url: row.try_get("privacy_url")?,
                    created_at: row.try_get("created_at")?,
                })
            }

            #[async_trait]
            impl SignupStore for $store {
                async fn create_signup_list(&self, new: &NewSignupList) -> StoreResult<SignupList> {
                    let sql = format!(
                        "INSERT INTO signup_lists (slug, organisation_id, name, privacy_url, created_at)
                         VALUES ($1, $2, $3, $4, $5) RETURNING {LIST_COLUMNS}"
                    );
                    let row = sqlx::query(&sql)
                        .bind(new.slug.as_str())
                        .bind(new.organisation_id)
                        .bind(&new.name)
                        .bind(&new.privacy_url)
                        .bind(now_millis())
                        .fetch_one(&self.pool)
                        .await
                        .map_err(|error| {
                            if crate::storage::read::is_foreign_key_violation(&error) {
                                missing(error, || format!("organisation {}", new.organisation_id))
                            } else {
                                conflict(error, || format!("sign-up list {}", new.slug))
                            }
                        })?;
                    list(&row)
                }

                async fn signup_list_by_slug(&self, wanted: &Slug) -> StoreResult<Option<SignupList>> {
                    let sql = format!("SELECT {LIST_COLUMNS} FROM signup_lists WHERE slug = $1");
                    let row = sqlx::query(&sql)
                        .bind(wanted.as_str())
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(list).transpose()
                }

                async fn signup_lists(&self) -> StoreResult<Vec<SignupList>> {
                    let sql = format!("SELECT {LIST_COLUMNS} FROM signup_lists ORDER BY id");
                    let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
                    rows.iter().map(list).collect()
                }

                async fn signup_count(&self, list_id: i64) -> StoreResult<u64> {
                    let n: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM signups WHERE list_id = $1 AND status = 'confirmed'",
                    )
                    .bind(list_id)
                    .fetch_one(&self.pool)
                    .await?;
                    Ok(u64::try_from(n).unwrap_or(0))
                }

                async fn record_signup(&self, s: &NewSignup) -> StoreResult<SignupOutcome> {
                    let mut tx = self.begin_write().await?;
                    if let Some(proof) = &s.proof {
                        if !spend_proof(&mut tx, proof, &s.idempotency_key).await? {
                            return Ok(SignupOutcome::ProofSpent);
                        }
                    }
                    let id: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO signups (list_id, partner_id, idempotency_key, email_hash,
                             sealed, country, lang, consent, consent_version, status, token_hash,
                             client_hash, last_mailed_at, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'unconfirmed', $10, $11,
                             $12, $12)
                         ON CONFLICT DO NOTHING RETURNING id",
                    )
                    .bind(s.list_id)
                    .bind(s.partner_id)
                    .bind(&s.idempotency_key)
                    .bind(s.email_hash.as_bytes())
                    .bind(&s.sealed)
                    .bind(&s.country)
                    .bind(&s.lang)
                    .bind(&s.consent)
                    .bind(&s.consent_version)
                    .bind(&s.token.0[..])
                    .bind(s.client_hash.as_ref().map(|h| &h[..]))
                    .bind(s.at)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|error| missing(error, || format!("sign-up list {}", s.list_id)))?;
                    let outcome = if id.is_some() {
                        queue(&mut *tx, &s.confirm, s.at).await?;
                        SignupOutcome::Stored
                    } else {
                        let retry: Option<i64> = sqlx::query_scalar(
                            "SELECT id FROM signups WHERE list_id = $1 AND idempotency_key = $2",
                        )
                        .bind(s.list_id)
                        .bind(&s.idempotency_key)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if retry.is_some() {
                            SignupOutcome::RepeatSubmission
                        } else {
                            SignupOutcome::RepeatAddress
                        }
                    };
                    tx.commit().await?;
                    Ok(outcome)
                }

                async fn mail_repeat_signup(
                    &self,
                    repeat: &SignupRepeat,
                    now: Millis,
                    quiet_since: Millis,
                ) -> StoreResult<bool> {
                    let mut tx = self.begin_write().await?;
                    let status: Option<String> = sqlx::query_scalar(
                        "UPDATE signups SET last_mailed_at = $3
                         WHERE list_id = $1 AND email_hash = $2
                             AND (last_mailed_at IS NULL OR last_mailed_at < $4)
                         RETURNING status",
                    )
                    .bind(repeat.list_id)
                    .bind(repeat.email_hash.as_bytes())
                    .bind(now)
                    .bind(quiet_since)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(status) = status else {
                        return Ok(false);
                    };
                    if status == "unconfirmed" {
                        sqlx::query(
                            "UPDATE signups SET token_hash = $3 WHERE list_id = $1 AND email_hash = $2",
                        )
                        .bind(repeat.list_id)
                        .bind(repeat.email_hash.as_bytes())
                        .bind(&repeat.token.0[..])
                        .execute(&mut *tx)
                        .await?;
                        queue(&mut *tx, &repeat.confirm, now).await?;
                    } else {
                        queue(&mut *tx, &repeat.already, now).await?;
                    }
                    tx.commit().await?;
                    Ok(true)
                }

                async fn confirm_signup(
                    &self,
                    token: &TokenHash,
                    now: Millis,
                ) -> StoreResult<Option<SignupConfirmed>> {
                    let mut tx = self.begin_write().await?;
                    let row = sqlx::query(
                        "SELECT s.id, s.status, l.slug FROM signups s
                         JOIN signup_lists l ON l.id = s.list_id WHERE s.token_hash = $1",
                    )
                    .bind(&token.0[..])
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(row) = row else { return Ok(None) };
                    let status: String = row.try_get("status")?;
                    let newly = status == "unconfirmed";
                    if newly {
                        sqlx::query(
                            "UPDATE signups SET status = 'confirmed', confirmed_at = $2 WHERE id = $1",
                        )
                        .bind(row.try_get::<i64, _>("id")?)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(Some(SignupConfirmed {
                        list: slug(&row.try_get::<String, _>("slug")?)?,
                        newly,
                    }))
                }

                async fn leave_signup(&self, token: &TokenHash) -> StoreResult<Option<Slug>> {
                    let mut tx = self.begin_write().await?;
                    let row = sqlx::query(
                        "SELECT s.id, s.email_hash, l.slug FROM signups s
                         JOIN signup_lists l ON l.id = s.list_id WHERE s.token_hash = $1",
                    )
                    .bind(&token.0[..])
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(row) = row else { return Ok(None) };
                    // Any email still waiting for them goes too.
                    sqlx::query(
                        "DELETE FROM outbox WHERE email_hash = $1
                             AND kind IN ('signup_confirm', 'signup_repeat')",
                    )
                    .bind(row.try_get::<Vec<u8>, _>("email_hash")?)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM signups WHERE id = $1")
                        .bind(row.try_get::<i64, _>("id")?)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(Some(slug(&row.try_get::<String, _>("slug")?)?))
                }

                async fn signups(&self, list_id: i64) -> StoreResult<Vec<SignupRow>> {
                    let rows = sqlx::query(
                        "SELECT s.id, s.status, s.sealed, s.country, s.lang, s.consent,
                             s.consent_version, p.name AS partner, s.created_at, s.confirmed_at
                         FROM signups s LEFT JOIN partners p ON p.id = s.partner_id
                         WHERE s.list_id = $1 ORDER BY s.id",
                    )
                    .bind(list_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(SignupRow {
                                id: row.try_get("id")?,
                                status: row.try_get("status")?,
                                sealed: row.try_get("sealed")?,
                                country: row.try_get("country")?,
                                lang: row.try_get("lang")?,
                                consent: row.try_get("consent")?,
                                consent_version: row.try_get("consent_version")?,
                                partner: row.try_get("partner")?,
                                created_at: row.try_get("created_at")?,
                                confirmed_at: row.try_get("confirmed_at")?,
                            })
                        })
                        .collect()
                }

                async fn forget_unconfirmed_signups(&self, before: Millis) -> StoreResult<u64> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query(
                        "DELETE FROM outbox WHERE kind IN ('signup_confirm', 'signup_repeat')
                             AND email_hash IN (SELECT email_hash FROM signups
                                 WHERE status = 'unconfirmed' AND created_at < $1)",
                    )
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
                    let done = sqlx::query(
                        "DELETE FROM signups WHERE status = 'unconfirmed' AND created_at < $1",
                    )
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected())
                }

                async fn erase_signups(&self, email_hash: &EmailHash) -> StoreResult<u64> {
                    let done = sqlx::query("DELETE FROM signups WHERE email_hash = $1")
                        .bind(email_hash.as_bytes())
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected())
                }
            }
        }
    };
}

pub(super) use signup_store;
