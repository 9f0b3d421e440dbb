//! The SQLite backend: the default, one file, no other service.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use super::{
    NewPetition, NewSignature, Partner, PetitionRecord, PetitionText, Store, StoreError,
    StoreResult, Tally, TallySince, now_millis,
};
use crate::ident::{Lang, Origin, Slug};

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

fn conflict(error: sqlx::Error, what: impl FnOnce() -> String) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::AlreadyExists(what()),
        _ => StoreError::Database(error),
    }
}

fn petition_from_row(row: &sqlx::sqlite::SqliteRow) -> StoreResult<PetitionRecord> {
    let corrupt = |field: &str, e: String| {
        StoreError::Unsafe(format!("stored petition has an invalid {field}: {e}"))
    };
    let goal: Option<i64> = row.try_get("goal")?;
    Ok(PetitionRecord {
        id: row.try_get("id")?,
        slug: Slug::parse(row.try_get("slug")?).map_err(|e| corrupt("slug", e))?,
        default_lang: Lang::parse(row.try_get("default_lang")?).map_err(|e| corrupt("lang", e))?,
        goal: goal.and_then(|g| u64::try_from(g).ok()),
        created_at: row.try_get("created_at")?,
    })
}

fn text_from_row(row: &sqlx::sqlite::SqliteRow) -> StoreResult<PetitionText> {
    Ok(PetitionText {
        lang: Lang::parse(row.try_get("lang")?).map_err(StoreError::Unsafe)?,
        title: row.try_get("title")?,
        summary: row.try_get("summary")?,
        body: row.try_get("body")?,
    })
}

const PETITION_COLUMNS: &str = "id, slug, default_lang, goal, created_at";

#[async_trait]
impl Store for SqliteStore {
    async fn create_petition(&self, petition: &NewPetition) -> StoreResult<PetitionRecord> {
        let mut tx = self.pool.begin().await?;
        let created_at = now_millis();
        let goal = petition.goal.map(|g| i64::try_from(g).unwrap_or(i64::MAX));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO petitions (slug, default_lang, goal, created_at)
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(petition.slug.as_str())
        .bind(petition.text.lang.as_str())
        .bind(goal)
        .bind(created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| conflict(e, || format!("petition {}", petition.slug)))?;
        insert_text(&mut tx, id, &petition.text).await?;
        tx.commit().await?;
        Ok(PetitionRecord {
            id,
            slug: petition.slug.clone(),
            default_lang: petition.text.lang.clone(),
            goal: petition.goal,
            created_at,
        })
    }

    async fn put_petition_text(&self, petition_id: i64, text: &PetitionText) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        insert_text(&mut tx, petition_id, text).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn petition_by_slug(&self, slug: &Slug) -> StoreResult<Option<PetitionRecord>> {
        let sql = format!("SELECT {PETITION_COLUMNS} FROM petitions WHERE slug = ?");
        let row = sqlx::query(&sql)
            .bind(slug.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(petition_from_row).transpose()
    }

    async fn petition_by_id(&self, id: i64) -> StoreResult<Option<PetitionRecord>> {
        let sql = format!("SELECT {PETITION_COLUMNS} FROM petitions WHERE id = ?");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(petition_from_row).transpose()
    }

    async fn petitions(&self) -> StoreResult<Vec<PetitionRecord>> {
        let sql = format!("SELECT {PETITION_COLUMNS} FROM petitions ORDER BY slug");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(petition_from_row).collect()
    }

    async fn petition_texts(&self, petition_id: i64) -> StoreResult<Vec<PetitionText>> {
        let rows = sqlx::query(
            "SELECT lang, title, summary, body FROM petition_texts
             WHERE petition_id = ? ORDER BY lang",
        )
        .bind(petition_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(text_from_row).collect()
    }

    async fn add_partner(&self, name: &str, origin: &Origin) -> StoreResult<Partner> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO partners (name, origin, created_at) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(name)
        .bind(origin.as_str())
        .bind(now_millis())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| conflict(e, || format!("a partner named {name:?} or at {origin}")))?;
        Ok(Partner {
            id,
            name: name.to_owned(),
            origin: origin.clone(),
        })
    }

    async fn partners(&self) -> StoreResult<Vec<Partner>> {
        let rows = sqlx::query("SELECT id, name, origin FROM partners ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Partner {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    origin: Origin::parse(row.try_get("origin")?).map_err(StoreError::Unsafe)?,
                })
            })
            .collect()
    }

    async fn record_signatures(&self, batch: &[NewSignature]) -> StoreResult<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(batch.len());
        for signature in batch {
            let id = sqlx::query_scalar(
                "INSERT INTO signatures (petition_id, partner_id, signed_at)
                 VALUES (?, ?, ?) RETURNING id",
            )
            .bind(signature.petition_id)
            .bind(signature.partner_id)
            .bind(signature.signed_at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| missing_petition(e, signature.petition_id))?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn tally_since(&self, watermark: i64) -> StoreResult<TallySince> {
        let rows = sqlx::query(
            "SELECT petition_id, COUNT(*) AS n, MAX(signed_at) AS last, MAX(id) AS top
             FROM signatures WHERE id > ? GROUP BY petition_id",
        )
        .bind(watermark)
        .fetch_all(&self.pool)
        .await?;
        let mut since = TallySince {
            tallies: Vec::with_capacity(rows.len()),
            watermark,
        };
        for row in &rows {
            let count: i64 = row.try_get("n")?;
            let top: i64 = row.try_get("top")?;
            since.watermark = since.watermark.max(top);
            since.tallies.push(Tally {
                petition_id: row.try_get("petition_id")?,
                count: u64::try_from(count).unwrap_or(0),
                last_signed_at: row.try_get("last")?,
            });
        }
        Ok(since)
    }
}

async fn insert_text(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    petition_id: i64,
    text: &PetitionText,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO petition_texts (petition_id, lang, title, summary, body)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (petition_id, lang) DO UPDATE
         SET title = excluded.title, summary = excluded.summary, body = excluded.body",
    )
    .bind(petition_id)
    .bind(text.lang.as_str())
    .bind(&text.title)
    .bind(&text.summary)
    .bind(&text.body)
    .execute(&mut **tx)
    .await
    .map_err(|e| missing_petition(e, petition_id))?;
    Ok(())
}

fn missing_petition(error: sqlx::Error, petition_id: i64) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            StoreError::Missing(format!("petition {petition_id}"))
        }
        _ => StoreError::Database(error),
    }
}
