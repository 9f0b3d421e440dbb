//! The signing form: what a supporter sends, and the rules both sides apply.
//!
//! The widget checks a form with [`check`] as the supporter types; the server
//! checks it again with the same function before storing anything. One
//! implementation means the two can never disagree about what is valid.

use serde::{Deserialize, Serialize};

use crate::countries::is_country;

/// The status of a receipt for a stored (or already stored) signature.
pub const RECEIVED: &str = "received";

/// The error code of a signature sent to a petition that has closed.
pub const PETITION_CLOSED: &str = "petition_closed";

/// The error code of a signature sent while the organiser has paused signing.
pub const SIGNING_PAUSED: &str = "signing_paused";

/// The error code of an individual's signature sent to a call that only
/// organisations sign.
pub const PEOPLE_NOT_TAKEN: &str = "people_not_taken";

/// The error code of a form with field problems; [`crate::ErrorDetail::fields`]
/// says which.
pub const INVALID_FIELDS: &str = "invalid_fields";

/// What the petition widget posts to `POST /api/v1/petitions/{slug}/signatures`.
/// A missing field reads as empty, so [`check`] reports it per field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignatureForm {
    /// Made by the widget once per submission and reused for every retry of
    /// it, so a retry can never add a second signature.
    pub idempotency_key: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub comment: String,
    /// The language the supporter read the petition and the consent text in.
    pub lang: String,
    /// The version of the consent text the supporter was shown.
    pub consent_version: String,
    /// Agreement to the campaign's privacy notice: required to sign.
    pub privacy_consent: bool,
    /// Optional: hear from the organisation running the campaign.
    pub opt_in_organiser: bool,
    /// Optional: hear from the partner whose page the supporter signed on.
    pub opt_in_partner: bool,
    /// Optional, unticked by default: show "Ana L." on the petition's wall
    /// of signatories, once the address confirms by email.
    pub listed: bool,
    /// Optional: the city shown beside a listed name, where the petition's
    /// wall shows cities. Kept only for a listed signature.
    pub city: String,
    /// In frame mode, the origin of the partner page around the frame (the
    /// frame's URL names it and its CSP lets only that origin frame it).
    /// Ignored when the partner page itself sends the signature.
    pub partner: Option<String>,
    /// A honeypot: the widget hides this field from people and screen
    /// readers, so only a bot fills it in.
    pub website: String,
    /// The solved proof of work ([`crate::proof`]). Added at each attempt,
    /// never saved with the form: a challenge expires within minutes.
    pub proof: Option<crate::proof::Solution>,
}

/// The answer to a signature. Identical for a first signature, a repeat by the
/// same address and a retry, so nobody can learn whether an address signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureReceipt {
    pub status: String,
}

/// The fields a problem can be reported on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    FirstName,
    LastName,
    Email,
    Country,
    Comment,
    City,
    PrivacyConsent,
    Lang,
    ConsentVersion,
    IdempotencyKey,
}

impl Field {
    pub const ALL: [Self; 10] = [
        Self::FirstName,
        Self::LastName,
        Self::Email,
        Self::Country,
        Self::Comment,
        Self::City,
        Self::PrivacyConsent,
        Self::Lang,
        Self::ConsentVersion,
        Self::IdempotencyKey,
    ];

    /// The field a JSON name (or error key) stands for.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The JSON field name, also used as the key in per-field errors.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Email => "email",
            Self::Country => "country",
            Self::Comment => "comment",
            Self::City => "city",
            Self::PrivacyConsent => "privacy_consent",
            Self::Lang => "lang",
            Self::ConsentVersion => "consent_version",
            Self::IdempotencyKey => "idempotency_key",
        }
    }
}

/// What is wrong with a field; widgets translate these codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong,
    /// Characters a name cannot contain, a spreadsheet formula or a web address.
    NotAName,
    InvalidEmail,
    UnknownCountry,
    ConsentRequired,
    /// Control characters, or a value no widget would send.
    Invalid,
}

impl Problem {
    const ALL: [Self; 7] = [
        Self::Required,
        Self::TooLong,
        Self::NotAName,
        Self::InvalidEmail,
        Self::UnknownCountry,
        Self::ConsentRequired,
        Self::Invalid,
    ];

