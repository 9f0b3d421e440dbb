//! The wall of signatories (`GET /api/v1/petitions/{slug}/signers`): the
//! approved organisations that may be named, the individuals who chose to
//! be listed, and a breakdown by country. No time of any signature is in
//! it, and every name is built by the server.

use serde::{Deserialize, Serialize};

/// Below this, a country's count shows as "fewer than 10": a small number
/// can point at the few people who signed there.
pub const SMALL_COUNT: u64 = 10;

/// One page of the wall.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Wall {
    pub petition: String,
    /// Named organisations, in the order they were approved (or matching
    /// the search).
    pub organisations: Vec<ListedOrganisation>,
    /// The cursor of the next page of organisations.
    pub organisations_next: Option<String>,
    /// Approved organisations that are counted but not named.
    pub unnamed_organisations: u64,
    /// Listed individuals, the latest batch first, in random order within it.
    pub people: Vec<ListedPerson>,
    pub people_next: Option<String>,
    /// Every country signatories come from; on the first page only (a
    /// page asked for without a cursor), as later pages change no count.
    pub countries: Vec<CountryCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListedOrganisation {
    pub name: String,
    pub website: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// One of [`crate::endorsements::KINDS`].
    pub kind: String,
    pub statement: String,
    /// Its logo, served by Chorus itself (never its own host, which would
    /// learn who reads the wall); `None` without one.
    pub logo: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListedPerson {
    /// As the organiser's setting builds it: "Ana L." or "Ana".
    pub name: String,
    pub country: String,
}

/// Signatories from one country. `None`: fewer than [`SMALL_COUNT`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CountryCount {
    pub country: String,
    pub organisations: Option<u64>,
    pub people: Option<u64>,
}

/// A count as the wall may show it.
pub fn shown(count: u64) -> Option<u64> {
    (count >= SMALL_COUNT).then_some(count)
}
