//! What storage knows about action days, local events and the people
//! coming to them, and the part of the storage interface that reads and
//! writes them.

use async_trait::async_trait;

use super::{Millis, SealedMail, SpentProof, StoreResult, TokenHash};
use crate::ident::{Lang, Slug};
use crate::personal::EmailHash;

/// A day many events belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDayRecord {
    pub id: i64,
    pub slug: Slug,
    pub organisation_id: i64,
    /// `YYYY-MM-DD`: the same calendar day in every zone.
    pub day: String,
    pub default_lang: Lang,
    /// The day's name per language, the default language's among them.
    pub names: Vec<(Lang, String)>,
}

#[derive(Debug, Clone)]
pub struct NewActionDay {
    pub slug: Slug,
    pub organisation_id: i64,
    pub day: String,
    pub lang: Lang,
    pub name: String,
}

/// Where an organiser or host stands an event in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    /// Proposed through the widget; nobody sees it yet.
    Pending,
    Approved,
    Rejected,
    Cancelled,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Approved,
            Self::Rejected,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == stored)
    }

    /// Whether the public sees the event (a cancelled one, marked so).
    pub fn is_public(self) -> bool {
        matches!(self, Self::Approved | Self::Cancelled)
    }
}

/// One language version of an event's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventText {
    pub lang: Lang,
    pub title: String,
    /// Plain paragraphs.
    pub description: String,
}

impl crate::ident::Written for EventText {
    fn lang(&self) -> &Lang {
        &self.lang
    }
}

/// Where an event happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventPlace {
    pub venue: String,
    pub address: String,
    /// The address goes only to people who RSVP with an email.
    pub address_private: bool,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub online_url: Option<String>,
}

/// What an organiser sets, and edits, of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDetails {
    pub day_id: Option<i64>,
    pub kind: String,
    pub starts_at: Millis,
    pub ends_at: Millis,
    /// An IANA zone, checked to exist.
    pub time_zone: String,
    pub place: EventPlace,
    pub accessibility: String,
    pub capacity: Option<u32>,
    /// The host organisation's public name.
    pub host: String,
    pub host_partner_id: Option<i64>,
}

/// The host's contact: sealed to the organisation, never public, and kept
/// for Chorus's outbox until the host hears the organiser's decision.
#[derive(Debug, Clone)]
pub struct HostContact {
    /// [`crate::personal::PersonalDetails`] sealed to the organisation.
    pub sealed: Vec<u8>,
    pub email_hash: EmailHash,
    /// [`crate::mail::Recipient`] under the outbox key.
    pub mail: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub public_id: String,
    pub organisation_id: i64,
    pub details: EventDetails,
    /// In the event's default language.
    pub text: EventText,
    pub status: EventStatus,
    pub host_contact: Option<HostContact>,
    /// A proposal's idempotency key: a retried proposal stores nothing new.
    pub submission_key: Option<String>,
    /// A proposal's proof of work, spent with it.
    pub proof: Option<SpentProof>,
}

/// An event as stored, with every language of its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub id: i64,
    pub public_id: String,
    pub organisation_id: i64,
    pub default_lang: Lang,
    pub details: EventDetails,
    pub texts: Vec<EventText>,
    pub status: EventStatus,
    /// People coming, guests included.
    pub going: u64,
    /// Whether a host contact waits to hear the organiser's decision.
    pub host_waiting: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Which public events to list, and from where.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub day_id: Option<i64>,
    pub country: Option<String>,
    pub kind: Option<String>,
    /// Part of the city, folded as `city_key` is.
    pub city: Option<String>,
    /// Events that end after this.
    pub ends_after: Millis,
    /// Events that start at or after this.
    pub starts_from: Option<Millis>,
    /// Events that start before this.
    pub starts_before: Option<Millis>,
    /// Only events in this status; `None`: the public ones.
    pub status: Option<EventStatus>,
    /// The last event of the previous page: `(starts_at, id)`.
    pub after: Option<(Millis, i64)>,
    pub limit: u32,
}

/// One RSVP to store.
#[derive(Debug, Clone)]
pub struct NewRsvp {
    pub event_id: i64,
    /// The person answering and their guests.
    pub people: u32,
    pub idempotency_key: String,
    pub lang: String,
    pub person: Option<RsvpPerson>,
    pub client_hash: Option<[u8; 32]>,
    pub proof: Option<SpentProof>,
    pub at: Millis,
    /// Whether a reminder is still to come: not for an RSVP made within
    /// the day before, whose receipt is reminder enough.
    pub remind: bool,
}

/// Who is coming, when they left an email.
#[derive(Debug, Clone)]
pub struct RsvpPerson {
    pub email_hash: EmailHash,
    /// Their name and email sealed to the organisation.
    pub sealed: Vec<u8>,
    /// Their address and cancel token under the outbox key, for the reminder.
    pub mail: Vec<u8>,
    /// The cancel link's token, as a digest.
    pub token: TokenHash,
    /// "You're coming": the details and the cancel link, sent at once.
    pub receipt: SealedMail,
}

