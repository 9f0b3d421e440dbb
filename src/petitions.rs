//! Reading petitions: their text in the supporter's language, and their count.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use chorus_wire::{Petition, PetitionCount, Share};
use serde::Deserialize;

use crate::app::AppState;
use crate::directory::{Campaign, Directory};
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::ident::{Lang, Origin, pick_text};
use crate::storage::PetitionText;

/// A crowd refreshing a count is absorbed by any cache in front of Chorus:
/// a count two seconds old is still news, and a stale one beats an error.
const COUNT_CACHE: &str = "public, max-age=2, stale-while-revalidate=30, stale-if-error=600";
/// Texts change rarely; an edit shows within a minute.
const TEXT_CACHE: &str = "public, max-age=60, stale-while-revalidate=600";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/petitions/{slug}", get(show_petition))
        .route("/petitions/{slug}/count", get(show_count))
}

/// The petition a URL names: 400 for a malformed slug, 404 for an unknown one.
pub async fn find(directory: &Directory, raw_slug: &str) -> Result<Arc<Campaign>, ApiError> {
    let slug = crate::extract::slug(raw_slug)?;
    directory
        .campaign(&slug)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no petition {slug}")))
}

async fn show_count(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let count = read_count(&state, &slug).await?;
    Ok(([(header::CACHE_CONTROL, COUNT_CACHE)], Json(count)))
}

/// A petition's live count: 400 for a malformed slug, 404 for an unknown one.
pub async fn read_count(state: &AppState, raw_slug: &str) -> Result<PetitionCount, ApiError> {
    let slug = crate::extract::slug(raw_slug)?;
    state
        .counts
        .get(&slug)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no petition {slug}")))
}

#[derive(Debug, Default, Deserialize)]
pub struct PetitionQuery {
    pub lang: Option<String>,
    /// The origin of the partner page showing the petition.
    pub partner: Option<String>,
}

async fn show_petition(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PetitionQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let petition = read_petition(&state, &slug, &query).await?;
    Ok(([(header::CACHE_CONTROL, TEXT_CACHE)], Json(petition)))
}

/// A petition as a supporter reads it: its text in the language asked for
/// (else its default), its count, and the partner's own opt-in question.
pub async fn read_petition(
    state: &AppState,
    slug: &str,
    query: &PetitionQuery,
) -> Result<Petition, ApiError> {
    let campaign = find(&state.directory, slug).await?;
    let (record, texts) = (&campaign.record, &campaign.texts);
    let slug = record.slug.clone();
    let wanted = query
        .lang
        .as_deref()
        .map(Lang::parse)
        .transpose()
        .map_err(|e| ApiError::bad_request("invalid_lang", e))?;
    let text = pick_text(texts, wanted.as_ref(), &record.default_lang)
        .ok_or_else(|| ApiError::NotFound(format!("petition {slug} has no text yet")))?;
    let count = state
        .counts
        .get(&slug)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no petition {slug}")))?;
    let partner_opt_in = match query.partner.as_deref().map(Origin::parse) {
        Some(Ok(origin)) => campaign
            .partners
            .iter()
            .find(|p| p.partner.origin == origin && p.contact_opt_in)
            .map(|p| p.partner.name.clone()),
        Some(Err(e)) => return Err(ApiError::bad_request("invalid_partner", e)),
        None => None,
    };
    let petition = Petition {
        slug: slug.to_string(),
        lang: text.lang.to_string(),
        languages: texts.iter().map(|t| t.lang.to_string()).collect(),
        title: text.title.clone(),
        summary: text.summary.clone(),
        body: text.body.clone(),
        count,
        privacy_url: record.links.privacy_url.clone(),
        share: share_in(
            texts,
            text,
            &record.default_lang,
            record.links.share_url.clone(),
        ),
        partner_opt_in,
        confirm_by_email: record.confirm_by_email,
        signatories: record.signatories.as_str().to_owned(),
        wall_city: record.wall_city,
    };
    Ok(petition)
}

/// The share step's content in `text`'s language, each part falling back to
/// the default language's where this translation has none.
fn share_in(
    texts: &[PetitionText],
    text: &PetitionText,
    default: &Lang,
    url: Option<String>,
) -> Share {
    let fallback = texts.iter().find(|t| &t.lang == default);
    let message = match fallback {
        Some(d) if text.share_message.is_empty() => d.share_message.clone(),
        _ => text.share_message.clone(),
    };
    let hashtags = match fallback {
        Some(d) if text.hashtags.is_empty() => d.hashtags.clone(),
        _ => text.hashtags.clone(),
    };
    Share {
        message,
        hashtags,
        url,
    }
}

