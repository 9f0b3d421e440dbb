//! Confirmed signatures (double opt-in): the emails a signature may need,
//! prepared before it is stored, and the pages their links open.
//!
//! A link carries a random token; storage keeps only its SHA-256. Opening a
//! link shows a page with a button, and only the button's POST acts, so a
//! mail scanner that follows links confirms and removes nothing.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Path;
use crate::mail::Envelope;
use crate::mail::messages::{Words, words};
use crate::personal::ServerKeys;
use crate::storage::{
    Confirmation, MailKind, Millis, RepeatLetters, SealedMail, TokenHash, WallName, now_millis,
};

/// An address that signs again is mailed about it at most once an hour,
/// however often it signs: repeats cannot flood a mailbox.
const QUIET: Millis = 60 * 60 * 1000;

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/confirm/{token}", get(show_confirm).post(confirm))
        .route("/withdraw/{token}", get(show_withdraw).post(withdraw))
}

/// The emails one signature may need, sealed for the outbox, with the
/// token their links carry.
#[derive(Debug, Clone)]
pub struct Letters {
    token: TokenHash,
    confirm: SealedMail,
    already_signed: SealedMail,
}

/// Who the letters go to and what they are about.
#[derive(Debug)]
pub struct Addressee<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub lang: &'a str,
    pub petition_title: &'a str,
    /// The signer asked to be on the wall: the confirmation carries the
    /// link that takes them off it.
    pub listed: bool,
}

impl Letters {
    /// Prepares both letters with a fresh token; `base` is Chorus's public
    /// origin, which the links lead to.
    pub fn prepare(keys: &ServerKeys, base: &str, to: &Addressee<'_>) -> Self {
        let (text, token) = new_link_token();
        let link = |action: &str| format!("{base}/{action}/{text}?lang={}", words(to.lang).lang);
        let envelope = |confirm_url: Option<String>| Envelope {
            to: to.email.trim().to_owned(),
            first_name: to.first_name.trim().to_owned(),
            lang: to.lang.to_owned(),
            petition_title: to.petition_title.to_owned(),
            confirm_url,
            withdraw_url: link("withdraw"),
            unlist_url: to.listed.then(|| link("unlist")),
        };
        let email_hash = keys.email_hash(to.email);
        Self {
            token,
            confirm: SealedMail {
                kind: MailKind::Confirm,
                email_hash: email_hash.clone(),
                sealed: envelope(Some(link("confirm"))).seal(keys),
            },
            already_signed: SealedMail {
                kind: MailKind::AlreadySigned,
                email_hash,
                sealed: envelope(None).seal(keys),
            },
        }
    }

    /// What a new signer waits for, with the name they asked to show on
    /// the wall once confirmed.
    pub fn confirmation(&self, listing: Option<WallName>) -> Confirmation {
        Confirmation {
            token: self.token,
            mail: self.confirm.clone(),
            listing,
        }
    }

    /// For an address that had signed: a fresh confirmation request if it
    /// still waits, "you already signed" if it counts; neither if it was
    /// mailed within the hour.
    pub async fn mail_repeat(self, state: AppState, petition_id: i64) {
        let now = now_millis();
        let letters = RepeatLetters {
            petition_id,
            token: self.token,
            confirm: self.confirm,
            already_signed: self.already_signed,
        };
        let queued = state
            .store
            .mail_repeat_signer(&letters, now, now - QUIET)
            .await;
        if let Err(error) = queued {
            tracing::warn!(%error, "cannot queue the email for a repeat signature");
        }
    }
}

fn digest(token: &[u8]) -> TokenHash {
    TokenHash(Sha256::digest(token).into())
}

/// A fresh token for a mailed link: as the link carries it, and as
/// storage keeps it.
pub fn new_link_token() -> (String, TokenHash) {
    use crypto_box::aead::rand_core::RngCore;
    let mut token = [0_u8; 32];
    crypto_box::aead::OsRng.fill_bytes(&mut token);
    (BASE64.encode(token), digest(&token))
}