/// What became of an RSVP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsvpOutcome {
    /// Stored; `going` counts it.
    Going { going: u64 },
    /// This submission, or this address, had answered already: nothing
    /// stored.
    Repeat { going: u64 },
    /// Not enough room left for this many people.
    Full { going: u64 },
    /// The event is cancelled, over, or not public.
    Closed,
    /// Its proof of work bought another submission already.
    ProofSpent,
}

/// A cancellation that arrived through its link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsvpCancelled {
    pub event_public_id: String,
    /// False when it had been cancelled before.
    pub newly: bool,
}

/// An RSVP that has its link, as the cancel page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsvpByToken {
    pub event_id: i64,
    pub people: u32,
    pub cancelled: bool,
}

/// A reminder due: the RSVP and its outbox-sealed recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub rsvp_id: i64,
    pub event_id: i64,
    pub people: u32,
    pub email_hash: Option<EmailHash>,
    pub mail: Vec<u8>,
}

/// An RSVP as the host's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeRow {
    pub people: u32,
    /// `None`: a count alone, or erased.
    pub sealed: Option<Vec<u8>>,
    pub lang: String,
    pub created_at: Millis,
    pub cancelled: bool,
}

/// An event's live attendance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub public_id: String,
    pub day_id: Option<i64>,
    pub going: u64,
    pub capacity: Option<u32>,
}

#[async_trait]
pub trait EventStore {
    async fn create_action_day(&self, day: &NewActionDay) -> StoreResult<ActionDayRecord>;
    /// Adds or replaces the day's name in one language.
    async fn put_action_day_name(&self, day_id: i64, lang: &Lang, name: &str) -> StoreResult<()>;
    async fn action_day_by_slug(&self, slug: &Slug) -> StoreResult<Option<ActionDayRecord>>;
    async fn action_day_by_id(&self, id: i64) -> StoreResult<Option<ActionDayRecord>>;
    async fn action_days(&self) -> StoreResult<Vec<ActionDayRecord>>;

    /// Stores an event; a proposal whose submission key was stored before
    /// stores nothing and returns the first. `None`: its proof of work was
    /// spent on another submission.
    async fn create_event(&self, event: &NewEvent) -> StoreResult<Option<EventRecord>>;
    /// Adds or replaces the event's words in one language.
    async fn put_event_text(&self, event_id: i64, text: &EventText) -> StoreResult<()>;
    async fn update_event(&self, event_id: i64, details: &EventDetails) -> StoreResult<()>;
    /// Sets the event's status; a host waiting for the decision is mailed
    /// `letter` in the same transaction and their outbox copy dropped.
    async fn set_event_status(
        &self,
        event_id: i64,
        status: EventStatus,
        letter: Option<SealedMail>,
    ) -> StoreResult<()>;
    async fn event_by_public_id(&self, public_id: &str) -> StoreResult<Option<EventRecord>>;
    async fn event_by_id(&self, id: i64) -> StoreResult<Option<EventRecord>>;
    /// The host's contact sealed for the outbox, while they wait.
    async fn event_host_mail(&self, event_id: i64) -> StoreResult<Option<Vec<u8>>>;
    /// A page of events by start, then id.
    async fn events(&self, query: &EventQuery) -> StoreResult<Vec<EventRecord>>;
    /// The countries of the public events ending after `ends_after` (of
    /// one day, or of all), once each, sorted by code.
    async fn event_countries(
        &self,
        day_id: Option<i64>,
        ends_after: Millis,
    ) -> StoreResult<Vec<String>>;

    /// Stores an RSVP if there is room, counting it in the same
    /// transaction, with its receipt queued.
    async fn record_rsvp(&self, rsvp: &NewRsvp) -> StoreResult<RsvpOutcome>;
    async fn rsvp_by_token(&self, token: &TokenHash) -> StoreResult<Option<RsvpByToken>>;
    /// Cancels the RSVP the token belongs to, erasing its details. `None`:
    /// no such token.
    async fn cancel_rsvp(
        &self,
        token: &TokenHash,
        now: Millis,
    ) -> StoreResult<Option<RsvpCancelled>>;
    /// RSVPs with an email, not yet reminded, to approved events starting
    /// between `now` and `until`.
    async fn due_reminders(&self, now: Millis, until: Millis) -> StoreResult<Vec<DueReminder>>;
    /// Queues a reminder and marks its RSVP reminded, once.
    async fn queue_reminder(&self, rsvp_id: i64, letter: &SealedMail) -> StoreResult<bool>;
    /// Every RSVP to an event, oldest first.
    async fn attendees(&self, event_id: i64) -> StoreResult<Vec<AttendeeRow>>;

    /// Grows whenever any event's attendance changes, on any instance.
    async fn attendance_version(&self) -> StoreResult<i64>;
    /// The attendance of every public event that has not ended by `now`.
    async fn attendance(&self, now: Millis) -> StoreResult<Vec<AttendanceRow>>;
    /// Drops the addresses kept for reminders, and the client hashes, of
    /// RSVPs to events that ended before `before`. Returns how many.
    async fn forget_event_mail(&self, before: Millis) -> StoreResult<u64>;
    /// Erases a person's RSVPs' details and their host contacts; the
    /// counts stay. Returns how many rows named them.
    async fn erase_event_person(&self, email_hash: &EmailHash) -> StoreResult<u64>;
}
