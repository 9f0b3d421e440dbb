//! The SQLite backend: the default, one file, no other service.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use super::read::{self, PETITION_COLUMNS, conflict, missing_petition};
use super::{
    NewPetition, NewSignature, Partner, PetitionPartner, PetitionRecord, PetitionText, SignedRow,
    Signer, Store, StoreError, StoreResult, TallySince, now_millis,
};
use crate::ident::{Origin, Slug};

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

    async fn create_petition(&self, petition: &NewPetition) -> StoreResult<PetitionRecord> {
        let mut tx = self.pool.begin().await?;
        let created_at = now_millis();
        let goal = petition.goal.map(|g| i64::try_from(g).unwrap_or(i64::MAX));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO petitions (slug, default_lang, goal, privacy_url, share_url, created_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(petition.slug.as_str())
        .bind(petition.text.lang.as_str())
        .bind(goal)
        .bind(&petition.links.privacy_url)
        .bind(&petition.links.share_url)
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
            links: petition.links.clone(),
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
        row.as_ref().map(read::petition).transpose()
    }

    async fn petition_by_id(&self, id: i64) -> StoreResult<Option<PetitionRecord>> {
        let sql = format!("SELECT {PETITION_COLUMNS} FROM petitions WHERE id = ?");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(read::petition).transpose()
    }

    async fn petitions(&self) -> StoreResult<Vec<PetitionRecord>> {
        let sql = format!("SELECT {PETITION_COLUMNS} FROM petitions ORDER BY slug");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(read::petition).collect()
    }

    async fn petition_texts(&self, petition_id: i64) -> StoreResult<Vec<PetitionText>> {
        let rows = sqlx::query(
            "SELECT lang, title, summary, body, share_message, hashtags FROM petition_texts
             WHERE petition_id = ? ORDER BY lang",
        )
        .bind(petition_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(read::text).collect()
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
        rows.iter().map(read::partner).collect()
    }

    async fn put_petition_partner(
        &self,
        petition_id: i64,
        partner_id: i64,
        contact_opt_in: bool,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO petition_partners (petition_id, partner_id, contact_opt_in)
             VALUES (?, ?, ?)
             ON CONFLICT (petition_id, partner_id) DO UPDATE
             SET contact_opt_in = excluded.contact_opt_in",
        )
        .bind(petition_id)
        .bind(partner_id)
        .bind(contact_opt_in)
        .execute(&self.pool)
        .await
        .map_err(|e| missing_petition(e, petition_id))?;
        Ok(())
    }

    async fn petition_partners(&self, petition_id: i64) -> StoreResult<Vec<PetitionPartner>> {
        let rows = sqlx::query(
            "SELECT p.id, p.name, p.origin, pp.contact_opt_in
             FROM petition_partners pp JOIN partners p ON p.id = pp.partner_id
             WHERE pp.petition_id = ? ORDER BY p.name",
        )
        .bind(petition_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PetitionPartner {
                    partner: read::partner(row)?,
                    contact_opt_in: row.try_get("contact_opt_in")?,
                })
            })
            .collect()
    }

    async fn record_signatures(&self, batch: &[NewSignature]) -> StoreResult<Vec<Option<i64>>> {
        // IMMEDIATE takes the write lock before the first read: a deferred
        // transaction that reads, then writes, fails at once if another
        // connection wrote in between, while this one waits its turn
        // (busy_timeout) instead.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut ids = Vec::with_capacity(batch.len());
        for signature in batch {
            if let Some(signer) = &signature.signer
                && already_signed(&mut tx, signature.petition_id, signer).await?
            {
                ids.push(None);
                continue;
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO signatures (petition_id, partner_id, signed_at)
                 VALUES (?, ?, ?) RETURNING id",
            )
            .bind(signature.petition_id)
            .bind(signature.partner_id)
            .bind(signature.signed_at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| missing_petition(e, signature.petition_id))?;
            if let Some(signer) = &signature.signer {
                insert_signer(&mut tx, id, signature.petition_id, signer).await?;
            }
            ids.push(Some(id));
        }
        tx.commit().await?;
        Ok(ids)
    }

    fn signed_rows(&self, petition_id: i64) -> BoxStream<'_, StoreResult<SignedRow>> {
        sqlx::query(
            "SELECT s.id, s.signed_at, p.name AS partner, d.*
             FROM signers d
             JOIN signatures s ON s.id = d.signature_id
             LEFT JOIN partners p ON p.id = s.partner_id
             WHERE d.petition_id = ? ORDER BY s.id",
        )
        .bind(petition_id)
        .fetch(&self.pool)
        .map(|row| read::signed_row(&row?))
        .boxed()
    }

    async fn tally_since(&self, watermark: i64) -> StoreResult<TallySince> {
        let rows = sqlx::query(
            "SELECT petition_id, COUNT(*) AS n, MAX(signed_at) AS last, MAX(id) AS top
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
        "SELECT 1 FROM signers WHERE petition_id = ? AND (email_key = ? OR idempotency_key = ?)",
    )
    .bind(petition_id)
    .bind(&signer.email_key)
    .bind(&signer.idempotency_key)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

async fn insert_signer(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    signature_id: i64,
    petition_id: i64,
    signer: &Signer,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO signers (signature_id, petition_id, email_key, idempotency_key,
             first_name, last_name, email, country, comment, lang, consent_version,
             opt_in_organiser, opt_in_partner)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(signature_id)
    .bind(petition_id)
    .bind(&signer.email_key)
    .bind(&signer.idempotency_key)
    .bind(&signer.first_name)
    .bind(&signer.last_name)
    .bind(&signer.email)
    .bind(&signer.country)
    .bind(&signer.comment)
    .bind(&signer.lang)
    .bind(&signer.consent_version)
    .bind(signer.opt_in_organiser)
    .bind(signer.opt_in_partner)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_text(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    petition_id: i64,
    text: &PetitionText,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO petition_texts
             (petition_id, lang, title, summary, body, share_message, hashtags)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (petition_id, lang) DO UPDATE
         SET title = excluded.title, summary = excluded.summary, body = excluded.body,
             share_message = excluded.share_message, hashtags = excluded.hashtags",
    )
    .bind(petition_id)
    .bind(text.lang.as_str())
    .bind(&text.title)
    .bind(&text.summary)
    .bind(&text.body)
    .bind(&text.share_message)
    .bind(text.hashtags.join(" "))
    .execute(&mut **tx)
    .await
    .map_err(|e| missing_petition(e, petition_id))?;
    Ok(())
}

super::donation_sql::donation_store!(SqliteStore, sqlx::Sqlite);
super::update_sql::update_store!(SqliteStore, sqlx::Sqlite);

impl SqliteStore {
    /// A transaction for writing donations.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }
}