    /// The problem an error code stands for; unknown codes (from a newer
    /// server) read as [`Problem::Invalid`].
    pub fn parse(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == code)
            .unwrap_or(Self::Invalid)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong => "too_long",
            Self::NotAName => "not_a_name",
            Self::InvalidEmail => "invalid_email",
            Self::UnknownCountry => "unknown_country",
            Self::ConsentRequired => "consent_required",
            Self::Invalid => "invalid",
        }
    }
}

pub const NAME_MAX: usize = 80;
pub const EMAIL_MAX: usize = 254;
pub const COMMENT_MAX: usize = 1_000;

/// Every problem with a form, at most one per field, in field order.
pub fn check(form: &SignatureForm) -> Vec<(Field, Problem)> {
    let checks = [
        (Field::FirstName, check_name(&form.first_name, true)),
        (Field::LastName, check_name(&form.last_name, false)),
        (Field::Email, check_email(&form.email)),
        (Field::Country, check_country(&form.country)),
        (Field::Comment, check_comment(&form.comment)),
        // A city is written like a name: letters, spaces, hyphens.
        (Field::City, check_name(&form.city, false)),
        (
            Field::PrivacyConsent,
            (!form.privacy_consent).then_some(Problem::ConsentRequired),
        ),
        (Field::Lang, check_token(&form.lang, 2, 35)),
        (
            Field::ConsentVersion,
            check_token(&form.consent_version, 1, 32),
        ),
        (
            Field::IdempotencyKey,
            check_token(&form.idempotency_key, 16, 64),
        ),
    ];
    checks
        .into_iter()
        .filter_map(|(field, problem)| problem.map(|p| (field, p)))
        .collect()
}

/// Names are Unicode: any script, accents, apostrophes, hyphens. Refused:
/// control and invisible formatting characters, ASCII symbols, a leading
/// `= + - @` (a spreadsheet would run it as a formula) and web addresses.
pub fn check_name(name: &str, required: bool) -> Option<Problem> {
    let name = name.trim();
    if name.is_empty() {
        return required.then_some(Problem::Required);
    }
    if name.chars().count() > NAME_MAX {
        return Some(Problem::TooLong);
    }
    let allowed = |c: char| {
        if c.is_ascii() {
            c.is_ascii_alphabetic() || matches!(c, ' ' | '\'' | '-' | '.' | ',')
        } else {
            !c.is_control() && !c.is_whitespace() && !is_invisible_format(c)
        }
    };
    let formula = name.starts_with(['=', '+', '-', '@']);
    if formula || !name.chars().all(allowed) || looks_like_address(name) {
        return Some(Problem::NotAName);
    }
    None
}

/// Zero-width and bidirectional-override characters: they hide or reorder
/// text when an organiser reads an export.
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

/// A word such as `evil.com`: letters or digits, a dot, then a lower-case
/// top-level domain. Initials (`J.R.R.`) and `St. John` do not match.
fn looks_like_address(text: &str) -> bool {
    text.split([' ', ',']).any(|word| {
        word.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty()
                && !host.ends_with('.')
                && (2..=24).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_lowercase())
        })
    })
}

/// A deliberately plain check: one `@`, a local part, a domain with a dot and
/// no spaces. The server also parses the address strictly.
pub fn check_email(email: &str) -> Option<Problem> {
    let email = email.trim();
    if email.is_empty() {
        return Some(Problem::Required);
    }
    if email.chars().count() > EMAIL_MAX {
        return Some(Problem::TooLong);
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Some(Problem::InvalidEmail);
    };
    let plain = |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    let domain_ok = plain(domain)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty());
    if !plain(local) || local.len() > 64 || local.contains('@') || !domain_ok {
        return Some(Problem::InvalidEmail);
    }
    None
}

pub fn check_country(code: &str) -> Option<Problem> {
    if code.is_empty() {
        Some(Problem::Required)
    } else if is_country(code) {
        None
    } else {
        Some(Problem::UnknownCountry)
    }
}

pub fn check_comment(comment: &str) -> Option<Problem> {
    if comment.chars().count() > COMMENT_MAX {
        Some(Problem::TooLong)
    } else if comment
        .chars()
        .any(|c| (c.is_control() && c != '\n') || is_invisible_format(c))
    {
        Some(Problem::Invalid)
    } else {
        None
    }
}

