//! "Join us": what the `signup` widget posts to
//! `POST /api/v1/signups/{slug}`, the rules both sides apply to it, the
//! consent sentence both show and store, and a list as the widget reads it.

use serde::{Deserialize, Serialize};

use crate::signing::{Problem, check_country, check_email, check_name, check_token};

/// The version of [`consent`]'s words; stored with every sign-up. Change
/// it whenever the sentence changes in any language.
pub const CONSENT_VERSION: &str = "2026-12";

/// The languages a sign-up may ask to be written to in.
pub const LANGUAGES: [&str; 3] = ["en", "fr", "es"];

/// A sign-up list as `GET /api/v1/signups/{slug}` answers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupList {
    pub slug: String,
    pub name: String,
    /// People who joined and confirmed.
    pub count: u64,
    pub privacy_url: Option<String>,
}

/// What the widget posts. A missing field reads as empty, so [`check`]
/// reports it per field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    /// One per submission, reused by its retries.
    pub idempotency_key: String,
    pub first_name: String,
    pub email: String,
    /// Optional: ISO 3166-1 alpha-2.
    pub country: String,
    /// One of [`LANGUAGES`]: the language they want to hear in.
    pub lang: String,
    /// They agreed to [`consent`] in `lang`.
    pub consent: bool,
    pub consent_version: String,
    /// The partner page's origin, as for a signature.
    pub partner: Option<String>,
    /// The honeypot, as on every Chorus form.
    pub website: String,
    pub proof: Option<crate::proof::Solution>,
}

/// Every problem with a sign-up, at most one per field, by JSON name.
pub fn check(form: &SignupForm) -> Vec<(&'static str, Problem)> {
    let checks = [
        ("first_name", check_name(&form.first_name, true)),
        ("email", check_email(&form.email)),
        (
            "country",
            (!form.country.is_empty())
                .then(|| check_country(&form.country))
                .flatten(),
        ),
        (
            "lang",
            (!LANGUAGES.contains(&form.lang.as_str())).then_some(Problem::Invalid),
        ),
        (
            "consent",
            (!form.consent).then_some(Problem::ConsentRequired),
        ),
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

/// The sentence a person agrees to by joining `list` in `lang` (one of
/// [`LANGUAGES`], English otherwise): what the widget shows, and what
/// Chorus stores with the sign-up, word for word.
pub fn consent(lang: &str, list: &str) -> String {
    let sentence = match lang {
        "fr" => {
            "J'accepte de recevoir par e-mail les nouvelles de « {list} ». Je peux me désinscrire à tout moment."
        }
        "es" => {
            "Acepto recibir por correo electrónico las novedades de «{list}». Puedo darme de baja en cualquier momento."
        }
        _ => {
            "I agree to receive news from \u{201c}{list}\u{201d} by email. I can leave at any time."
        }
    };
    sentence.replace("{list}", list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SignupForm {
        SignupForm {
            idempotency_key: "k-signup-00000001".into(),
            first_name: "Amara".into(),
            email: "amara@example.org".into(),
            lang: "fr".into(),
            consent: true,
            consent_version: CONSENT_VERSION.into(),
            ..SignupForm::default()
        }
    }

    #[test]
    fn a_complete_sign_up_passes_and_a_country_is_optional() {
        assert_eq!(check(&form()), vec![]);
        let with_country = SignupForm {
            country: "SN".into(),
            ..form()
        };
        assert_eq!(check(&with_country), vec![]);
    }

    #[test]
    fn each_field_reports_its_own_problem() {
        let bad = SignupForm {
            first_name: String::new(),
            email: "amara@".into(),
            country: "XX".into(),
            lang: "de".into(),
            consent: false,
            ..form()
        };
        let fields: Vec<&str> = check(&bad).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["first_name", "email", "country", "lang", "consent"]
        );
    }

    #[test]
    fn the_consent_names_the_list_in_each_language() {
        for lang in LANGUAGES {
            let text = consent(lang, "Coalition news");
            assert!(
                text.contains("Coalition news") && !text.contains('{'),
                "{text}"
            );
        }
        assert_eq!(consent("pt", "X"), consent("en", "X"));
    }
}
