//! The storage interface: the only part of Chorus that knows SQL.
//!
//! Handlers and the live-count engine talk to [`Store`]; each backend
//! implements it in its own module with its own migrations folder. The backend
//! is chosen at start-up from the database URL.

mod activity;
mod activity_sql;
mod attachment_sql;
mod attachments;
mod audit;
mod audit_sql;
mod batching;
mod donation_sql;
mod donations;
mod endorsement_sql;
mod endorsements;
mod event_sql;
mod events;
mod guard;
mod guard_sql;
mod mail;
mod mail_sql;
mod personal;
mod personal_sql;
mod petition_sql;
mod postgres;
mod read;
mod signup_sql;
mod signups;
mod sqlite;
mod sqlite_batch;
mod storm_sql;
mod storms;
mod token_sql;
mod tokens;
mod update_sql;
mod updates;
mod wal;
mod wall;
mod wall_sql;

use std::sync::Arc;

use async_trait::async_trait;
use futures_util::stream::BoxStream;

use crate::config::DatabaseUrl;
use crate::ident::{Lang, Origin, Slug};
use crate::personal::EmailHash;

pub use activity::{ActivityRow, ActivityStore};
pub use attachments::{AttachedFile, AttachmentRecord, AttachmentStore, NewAttachment};
pub use audit::{AuditEntry, AuditRecord, AuditStore};
pub use donations::{
    Ask, CampaignSettings, CampaignTotals, DonationCampaignRecord, DonationRow, DonationStore,
    DonationText, DonationsVersion, EventOutcome, NewDonation, NewDonationCampaign, Provider,
    ProviderEvent,
};
pub use endorsements::{
    DecisionOutcome, EndorsementConfirmed, EndorsementDecision, EndorsementOutcome,
    EndorsementRecord, EndorsementStatus, EndorsementStore, EndorserPublic, NewEndorsement,
    OrganisationCount, Signatories, Verdict,
};
pub use events::{
    ActionDayRecord, AttendanceRow, AttendeeRow, DueReminder, EventDetails, EventPlace, EventQuery,
    EventRecord, EventStatus, EventStore, EventText, HostContact, NewActionDay, NewEvent, NewRsvp,
    RsvpByToken, RsvpCancelled, RsvpOutcome, RsvpPerson,
};
pub use guard::{Cluster, Correction, Decision, GuardStore, ReviewScope};
pub use mail::{
    Confirmed, MailKind, MailStore, OutboxMessage, RepeatLetters, SealedMail, TokenHash, Withdrawn,
};
pub use personal::{Organisation, PersonalStore};
pub use postgres::PostgresStore;
pub use signups::{
    NewSignup, NewSignupList, SignupConfirmed, SignupList, SignupOutcome, SignupRepeat, SignupRow,
    SignupStore,
};
pub use sqlite::SqliteStore;
pub use storms::{StormPlan, StormRecord, StormStore, StormTally, StormText};
pub use tokens::{ApiTokenRecord, NewApiToken, TokenStore};
pub use updates::{
    FeedRecord, FeedSource, ItemContent, ItemQuery, ItemRecord, NewFeed, UpdateStore,
};
pub use wall::{
    CountryRow, ListedCount, ListedOrganisationRow, ListedRow, Logo, PeopleCursor, WallName,
    WallSettings, WallStore,
};

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
    /// What a supporter's share says, in this language.
    pub share_message: String,
    /// Without the `#`.
    pub hashtags: Vec<String>,
}

impl crate::ident::Written for PetitionText {
    fn lang(&self) -> &Lang {
        &self.lang
    }
}

#[derive(Debug, Clone)]
pub struct NewPetition {
    pub slug: Slug,
    /// The organisation running the petition: signers' details are sealed
    /// to its key.
    pub organisation_id: i64,
    pub goal: Option<u64>,
    pub links: CampaignLinks,
    /// The first text is in the petition's default language.
    pub text: PetitionText,
}

/// The campaign's own pages a petition links to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CampaignLinks {
    /// The privacy notice a signer agrees to.
    pub privacy_url: Option<String>,
    /// Where shares point; `None`: the page the supporter signed on.
    pub share_url: Option<String>,
}

