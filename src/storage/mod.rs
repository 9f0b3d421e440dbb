//! The storage interface: the only part of Chorus that knows SQL.
//!
//! Handlers and the live-count engine talk to [`Store`]; each backend
//! implements it in its own module with its own migrations folder. The backend
//! is chosen at start-up from the database URL.

mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use crate::config::DatabaseUrl;
use crate::ident::{Lang, Origin, Slug};

pub use sqlite::SqliteStore;

/// A failure to read or write storage. Handlers answer it with a retryable 503.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("{0} does not exist")]
    Missing(String),
    #[error("the database refused the operation: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the database is not set up safely: {0}")]
    Unsafe(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Unix time in milliseconds: the one time representation in storage, so both
/// backends compare and sort timestamps the same way.
pub type Millis = i64;

/// One language version of a petition's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionText {
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct NewPetition {
    pub slug: Slug,
    pub goal: Option<u64>,
    /// The first text is in the petition's default language.
    pub text: PetitionText,
}

/// A petition as stored, without its texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionRecord {
    pub id: i64,
    pub slug: Slug,
    pub default_lang: Lang,
    pub goal: Option<u64>,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: i64,
    pub name: String,
    pub origin: Origin,
}

/// What the count engine needs to record a signature. Personal fields join
/// it with the signing form.
#[derive(Debug, Clone)]
pub struct NewSignature {
    pub petition_id: i64,
    pub partner_id: Option<i64>,
    pub signed_at: Millis,
}

/// Signatures of one petition within a range of signature ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub petition_id: i64,
    pub count: u64,
    pub last_signed_at: Option<Millis>,
}

/// Tallies of every signature with an id above a watermark, and the new
/// watermark. Signature ids only grow, so a reader that keeps the watermark
/// sees every signature exactly once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TallySince {
    pub tallies: Vec<Tally>,
    pub watermark: i64,
}

#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    async fn create_petition(&self, petition: &NewPetition) -> StoreResult<PetitionRecord>;
    /// Adds or replaces the text of a petition in one language.
    async fn put_petition_text(&self, petition_id: i64, text: &PetitionText) -> StoreResult<()>;
    async fn petition_by_slug(&self, slug: &Slug) -> StoreResult<Option<PetitionRecord>>;
    async fn petition_by_id(&self, id: i64) -> StoreResult<Option<PetitionRecord>>;
    async fn petitions(&self) -> StoreResult<Vec<PetitionRecord>>;
    async fn petition_texts(&self, petition_id: i64) -> StoreResult<Vec<PetitionText>>;

    async fn add_partner(&self, name: &str, origin: &Origin) -> StoreResult<Partner>;
    async fn partners(&self) -> StoreResult<Vec<Partner>>;

    /// Records signatures in one transaction: all are stored, or none.
    /// Returns their ids, in order.
    async fn record_signatures(&self, batch: &[NewSignature]) -> StoreResult<Vec<i64>>;
    /// Tallies signatures with an id above `watermark`; `0` tallies them all.
    async fn tally_since(&self, watermark: i64) -> StoreResult<TallySince>;
}

/// Opens the backend the URL names, creating and migrating the database.
pub async fn open(url: &DatabaseUrl) -> anyhow::Result<Arc<dyn Store>> {
    match url.scheme() {
        "sqlite" => Ok(Arc::new(SqliteStore::open(url.expose()).await?)),
        other => anyhow::bail!(
            "unsupported database URL scheme {other:?}; use sqlite://PATH (PostgreSQL is planned)"
        ),
    }
}

/// The current time in storage's representation.
pub fn now_millis() -> Millis {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}
