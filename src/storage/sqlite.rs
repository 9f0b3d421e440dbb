//! The SQLite backend: the default, one file, no other service.

use std::str::FromStr;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqlitePool};

use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use super::read;
use super::sqlite_batch;
use super::wal::{self, WalLimit};
use super::{NewSignature, SignedRow, Store, StoreError, StoreResult, Stored, TallySince};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The signature writer's own connection: readers queueing for the
    /// shared pool never keep a batch of signatures waiting.
    writer: SqlitePool,
    /// Keeps the log checkpointed for as long as the store is open.
    _wal: std::sync::Arc<WalLimit>,
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
            .busy_timeout(wal::BUSY_TIMEOUT);
        if let Some(dir) = options.get_filename().parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Unsafe(format!("cannot create {dir:?}: {e}")))?;
        }
        let database = options.get_filename().to_owned();
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Database(e.into()))?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            // Room for the indexes a surge writes to at random places
            // (addresses' hashes, submissions' keys), so they are not read
            // back in from the file at every batch.
            .connect_with(options.pragma("cache_size", "-32768"))
            .await?;
        let wal = WalLimit::spawn(&database, pool.clone());
        let store = Self {
            pool,
            writer,
            _wal: wal,
        };
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
        let mut writer = self.writer.acquire().await?;
        let mut tx = writer.begin_with("BEGIN IMMEDIATE").await?;
        let outcomes = sqlite_batch::record(&mut tx, batch).await?;
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

super::petition_sql::petition_store!(SqliteStore, sqlx::Sqlite);
super::personal_sql::personal_store!(SqliteStore, sqlx::Sqlite);
super::mail_sql::mail_store!(SqliteStore, sqlx::Sqlite);
super::guard_sql::guard_store!(SqliteStore, sqlx::Sqlite);
super::donation_sql::donation_store!(SqliteStore, sqlx::Sqlite);
super::update_sql::update_store!(SqliteStore, sqlx::Sqlite);
super::event_sql::event_store!(SqliteStore, sqlx::Sqlite);
super::endorsement_sql::endorsement_store!(SqliteStore, sqlx::Sqlite);
super::wall_sql::wall_store!(SqliteStore, sqlx::Sqlite);
super::signup_sql::signup_store!(SqliteStore, sqlx::Sqlite);
super::storm_sql::storm_store!(SqliteStore, sqlx::Sqlite);
super::attachment_sql::attachment_store!(SqliteStore, sqlx::Sqlite);
super::token_sql::token_store!(SqliteStore, sqlx::Sqlite);
super::audit_sql::audit_store!(SqliteStore, sqlx::Sqlite);
super::activity_sql::activity_store!(SqliteStore, sqlx::Sqlite);

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
