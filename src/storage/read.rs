//! Reading stored rows into Chorus's types, the same way for every backend:
//! the column names and Rust types are shared, only the SQL differs.

use sqlx::{ColumnIndex, Database, Decode, Row, Type};

use super::{
    CampaignLinks, Partner, PetitionRecord, PetitionText, SignedRow, Signer, StoreError,
    StoreResult,
};
use crate::ident::{Lang, Origin, Slug};

/// A Rust type a backend can read from a column.
pub(super) trait Column<'r, DB: Database>: Decode<'r, DB> + Type<DB> {}
impl<'r, DB: Database, T: Decode<'r, DB> + Type<DB>> Column<'r, DB> for T {}

/// The columns every petition query selects.
pub(super) const PETITION_COLUMNS: &str =
    "id, slug, default_lang, goal, privacy_url, share_url, created_at";

pub(super) fn petition<'r, R>(row: &'r R) -> StoreResult<PetitionRecord>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
    String: Column<'r, R::Database>,
{
    let corrupt = |field: &str, e: String| {
        StoreError::Unsafe(format!("stored petition has an invalid {field}: {e}"))
    };
    let goal: Option<i64> = row.try_get("goal")?;
    Ok(PetitionRecord {
        id: row.try_get("id")?,
        slug: Slug::parse(&row.try_get::<String, _>("slug")?).map_err(|e| corrupt("slug", e))?,
        default_lang: Lang::parse(&row.try_get::<String, _>("default_lang")?)
            .map_err(|e| corrupt("lang", e))?,
        goal: goal.and_then(|g| u64::try_from(g).ok()),
        links: CampaignLinks {
            privacy_url: row.try_get("privacy_url")?,
            share_url: row.try_get("share_url")?,
        },
        created_at: row.try_get("created_at")?,
    })
}

pub(super) fn text<'r, R>(row: &'r R) -> StoreResult<PetitionText>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    String: Column<'r, R::Database>,
{
    Ok(PetitionText {
        lang: Lang::parse(&row.try_get::<String, _>("lang")?).map_err(StoreError::Unsafe)?,
        title: row.try_get("title")?,
        summary: row.try_get("summary")?,
        body: row.try_get("body")?,
        share_message: row.try_get("share_message")?,
        hashtags: row
            .try_get::<String, _>("hashtags")?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    })
}

pub(super) fn partner<'r, R>(row: &'r R) -> StoreResult<Partner>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
    String: Column<'r, R::Database>,
{
    Ok(Partner {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        origin: Origin::parse(&row.try_get::<String, _>("origin")?).map_err(StoreError::Unsafe)?,
    })
}

pub(super) fn signed_row<'r, R>(row: &'r R) -> StoreResult<SignedRow>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
    String: Column<'r, R::Database>,
    bool: Column<'r, R::Database>,
{
    Ok(SignedRow {
        signature_id: row.try_get("id")?,
        signed_at: row.try_get("signed_at")?,
        partner: row.try_get("partner")?,
        signer: Signer {
            email_key: row.try_get("email_key")?,
            idempotency_key: row.try_get("idempotency_key")?,
            first_name: row.try_get("first_name")?,
            last_name: row.try_get("last_name")?,
            email: row.try_get("email")?,
            country: row.try_get("country")?,
            comment: row.try_get("comment")?,
            lang: row.try_get("lang")?,
            consent_version: row.try_get("consent_version")?,
            opt_in_organiser: row.try_get("opt_in_organiser")?,
            opt_in_partner: row.try_get("opt_in_partner")?,
        },
    })
}

/// A unique-constraint violation is the caller's conflict, not a failure.
pub(super) fn conflict(error: sqlx::Error, what: impl FnOnce() -> String) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::AlreadyExists(what()),
        _ => StoreError::Database(error),
    }
}

/// A foreign-key violation on a petition id means there is no such petition.
pub(super) fn missing_petition(error: sqlx::Error, petition_id: i64) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            StoreError::Missing(format!("petition {petition_id}"))
        }
        _ => StoreError::Database(error),
    }
}

/// Tallies from `petition_id, n, last, top` rows, above `watermark`.
pub(super) fn tallies<'r, R>(rows: &'r [R], watermark: i64) -> StoreResult<super::TallySince>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
{
    let mut since = super::TallySince {
        tallies: Vec::with_capacity(rows.len()),
        watermark,
    };
    for row in rows {
        let count: i64 = row.try_get("n")?;
        let top: i64 = row.try_get("top")?;
        since.watermark = since.watermark.max(top);
        since.tallies.push(super::Tally {
            petition_id: row.try_get("petition_id")?,
            count: u64::try_from(count).unwrap_or(0),
            last_signed_at: row.try_get("last")?,
        });
    }
    Ok(since)
}
