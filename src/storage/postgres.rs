//! The PostgreSQL backend: for coalitions that run several Chorus instances
//! on one database. Instances learn of each other's signatures through
//! `LISTEN`/`NOTIFY`, so no other service is needed.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use tokio::sync::Notify;

use super::batching;
use super::read::{self, missing_petition};
use super::{
    Confirmation, Millis, NewSignature, SignedRow, Signer, Store, StoreError, StoreResult, Stored,
    TallySince, status_of,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The channel every writer notifies after committing signatures.
const CHANNEL: &str = "chorus_signatures";

/// How long a request waits for a connection before answering "try again":
/// during a database restart, a quick 503 beats a hung supporter.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
    /// The signature writer's own connection: requests queueing for the
    /// shared pool never keep a batch of signatures waiting.
    writer: PgPool,
    /// Woken when any instance committed signatures, or when the listener
    /// reconnected and notices may have been missed.
    committed: Arc<Notify>,
}

impl PostgresStore {
    /// Connects, migrates (instances starting together take turns: the
    /// migrator holds a lock), checks durability and starts listening.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Database(e.into()))?;
        let writer = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await?;
        let store = Self {
            pool,
            writer,
            committed: Arc::default(),
        };
        store.check_durability().await?;
        tokio::spawn(listen(store.pool.clone(), store.committed.clone()));
        Ok(store)
    }

    /// An acknowledged signature must survive a crash of the database server.
    async fn check_durability(&self) -> StoreResult<()> {
        let fsync: String = sqlx::query_scalar("SHOW fsync")
            .fetch_one(&self.pool)
            .await?;
        let commit: String = sqlx::query_scalar("SHOW synchronous_commit")
            .fetch_one(&self.pool)
            .await?;
        if fsync != "on" || commit == "off" {
            return Err(StoreError::Unsafe(format!(
                "fsync={fsync}, synchronous_commit={commit}; need fsync on and synchronous_commit not off"
            )));
        }
        Ok(())
    }
}

/// Relays notices from other instances to [`Store::signatures_committed`],
/// reconnecting for as long as the process runs.
async fn listen(pool: PgPool, committed: Arc<Notify>) {
    loop {
        match PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if let Err(error) = listener.listen(CHANNEL).await {
                    tracing::warn!(%error, "could not listen for signatures");
                } else {
                    // Anything committed while we were not listening is
                    // caught up by the tailer's next look.
                    committed.notify_one();
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(_)) => committed.notify_one(),
                            // The connection dropped; the next call reconnects.
                            Ok(None) => committed.notify_one(),
                            Err(error) => {
                                tracing::warn!(%error, "lost the signature notices");
                                break;
                            }
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "could not connect to listen for signatures"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn record_signatures(&self, batch: &[NewSignature]) -> StoreResult<Vec<Stored>> {
        let mut tx = lock_ledger(self.writer.begin().await?).await?;
        // Set-based, a few statements per batch whatever its size: a round
        // trip per signature would cap a batch of hundreds at a few per second.
        let seen = seen_before(&mut tx, batch).await?;
        let proof_spent = spend_proofs(&mut tx, batch, &seen).await?;
        let repeats = batching::repeats_in(batch, &seen, &proof_spent);
        let kept: Vec<&NewSignature> = batch
            .iter()
            .zip(&repeats)
            .filter_map(|(signature, repeat)| repeat.is_none().then_some(signature))
            .collect();
        let signer_ids = insert_signers(&mut tx, &kept).await?;
        let (waiting, counted): (Vec<_>, Vec<_>) = kept
            .iter()
            .copied()
            .zip(signer_ids)
            .filter(|(signature, _)| signature.hold.is_none())
            .partition(|(signature, _)| signature.confirmation.is_some());
        if !counted.is_empty() {
            insert_count_entries(&mut tx, &counted).await?;
            Self::announce_ledger(&mut tx).await?;
        }
        if !waiting.is_empty() {
            queue_confirmations(&mut tx, &waiting).await?;
        }
        tx.commit().await?;
        Ok(batching::outcomes(batch, repeats))
    }

    fn signed_rows(&self, petition_id: i64) -> BoxStream<'_, StoreResult<SignedRow>> {
        sqlx::query(
            "SELECT d.*, p.name AS partner
             FROM signers d LEFT JOIN partners p ON p.id = d.partner_id
             WHERE d.petition_id = $1 ORDER BY d.id",
        )
        .bind(petition_id)
        .fetch(&self.pool)
        .map(|row| read::signed_row(&row?))
        .boxed()
    }

    async fn tally_since(&self, watermark: i64) -> StoreResult<TallySince> {
        let rows = sqlx::query(
            "SELECT petition_id, SUM(delta) AS n,
                 MAX(CASE WHEN delta > 0 THEN signed_at END) AS last, MAX(id) AS top
             FROM signatures WHERE id > $1 GROUP BY petition_id",
        )
        .bind(watermark)
        .fetch_all(&self.pool)
        .await?;
        read::tallies(&rows, watermark)
    }

    async fn signatures_committed(&self) {
        self.committed.notified().await;
    }
}

