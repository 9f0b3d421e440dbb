//! Reading stored rows into Chorus's types, the same way for every backend:
//! the column names and Rust types are shared, only the SQL differs.

use std::collections::BTreeMap;

use chorus_wire::donate::Frequency;
use sqlx::{ColumnIndex, Database, Decode, Row, Type};

use super::donations::{
    CampaignSettings, CampaignTotals, DonationCampaignRecord, DonationRow, DonationText,
};
use super::updates::{FeedRecord, ItemContent, ItemRecord};
use super::{
    CampaignLinks, Organisation, Partner, PetitionRecord, PetitionText, SignedRow, StoreError,
    StoreResult,
};
use crate::ident::{Lang, Origin, Slug};
use crate::personal::OrgPublicKey;

/// A Rust type a backend can read from a column.
pub(super) trait Column<'r, DB: Database>: Decode<'r, DB> + Type<DB> {}
impl<'r, DB: Database, T: Decode<'r, DB> + Type<DB>> Column<'r, DB> for T {}

/// The columns every petition query selects.
pub(super) const PETITION_COLUMNS: &str = "id, slug, default_lang, goal, privacy_url, share_url, \
     created_at, organisation_id, closed_at, confirm_by_email, paused, signatories, wall_city";

pub(super) fn petition<'r, R>(row: &'r R) -> StoreResult<PetitionRecord>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
    String: Column<'r, R::Database>,
    bool: Column<'r, R::Database>,
{
    let corrupt = |field: &str, e: String| {
        StoreError::Unsafe(format!("stored petition has an invalid {field}: {e}"))
    };
    let goal: Option<i64> = row.try_get("goal")?;
    let signatories: String = row.try_get("signatories")?;
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
        organisation_id: row.try_get("organisation_id")?,
        closed_at: row.try_get("closed_at")?,
        confirm_by_email: row.try_get("confirm_by_email")?,
        paused: row.try_get("paused")?,
        signatories: super::Signatories::parse(&signatories)
            .ok_or_else(|| corrupt("signatories", signatories.clone()))?,
        wall_city: row.try_get("wall_city")?,
    })
}

/// A stored slug, which was valid when it was written.
pub(super) fn slug(stored: &str) -> StoreResult<Slug> {
    Slug::parse(stored).map_err(|e| StoreError::Unsafe(format!("stored slug is invalid: {e}")))
}

pub(super) fn organisation<'r, R>(row: &'r R) -> StoreResult<Organisation>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
    String: Column<'r, R::Database>,
    Vec<u8>: Column<'r, R::Database>,
{
    let key: Vec<u8> = row.try_get("public_key")?;
    Ok(Organisation {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        public_key: OrgPublicKey::from_bytes(&key)
            .ok_or_else(|| StoreError::Unsafe("stored organisation key is not 32 bytes".into()))?,
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
    Vec<u8>: Column<'r, R::Database>,
{
    Ok(SignedRow {
        signer_id: row.try_get("id")?,
        signed_at: row.try_get("signed_at")?,
        status: row.try_get("status")?,
        partner: row.try_get("partner")?,
        sealed: row.try_get("sealed")?,
        country: row.try_get("country")?,
        lang: row.try_get("lang")?,
        consent_version: row.try_get("consent_version")?,
        opt_in_organiser: row.try_get("opt_in_organiser")?,
        opt_in_partner: row.try_get("opt_in_partner")?,
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
    missing(error, || format!("petition {petition_id}"))
}

pub(super) fn is_foreign_key_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_foreign_key_violation())
}

/// A foreign-key violation means the row referred to does not exist.
pub(super) fn missing(error: sqlx::Error, what: impl FnOnce() -> String) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::Missing(what()),
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
        let change: i64 = row.try_get("n")?;
        let top: i64 = row.try_get("top")?;
        since.watermark = since.watermark.max(top);
        since.tallies.push(super::Tally {
            petition_id: row.try_get("petition_id")?,
            change,
            last_signed_at: row.try_get("last")?,
        });
    }
    Ok(since)
}

/// The columns every donation campaign query selects.
pub(super) const DONATION_CAMPAIGN_COLUMNS: &str = "id, slug, default_lang, currency, goal, \
     min_amount, max_amount, deadline, frequencies, asks, provider, created_at";

/// How a campaign's list columns are stored: frequencies space-separated,
/// asks and the provider as JSON.
pub(super) struct StoredSettings {
    pub frequencies: String,
    pub asks: String,
    pub provider: String,
}

impl StoredSettings {
    pub fn of(settings: &CampaignSettings) -> StoreResult<Self> {
        if settings.frequencies.is_empty() {
            return Err(StoreError::Unsafe(
                "a donation campaign must offer at least one frequency".into(),
            ));
        }
        let json =
            |e: serde_json::Error| StoreError::Unsafe(format!("cannot encode settings: {e}"));
        Ok(Self {
            frequencies: settings
                .frequencies
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            asks: serde_json::to_string(&settings.asks).map_err(json)?,
            provider: serde_json::to_string(&settings.provider).map_err(json)?,
        })
    }
}

/// A stored amount: never negative, by the table's checks.
pub(super) fn amount(stored: i64) -> u64 {
    u64::try_from(stored).unwrap_or(0)
}

/// An amount as stored: amounts are bounded far below `i64::MAX` on entry.
pub(super) fn stored_amount(amount: u64) -> i64 {
    i64::try_from(amount).unwrap_or(i64::MAX)
}

pub(super) fn donation_campaign<'r, R>(row: &'r R) -> StoreResult<DonationCampaignRecord>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
    String: Column<'r, R::Database>,
{
    let corrupt = |field: &str, e: String| {
        StoreError::Unsafe(format!(
            "stored donation campaign has an invalid {field}: {e}"
        ))
    };
    let frequencies = row
        .try_get::<String, _>("frequencies")?
        .split_whitespace()
        .map(|f| Frequency::parse(f).ok_or_else(|| corrupt("frequency", f.to_owned())))
        .collect::<StoreResult<Vec<_>>>()?;
    if frequencies.is_empty() {
        return Err(corrupt("frequency list", "it is empty".into()));
    }
    let asks = serde_json::from_str(&row.try_get::<String, _>("asks")?)
        .map_err(|e| corrupt("asks", e.to_string()))?;
    let provider = serde_json::from_str(&row.try_get::<String, _>("provider")?)
        .map_err(|e| corrupt("provider", e.to_string()))?;
    let goal: Option<i64> = row.try_get("goal")?;
    Ok(DonationCampaignRecord {
        id: row.try_get("id")?,
        slug: Slug::parse(&row.try_get::<String, _>("slug")?).map_err(|e| corrupt("slug", e))?,
        default_lang: Lang::parse(&row.try_get::<String, _>("default_lang")?)
            .map_err(|e| corrupt("lang", e))?,
        settings: CampaignSettings {
            currency: row.try_get("currency")?,
            goal: goal.map(amount),
            min_amount: amount(row.try_get("min_amount")?),
            max_amount: amount(row.try_get("max_amount")?),
            deadline: row.try_get("deadline")?,
            frequencies,
            asks,
            provider,
        },
        created_at: row.try_get("created_at")?,
    })
}

