//! One implementation of [`EndorsementStore`] for both backends, in SQL both
//! accept. Each backend supplies `begin_write` and invokes
//! `endorsement_store!` after `event_store!`, whose proof and outbox
//! helpers it shares.
//!
//! One organisation signs once per petition: the `(petition_id, domain)`
//! key settles it, so two signatures of one organisation arriving together
//! on two instances store one.
//!
//! [`EndorsementStore`]: super::EndorsementStore

/// Implements `EndorsementStore` for `$store` (in the invoking module),
/// whose `pool` is a pool of `$db`.
macro_rules! endorsement_store {
    ($store:ident, $db:ty) => {
        mod endorsements {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use super::events::{queue, spend_proof};
            use crate::personal::EmailHash;
            use crate::storage::read::missing_petition;
            use crate::storage::{
                DecisionOutcome, EndorsementConfirmed, EndorsementDecision, EndorsementOutcome,
                EndorsementRecord, EndorsementStatus, EndorsementStore, EndorserPublic, Millis,
                NewEndorsement, OrganisationCount, SealedMail, Signatories, StoreError,
                StoreResult, TokenHash, Verdict,
            };

            type DbRow = <$db as sqlx::Database>::Row;

            const COLUMNS: &str = "e.id, e.petition_id, e.organisation, e.website, e.domain,
                e.country, e.kind, e.statement, e.logo_url, e.unnamed, e.status,
                e.email_at_domain AND e.confirmed_at IS NOT NULL AS domain_verified, e.sealed,
                p.name AS partner, e.lang, e.consent_version, e.opt_in_organiser,
                e.opt_in_partner, e.created_at, e.confirmed_at, e.decided_at";

            fn record(row: &DbRow) -> StoreResult<EndorsementRecord> {
                let status: String = row.try_get("status")?;
                Ok(EndorsementRecord {
                    id: row.try_get("id")?,
                    petition_id: row.try_get("petition_id")?,
                    public: EndorserPublic {
                        organisation: row.try_get("organisation")?,
                        website: row.try_get("website")?,
                        domain: row.try_get("domain")?,
                        country: row.try_get("country")?,
                        kind: row.try_get("kind")?,
                        statement: row.try_get("statement")?,
                        logo_url: row.try_get("logo_url")?,
                        unnamed: row.try_get("unnamed")?,
                    },
                    status: EndorsementStatus::parse(&status).ok_or_else(|| {
                        StoreError::Unsafe(format!("stored endorsement has status {status:?}"))
                    })?,
                    domain_verified: row.try_get("domain_verified")?,
                    sealed: row.try_get("sealed")?,
                    partner: row.try_get("partner")?,
                    lang: row.try_get("lang")?,
                    consent_version: row.try_get("consent_version")?,
                    opt_in_organiser: row.try_get("opt_in_organiser")?,
                    opt_in_partner: row.try_get("opt_in_partner")?,
                    created_at: row.try_get("created_at")?,
                    confirmed_at: row.try_get("confirmed_at")?,
                    decided_at: row.try_get("decided_at")?,
                })
            }

            #[async_trait]
            impl EndorsementStore for $store {
                async fn set_signatories(
                    &self,
                    petition_id: i64,
                    signatories: Signatories,
                ) -> StoreResult<()> {
                    let done = sqlx::query("UPDATE petitions SET signatories = $2 WHERE id = $1")
                        .bind(petition_id)
                        .bind(signatories.as_str())
                        .execute(&self.pool)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Missing(format!("petition {petition_id}")));
                    }
                    Ok(())
                }

                async fn record_endorsement(
                    &self,
                    e: &NewEndorsement,
                ) -> StoreResult<EndorsementOutcome> {
                    let mut tx = self.begin_write().await?;
                    if let Some(proof) = &e.proof {
                        if !spend_proof(&mut tx, proof, &e.idempotency_key).await? {
                            return Ok(EndorsementOutcome::ProofSpent);
                        }
                    }
                    let public = &e.public;
                    let id: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO endorsements (petition_id, partner_id, idempotency_key,
                             domain, organisation, website, country, kind, statement, logo_url,
                             unnamed, email_at_domain, status, sealed, email_hash, token_hash,
                             lang, consent_version, opt_in_organiser, opt_in_partner,
                             client_hash, created_at, logo)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                             'unconfirmed', $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
                         ON CONFLICT DO NOTHING RETURNING id",
                    )
                    .bind(e.petition_id)
                    .bind(e.partner_id)
                    .bind(&e.idempotency_key)
                    .bind(&public.domain)
                    .bind(&public.organisation)
                    .bind(&public.website)
                    .bind(&public.country)
                    .bind(&public.kind)
                    .bind(&public.statement)
                    .bind(&public.logo_url)
                    .bind(public.unnamed)
                    .bind(e.email_at_domain)
                    .bind(&e.sealed)
                    .bind(e.email_hash.as_bytes())
                    .bind(&e.token.0[..])
                    .bind(&e.lang)
                    .bind(&e.consent_version)
                    .bind(e.opt_in_organiser)
                    .bind(e.opt_in_partner)
                    .bind(e.client_hash.as_ref().map(|h| &h[..]))
                    .bind(e.at)
                    .bind(&e.logo)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|error| missing_petition(error, e.petition_id))?;
                    let outcome = if id.is_some() {
                        queue(&mut *tx, &e.confirm, e.at).await?;
                        EndorsementOutcome::Stored
                    } else {
                        let retry: Option<i64> = sqlx::query_scalar(
                            "SELECT id FROM endorsements
                             WHERE petition_id = $1 AND idempotency_key = $2",
                        )
                        .bind(e.petition_id)
                        .bind(&e.idempotency_key)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if retry.is_some() {
                            EndorsementOutcome::RepeatSubmission
                        } else {
                            EndorsementOutcome::RepeatOrganisation
                        }
                    };
                    tx.commit().await?;
                    Ok(outcome)
                }

                async fn mail_repeat_endorser(
                    &self,
                    petition_id: i64,
                    domain: &str,
                    mail: &SealedMail,
                    now: Millis,
                    quiet_since: Millis,
                ) -> StoreResult<bool> {
                    let mut tx = self.begin_write().await?;
                    let mailed = sqlx::query(
                        "UPDATE endorsements SET last_mailed_at = $3
                         WHERE petition_id = $1 AND domain = $2
                             AND (last_mailed_at IS NULL OR last_mailed_at < $4)",
                    )
                    .bind(petition_id)
                    .bind(domain)
                    .bind(now)
                    .bind(quiet_since)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        > 0;
                    if mailed {
                        queue(&mut *tx, mail, now).await?;
                    }
                    tx.commit().await?;
                    Ok(mailed)
                }

                async fn confirm_endorsement(
                    &self,
                    token: &TokenHash,
                    now: Millis,
                ) -> StoreResult<Option<EndorsementConfirmed>> {
                    let mut tx = self.begin_write().await?;
                    let row = sqlx::query(
                        "SELECT e.id, e.status, p.slug FROM endorsements e
                         JOIN petitions p ON p.id = e.petition_id WHERE e.token_hash = $1",
                    )
                    .bind(&token.0[..])
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(row) = row else { return Ok(None) };
                    let id: i64 = row.try_get("id")?;
                    let status: String = row.try_get("status")?;
                    let newly = status == EndorsementStatus::Unconfirmed.as_str();
                    if newly {
                        sqlx::query(
                            "UPDATE endorsements SET status = 'pending', confirmed_at = $2
                             WHERE id = $1",
                        )
                        .bind(id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(Some(EndorsementConfirmed {
                        petition: crate::storage::read::slug(&row.try_get::<String, _>("slug")?)?,
                        newly,
                    }))
                }

                async fn endorsements(
                    &self,
                    petition_id: i64,
                    status: Option<EndorsementStatus>,
                ) -> StoreResult<Vec<EndorsementRecord>> {
                    let sql = format!(
                        "SELECT {COLUMNS} FROM endorsements e
                         LEFT JOIN partners p ON p.id = e.partner_id
                         WHERE e.petition_id = $1 AND ($2 IS NULL OR e.status = $2)
                         ORDER BY e.id"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(petition_id)
                        .bind(status.map(EndorsementStatus::as_str))
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter().map(record).collect()
                }

                async fn decide_endorsement(
                    &self,
                    petition_id: i64,
                    endorsement_id: i64,
                    verdict: Verdict,
                    reason: &str,
                    actor: &str,
                    at: Millis,
                ) -> StoreResult<DecisionOutcome> {
                    let mut tx = self.begin_write().await?;
                    let status: Option<String> = sqlx::query_scalar(
                        "SELECT status FROM endorsements WHERE id = $1 AND petition_id = $2",
                    )
                    .bind(endorsement_id)
                    .bind(petition_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(status) = status else {
                        return Ok(DecisionOutcome::NoSuchEndorsement);
                    };
                    if status == EndorsementStatus::Unconfirmed.as_str() {
                        return Ok(DecisionOutcome::Unconfirmed);
                    }
                    if status == verdict.as_str() {
                        return Ok(DecisionOutcome::Unchanged);
                    }
                    sqlx::query(
                        "UPDATE endorsements SET status = $2, decided_at = $3 WHERE id = $1",
                    )
                    .bind(endorsement_id)
                    .bind(verdict.as_str())
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO endorsement_decisions (endorsement_id, decision, reason, actor, at)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(endorsement_id)
                    .bind(verdict.as_str())
                    .bind(reason)
                    .bind(actor)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(DecisionOutcome::Made)
                }

                async fn endorsement_decisions(
                    &self,
                    petition_id: i64,
                ) -> StoreResult<Vec<EndorsementDecision>> {
                    let rows = sqlx::query(
                        "SELECT d.endorsement_id, e.organisation, d.decision, d.reason, d.actor, d.at
                         FROM endorsement_decisions d
                         JOIN endorsements e ON e.id = d.endorsement_id
                         WHERE e.petition_id = $1 ORDER BY d.id",
                    )
                    .bind(petition_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(EndorsementDecision {
                                endorsement_id: row.try_get("endorsement_id")?,
                                organisation: row.try_get("organisation")?,
                                decision: row.try_get("decision")?,
                                reason: row.try_get("reason")?,
                                actor: row.try_get("actor")?,
                                at: row.try_get("at")?,
                            })
                        })
                        .collect()
                }

                async fn organisation_counts(&self) -> StoreResult<Vec<OrganisationCount>> {
                    let rows = sqlx::query(
                        "SELECT petition_id, COUNT(*) AS approved FROM endorsements
                         WHERE status = 'approved' GROUP BY petition_id",
                    )
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            let approved: i64 = row.try_get("approved")?;
                            Ok(OrganisationCount {
                                petition_id: row.try_get("petition_id")?,
                                approved: u64::try_from(approved).unwrap_or(0),
                            })
                        })
                        .collect()
                }

                async fn forget_unconfirmed_endorsements(&self, before: Millis) -> StoreResult<u64> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query(
                        "DELETE FROM outbox WHERE kind = 'endorsement_confirm' AND email_hash IN
                             (SELECT email_hash FROM endorsements
                              WHERE status = 'unconfirmed' AND created_at < $1)",
                    )
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
                    let done = sqlx::query(
                        "DELETE FROM endorsements WHERE status = 'unconfirmed' AND created_at < $1",
                    )
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected())
                }

                async fn erase_endorser(&self, email_hash: &EmailHash, at: Millis) -> StoreResult<u64> {
                    let done = sqlx::query(
                        "UPDATE endorsements SET sealed = NULL, email_hash = NULL,
                             client_hash = NULL, token_hash = NULL, anonymised_at = $2
                         WHERE email_hash = $1",
                    )
                    .bind(email_hash.as_bytes())
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected())
                }
            }
        }
    };
}

pub(super) use endorsement_store;