/// The signatures of `batch` (by 1-based position) whose address or
/// submission already signed the petition: `true` for the same submission.
async fn seen_before(
    tx: &mut Transaction<'_, Postgres>,
    batch: &[NewSignature],
) -> StoreResult<HashMap<i64, bool>> {
    let keys: Vec<&str> = batch
        .iter()
        .map(|s| s.signer.as_ref().map_or("", |s| s.idempotency_key.as_str()))
        .collect();
    let email_hashes: Vec<&[u8]> = batch
        .iter()
        .map(|s| {
            s.signer
                .as_ref()
                .map_or(&[][..], |s| s.email_hash.as_bytes())
        })
        .collect();
    let petitions: Vec<i64> = batch.iter().map(|s| s.petition_id).collect();
    Ok(sqlx::query_as(
        "SELECT b.i, EXISTS (SELECT 1 FROM signers s
                 WHERE s.petition_id = b.petition_id AND s.idempotency_key = b.idempotency_key)
         FROM unnest($1::bigint[], $2::bytea[], $3::text[])
             WITH ORDINALITY AS b (petition_id, email_hash, idempotency_key, i)
         -- Two lookups, each on its unique index: one with OR scans every
         -- signer of the petition.
         WHERE EXISTS (SELECT 1 FROM signers s
                 WHERE s.petition_id = b.petition_id AND s.email_hash = b.email_hash)
            OR EXISTS (SELECT 1 FROM signers s
                 WHERE s.petition_id = b.petition_id AND s.idempotency_key = b.idempotency_key)",
    )
    .bind(&petitions)
    .bind(email_hashes)
    .bind(&keys)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect())
}

/// Spends the proofs of work of `batch`'s signatures, except retries (`seen`
/// as the same submission), which may bring theirs again. Returns, by
/// position, whether a signature's proof had bought another submission.
async fn spend_proofs(
    tx: &mut Transaction<'_, Postgres>,
    batch: &[NewSignature],
    seen: &HashMap<i64, bool>,
) -> StoreResult<Vec<bool>> {
    let spending = batching::proofs_to_spend(batch, seen);
    if spending.is_empty() {
        return Ok(vec![false; batch.len()]);
    }
    let challenges: Vec<&str> = spending.iter().map(|p| p.challenge).collect();
    sqlx::query(
        "INSERT INTO spent_proofs (challenge, idempotency_key, expires_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
         ON CONFLICT (challenge) DO NOTHING",
    )
    .bind(&challenges)
    .bind(
        spending
            .iter()
            .map(|p| p.idempotency_key)
            .collect::<Vec<_>>(),
    )
    .bind(spending.iter().map(|p| p.expires_at).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    let spent_by: HashMap<String, String> = sqlx::query_as(
        "SELECT challenge, idempotency_key FROM spent_proofs WHERE challenge = ANY($1)",
    )
    .bind(&challenges)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    Ok(batching::proofs_refused(batch, seen, &spent_by))
}

/// `n` new ids from `table`'s identity, in ascending order.
async fn next_ids(
    tx: &mut Transaction<'_, Postgres>,
    table: &str,
    n: usize,
) -> StoreResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2) ORDER BY 1",
    )
    .bind(table)
    .bind(i64::try_from(n).unwrap_or(i64::MAX))
    .fetch_all(&mut **tx)
    .await?)
}