/// The stored digest of a link's token; `None` for anything that is not one.
pub fn token_hash(text: &str) -> Option<TokenHash> {
    let bytes = BASE64.decode(text).ok()?;
    (bytes.len() == 32).then(|| digest(&bytes))
}

/// The language a mailed link's page speaks (`?lang=`).
#[derive(Debug, serde::Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    pub lang: String,
}

#[derive(Debug, askama::Template)]
#[template(path = "signer_link.html")]
struct LinkPage<'a> {
    lang: &'a str,
    heading: &'a str,
    text: Option<&'a str>,
    button: Option<&'a str>,
}

fn page(words: &Words, heading: &str, text: Option<&str>, button: Option<&str>) -> Response {
    link_page(words.lang, heading, text, button)
}

/// The page a mailed link opens: a heading, perhaps a line of text, and
/// perhaps the one button whose POST acts. Events' cancel links use it too.
pub fn link_page(lang: &str, heading: &str, text: Option<&str>, button: Option<&str>) -> Response {
    let html = askama::Template::render(&LinkPage {
        lang,
        heading,
        text,
        button,
    });
    match html {
        Ok(html) => (
            [
                (header::CONTENT_SECURITY_POLICY, crate::site::PAGE_CSP),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Html(html),
        )
            .into_response(),
        Err(error) => ApiError::Internal(error.to_string()).into_response(),
    }
}

fn invalid(words: &Words) -> Response {
    invalid_link_page(words.lang, words.invalid_link)
}

/// The `404` page of a link that does not work (any more), saying `text`.
pub fn invalid_link_page(lang: &str, text: &str) -> Response {
    let mut response = link_page(lang, text, None, None);
    *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
    response
}

async fn show_confirm(Path(token): Path<String>, Query(query): Query<LinkQuery>) -> Response {
    let words = words(&query.lang);
    if token_hash(&token).is_none() {
        return invalid(words);
    }
    page(
        words,
        words.confirm_heading,
        None,
        Some(words.confirm_button),
    )
}

async fn show_withdraw(Path(token): Path<String>, Query(query): Query<LinkQuery>) -> Response {
    let words = words(&query.lang);
    if token_hash(&token).is_none() {
        return invalid(words);
    }
    page(
        words,
        words.withdraw_heading,
        Some(words.withdraw_text),
        Some(words.withdraw_button),
    )
}

async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LinkQuery>,
) -> Result<Response, ApiError> {
    let words = words(&query.lang);
    let Some(token) = token_hash(&token) else {
        return Ok(invalid(words));
    };
    let now = now_millis();
    let confirmed = state
        .store
        .confirm_signer(&token, now, state.wall.listed_from(now))
        .await?;
    match confirmed {
        None => Ok(invalid(words)),
        Some(confirmed) => {
            if confirmed.newly {
                state.counts.wake();
            }
            Ok(page(words, words.confirmed, None, None))
        }
    }
}

async fn withdraw(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LinkQuery>,
) -> Result<Response, ApiError> {
    let words = words(&query.lang);
    let Some(token) = token_hash(&token) else {
        return Ok(invalid(words));
    };
    match state.store.withdraw_signer(&token, now_millis()).await? {
        None => Ok(invalid(words)),
        Some(withdrawn) => {
            if withdrawn.uncounted {
                state.counts.wake();
            }
            Ok(page(words, words.withdrawn, None, None))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_32_byte_token_reads_as_one() {
        let token = BASE64.encode([7_u8; 32]);
        assert_eq!(token_hash(&token), Some(digest(&[7; 32])));
        assert_eq!(token_hash(&BASE64.encode([7_u8; 31])), None);
        assert_eq!(token_hash("not base64!"), None);
        assert_eq!(token_hash(""), None);
    }
}