/// A petition as stored, without its texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionRecord {
    pub id: i64,
    pub slug: Slug,
    pub default_lang: Lang,
    pub goal: Option<u64>,
    pub links: CampaignLinks,
    pub created_at: Millis,
    /// `None` only for petitions from before organisations had keys: they
    /// take no signatures until one is assigned.
    pub organisation_id: Option<i64>,
    /// When signing ended, if it has.
    pub closed_at: Option<Millis>,
    /// A signature counts only once its address confirms, by email.
    pub confirm_by_email: bool,
    /// Signing is switched off for now (an attack, a correction).
    pub paused: bool,
    /// Individuals, organisations or both.
    pub signatories: Signatories,
    /// Its wall shows a listed person's city beside their name.
    pub wall_city: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: i64,
    pub name: String,
    pub origin: Origin,
}

/// A partner of one petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionPartner {
    pub partner: Partner,
    /// The partner asks its signers whether it may write to them.
    pub contact_opt_in: bool,
}

/// A signature to record: what the count needs, and who signed (absent only
/// for the demo's simulated supporters).
#[derive(Debug, Clone)]
pub struct NewSignature {
    pub petition_id: i64,
    pub partner_id: Option<i64>,
    pub signed_at: Millis,
    pub signer: Option<Signer>,
    /// For a petition that counts confirmed signatures only: the signer waits
    /// for this confirmation, mailed through the outbox in the same
    /// transaction.
    pub confirmation: Option<Confirmation>,
    /// Why the signature is held for review instead of counted, if it is.
    /// A held signer is stored, not counted and not mailed.
    pub hold: Option<&'static str>,
    /// The proof of work it came with, spent in the transaction that
    /// stores it.
    pub proof: Option<SpentProof>,
}

/// A verified proof of work's challenge: it buys one submission (one
/// idempotency key), until it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpentProof {
    pub challenge: String,
    pub expires_at: Millis,
}

/// What a new signer must confirm before counting, and the email asking.
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub token: TokenHash,
    pub mail: SealedMail,
    /// The name the signer asked to show on the wall, once confirmed.
    pub listing: Option<WallName>,
}

/// The status a new signer is stored with.
pub(crate) fn status_of(signature: &NewSignature) -> &'static str {
    if signature.hold.is_some() {
        "held"
    } else if signature.confirmation.is_some() {
        "unconfirmed"
    } else {
        "counted"
    }
}

/// What became of one signature given to [`Store::record_signatures`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Stored and counted.
    Counted,
    /// Stored, waiting for its address to confirm.
    Waiting,
    /// Stored, held for the organiser's review.
    Held,
    /// This address had already signed the petition: nothing stored.
    RepeatAddress,
    /// This submission (its idempotency key) was already stored: a retry.
    RepeatSubmission,
    /// Its proof of work bought another submission already: nothing stored.
    ProofSpent,
}

/// A signer as stored: their details sealed, their address as a keyed hash,
/// and the rest readable for statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The normalised address's keyed hash: one per petition.
    pub email_hash: EmailHash,
    /// One per petition: a retried submission is recognised by it.
    pub idempotency_key: String,
    /// [`crate::personal::PersonalDetails`], sealed to the organisation's key.
    pub sealed: Vec<u8>,
    pub country: String,
    pub lang: String,
    pub consent_version: String,
    pub opt_in_organiser: bool,
    pub opt_in_partner: bool,
    /// The keyed hash of the client's network, for rate limits and review.
    pub client_hash: Option<[u8; 32]>,
}

/// A stored signer, as an export lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRow {
    pub signer_id: i64,
    pub signed_at: Millis,
    /// `counted`, `unconfirmed` (waiting for its email confirmation) or
    /// `withdrawn` ("it wasn't me").
    pub status: String,
    pub partner: Option<String>,
    /// The sealed details; `None` once anonymised.
    pub sealed: Option<Vec<u8>>,
    pub country: String,
    pub lang: String,
    pub consent_version: String,
    pub opt_in_organiser: bool,
    pub opt_in_partner: bool,
}

/// The change to one petition's count within a range of count entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub petition_id: i64,
    /// Signers who started counting, less those withdrawn.
    pub change: i64,
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

/// Petitions, their texts and their partners.
#[async_trait]
pub trait PetitionStore {
    async fn create_petition(&self, petition: &NewPetition) -> StoreResult<PetitionRecord>;
    /// Adds or replaces the text of a petition in one language.
    async fn put_petition_text(&self, petition_id: i64, text: &PetitionText) -> StoreResult<()>;
    async fn petition_by_slug(&self, slug: &Slug) -> StoreResult<Option<PetitionRecord>>;
    async fn petition_by_id(&self, id: i64) -> StoreResult<Option<PetitionRecord>>;
    async fn petitions(&self) -> StoreResult<Vec<PetitionRecord>>;
    async fn petition_texts(&self, petition_id: i64) -> StoreResult<Vec<PetitionText>>;

