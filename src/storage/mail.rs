//! Confirming signers by email: the outbox of sealed messages, the tokens
//! mailed links carry, and the part of the storage interface for both.

use async_trait::async_trait;

use super::{Millis, StoreResult};
use crate::ident::Slug;
use crate::personal::EmailHash;

/// The SHA-256 of a token a mailed link carries. The token itself exists
/// only in the email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

/// The kinds of email Chorus sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// "Confirm your signature", with the confirm and "it wasn't me" links.
    Confirm,
    /// "You have already signed", sent instead of a second signature.
    AlreadySigned,
    /// "You're coming": an event's details and the RSVP's cancel link.
    RsvpReceipt,
    /// The day before an event, to those who left an email.
    EventReminder,
    /// To a host: the organiser approved or declined their event.
    EventDecision,
    /// "Confirm your organisation's signature".
    EndorsementConfirm,
    /// "Your organisation has signed already", instead of a second signature.
    EndorsementRepeat,
    /// "Confirm you want to join", the sign-up's double opt-in.
    SignupConfirm,
    /// "You are on the list already", instead of a second sign-up.
    SignupRepeat,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::AlreadySigned => "already_signed",
            Self::RsvpReceipt => "rsvp_receipt",
            Self::EventReminder => "event_reminder",
            Self::EventDecision => "event_decision",
            Self::EndorsementConfirm => "endorsement_confirm",
            Self::EndorsementRepeat => "endorsement_repeat",
            Self::SignupConfirm => "signup_confirm",
            Self::SignupRepeat => "signup_repeat",
        }
    }

    /// Whether its words were written when it was queued (a
    /// [`crate::mail::Letter`]), rather than from an envelope when sent.
    pub fn is_letter(self) -> bool {
        !matches!(self, Self::Confirm | Self::AlreadySigned)
    }

    pub fn parse(stored: &str) -> Option<Self> {
        [
            Self::Confirm,
            Self::AlreadySigned,
            Self::RsvpReceipt,
            Self::EventReminder,
            Self::EventDecision,
            Self::EndorsementConfirm,
            Self::EndorsementRepeat,
            Self::SignupConfirm,
            Self::SignupRepeat,
        ]
        .into_iter()
        .find(|k| k.as_str() == stored)
    }
}

/// An email for the outbox: its recipient and parts, encrypted with
/// Chorus's outbox key, and the recipient's address hash (for erasure).
#[derive(Debug, Clone)]
pub struct SealedMail {
    pub kind: MailKind,
    pub email_hash: EmailHash,
    pub sealed: Vec<u8>,
}

/// What an address that signs a petition again may be mailed, with the
/// token its links carry.
#[derive(Debug, Clone)]
pub struct RepeatLetters {
    pub petition_id: i64,
    pub token: TokenHash,
    /// A fresh confirmation request, for a signer still waiting.
    pub confirm: SealedMail,
    /// "You have already signed", for a signer who counts.
    pub already_signed: SealedMail,
}

/// A message waiting in the outbox.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub id: i64,
    pub kind: MailKind,
    pub sealed: Vec<u8>,
    /// Attempts so far that failed.
    pub attempts: u32,
}

/// A confirmation that arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmed {
    pub petition: Slug,
    /// False when the signer had already confirmed: nothing changed.
    pub newly: bool,
}

/// An "it wasn't me" that arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    pub petition: Slug,
    /// Whether the signature had counted, so the count went down by one.
    pub uncounted: bool,
}

#[async_trait]
pub trait MailStore {
    /// For an address that signs again: mails the signer one of `letters`
    /// if it was last mailed before `quiet_since`. Returns whether a message
    /// was queued.
    async fn mail_repeat_signer(
        &self,
        letters: &RepeatLetters,
        now: Millis,
        quiet_since: Millis,
    ) -> StoreResult<bool>;

    /// Counts the waiting signer the token belongs to; a name they asked to
    /// show on the wall shows from `listed_from`. `None`: no such token.
    async fn confirm_signer(
        &self,
        token: &TokenHash,
        now: Millis,
        listed_from: Millis,
    ) -> StoreResult<Option<Confirmed>>;
    /// Removes the signer the token belongs to ("it wasn't me"): its details
    /// are erased and, if it counted, the count goes down by one, in the
    /// audit log. `None`: no such token.
    async fn withdraw_signer(
        &self,
        token: &TokenHash,
        now: Millis,
    ) -> StoreResult<Option<Withdrawn>>;
    /// Deletes signers who never confirmed and signed before `before`, with
    /// their tokens and mail. Returns how many.
    async fn forget_unconfirmed(&self, before: Millis) -> StoreResult<u64>;

    /// Up to `limit` messages due by `now`, each claimed until `claim_until`
    /// so that no other sender takes it meanwhile.
    async fn claim_due_mail(
        &self,
        now: Millis,
        claim_until: Millis,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>>;
    /// Forgets a message that was sent.
    async fn mail_sent(&self, id: i64) -> StoreResult<()>;
    /// Records a failed attempt; the message is tried again at `retry_at`.
    async fn mail_failed(&self, id: i64, retry_at: Millis) -> StoreResult<()>;
    /// Deletes every message to this address hash. Returns how many.
    async fn forget_mail_to(&self, email_hash: &EmailHash) -> StoreResult<u64>;
    /// Messages waiting, for health reports and tests.
    async fn mail_waiting(&self) -> StoreResult<u64>;
    /// Failed attempts of the messages waiting, for health reports and tests.
    async fn mail_failures(&self) -> StoreResult<u64>;
}
