//! One implementation of [`MailStore`] for both backends, its SQL written
//! once in what SQLite and PostgreSQL both accept. Each backend supplies
//! `begin_write`, and for changes to the count `begin_ledger` (which makes
//! count entries visible in id order) and `announce_ledger` (which tells
//! other instances).
//!
//! [`MailStore`]: super::MailStore

/// Implements `MailStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! mail_store {
    ($store:ident, $db:ty) => {
        mod mail {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use crate::personal::EmailHash;
            use crate::storage::read;
            use crate::storage::{
                Confirmed, MailKind, MailStore, Millis, OutboxMessage, RepeatLetters, SealedMail,
                StoreError, StoreResult, TokenHash, Withdrawn,
            };

            /// The signer a token belongs to.
            const SIGNER_OF_TOKEN: &str = "SELECT s.id, s.status, s.petition_id, s.partner_id, p.slug
                 FROM signer_tokens t
                 JOIN signers s ON s.id = t.signer_id
                 JOIN petitions p ON p.id = s.petition_id
                 WHERE t.token_hash = $1";

            #[async_trait]
            impl MailStore for $store {
                async fn mail_repeat_signer(
                    &self,
                    letters: &RepeatLetters,
                    now: Millis,
                    quiet_since: Millis,
                ) -> StoreResult<bool> {
                    let mut tx = self.begin_write().await?;
                    let row = sqlx::query(
                        "SELECT id, status, last_mailed_at FROM signers
                         WHERE petition_id = $1 AND email_hash = $2",
                    )
                    .bind(letters.petition_id)
                    .bind(letters.confirm.email_hash.as_bytes())
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(row) = row else { return Ok(false) };
                    let signer_id: i64 = row.try_get("id")?;
                    let status: String = row.try_get("status")?;
                    let last_mailed_at: Option<i64> = row.try_get("last_mailed_at")?;
                    if last_mailed_at.is_some_and(|at| at >= quiet_since) {
                        return Ok(false);
                    }
                    let mail = match status.as_str() {
                        "unconfirmed" => &letters.confirm,
                        "counted" => &letters.already_signed,
                        _ => return Ok(false),
                    };
                    insert_token(&mut *tx, letters.token, signer_id, now).await?;
                    queue(&mut *tx, mail, Some(signer_id), now).await?;
                    sqlx::query("UPDATE signers SET last_mailed_at = $2 WHERE id = $1")
                        .bind(signer_id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn confirm_signer(
                    &self,
                    token: &TokenHash,
                    now: Millis,
                    listed_from: Millis,
                ) -> StoreResult<Option<Confirmed>> {
                    let mut tx = self.begin_ledger().await?;
                    let row = sqlx::query(SIGNER_OF_TOKEN)
                        .bind(&token.0[..])
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(row) = row else { return Ok(None) };
                    let signer_id: i64 = row.try_get("id")?;
                    let status: String = row.try_get("status")?;
                    let newly = status == "unconfirmed";
                    if newly {
                        sqlx::query("UPDATE signers SET status = 'counted' WHERE id = $1")
                            .bind(signer_id)
                            .execute(&mut *tx)
                            .await?;
                        count_entry(&mut *tx, &row, 1, now).await?;
                        Self::announce_ledger(&mut tx).await?;
                        sqlx::query(
                            "UPDATE wall_names SET listed_from = $2
                             WHERE signer_id = $1 AND listed_from IS NULL",
                        )
                        .bind(signer_id)
                        .bind(listed_from)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(Some(Confirmed {
                        petition: read::slug(&row.try_get::<String, _>("slug")?)?,
                        newly,
                    }))
                }

                async fn withdraw_signer(
                    &self,
                    token: &TokenHash,
                    now: Millis,
                ) -> StoreResult<Option<Withdrawn>> {
                    let mut tx = self.begin_ledger().await?;
                    let row = sqlx::query(SIGNER_OF_TOKEN)
                        .bind(&token.0[..])
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(row) = row else { return Ok(None) };
                    let signer_id: i64 = row.try_get("id")?;
                    let uncounted = row.try_get::<String, _>("status")? == "counted";
                    if uncounted {
                        count_entry(&mut *tx, &row, -1, now).await?;
                        sqlx::query(
                            "INSERT INTO count_corrections (petition_id, change, reason, actor, at)
                             VALUES ($1, -1, $2, 'signer', $3)",
                        )
                        .bind(row.try_get::<i64, _>("petition_id")?)
                        .bind("withdrawn: \"it wasn't me\" link")
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                        Self::announce_ledger(&mut tx).await?;
                    }
                    sqlx::query(
                        "UPDATE signers SET status = 'withdrawn', sealed = NULL, email_hash = NULL, client_hash = NULL,
                             anonymised_at = $2
                         WHERE id = $1",
                    )
                    .bind(signer_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    for sql in [
                        "DELETE FROM signer_tokens WHERE signer_id = $1",
                        "DELETE FROM outbox WHERE signer_id = $1",
                        "DELETE FROM wall_names WHERE signer_id = $1",
                    ] {
                        sqlx::query(sql).bind(signer_id).execute(&mut *tx).await?;
                    }
                    tx.commit().await?;
                    Ok(Some(Withdrawn {
                        petition: read::slug(&row.try_get::<String, _>("slug")?)?,
                        uncounted,
                    }))
                }

                async fn forget_unconfirmed(&self, before: Millis) -> StoreResult<u64> {
                    let mut tx = self.begin_write().await?;
                    let stale = "(SELECT id FROM signers WHERE status = 'unconfirmed' AND signed_at < $1)";
                    for table in ["signer_tokens", "outbox", "wall_names"] {
                        sqlx::query(&format!("DELETE FROM {table} WHERE signer_id IN {stale}"))
                            .bind(before)
                            .execute(&mut *tx)
                            .await?;
                    }
                    let done = sqlx::query(
                        "DELETE FROM signers WHERE status = 'unconfirmed' AND signed_at < $1",
                    )
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected())
                }

                async fn claim_due_mail(
                    &self,
                    now: Millis,
                    claim_until: Millis,
                    limit: u32,
                ) -> StoreResult<Vec<OutboxMessage>> {
                    let rows = sqlx::query(
                        "SELECT id, kind, sealed, attempts FROM outbox WHERE next_attempt_at <= $1
                         ORDER BY next_attempt_at, id LIMIT $2",
                    )
                    .bind(now)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                    let mut claimed = Vec::with_capacity(rows.len());
                    for row in rows {
                        let id: i64 = row.try_get("id")?;
                        // Another sender may have claimed it since the read:
                        // only the one whose update still matches has it.
                        let taken = sqlx::query(
                            "UPDATE outbox SET next_attempt_at = $2
                             WHERE id = $1 AND next_attempt_at <= $3",
                        )
                        .bind(id)
                        .bind(claim_until)
                        .bind(now)
                        .execute(&self.pool)
                        .await?;
                        if taken.rows_affected() == 0 {
                            continue;
                        }
                        let kind: String = row.try_get("kind")?;
                        claimed.push(OutboxMessage {
                            id,
                            kind: MailKind::parse(&kind).ok_or_else(|| {
                                StoreError::Unsafe(format!("unknown kind of mail {kind:?}"))
                            })?,
                            sealed: row.try_get("sealed")?,
                            attempts: u32::try_from(row.try_get::<i32, _>("attempts")?)
                                .unwrap_or(0),
                        });
                    }
                    Ok(claimed)
                }

                async fn mail_sent(&self, id: i64) -> StoreResult<()> {
                    sqlx::query("DELETE FROM outbox WHERE id = $1")
                        .bind(id)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }

                async fn mail_failed(&self, id: i64, retry_at: Millis) -> StoreResult<()> {
                    sqlx::query(
                        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(retry_at)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn forget_mail_to(&self, email_hash: &EmailHash) -> StoreResult<u64> {
                    let done = sqlx::query("DELETE FROM outbox WHERE email_hash = $1")
                        .bind(email_hash.as_bytes())
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected())
                }

                async fn mail_waiting(&self) -> StoreResult<u64> {
                    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
                        .fetch_one(&self.pool)
                        .await?;
                    Ok(u64::try_from(n).unwrap_or(0))
                }

                async fn mail_failures(&self) -> StoreResult<u64> {
                    let n: i64 = sqlx::query_scalar(
                        "SELECT CAST(COALESCE(SUM(attempts), 0) AS BIGINT) FROM outbox",
                    )
                    .fetch_one(&self.pool)
                    .await?;
                    Ok(u64::try_from(n).unwrap_or(0))
                }
            }

            /// A count entry of `delta` for the signer in `row` (from
            /// [`SIGNER_OF_TOKEN`]).
            async fn count_entry<'e, E>(
                executor: E,
                row: &<$db as sqlx::Database>::Row,
                delta: i32,
                now: Millis,
            ) -> StoreResult<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                sqlx::query(
                    "INSERT INTO signatures (petition_id, partner_id, signed_at, delta, signer_id)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(row.try_get::<i64, _>("petition_id")?)
                .bind(row.try_get::<Option<i64>, _>("partner_id")?)
                .bind(now)
                .bind(delta)
                .bind(row.try_get::<i64, _>("id")?)
                .execute(executor)
                .await?;
                Ok(())
            }

            pub(in crate::storage) async fn insert_token<'e, E>(
                executor: E,
                token: TokenHash,
                signer_id: i64,
                now: Millis,
            ) -> StoreResult<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                sqlx::query(
                    "INSERT INTO signer_tokens (token_hash, signer_id, created_at) VALUES ($1, $2, $3)",
                )
                .bind(&token.0[..])
                .bind(signer_id)
                .bind(now)
                .execute(executor)
                .await?;
                Ok(())
            }

            /// Puts `mail` in the outbox, due at once.
            pub(in crate::storage) async fn queue<'e, E>(
                executor: E,
                mail: &SealedMail,
                signer_id: Option<i64>,
                now: Millis,
            ) -> StoreResult<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                sqlx::query(
                    "INSERT INTO outbox (kind, signer_id, email_hash, sealed, created_at, next_attempt_at)
                     VALUES ($1, $2, $3, $4, $5, $5)",
                )
                .bind(mail.kind.as_str())
                .bind(signer_id)
                .bind(mail.email_hash.as_bytes())
                .bind(&mail.sealed)
                .bind(now)
                .execute(executor)
                .await?;
                Ok(())
            }
        }
    };
}

pub(super) use mail_store;