    async fn add_partner(&self, name: &str, origin: &Origin) -> StoreResult<Partner>;
    async fn partners(&self) -> StoreResult<Vec<Partner>>;
    /// Makes a partner one of a petition's partners (again, with new settings).
    async fn put_petition_partner(
        &self,
        petition_id: i64,
        partner_id: i64,
        contact_opt_in: bool,
    ) -> StoreResult<()>;
    async fn petition_partners(&self, petition_id: i64) -> StoreResult<Vec<PetitionPartner>>;
    /// Whether signatures count only once their address confirms.
    async fn set_confirm_by_email(&self, petition_id: i64, confirm: bool) -> StoreResult<()>;
    /// Switches signing off (`true`) or back on.
    async fn set_paused(&self, petition_id: i64, paused: bool) -> StoreResult<()>;
    /// A fixed goal, or `None`: widgets raise the goal as the count grows.
    async fn set_goal(&self, petition_id: i64, goal: Option<u64>) -> StoreResult<()>;
    /// Ends signing (`Some(time)`) or reopens it (`None`).
    async fn set_petition_closed(
        &self,
        petition_id: i64,
        closed_at: Option<Millis>,
    ) -> StoreResult<()>;
}

/// Everything Chorus stores. Petitions, personal data, mail, donations,
/// updates, events, endorsements, the wall, sign-ups, storms, attachments,
/// API tokens, audit logs and signing activity have their own parts of the interface
/// ([`PetitionStore`], [`PersonalStore`], [`MailStore`], [`DonationStore`],
/// [`UpdateStore`], [`EventStore`], [`EndorsementStore`], [`WallStore`],
/// [`SignupStore`], [`StormStore`], [`AttachmentStore`], [`TokenStore`],
/// [`AuditStore`], [`ActivityStore`]), each implemented once for both backends; what is left
/// here (recording and tailing signatures) differs by backend.
#[async_trait]
pub trait Store:
    PetitionStore
    + PersonalStore
    + MailStore
    + GuardStore
    + DonationStore
    + UpdateStore
    + EventStore
    + EndorsementStore
    + WallStore
    + SignupStore
    + StormStore
    + AttachmentStore
    + TokenStore
    + AuditStore
    + ActivityStore
    + Send
    + Sync
    + std::fmt::Debug
{
    /// Succeeds when the database answers a trivial query.
    async fn ping(&self) -> StoreResult<()>;

    /// Records signatures in one transaction: all are stored, or none. A
    /// signer with a [`Confirmation`] waits for it, with its email queued in
    /// the outbox; any other is counted at once. Returns what became of
    /// each, in order; a signer whose address or submission already signed
    /// the petition stores nothing.
    async fn record_signatures(&self, batch: &[NewSignature]) -> StoreResult<Vec<Stored>>;
    /// A petition's signers, oldest first, read as they are consumed rather
    /// than all at once.
    fn signed_rows(&self, petition_id: i64) -> BoxStream<'_, StoreResult<SignedRow>>;
    /// Tallies count entries with an id above `watermark`; `0` tallies them all.
    async fn tally_since(&self, watermark: i64) -> StoreResult<TallySince>;

    /// Returns when some process may have committed signatures, so the live
    /// counts look at once instead of at their next poll. Backends that
    /// cannot tell never return; polling alone keeps their counts true.
    async fn signatures_committed(&self) {
        std::future::pending::<()>().await;
    }
}

/// Opens the backend the URL names, creating and migrating the database.
pub async fn open(url: &DatabaseUrl) -> anyhow::Result<Arc<dyn Store>> {
    match url.scheme() {
        "sqlite" => Ok(Arc::new(SqliteStore::open(url.expose()).await?)),
        "postgres" | "postgresql" => Ok(Arc::new(PostgresStore::open(url.expose()).await?)),
        other => anyhow::bail!(
            "unsupported database URL scheme {other:?}; use sqlite://PATH or postgres://USER@HOST/DATABASE"
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

/// Formats storage milliseconds as RFC 3339 UTC, as the wire and exports
/// show times.
pub fn rfc3339(millis: Millis) -> Option<String> {
    let nanos = i128::from(millis) * 1_000_000;
    let time = time::OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?;
    time.format(&time::format_description::well_known::Rfc3339)
        .ok()
}