/// Count entries for `counted`, each with its signer (if any), in id order.
async fn insert_count_entries(
    tx: &mut Transaction<'_, Postgres>,
    counted: &[(&NewSignature, Option<i64>)],
) -> StoreResult<()> {
    let ids = next_ids(tx, "signatures", counted.len()).await?;
    let column =
        |f: fn(&NewSignature) -> i64| counted.iter().map(|(s, _)| f(s)).collect::<Vec<_>>();
    let partners: Vec<Option<i64>> = counted.iter().map(|(s, _)| s.partner_id).collect();
    let signers: Vec<Option<i64>> = counted.iter().map(|(_, id)| *id).collect();
    sqlx::query(
        "INSERT INTO signatures (id, petition_id, partner_id, signed_at, signer_id)
         OVERRIDING SYSTEM VALUE
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])",
    )
    .bind(&ids)
    .bind(column(|s| s.petition_id))
    .bind(&partners)
    .bind(column(|s| s.signed_at))
    .bind(&signers)
    .execute(&mut **tx)
    .await
    .map_err(|e| missing_petition(e, counted[0].0.petition_id))?;
    Ok(())
}

/// The tokens and outbox messages of signers waiting for confirmation, and
/// the wall names of those who asked to be listed once confirmed.
async fn queue_confirmations(
    tx: &mut Transaction<'_, Postgres>,
    waiting: &[(&NewSignature, Option<i64>)],
) -> StoreResult<()> {
    let rows: Vec<(&Confirmation, i64, Millis)> = waiting
        .iter()
        .filter_map(|(s, id)| Some((s.confirmation.as_ref()?, (*id)?, s.signed_at)))
        .collect();
    let listed: Vec<(&crate::storage::WallName, i64, i64)> = waiting
        .iter()
        .filter_map(|(s, id)| {
            Some((
                s.confirmation.as_ref()?.listing.as_ref()?,
                (*id)?,
                s.petition_id,
            ))
        })
        .collect();
    if !listed.is_empty() {
        sqlx::query(
            "INSERT INTO wall_names (signer_id, petition_id, first_name, initial, country, city,
                 shuffle)
             SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],
                 $6::text[], $7::bigint[])",
        )
        .bind(listed.iter().map(|(_, id, _)| *id).collect::<Vec<_>>())
        .bind(listed.iter().map(|(_, _, p)| *p).collect::<Vec<_>>())
        .bind(
            listed
                .iter()
                .map(|(w, _, _)| w.first_name.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            listed
                .iter()
                .map(|(w, _, _)| w.initial.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            listed
                .iter()
                .map(|(w, _, _)| w.country.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            listed
                .iter()
                .map(|(w, _, _)| w.city.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(listed.iter().map(|(w, _, _)| w.shuffle).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await?;
    }
    let signer_ids: Vec<i64> = rows.iter().map(|(_, id, _)| *id).collect();
    let times: Vec<Millis> = rows.iter().map(|(_, _, at)| *at).collect();
    sqlx::query(
        "INSERT INTO signer_tokens (token_hash, signer_id, created_at)
         SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[])",
    )
    .bind(
        rows.iter()
            .map(|(c, _, _)| &c.token.0[..])
            .collect::<Vec<_>>(),
    )
    .bind(&signer_ids)
    .bind(&times)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO outbox (kind, signer_id, email_hash, sealed, created_at, next_attempt_at)
         SELECT kind, signer_id, email_hash, sealed, at, at
         FROM unnest($1::text[], $2::bigint[], $3::bytea[], $4::bytea[], $5::bigint[])
             AS b (kind, signer_id, email_hash, sealed, at)",
    )
    .bind(
        rows.iter()
            .map(|(c, _, _)| c.mail.kind.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(&signer_ids)
    .bind(
        rows.iter()
            .map(|(c, _, _)| c.mail.email_hash.as_bytes())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(c, _, _)| &c.mail.sealed[..])
            .collect::<Vec<_>>(),
    )
    .bind(&times)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores the signers of `signatures` (counted, or waiting for their
/// confirmation). Returns each signature's signer id, `None` for those
/// without a signer.
async fn insert_signers(
    tx: &mut Transaction<'_, Postgres>,
    signatures: &[&NewSignature],
) -> StoreResult<Vec<Option<i64>>> {
    let signers: Vec<(&NewSignature, &Signer)> = signatures
        .iter()
        .filter_map(|s| Some((*s, s.signer.as_ref()?)))
        .collect();
    let mut ids = next_ids(tx, "signers", signers.len()).await?.into_iter();
    let signer_of: Vec<Option<i64>> = signatures
        .iter()
        .map(|s| s.signer.as_ref().and_then(|_| ids.next()))
        .collect();
    if signers.is_empty() {
        return Ok(signer_of);
    }
    let of_signature =
        |f: fn(&NewSignature) -> i64| -> Vec<i64> { signers.iter().map(|(s, _)| f(s)).collect() };
    let text =
        |f: fn(&Signer) -> &str| -> Vec<&str> { signers.iter().map(|(_, s)| f(s)).collect() };
    let flag =
        |f: fn(&Signer) -> bool| -> Vec<bool> { signers.iter().map(|(_, s)| f(s)).collect() };
    let bytes =
        |f: fn(&Signer) -> &[u8]| -> Vec<&[u8]> { signers.iter().map(|(_, s)| f(s)).collect() };
    let partners: Vec<Option<i64>> = signers.iter().map(|(s, _)| s.partner_id).collect();
    sqlx::query(
        "INSERT INTO signers (id, petition_id, partner_id, signed_at, status, email_hash,
             idempotency_key, sealed, country, lang, consent_version, opt_in_organiser,
             opt_in_partner, client_hash, held_reason)
         OVERRIDING SYSTEM VALUE
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[],
             $6::bytea[], $7::text[], $8::bytea[], $9::text[], $10::text[], $11::text[],
             $12::boolean[], $13::boolean[], $14::bytea[], $15::text[])",
    )
    .bind(signer_of.iter().flatten().copied().collect::<Vec<i64>>())
    .bind(of_signature(|s| s.petition_id))
    .bind(&partners)
    .bind(of_signature(|s| s.signed_at))
    .bind(
        signers
            .iter()
            .map(|(s, _)| status_of(s))
            .collect::<Vec<_>>(),
    )
    .bind(bytes(|s| s.email_hash.as_bytes()))
    .bind(text(|s| &s.idempotency_key))
    .bind(bytes(|s| &s.sealed))
    .bind(text(|s| &s.country))
    .bind(text(|s| &s.lang))
    .bind(text(|s| &s.consent_version))
    .bind(flag(|s| s.opt_in_organiser))
    .bind(flag(|s| s.opt_in_partner))
    .bind(
        signers
            .iter()
            .map(|(_, s)| s.client_hash.as_ref().map(|h| &h[..]))
            .collect::<Vec<_>>(),
    )
    .bind(signers.iter().map(|(s, _)| s.hold).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await
    .map_err(|e| missing_petition(e, signers[0].0.petition_id))?;
    Ok(signer_of)
}

/// `tx`, holding the one lock that adds count entries ([`PostgresStore::begin_ledger`]).
async fn lock_ledger(
    mut tx: Transaction<'static, Postgres>,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    sqlx::query("LOCK TABLE signatures IN EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

super::petition_sql::petition_store!(PostgresStore, sqlx::Postgres);
super::personal_sql::personal_store!(PostgresStore, sqlx::Postgres);
super::mail_sql::mail_store!(PostgresStore, sqlx::Postgres);
super::guard_sql::guard_store!(PostgresStore, sqlx::Postgres);
super::donation_sql::donation_store!(PostgresStore, sqlx::Postgres);
super::update_sql::update_store!(PostgresStore, sqlx::Postgres);
super::event_sql::event_store!(PostgresStore, sqlx::Postgres);
super::endorsement_sql::endorsement_store!(PostgresStore, sqlx::Postgres);
super::wall_sql::wall_store!(PostgresStore, sqlx::Postgres);
super::signup_sql::signup_store!(PostgresStore, sqlx::Postgres);
super::storm_sql::storm_store!(PostgresStore, sqlx::Postgres);
super::attachment_sql::attachment_store!(PostgresStore, sqlx::Postgres);
super::token_sql::token_store!(PostgresStore, sqlx::Postgres);
super::audit_sql::audit_store!(PostgresStore, sqlx::Postgres);
super::activity_sql::activity_store!(PostgresStore, sqlx::Postgres);

impl PostgresStore {
    /// A transaction for writing (donations, anonymisation).
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.pool.begin().await
    }

    /// A transaction adding count entries. One writer at a time across every
    /// instance: readers tail entries by id, and without this a transaction
    /// holding id 10 could commit after one holding id 11, and a reader that
    /// already moved past 11 would never count 10. It also makes "already
    /// signed?" checks see every committed signer. Readers are not blocked.
    async fn begin_ledger(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        lock_ledger(self.pool.begin().await?).await
    }

    /// Tells the other instances, at commit and once per transaction, to
    /// look at the count entries.
    async fn announce_ledger(
        tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(CHANNEL)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}
