//! What storage knows about the wall of signatories, and the part of the
//! storage interface that reads it and takes people off it.

use async_trait::async_trait;

use super::{Millis, StoreResult, TokenHash};

/// A name as the wall may show it, built from what the signer typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallName {
    pub first_name: String,
    /// The last name's first letter, upper case; empty without a last name.
    pub initial: String,
    pub country: String,
    /// The city given for the wall, trimmed; empty without one.
    pub city: String,
    /// A random number: the name's place in its batch.
    pub shuffle: i64,
}

/// How a petition's wall shows people.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WallSettings {
    /// "Ana" rather than "Ana L.".
    pub first_name_only: bool,
    /// ISO codes whose people and organisations are never named.
    pub hidden_countries: Vec<String>,
    /// A listed person's city shows beside their name.
    pub show_city: bool,
}

/// Where a page of listed people starts: after this batch and place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeopleCursor {
    pub listed_from: Millis,
    pub shuffle: i64,
}

/// A listed person, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedRow {
    pub first_name: String,
    pub initial: String,
    pub country: String,
    pub city: String,
    pub cursor: PeopleCursor,
}

/// A named organisation, as the wall lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedOrganisationRow {
    pub id: i64,
    pub name: String,
    pub website: String,
    pub country: String,
    pub kind: String,
    pub statement: String,
    /// It gave a logo's address.
    pub has_logo: bool,
}

/// An organisation's logo, as it gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logo {
    /// Uploaded, and re-encoded by Chorus as a PNG.
    Uploaded(Vec<u8>),
    /// An address Chorus fetches it from.
    Address(String),
}

/// A petition's individuals on the wall now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListedCount {
    pub petition_id: i64,
    pub listed: u64,
}

/// Signatories per country, before any count is held back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountryRow {
    pub country: String,
    pub organisations: u64,
    pub people: u64,
}

#[async_trait]
pub trait WallStore {
    async fn set_wall_settings(&self, petition_id: i64, settings: &WallSettings)
    -> StoreResult<()>;
    async fn wall_settings(&self, petition_id: i64) -> StoreResult<WallSettings>;

    /// Up to `limit` counted people listed by `now`, outside the
    /// petition's hidden countries: the latest batch first, after `after`.
    async fn listed_people(
        &self,
        petition_id: i64,
        now: Millis,
        after: Option<PeopleCursor>,
        limit: u32,
    ) -> StoreResult<Vec<ListedRow>>;
    /// Up to `limit` approved organisations that may be named, outside the
    /// petition's hidden countries, in the order they were approved, after the id
    /// `after`; only those whose name contains `search` if given.
    async fn listed_organisations(
        &self,
        petition_id: i64,
        search: Option<&str>,
        after: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<ListedOrganisationRow>>;
    /// Approved organisations counted but not named: those that asked, and
    /// those from hidden countries.
    async fn unnamed_organisations(&self, petition_id: i64) -> StoreResult<u64>;
    /// Counted people and approved organisations per country.
    async fn signatories_by_country(&self, petition_id: i64) -> StoreResult<Vec<CountryRow>>;
    /// The logo of an organisation the wall names: approved, not unnamed,
    /// not from a hidden country. `None` otherwise, or without one.
    async fn listed_logo(&self, petition_id: i64, endorsement_id: i64)
    -> StoreResult<Option<Logo>>;
    /// Every petition's individuals on the wall at `now` (hidden countries
    /// left out), for the live count that tells walls to read again.
    async fn listed_counts(&self, now: Millis) -> StoreResult<Vec<ListedCount>>;
    /// Takes the signer the token belongs to off the wall; their signature
    /// still counts. `None`: no such token.
    async fn unlist_signer(&self, token: &TokenHash) -> StoreResult<Option<bool>>;
}
