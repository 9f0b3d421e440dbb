//! The SQLite backend: the default, one file, no other service.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use super::read::{self, missing_petition};
use super::{NewSignature, SignedRow, Signer, Store, StoreError, StoreResult, TallySince};

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

    async fn record_signatures(&self, batch: &[NewSignature]) -> StoreResult<Vec<Option<i64>>> {
        // IMMEDIATE takes the write lock before the first read: a deferred
        // transaction that reads, then writes, fails at once if another
        // connection wrote in between, while this one waits its turn
        // (busy_timeout) instead.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut ids = Vec::with_capacity(batch.len());
        for signature in batch {
            let signer_id = match &signature.signer {
                Some(signer) if already_signed(&mut tx, signature.petition_id, signer).await? => {
                    ids.push(None);
                    continue;
                }
                Some(signer) => Some(insert_signer(&mut tx, signature, signer).await?),
                None => None,
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO signatures (petition_id, partner_id, signed_at, signer_id)
                 VALUES (?, ?, ?, ?) RETURNING id",
            )
            .bind(signature.petition_id)
            .bind(signature.partner_id)
            .bind(signature.signed_at)
            .bind(signer_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| missing_petition(e, signature.petition_id))?;
            ids.push(Some(id));
        }
        tx.commit().await?;
        Ok(ids)
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

/// Whether this address or this submission already signed the petition.
/// Asked inside the writing transaction, so no other write falls between.
async fn already_signed(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    petition_id: i64,
    signer: &Signer,
) -> StoreResult<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM signers WHERE petition_id = ? AND (email_hash = ? OR idempotency_key = ?)",
    )
    .bind(petition_id)
    .bind(signer.email_hash.as_bytes())
    .bind(&signer.idempotency_key)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

/// Stores a signer as counted; returns its id.
async fn insert_signer(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    signature: &NewSignature,
    signer: &Signer,
) -> StoreResult<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO signers (petition_id, partner_id, signed_at, status, email_hash,
             idempotency_key, sealed, country, lang, consent_version, opt_in_organiser,
             opt_in_partner)
         VALUES (?, ?, ?, 'counted', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(signature.petition_id)
    .bind(signature.partner_id)
    .bind(signature.signed_at)
    .bind(signer.email_hash.as_bytes())
    .bind(&signer.idempotency_key)
    .bind(&signer.sealed)
    .bind(&signer.country)
    .bind(&signer.lang)
    .bind(&signer.consent_version)
    .bind(signer.opt_in_organiser)
    .bind(signer.opt_in_partner)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| missing_petition(e, signature.petition_id))?;
    Ok(id)
}

super::petition_sql::petition_store!(SqliteStore, sqlx::Sqlite);
super::personal_sql::personal_store!(SqliteStore, sqlx::Sqlite);
super::donation_sql::donation_store!(SqliteStore, sqlx::Sqlite);
super::update_sql::update_store!(SqliteStore, sqlx::Sqlite);

impl SqliteStore {
    /// A transaction for writing (donations, anonymisation).
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }
}
