//! The SQLite backend: the default, one file, no other service.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use super::read::{self, missing_petition};
use super::{
    NewSignature, SignedRow, Signer, Store, StoreError, StoreResult, Stored, TallySince, status_of,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `url`, then
    /// checks that it really runs with the durability Chorus promises.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            // WAL lets readers (the count, the API) run beside the one writer;
            // FULL makes an acknowledged signature survive a power cut.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5));
        if let Some(dir) = options.get_filename().parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Unsafe(format!("cannot create {dir:?}: {e}")))?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Database(e.into()))?;
        let store = Self { pool };
        store.check_durability().await?;
        Ok(store)
    }

    async fn check_durability(&self) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await?;
        // 2 is FULL; anything lower can lose acknowledged writes on power loss.
        if !journal.eq_ignore_ascii_case("wal") || synchronous < 2 {
            return Err(StoreError::Unsafe(format!(
                "journal_mode={journal}, synchronous={synchronous}; need wal and FULL (2)"
            )));
        }
        Ok(())
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn record_signatures(&self, batch: &[NewSignature]) -> StoreResult<Vec<Stored>> {
        // IMMEDIATE takes the write lock before the first read: a deferred
        // transaction that reads, then writes, fails at once if another
        // connection wrote in between, while this one waits its turn
        // (busy_timeout) instead.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for signature in batch {
            let signer_id = match &signature.signer {
                Some(signer) => {
                    if let Some(repeat) = repeat_of(&mut tx, signature.petition_id, signer).await? {
                        outcomes.push(repeat);
                        continue;
                    }
                    Some(insert_signer(&mut tx, signature, signer).await?)
                }
                None => None,
            };
            if signature.hold.is_some() {
                outcomes.push(Stored::Held);
                continue;
            }
            if let (Some(confirmation), Some(signer_id)) = (&signature.confirmation, signer_id) {
                mail::insert_token(&mut *tx, confirmation.token, signer_id, signature.signed_at)
                    .await?;
                mail::queue(
                    &mut *tx,
                    &confirmation.mail,
                    Some(signer_id),
                    signature.signed_at,
                )
                .await?;
                outcomes.push(Stored::Waiting);
                continue;
            }
            sqlx::query(
                "INSERT INTO signatures (petition_id, partner_id, signed_at, signer_id)
                 VALUES (?, ?, ?, ?)",
            )
            .bind(signature.petition_id)
            .bind(signature.partner_id)
            .bind(signature.signed_at)
            .bind(signer_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| missing_petition(e, signature.petition_id))?;
            outcomes.push(Stored::Counted);
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    fn signed_rows(&self, petition_id: i64) -> BoxStream<'_, StoreResult<SignedRow>> {
        sqlx::query(
            "SELECT d.*, p.name AS partner
             FROM signers d LEFT JOIN partners p ON p.id = d.partner_id
             WHERE d.petition_id = ? ORDER BY d.id",
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
             FROM signatures WHERE id > ? GROUP BY petition_id",
        )
        .bind(watermark)
        .fetch_all(&self.pool)
        .await?;
        read::tallies(&rows, watermark)
    }
}

/// Whether this submission or this address already signed the petition.
/// Asked inside the writing transaction, so no other write falls between.
async fn repeat_of(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    petition_id: i64,
    signer: &Signer,
) -> StoreResult<Option<Stored>> {
    // A retry of the submission matches both; it is a retry first.
    let same_submission: Option<bool> = sqlx::query_scalar(
        "SELECT idempotency_key = ?3 FROM signers
         WHERE petition_id = ?1 AND (email_hash = ?2 OR idempotency_key = ?3)
         ORDER BY idempotency_key = ?3 DESC LIMIT 1",
    )
    .bind(petition_id)
    .bind(signer.email_hash.as_bytes())
    .bind(&signer.idempotency_key)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(same_submission.map(|same| {
        if same {
            Stored::RepeatSubmission
        } else {
            Stored::RepeatAddress
        }
    }))
}

/// Stores a signer, counted or waiting for its confirmation; returns its id.
async fn insert_signer(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    signature: &NewSignature,
    signer: &Signer,
) -> StoreResult<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO signers (petition_id, partner_id, signed_at, status, email_hash,
             idempotency_key, sealed, country, lang, consent_version, opt_in_organiser,
             opt_in_partner, client_hash, held_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(signature.petition_id)
    .bind(signature.partner_id)
    .bind(signature.signed_at)
    .bind(status_of(signature))
    .bind(signer.email_hash.as_bytes())
    .bind(&signer.idempotency_key)
    .bind(&signer.sealed)
    .bind(&signer.country)
    .bind(&signer.lang)
    .bind(&signer.consent_version)
    .bind(signer.opt_in_organiser)
    .bind(signer.opt_in_partner)
    .bind(signer.client_hash.as_ref().map(|h| &h[..]))
    .bind(signature.hold)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| missing_petition(e, signature.petition_id))?;
    Ok(id)
}

super::petition_sql::petition_store!(SqliteStore, sqlx::Sqlite);
super::personal_sql::personal_store!(SqliteStore, sqlx::Sqlite);
super::mail_sql::mail_store!(SqliteStore, sqlx::Sqlite);
super::guard_sql::guard_store!(SqliteStore, sqlx::Sqlite);
super::donation_sql::donation_store!(SqliteStore, sqlx::Sqlite);
super::update_sql::update_store!(SqliteStore, sqlx::Sqlite);

impl SqliteStore {
    /// A transaction for writing (donations, anonymisation).
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// A transaction adding count entries: with one writer at a time, ids
    /// become visible in order.
    async fn begin_ledger(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_write().await
    }

    /// Other processes on the file notice new count entries by polling.
    async fn announce_ledger(
        _tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }
}