/// Values the widget makes, never the supporter: letters, digits, `-`, `.`.
pub fn check_token(token: &str, min: usize, max: usize) -> Option<Problem> {
    let ok = (min..=max).contains(&token.len())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    (!ok).then_some(Problem::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> SignatureForm {
        SignatureForm {
            idempotency_key: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            first_name: "Aïcha".into(),
            last_name: "O'Brien-Núñez".into(),
            email: "aicha@example.org".into(),
            country: "SN".into(),
            comment: "Solidarity.\nFrom Dakar".into(),
            lang: "fr".into(),
            consent_version: "2026-11".into(),
            privacy_consent: true,
            opt_in_organiser: false,
            opt_in_partner: false,
            listed: false,
            city: String::new(),
            partner: None,
            website: String::new(),
            proof: None,
        }
    }

    fn problem(form: &SignatureForm, field: Field) -> Option<Problem> {
        check(form)
            .into_iter()
            .find(|(f, _)| *f == field)
            .map(|(_, p)| p)
    }

    #[test]
    fn a_complete_form_passes() {
        assert_eq!(check(&valid()), vec![]);
    }

    #[test]
    fn names_in_any_script_pass() {
        for name in [
            "Zoë",
            "Nguyễn Thị",
            "Мария",
            "محمد",
            "李小龍",
            "D'Arcy",
            "J.R.R.",
            "St. John",
        ] {
            assert_eq!(check_name(name, true), None, "{name}");
        }
    }

    #[test]
    fn formulas_addresses_and_symbols_are_not_names() {
        for name in [
            "=HYPERLINK(\"x\")",
            "+33 6",
            "-1",
            "@me",
            "visit evil.com",
            "http://x",
            "a<b>",
            "tab\there",
            "hidden\u{202E}txt",
        ] {
            assert_eq!(check_name(name, true), Some(Problem::NotAName), "{name:?}");
        }
    }

    #[test]
    fn lengths_are_bounded() {
        assert_eq!(
            check_name(&"a".repeat(NAME_MAX + 1), true),
            Some(Problem::TooLong)
        );
        let mut form = valid();
        form.comment = "x".repeat(COMMENT_MAX + 1);
        assert_eq!(problem(&form, Field::Comment), Some(Problem::TooLong));
        form.email = format!("{}@example.org", "a".repeat(EMAIL_MAX));
        assert_eq!(problem(&form, Field::Email), Some(Problem::TooLong));
    }

    #[test]
    fn required_fields_and_consent_are_enforced() {
        let mut form = valid();
        form.first_name = "  ".into();
        form.email = String::new();
        form.country = String::new();
        form.privacy_consent = false;
        form.last_name = String::new();
        let problems = check(&form);
        assert_eq!(
            problems,
            vec![
                (Field::FirstName, Problem::Required),
                (Field::Email, Problem::Required),
                (Field::Country, Problem::Required),
                (Field::PrivacyConsent, Problem::ConsentRequired),
            ]
        );
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        for bad in [
            "a",
            "a@",
            "@b.org",
            "a@b",
            "a b@c.org",
            "a@b..org",
            "a@@b.org",
        ] {
            assert_eq!(check_email(bad), Some(Problem::InvalidEmail), "{bad:?}");
        }
        assert_eq!(check_email(" Ana.Lopez+news@Example.ORG "), None);
    }

    #[test]
    fn countries_come_from_the_list() {
        let mut form = valid();
        form.country = "XX".into();
        assert_eq!(
            problem(&form, Field::Country),
            Some(Problem::UnknownCountry)
        );
        form.country = "fr".into();
        assert_eq!(
            problem(&form, Field::Country),
            Some(Problem::UnknownCountry)
        );
    }

    #[test]
    fn machine_fields_refuse_odd_values() {
        let mut form = valid();
        form.idempotency_key = "short".into();
        form.consent_version = "v1; drop".into();
        assert_eq!(
            problem(&form, Field::IdempotencyKey),
            Some(Problem::Invalid)
        );
        assert_eq!(
            problem(&form, Field::ConsentVersion),
            Some(Problem::Invalid)
        );
    }

    #[test]
    fn codes_read_back_as_what_they_name() {
        for field in Field::ALL {
            assert_eq!(Field::parse(field.as_str()), Some(field));
        }
        for problem in Problem::ALL {
            assert_eq!(Problem::parse(problem.as_str()), problem);
        }
        assert_eq!(Problem::parse("from_the_future"), Problem::Invalid);
    }

    #[test]
    fn control_characters_in_comments_are_refused() {
        let mut form = valid();
        form.comment = "bell\u{7}".into();
        assert_eq!(problem(&form, Field::Comment), Some(Problem::Invalid));
    }
}