/// Limits that keep a petition readable in a widget and its storage bounded.
const TITLE_MAX: usize = 200;
const SUMMARY_MAX: usize = 1_000;
const BODY_MAX: usize = 20_000;

/// A petition text as an organiser typed it, before [`validate_text`].
#[derive(Debug, Clone, Default)]
pub struct TextDraft {
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub share_message: String,
    /// Separated by spaces or commas, with or without `#`.
    pub hashtags: String,
}

const SHARE_MESSAGE_MAX: usize = 240;
const HASHTAGS_MAX: usize = 5;
const HASHTAG_MAX: usize = 40;

/// An organiser's link (a privacy notice, where shares point): absolute
/// http(s) only.
pub fn web_link(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw.trim()).map_err(|e| format!("{raw:?}: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{raw:?} is not an http(s) address"));
    }
    Ok(url.to_string())
}

/// Checks an organiser's petition text.
pub fn validate_text(draft: TextDraft) -> Result<PetitionText, String> {
    let lang = Lang::parse(&draft.lang)?;
    let check = |field: &str, value: &str, min: usize, max: usize| {
        let len = value.trim().chars().count();
        if len < min || len > max {
            Err(format!(
                "the {field} has {min} to {max} characters; this one has {len}"
            ))
        } else {
            Ok(())
        }
    };
    check("title", &draft.title, 1, TITLE_MAX)?;
    check("summary", &draft.summary, 1, SUMMARY_MAX)?;
    check("body", &draft.body, 0, BODY_MAX)?;
    check("share message", &draft.share_message, 0, SHARE_MESSAGE_MAX)?;
    let hashtags: Vec<String> = draft
        .hashtags
        .split([' ', ','])
        .map(|tag| tag.trim_start_matches('#'))
        .filter(|tag| !tag.is_empty())
        .map(str::to_owned)
        .collect();
    if hashtags.len() > HASHTAGS_MAX {
        return Err(format!("at most {HASHTAGS_MAX} hashtags"));
    }
    if let Some(bad) = hashtags.iter().find(|t| {
        t.chars().count() > HASHTAG_MAX || !t.chars().all(|c| c.is_alphanumeric() || c == '_')
    }) {
        return Err(format!(
            "hashtag {bad:?}: letters, digits and _ only, up to {HASHTAG_MAX}"
        ));
    }
    Ok(PetitionText {
        lang,
        title: draft.title.trim().to_owned(),
        summary: draft.summary.trim().to_owned(),
        body: draft.body.trim().to_owned(),
        share_message: draft.share_message.trim().to_owned(),
        hashtags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lang: &str) -> PetitionText {
        PetitionText {
            lang: Lang::parse(lang).expect("valid"),
            title: lang.into(),
            summary: String::new(),
            body: String::new(),
            share_message: String::new(),
            hashtags: Vec::new(),
        }
    }

    #[test]
    fn a_missing_language_falls_back_to_the_default() {
        let texts = [text("en"), text("fr")];
        let en = Lang::parse("en").expect("valid");
        let pick =
            |l: &str| pick_text(&texts, Lang::parse(l).ok().as_ref(), &en).map(|t| t.title.clone());
        assert_eq!(pick("fr-CA").as_deref(), Some("fr"));
        assert_eq!(pick("de").as_deref(), Some("en"));
        assert_eq!(pick_text::<PetitionText>(&[], None, &en), None);
    }

    #[test]
    fn a_translation_without_a_share_message_borrows_the_default_ones() {
        let en = Lang::parse("en").expect("valid");
        let mut english = text("en");
        english.share_message = "Sign with me".into();
        english.hashtags = vec!["HumanRights".into()];
        let french = text("fr");
        let share = share_in(&[english, french.clone()], &french, &en, None);
        assert_eq!(share.message, "Sign with me");
        assert_eq!(share.hashtags, ["HumanRights"]);
    }

    #[test]
    fn hashtags_are_read_with_or_without_hash_and_checked() {
        let draft = |hashtags: &str| TextDraft {
            lang: "en".into(),
            title: "T".into(),
            summary: "S".into(),
            hashtags: hashtags.into(),
            ..TextDraft::default()
        };
        let text = validate_text(draft("#HumanRights, Defenders")).expect("valid");
        assert_eq!(text.hashtags, ["HumanRights", "Defenders"]);
        assert!(validate_text(draft("no-hyphens")).is_err());
        assert!(validate_text(draft("a b c d e f")).is_err());
    }
}
