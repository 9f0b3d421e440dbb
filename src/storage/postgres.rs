//! The PostgreSQL backend: for coalitions that run several Chorus instances
//! on one database. Instances learn of each other's signatures through
//! `LISTEN`/`NOTIFY`, so no other service is needed.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use tokio::sync::Notify;

use super::read::{self, missing_petition};
use super::{NewSignature, SignedRow, Signer, Store, StoreError, StoreResult, TallySince};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The channel every writer notifies after committing signatures.
const CHANNEL: &str = "chorus_signatures";

/// How long a request waits for a connection before answering "try again":
/// during a database restart, a quick 503 beats a hung supporter.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
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
        let store = Self {
            pool,
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

    async fn record_signatures(&self, batch: &[NewSignature]) -> StoreResult<Vec<Option<i64>>> {
        let mut tx = self.pool.begin().await?;
        // One writer at a time across every instance. Readers tail signatures
        // by id; without this, a transaction holding id 10 could commit after
        // one holding id 11, and a reader that already moved past 11 would
        // never count 10. It also makes the "already signed?" check below
        // see every committed signature. Readers are not blocked.
        sqlx::query("LOCK TABLE signatures IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
        // Set-based, a few statements per batch whatever its size: a round
        // trip per signature would cap a batch of hundreds at a few per second.
        let keep = new_signers(&mut tx, batch).await?;
        let kept: Vec<&NewSignature> = batch
            .iter()
            .zip(&keep)
            .filter_map(|(signature, keep)| keep.then_some(signature))
            .collect();
        let ids = next_ids(&mut tx, "signatures", kept.len()).await?;
        if !kept.is_empty() {
            insert_signatures(&mut tx, &ids, &kept).await?;
            // Delivered at commit, once per transaction: the other instances
            // look at the table as soon as the batch is visible.
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(CHANNEL)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        let mut ids = ids.into_iter();
        Ok(keep
            .into_iter()
            .map(|keep| if keep { ids.next() } else { None })
            .collect())
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

/// Which signatures of `batch` to store: not those whose address or
/// submission already signed the petition, before or earlier in the batch.
async fn new_signers(
    tx: &mut Transaction<'_, Postgres>,
    batch: &[NewSignature],
) -> StoreResult<Vec<bool>> {
    let signed = |f: fn(&Signer) -> &str| -> Vec<String> {
        batch
            .iter()
            .map(|s| s.signer.as_ref().map_or("", f).to_owned())
            .collect()
    };
    let email_hashes: Vec<&[u8]> = batch
        .iter()
        .map(|s| {
            s.signer
                .as_ref()
                .map_or(&[][..], |s| s.email_hash.as_bytes())
        })
        .collect();
    let petitions: Vec<i64> = batch.iter().map(|s| s.petition_id).collect();
    let seen_before: std::collections::HashSet<i64> = sqlx::query_scalar(
        "SELECT b.i FROM unnest($1::bigint[], $2::bytea[], $3::text[])
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
    .bind(signed(|s| &s.idempotency_key))
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    let mut in_batch = std::collections::HashSet::new();
    Ok(batch
        .iter()
        .zip(1_i64..)
        .map(|(signature, i)| match &signature.signer {
            // Simulated supporters (the demo) have no one to deduplicate.
            None => true,
            Some(signer) => {
                let email = (signature.petition_id, signer.email_hash.as_bytes());
                let submission = (signature.petition_id, signer.idempotency_key.as_bytes());
                let fresh = !seen_before.contains(&i)
                    && !in_batch.contains(&email)
                    && !in_batch.contains(&submission);
                if fresh {
                    in_batch.insert(email);
                    in_batch.insert(submission);
                }
                fresh
            }
        })
        .collect())
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

/// Stores `signatures` under the count entry ids given, with their signers
/// (as counted), in two statements.
async fn insert_signatures(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
    signatures: &[&NewSignature],
) -> StoreResult<()> {
    let with_signer: Vec<(&NewSignature, &Signer)> = signatures
        .iter()
        .filter_map(|s| Some((*s, s.signer.as_ref()?)))
        .collect();
    let mut signer_ids = next_ids(tx, "signers", with_signer.len())
        .await?
        .into_iter();
    let signer_of: Vec<Option<i64>> = signatures
        .iter()
        .map(|s| s.signer.as_ref().and_then(|_| signer_ids.next()))
        .collect();
    if !with_signer.is_empty() {
        insert_signers(tx, &signer_of, &with_signer).await?;
    }
    let column = |f: fn(&NewSignature) -> i64| signatures.iter().map(|s| f(s)).collect::<Vec<_>>();
    let partners: Vec<Option<i64>> = signatures.iter().map(|s| s.partner_id).collect();
    sqlx::query(
        "INSERT INTO signatures (id, petition_id, partner_id, signed_at, signer_id)
         OVERRIDING SYSTEM VALUE
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])",
    )
    .bind(ids)
    .bind(column(|s| s.petition_id))
    .bind(&partners)
    .bind(column(|s| s.signed_at))
    .bind(&signer_of)
    .execute(&mut **tx)
    .await
    .map_err(|e| missing_petition(e, signatures[0].petition_id))?;
    Ok(())
}

/// Stores signers, as counted, under the ids in `ids` (in order, skipping `None`).
async fn insert_signers(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[Option<i64>],
    signers: &[(&NewSignature, &Signer)],
) -> StoreResult<()> {
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
             opt_in_partner)
         OVERRIDING SYSTEM VALUE
         SELECT id, petition_id, partner_id, signed_at, 'counted', email_hash, idempotency_key,
             sealed, country, lang, consent_version, opt_in_organiser, opt_in_partner
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bytea[],
             $6::text[], $7::bytea[], $8::text[], $9::text[], $10::text[], $11::boolean[],
             $12::boolean[])
             AS b (id, petition_id, partner_id, signed_at, email_hash, idempotency_key, sealed,
                 country, lang, consent_version, opt_in_organiser, opt_in_partner)",
    )
    .bind(ids.iter().flatten().copied().collect::<Vec<i64>>())
    .bind(of_signature(|s| s.petition_id))
    .bind(&partners)
    .bind(of_signature(|s| s.signed_at))
    .bind(bytes(|s| s.email_hash.as_bytes()))
    .bind(text(|s| &s.idempotency_key))
    .bind(bytes(|s| &s.sealed))
    .bind(text(|s| &s.country))
    .bind(text(|s| &s.lang))
    .bind(text(|s| &s.consent_version))
    .bind(flag(|s| s.opt_in_organiser))
    .bind(flag(|s| s.opt_in_partner))
    .execute(&mut **tx)
    .await
    .map_err(|e| missing_petition(e, signers[0].0.petition_id))?;
    Ok(())
}

super::petition_sql::petition_store!(PostgresStore, sqlx::Postgres);
super::personal_sql::personal_store!(PostgresStore, sqlx::Postgres);
super::donation_sql::donation_store!(PostgresStore, sqlx::Postgres);
super::update_sql::update_store!(PostgresStore, sqlx::Postgres);

impl PostgresStore {
    /// A transaction for writing (donations, anonymisation).
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.pool.begin().await
    }
}
