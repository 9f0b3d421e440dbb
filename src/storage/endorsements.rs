//! What storage knows about organisations signing petitions (endorsements),
//! and the part of the storage interface that reads and writes them.

use async_trait::async_trait;

use super::{Millis, SealedMail, SpentProof, StoreResult, TokenHash};
use crate::ident::Slug;
use crate::personal::EmailHash;

/// Who a petition takes signatures from; the organiser chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Signatories {
    /// Individuals only: every petition from before organisations signed.
    #[default]
    People,
    Organisations,
    Both,
}

impl Signatories {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::People => "people",
            Self::Organisations => "organisations",
            Self::Both => "both",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        [Self::People, Self::Organisations, Self::Both]
            .into_iter()
            .find(|s| s.as_str() == stored)
    }

    pub fn take_people(self) -> bool {
        self != Self::Organisations
    }

    pub fn take_organisations(self) -> bool {
        self != Self::People
    }
}

/// Where an organisation's signature stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndorsementStatus {
    /// Waiting for the person who signed to confirm by email.
    Unconfirmed,
    /// Confirmed, waiting for the organiser's decision.
    Pending,
    /// Counted, and listed unless it asked not to be named.
    Approved,
    Rejected,
}

impl EndorsementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconfirmed => "unconfirmed",
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        [
            Self::Unconfirmed,
            Self::Pending,
            Self::Approved,
            Self::Rejected,
        ]
        .into_iter()
        .find(|s| s.as_str() == stored)
    }
}

/// An organisation as it will be listed once approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndorserPublic {
    pub organisation: String,
    pub website: String,
    /// The website's registrable domain: one signature per domain.
    pub domain: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// One of `chorus_wire::endorsements::KINDS`.
    pub kind: String,
    pub statement: String,
    pub logo_url: Option<String>,
    /// Counted, never named.
    pub unnamed: bool,
}

/// An organisation's signature to store, waiting for its confirmation.
#[derive(Debug, Clone)]
pub struct NewEndorsement {
    pub petition_id: i64,
    pub partner_id: Option<i64>,
    pub idempotency_key: String,
    pub public: EndorserPublic,
    /// The signer's email is at the organisation's own domain.
    pub email_at_domain: bool,
    /// The logo it uploaded, re-encoded as a PNG by Chorus.
    pub logo: Option<Vec<u8>>,
    /// The signer's name, role and email, sealed to the organisation
    /// running the petition.
    pub sealed: Vec<u8>,
    pub email_hash: EmailHash,
    pub lang: String,
    pub consent_version: String,
    pub opt_in_organiser: bool,
    pub opt_in_partner: bool,
    pub client_hash: Option<[u8; 32]>,
    /// The confirmation link's token, and the email carrying it.
    pub token: TokenHash,
    pub confirm: SealedMail,
    pub proof: Option<SpentProof>,
    pub at: Millis,
}

/// What became of an organisation's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndorsementOutcome {
    /// Stored, its confirmation queued.
    Stored,
    /// This submission (its idempotency key) was stored already: a retry.
    RepeatSubmission,
    /// The organisation (its website's domain) had signed already.
    RepeatOrganisation,
    /// Its proof of work bought another submission already.
    ProofSpent,
}

/// An organisation's signature as the organiser reviews it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndorsementRecord {
    pub id: i64,
    pub petition_id: i64,
    pub public: EndorserPublic,
    pub status: EndorsementStatus,
    /// Confirmed from an address at the organisation's own domain.
    pub domain_verified: bool,
    /// The signer's sealed details; `None` once anonymised.
    pub sealed: Option<Vec<u8>>,
    pub partner: Option<String>,
    pub lang: String,
    pub consent_version: String,
    pub opt_in_organiser: bool,
    pub opt_in_partner: bool,
    pub created_at: Millis,
    pub confirmed_at: Option<Millis>,
    pub decided_at: Option<Millis>,
}

/// A confirmation link that was followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndorsementConfirmed {
    pub petition: Slug,
    /// False when it had been confirmed already: nothing changed.
    pub newly: bool,
}

/// The organiser's decision on one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Reject => "rejected",
        }
    }
}

/// What a decision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionOutcome {
    /// Made and written to the audit log.
    Made,
    /// The signer has not confirmed yet: nothing to decide.
    Unconfirmed,
    /// It stood so already: nothing changed.
    Unchanged,
    NoSuchEndorsement,
}

/// One line of the audit log of decisions on organisations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndorsementDecision {
    pub endorsement_id: i64,
    pub organisation: String,
    pub decision: String,
    pub reason: String,
    pub actor: String,
    pub at: Millis,
}

/// Every petition's approved organisations: what the counts show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrganisationCount {
    pub petition_id: i64,
    pub approved: u64,
}

#[async_trait]
pub trait EndorsementStore {
    async fn set_signatories(&self, petition_id: i64, signatories: Signatories) -> StoreResult<()>;

    /// Stores an organisation's signature with its confirmation queued, in
    /// one transaction; a retry or a second signature of the same domain
    /// stores nothing.
    async fn record_endorsement(
        &self,
        endorsement: &NewEndorsement,
    ) -> StoreResult<EndorsementOutcome>;
    /// For a second signature of an organisation: queues `mail` (to the
    /// address that just signed) unless this organisation's signature had
    /// someone mailed about a repeat since `quiet_since`. Returns whether it
    /// queued it.
    async fn mail_repeat_endorser(
        &self,
        petition_id: i64,
        domain: &str,
        mail: &SealedMail,
        now: Millis,
        quiet_since: Millis,
    ) -> StoreResult<bool>;
    /// The signature the token belongs to moves on to the organiser's
    /// review. `None`: no such token.
    async fn confirm_endorsement(
        &self,
        token: &TokenHash,
        now: Millis,
    ) -> StoreResult<Option<EndorsementConfirmed>>;

    /// A petition's organisations, oldest first; only those with `status`
    /// if given.
    async fn endorsements(
        &self,
        petition_id: i64,
        status: Option<EndorsementStatus>,
    ) -> StoreResult<Vec<EndorsementRecord>>;
    /// Approves or rejects one of a petition's organisations, writing the
    /// decision to the audit log in the same transaction.
    async fn decide_endorsement(
        &self,
        petition_id: i64,
        endorsement_id: i64,
        verdict: Verdict,
        reason: &str,
        actor: &str,
        at: Millis,
    ) -> StoreResult<DecisionOutcome>;
    /// The audit log of a petition's decisions on organisations, oldest first.
    async fn endorsement_decisions(
        &self,
        petition_id: i64,
    ) -> StoreResult<Vec<EndorsementDecision>>;
    /// Approved organisations per petition (petitions without any left out).
    async fn organisation_counts(&self) -> StoreResult<Vec<OrganisationCount>>;
    /// Deletes organisations' signatures never confirmed and made before
    /// `before`. Returns how many.
    async fn forget_unconfirmed_endorsements(&self, before: Millis) -> StoreResult<u64>;
    /// Removes the sealed details and address hash of everyone who signed
    /// for an organisation with this address hash; the organisations'
    /// public details stay. Returns how many signatures it touched.
    async fn erase_endorser(&self, email_hash: &EmailHash, at: Millis) -> StoreResult<u64>;
}
