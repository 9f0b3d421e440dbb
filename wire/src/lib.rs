//! The JSON shapes that cross the wire between the Chorus server and its widgets.
//!
//! This crate holds data and the few rules both sides must apply identically
//! (the signing form's, in [`signing`]; the proof of work's, in [`proof`]).
//! No I/O, and no dependency but serde and the hash, so the WASM bundle can
//! depend on it without pulling in anything of the server's.
//!
//! Invariant: shapes evolve additively. A widget cached on a partner page for a
//! year must still read what a newer server sends, so new fields are optional
//! (`#[serde(default)]`) and no type refuses unknown fields.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod countries;
pub mod donate;
pub mod endorsements;
pub mod events;
pub mod lang;
pub mod money;
pub mod proof;
pub mod signing;
pub mod signup;
pub mod storm;
pub mod text;
pub mod updates;
pub mod wall;

pub use countries::{country_codes, is_country};

/// Where the API lives, relative to the Chorus origin.
pub const API_PREFIX: &str = "/api/v1";

/// The name of the Server-Sent Event that carries a [`PetitionCount`].
pub const COUNT_EVENT: &str = "count";

/// The live state of one petition's count: what the counter widget shows.
///
/// Sent by `GET /api/v1/petitions/{slug}/count` and as the data of every
/// `count` event on `GET /api/v1/live`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionCount {
    /// The petition's slug, as in `data-campaign`.
    pub petition: String,
    /// Signatures that count toward the goal.
    pub count: u64,
    /// The organiser's goal; `None` means the widget raises its own goal as the
    /// count grows.
    #[serde(default)]
    pub goal: Option<u64>,
    /// When the latest counted signature was made (RFC 3339, UTC).
    #[serde(default)]
    pub last_signed_at: Option<String>,
    /// Organisations approved as signatories, named or not; apart from
    /// `count`, which counts individuals. Absent (0) from servers before
    /// organisations signed.
    #[serde(default)]
    pub organisations: u64,
    /// Individuals shown on the petition's wall now: when it changes, a
    /// wall reads itself again.
    #[serde(default)]
    pub listed: u64,
}

/// A petition as a supporter reads it, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    pub slug: String,
    /// The language of `title`, `summary` and `body` (a BCP 47 primary tag).
    pub lang: String,
    /// Every language the petition's text exists in.
    #[serde(default)]
    pub languages: Vec<String>,
    pub title: String,
    pub summary: String,
    /// The full text, plain paragraphs separated by blank lines.
    pub body: String,
    #[serde(flatten)]
    pub count: PetitionCount,
    /// The campaign's privacy notice, which signers agree to.
    #[serde(default)]
    pub privacy_url: Option<String>,
    /// What a supporter's share says, in `lang`.
    #[serde(default)]
    pub share: Share,
    /// The name of the partner (named by `?partner=ORIGIN`) that asks its
    /// signers whether it may write to them; `None`: no such question.
    #[serde(default)]
    pub partner_opt_in: Option<String>,
    /// A signature counts only once the signer confirms it from an email.
    #[serde(default)]
    pub confirm_by_email: bool,
    /// Who signs: `people` (absent from servers before organisations
    /// signed), `organisations` or `both`.
    #[serde(default)]
    pub signatories: String,
    /// Its wall shows a listed signer's city, if they give one: the form
    /// then asks for it.
    #[serde(default)]
    pub wall_city: bool,
}

/// The share step's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    #[serde(default)]
    pub message: String,
    /// Without the `#`.
    #[serde(default)]
    pub hashtags: Vec<String>,
    /// Where shares point; `None`: the page the supporter signed on.
    #[serde(default)]
    pub url: Option<String>,
}

/// The one error shape every API endpoint answers with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, for programs (`code`) and for people (`message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable, machine-readable: widgets translate by code, never by message.
    pub code: String,
    /// A sentence in English for developers and logs.
    pub message: String,
    /// Per-field problem codes (`email` → `invalid_email`) when the request
    /// was a form; see [`signing::Problem`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_count_without_optional_fields_still_reads() {
        let count: PetitionCount =
            serde_json::from_str(r#"{"petition":"p","count":3}"#).expect("valid JSON");
        assert_eq!(count.goal, None);
        assert_eq!(count.last_signed_at, None);
    }

    #[test]
    fn fields_a_newer_server_adds_are_ignored() {
        let count: PetitionCount =
            serde_json::from_str(r#"{"petition":"p","count":3,"verified":2}"#)
                .expect("unknown fields are tolerated");
        assert_eq!(count.count, 3);
    }

    #[test]
    fn a_petition_carries_its_count_inline() {
        let json = serde_json::to_value(Petition {
            slug: "p".into(),
            lang: "fr".into(),
            languages: vec!["en".into(), "fr".into()],
            title: "t".into(),
            summary: "s".into(),
            body: "b".into(),
            count: PetitionCount {
                petition: "p".into(),
                count: 7,
                goal: Some(100),
                last_signed_at: None,
                organisations: 0,
                listed: 0,
            },
            privacy_url: None,
            share: Share::default(),
            partner_opt_in: None,
            confirm_by_email: false,
            signatories: "people".into(),
            wall_city: false,
        })
        .expect("serialisable");
        assert_eq!(json["count"], 7);
        assert_eq!(json["goal"], 100);
    }
}
