//! Keeping SQLite's write-ahead log small through a long surge.
//!
//! SQLite copies the log back into the database as it grows (the committing
//! connection's automatic checkpoint, every 1,000 pages), but it can start
//! the log over only at a moment when no reader still needs its older
//! pages. Under steady reads that moment may never come: the log grew by
//! every page written (389 MB in a 5,000/s surge), every read slower for it.
//!
//! So this task looks at the log's size every [`EVERY`] (a `stat`), and
//! past [`LIMIT_BYTES`] runs a truncating checkpoint on its own
//! connection, which waits for readers to move to the newest pages and
//! then empties the log. The wait holds the signature writer back, so it
//! lasts at most [`READER_WAIT`]; a reader that holds on longer (an export)
//! only delays the emptying to a later round.

use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

use sqlx::SqlitePool;

/// Past this size the log is emptied.
pub const LIMIT_BYTES: u64 = 32 * 1024 * 1024;
/// How often the log's size is looked at.
const EVERY: Duration = Duration::from_millis(250);
/// How long a truncating checkpoint waits for readers before giving up.
const READER_WAIT: Duration = Duration::from_millis(100);
/// Every connection's usual wait for a lock, restored after a checkpoint.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The log of one database file, kept small for as long as its store lives.
#[derive(Debug)]
pub struct WalLimit {
    path: PathBuf,
    pool: SqlitePool,
}

impl WalLimit {
    /// Starts checkpointing the database at `database` (its log is `-wal`
    /// beside it) over `pool`. It stops once the returned handle is dropped.
    pub fn spawn(database: &std::path::Path, pool: SqlitePool) -> Arc<Self> {
        let mut path = database.as_os_str().to_owned();
        path.push("-wal");
        let limit = Arc::new(Self {
            path: path.into(),
            pool,
        });
        tokio::spawn(checkpoint_while_open(Arc::downgrade(&limit)));
        limit
    }

    fn size(&self) -> u64 {
        std::fs::metadata(&self.path).map_or(0, |m| m.len())
    }

    /// One round: empty the log if it is long.
    async fn checkpoint(&self) -> sqlx::Result<()> {
        let size = self.size();
        if size < LIMIT_BYTES {
            return Ok(());
        }
        let mut conn = self.pool.acquire().await?;
        sqlx::query(&format!(
            "PRAGMA busy_timeout = {}",
            READER_WAIT.as_millis()
        ))
        .execute(&mut *conn)
        .await?;
        // (busy, frames in the log, frames copied): busy means a reader held
        // on past the wait, and the log stays for the next round.
        let emptied: Result<(i64, i64, i64), _> = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&mut *conn)
            .await;
        sqlx::query(&format!(
            "PRAGMA busy_timeout = {}",
            BUSY_TIMEOUT.as_millis()
        ))
        .execute(&mut *conn)
        .await?;
        match emptied? {
            (0, _, _) => tracing::debug!(size, "write-ahead log emptied"),
            (_, frames, copied) => {
                tracing::info!(
                    size,
                    frames,
                    copied,
                    "write-ahead log not emptied: a reader held on"
                )
            }
        }
        Ok(())
    }
}

async fn checkpoint_while_open(limit: Weak<WalLimit>) {
    let mut every = tokio::time::interval(EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let Some(limit) = limit.upgrade() else {
            return;
        };
        if let Err(error) = limit.checkpoint().await {
            tracing::warn!(%error, "cannot checkpoint the write-ahead log");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

    async fn database(dir: &std::path::Path) -> (std::path::PathBuf, SqlitePool, SqlitePool) {
        let file = dir.join("wal.db");
        let options = SqliteConnectOptions::new()
            .filename(&file)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .pragma("wal_autocheckpoint", "0");
        let pool = SqlitePoolOptions::new()
            .connect_with(options)
            .await
            .expect("opens");
        sqlx::query("CREATE TABLE t (b BLOB)")
            .execute(&pool)
            .await
            .expect("table");
        let checkpointer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(SqliteConnectOptions::new().filename(&file))
            .await
            .expect("opens");
        (file, pool, checkpointer)
    }

    /// Writes past the limit, with nothing else checkpointing.
    async fn fill(pool: &SqlitePool) {
        let blob = vec![7_u8; 1 << 20];
        for _ in 0..(LIMIT_BYTES >> 20) + 2 {
            sqlx::query("INSERT INTO t VALUES (?)")
                .bind(&blob)
                .execute(pool)
                .await
                .expect("written");
        }
    }

    #[tokio::test]
    async fn a_long_log_is_emptied_and_a_reader_holding_on_delays_it_briefly() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (file, pool, checkpointer) = database(dir.path()).await;
        let limit = WalLimit {
            path: format!("{}-wal", file.display()).into(),
            pool: checkpointer,
        };
        fill(&pool).await;
        assert!(limit.size() > LIMIT_BYTES);

        // A reader in the middle of a transaction keeps the old pages.
        let mut reader = pool.acquire().await.expect("reader");
        sqlx::query("BEGIN")
            .execute(&mut *reader)
            .await
            .expect("begin");
        sqlx::query("SELECT COUNT(*) FROM t")
            .execute(&mut *reader)
            .await
            .expect("read");
        fill(&pool).await;
        let started = std::time::Instant::now();
        limit.checkpoint().await.expect("checkpoint runs");
        assert!(limit.size() > LIMIT_BYTES, "the reader still needs the log");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the checkpoint gave up on the reader instead of waiting for it"
        );

        sqlx::query("COMMIT")
            .execute(&mut *reader)
            .await
            .expect("end");
        drop(reader);
        limit.checkpoint().await.expect("checkpoint runs");
        assert_eq!(limit.size(), 0, "the log is emptied");
    }
}
