//! Endorsements: an organisation signing a petition, beside individuals.
//! What the widget posts for "sign as an organisation", and the rules both
//! sides apply to it. (Not the organisations that run campaigns and hold
//! their signers' keys: those are `chorus org`'s.)
//!
//! The organisation's name, website, country, kind, statement and logo are
//! public once an organiser approves it; the person signing on its behalf
//! is sealed like any signer and never shown.

use serde::{Deserialize, Serialize};

use crate::events::{URL_MAX, check_text};
use crate::signing::{Problem, check_comment, check_country, check_email, check_name, check_token};

/// The kinds of organisation, as stored and sent.
pub const KINDS: [&str; 6] = ["ngo", "union", "faith", "community", "network", "other"];

/// The error code of an organisation's signature sent to a petition that
/// only individuals sign.
pub const ORGANISATIONS_NOT_TAKEN: &str = "organisations_not_taken";

pub const ORGANISATION_MAX: usize = 200;
pub const ROLE_MAX: usize = 100;
pub const STATEMENT_MAX: usize = crate::signing::COMMENT_MAX;
/// The largest logo file an organisation may upload, in bytes.
pub const LOGO_UPLOAD_MAX: usize = 256 * 1024;

/// What the petition widget posts to
/// `POST /api/v1/petitions/{slug}/endorsements`. A missing field reads as
/// empty, so [`check`] reports it per field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndorsementForm {
    /// As in [`crate::signing::SignatureForm`]: one per submission, reused
    /// by its retries.
    pub idempotency_key: String,
    /// The organisation's name, as it will be listed.
    pub organisation: String,
    /// Its website (`https://…`). A second signature from the same
    /// registrable domain is a repeat.
    pub organisation_url: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// Optional, public: a sentence on why it signs.
    pub statement: String,
    /// Optional: a raster logo's address, which Chorus fetches once and
    /// serves itself.
    pub logo_url: String,
    /// Optional, instead of `logo_url`: an uploaded logo as a `data:` URL
    /// (PNG, JPEG, WebP or GIF, at most [`LOGO_UPLOAD_MAX`] bytes), which
    /// Chorus re-encodes and serves itself.
    pub logo_upload: String,
    /// Counted, never named: listed only as "and N organisations that
    /// cannot be named".
    pub unnamed: bool,
    /// The person signing on the organisation's behalf: sealed.
    pub signer_name: String,
    pub signer_role: String,
    pub email: String,
    pub lang: String,
    pub consent_version: String,
    pub privacy_consent: bool,
    pub opt_in_organiser: bool,
    pub opt_in_partner: bool,
    /// In frame mode, the partner page's origin (as for a signature).
    pub partner: Option<String>,
    /// The honeypot, as on every Chorus form.
    pub website: String,
    pub proof: Option<crate::proof::Solution>,
}

/// Every problem with an organisation's form, at most one per field, by
/// the field's JSON name. The server also parses the website strictly and
/// fetches the logo, and reports those on the same fields.
pub fn check(form: &EndorsementForm) -> Vec<(&'static str, Problem)> {
    let checks = [
        (
            "organisation",
            check_text(&form.organisation, true, ORGANISATION_MAX),
        ),
        (
            "organisation_url",
            check_web_address(&form.organisation_url, true),
        ),
        ("country", check_country(&form.country)),
        (
            "kind",
            (!KINDS.contains(&form.kind.as_str())).then_some(Problem::Invalid),
        ),
        ("statement", check_comment(&form.statement)),
        ("logo_url", check_web_address(&form.logo_url, false)),
        (
            "logo_upload",
            check_upload(&form.logo_upload, &form.logo_url),
        ),
        ("signer_name", check_name(&form.signer_name, true)),
        (
            "signer_role",
            check_text(&form.signer_role, false, ROLE_MAX),
        ),
        ("email", check_email(&form.email)),
        (
            "privacy_consent",
            (!form.privacy_consent).then_some(Problem::ConsentRequired),
        ),
        ("lang", check_token(&form.lang, 2, 35)),
        ("consent_version", check_token(&form.consent_version, 1, 32)),
        (
            "idempotency_key",
            check_token(&form.idempotency_key, 16, 64),
        ),
    ];
    checks
        .into_iter()
        .filter_map(|(field, problem)| problem.map(|p| (field, p)))
        .collect()
}

/// An uploaded logo's shape: a raster image's `data:` URL within the size
/// limit, and not beside an address (one logo or the other).
fn check_upload(upload: &str, address: &str) -> Option<Problem> {
    if upload.is_empty() {
        return None;
    }
    if !address.trim().is_empty() || !upload.starts_with("data:image/") {
        return Some(Problem::Invalid);
    }
    // Base64 carries three bytes in four characters.
    (upload.len() > LOGO_UPLOAD_MAX / 3 * 4 + 64).then_some(Problem::TooLong)
}