pub(super) fn donation_text<'r, R>(row: &'r R) -> StoreResult<DonationText>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    String: Column<'r, R::Database>,
{
    Ok(DonationText {
        lang: Lang::parse(&row.try_get::<String, _>("lang")?).map_err(StoreError::Unsafe)?,
        title: row.try_get("title")?,
        impact: row.try_get("impact")?,
        labels: serde_json::from_str(&row.try_get::<String, _>("labels")?)
            .map_err(|e| StoreError::Unsafe(format!("stored labels are not JSON: {e}")))?,
    })
}

pub(super) fn donation_row<'r, R>(row: &'r R) -> StoreResult<DonationRow>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
    String: Column<'r, R::Database>,
{
    let frequency: String = row.try_get("frequency")?;
    Ok(DonationRow {
        id: row.try_get("id")?,
        donated_at: row.try_get("donated_at")?,
        partner: row.try_get("partner")?,
        provider: row.try_get("provider")?,
        amount: amount(row.try_get("amount")?),
        currency: row.try_get("currency")?,
        frequency: Frequency::parse(&frequency)
            .ok_or_else(|| StoreError::Unsafe(format!("stored frequency {frequency:?}")))?,
    })
}

/// Totals from `campaign_id, raised, donors` rows.
pub(super) fn campaign_totals<'r, R>(rows: &'r [R]) -> StoreResult<BTreeMap<i64, CampaignTotals>>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
{
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("campaign_id")?,
                CampaignTotals {
                    raised: amount(row.try_get("raised")?),
                    donors: amount(row.try_get("donors")?),
                },
            ))
        })
        .collect()
}

/// The columns every feed query selects.
pub(super) const FEED_COLUMNS: &str =
    "id, slug, organisation_id, title, default_lang, source_url, created_at";

/// The columns every item query selects.
pub(super) const ITEM_COLUMNS: &str = "id, feed_id, title, summary, body_html, image_url, \
     image_alt, link, tags, lang, published_at, updated_at, unpublished";

pub(super) fn feed<'r, R>(row: &'r R) -> StoreResult<FeedRecord>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
    String: Column<'r, R::Database>,
{
    Ok(FeedRecord {
        id: row.try_get("id")?,
        slug: Slug::parse(&row.try_get::<String, _>("slug")?).map_err(StoreError::Unsafe)?,
        organisation_id: row.try_get("organisation_id")?,
        title: row.try_get("title")?,
        default_lang: Lang::parse(&row.try_get::<String, _>("default_lang")?)
            .map_err(StoreError::Unsafe)?,
        source_url: row.try_get("source_url")?,
        created_at: row.try_get("created_at")?,
    })
}

pub(super) fn item<'r, R>(row: &'r R) -> StoreResult<ItemRecord>
where
    R: Row,
    &'r str: ColumnIndex<R>,
    i64: Column<'r, R::Database>,
    String: Column<'r, R::Database>,
    bool: Column<'r, R::Database>,
{
    Ok(ItemRecord {
        id: row.try_get("id")?,
        feed_id: row.try_get("feed_id")?,
        content: ItemContent {
            title: row.try_get("title")?,
            summary: row.try_get("summary")?,
            body_html: row.try_get("body_html")?,
            image_url: row.try_get("image_url")?,
            image_alt: row.try_get("image_alt")?,
            link: row.try_get("link")?,
            tags: row
                .try_get::<String, _>("tags")?
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            lang: Lang::parse(&row.try_get::<String, _>("lang")?).map_err(StoreError::Unsafe)?,
            published_at: row.try_get("published_at")?,
        },
        updated_at: row.try_get("updated_at")?,
        unpublished: row.try_get("unpublished")?,
    })
}

/// Tags as stored: space-separated with a space at each end, so that one tag
/// matches `LIKE '% tag %'`.
pub(super) fn stored_tags(tags: &[String]) -> String {
    format!(" {} ", tags.join(" "))
}
