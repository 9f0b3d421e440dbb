//! What storage knows about sign-up lists ("join us") and the people on
//! them, and the part of the storage interface that keeps them.

use async_trait::async_trait;

use super::{Millis, SealedMail, SpentProof, StoreResult, TokenHash};
use crate::ident::Slug;
use crate::personal::EmailHash;

/// A list people join to hear about a coalition's work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupList {
    pub id: i64,
    pub slug: Slug,
    /// Whose key its people are sealed to.
    pub organisation_id: i64,
    /// How the widget and the emails name the list.
    pub name: String,
    pub privacy_url: Option<String>,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct NewSignupList {
    pub slug: Slug,
    pub organisation_id: i64,
    pub name: String,
    pub privacy_url: Option<String>,
}

/// Someone joining a list, waiting for their email confirmation.
#[derive(Debug, Clone)]
pub struct NewSignup {
    pub list_id: i64,
    pub partner_id: Option<i64>,
    pub idempotency_key: String,
    pub email_hash: EmailHash,
    /// Their first name and address, sealed to the list's organisation.
    pub sealed: Vec<u8>,
    pub country: String,
    pub lang: String,
    /// The sentence they agreed to, word for word.
    pub consent: String,
    pub consent_version: String,
    pub client_hash: Option<[u8; 32]>,
    /// The link's token, and the email carrying it.
    pub token: TokenHash,
    pub confirm: SealedMail,
    pub proof: Option<SpentProof>,
    pub at: Millis,
}

/// What became of a sign-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupOutcome {
    /// Stored, its confirmation queued.
    Stored,
    /// This submission (its idempotency key) was stored already.
    RepeatSubmission,
    /// The address is on the list already.
    RepeatAddress,
    ProofSpent,
}

/// A second sign-up of an address: a fresh confirmation if it still
/// waits, "you are on the list already" if not.
#[derive(Debug, Clone)]
pub struct SignupRepeat {
    pub list_id: i64,
    pub email_hash: EmailHash,
    /// Replaces the waiting sign-up's token: the old link stops working.
    pub token: TokenHash,
    pub confirm: SealedMail,
    pub already: SealedMail,
}

/// A confirmation link that was followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupConfirmed {
    pub list: Slug,
    /// False when it was confirmed already.
    pub newly: bool,
}

/// Someone on a list, as an export reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupRow {
    pub id: i64,
    /// `unconfirmed` or `confirmed`.
    pub status: String,
    pub sealed: Vec<u8>,
    pub country: String,
    pub lang: String,
    pub consent: String,
    pub consent_version: String,
    pub partner: Option<String>,
    pub created_at: Millis,
    pub confirmed_at: Option<Millis>,
}

#[async_trait]
pub trait SignupStore {
    /// `AlreadyExists` if the slug is taken.
    async fn create_signup_list(&self, list: &NewSignupList) -> StoreResult<SignupList>;
    async fn signup_list_by_slug(&self, slug: &Slug) -> StoreResult<Option<SignupList>>;
    async fn signup_lists(&self) -> StoreResult<Vec<SignupList>>;
    /// The confirmed people on a list.
    async fn signup_count(&self, list_id: i64) -> StoreResult<u64>;
    /// Stores a sign-up with its confirmation queued, in one transaction;
    /// a retry or a second sign-up of the address stores nothing.
    async fn record_signup(&self, signup: &NewSignup) -> StoreResult<SignupOutcome>;
    /// Queues the email for a second sign-up of an address, unless it was
    /// mailed since `quiet_since`. Returns whether it queued one.
    async fn mail_repeat_signup(
        &self,
        repeat: &SignupRepeat,
        now: Millis,
        quiet_since: Millis,
    ) -> StoreResult<bool>;
    /// `None`: no such token.
    async fn confirm_signup(
        &self,
        token: &TokenHash,
        now: Millis,
    ) -> StoreResult<Option<SignupConfirmed>>;
    /// Takes the sign-up the token belongs to off its list, deleting it.
    /// `None`: no such token.
    async fn leave_signup(&self, token: &TokenHash) -> StoreResult<Option<Slug>>;
    /// A list's people, oldest first.
    async fn signups(&self, list_id: i64) -> StoreResult<Vec<SignupRow>>;
    /// Deletes sign-ups never confirmed and made before `before`, with
    /// their waiting emails. Returns how many.
    async fn forget_unconfirmed_signups(&self, before: Millis) -> StoreResult<u64>;
    /// Deletes every sign-up of this address. Returns how many.
    async fn erase_signups(&self, email_hash: &EmailHash) -> StoreResult<u64>;
}