/// A web address's shape: `https://` or `http://`, then a host with a dot,
/// no spaces, no user name (`https://trusted.org@evil.example`).
fn check_web_address(address: &str, required: bool) -> Option<Problem> {
    let address = address.trim();
    if address.is_empty() {
        return required.then_some(Problem::Required);
    }
    if address.len() > URL_MAX {
        return Some(Problem::TooLong);
    }
    let rest = address
        .strip_prefix("https://")
        .or_else(|| address.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    let shaped = host.is_some_and(|h| h.contains('.') && !h.contains('@') && !h.starts_with('.'))
        && !address.chars().any(|c| c.is_whitespace() || c.is_control());
    (!shaped).then_some(Problem::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> EndorsementForm {
        EndorsementForm {
            idempotency_key: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            organisation: "Red de Apoyo Migrante".into(),
            organisation_url: "https://apoyo-migrante.example.org/quienes-somos".into(),
            country: "MX".into(),
            kind: "network".into(),
            statement: "Firmamos porque los derechos no tienen fronteras.".into(),
            signer_name: "Lucía Ramírez".into(),
            signer_role: "Coordinadora".into(),
            email: "lucia@apoyo-migrante.example.org".into(),
            lang: "es".into(),
            consent_version: "1".into(),
            privacy_consent: true,
            ..EndorsementForm::default()
        }
    }

    fn problems(change: impl FnOnce(&mut EndorsementForm)) -> Vec<(&'static str, Problem)> {
        let mut form = valid();
        change(&mut form);
        check(&form)
    }

    #[test]
    fn a_complete_form_has_no_problems() {
        assert_eq!(check(&valid()), []);
        assert_eq!(problems(|f| f.unnamed = true), []);
        assert_eq!(
            problems(|f| f.logo_url = "https://apoyo-migrante.example.org/logo.png".into()),
            []
        );
    }

    type Change = fn(&mut EndorsementForm);

    #[test]
    fn each_field_reports_its_own_problem() {
        let cases: [(&str, Change, Problem); 10] = [
            (
                "organisation",
                |f| f.organisation = " ".into(),
                Problem::Required,
            ),
            (
                "organisation",
                |f| f.organisation = "x".repeat(201),
                Problem::TooLong,
            ),
            (
                "organisation_url",
                |f| f.organisation_url.clear(),
                Problem::Required,
            ),
            (
                "country",
                |f| f.country = "XX".into(),
                Problem::UnknownCountry,
            ),
            ("kind", |f| f.kind = "party".into(), Problem::Invalid),
            (
                "statement",
                |f| f.statement = "s".repeat(1_001),
                Problem::TooLong,
            ),
            (
                "signer_name",
                |f| f.signer_name = "=HYPERLINK()".into(),
                Problem::NotAName,
            ),
            (
                "signer_role",
                |f| f.signer_role = "r\u{202E}".into(),
                Problem::Invalid,
            ),
            (
                "email",
                |f| f.email = "lucia@".into(),
                Problem::InvalidEmail,
            ),
            (
                "privacy_consent",
                |f| f.privacy_consent = false,
                Problem::ConsentRequired,
            ),
        ];
        for (field, change, problem) in cases {
            assert_eq!(problems(change), [(field, problem)], "{field}");
        }
    }

    #[test]
    fn web_addresses_need_a_scheme_a_host_and_no_user_name() {
        for bad in [
            "apoyo-migrante.example.org",
            "ftp://apoyo-migrante.example.org",
            "https://localhost",
            "https://trusted.example.org@evil.example",
            "https://apoyo migrante.example.org",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                problems(|f| f.organisation_url = bad.into()),
                [("organisation_url", Problem::Invalid)],
                "{bad}"
            );
            assert_eq!(
                problems(|f| f.logo_url = bad.into()),
                [("logo_url", Problem::Invalid)],
                "{bad}"
            );
        }
        assert_eq!(
            problems(|f| f.organisation_url = "http://sindicato.example".into()),
            []
        );
    }

    #[test]
    fn a_form_from_an_older_widget_reads_with_defaults() {
        let form: EndorsementForm =
            serde_json::from_str(r#"{"organisation":"Sindicato","unknown":1}"#).expect("reads");
        assert_eq!(form.organisation, "Sindicato");
        assert!(!form.unnamed && form.logo_url.is_empty());
    }
}
