//! What organisers change about their petitions through the API
//! (`write:petitions`): create one, write it in another language, set its
//! goal, pause, close or reopen it, count only confirmed signatures; and
//! which partners' sites carry it (`manage:partners`). Each change is
//! written to the organisation's audit log.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{patch, post, put};
use serde::Deserialize;

use super::audit::record_by;
use super::petitions::owned;
use super::{ManagePartners, Organiser, WritePetitions};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::ident::{Origin, Slug};
use crate::petitions::{TextDraft, validate_text, web_link};
use crate::storage::{CampaignLinks, NewPetition, PetitionText, StoreError, now_millis};

/// Under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/petitions", post(create_route))
        .route("/admin/petitions/{slug}", patch(settings_route))
        .route("/admin/petitions/{slug}/texts/{lang}", put(text_route))
        .route("/admin/petitions/{slug}/partners", post(partner_route))
}

/// A petition's words in one language, as the API takes them.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct TextInput {
    title: String,
    summary: String,
    body: String,
    share_message: String,
    hashtags: Vec<String>,
}

fn text(lang: String, input: TextInput) -> Result<PetitionText, ApiError> {
    validate_text(TextDraft {
        lang,
        title: input.title,
        summary: input.summary,
        body: input.body,
        share_message: input.share_message,
        hashtags: input.hashtags.join(","),
    })
    .map_err(|e| ApiError::bad_request("invalid_petition", e))
}

fn link(raw: Option<String>) -> Result<Option<String>, ApiError> {
    raw.filter(|r| !r.trim().is_empty())
        .map(|r| web_link(&r).map_err(|e| ApiError::bad_request("invalid_petition", e)))
        .transpose()
}

fn goal(goal: Option<u64>) -> Result<Option<u64>, ApiError> {
    match goal {
        Some(0) => Err(ApiError::bad_request(
            "invalid_petition",
            "a goal is at least 1 signature",
        )),
        goal => Ok(goal),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPetitionInput {
    slug: String,
    /// The language of the words below, and the petition's default.
    lang: String,
    #[serde(flatten)]
    text: TextInput,
    #[serde(default)]
    goal: Option<u64>,
    #[serde(default)]
    privacy_url: Option<String>,
    #[serde(default)]
    share_url: Option<String>,
}

async fn create_route(
    organiser: Organiser<WritePetitions>,
    State(state): State<AppState>,
    Json(input): Json<NewPetitionInput>,
) -> Result<StatusCode, ApiError> {
    let slug = Slug::parse(&input.slug)
        .map_err(|e| ApiError::bad_request("invalid_petition", format!("slug: {e}")))?;
    let petition = NewPetition {
        slug,
        organisation_id: organiser.organisation_id,
        goal: goal(input.goal)?,
        links: CampaignLinks {
            privacy_url: link(input.privacy_url)?,
            share_url: link(input.share_url)?,
        },
        text: text(input.lang, input.text)?,
    };
    let created = state
        .store
        .create_petition(&petition)
        .await
        .map_err(|error| match error {
            StoreError::AlreadyExists(_) => ApiError::Conflict {
                code: "already_exists",
                message: format!("a petition {} exists already", petition.slug),
            },
            error => error.into(),
        })?;
    record_by(
        &*state.store,
        &organiser,
        "petition.created",
        format!("{} ({})", created.slug, created.default_lang),
    )
    .await?;
    Ok(StatusCode::CREATED)
}

async fn text_route(
    organiser: Organiser<WritePetitions>,
    State(state): State<AppState>,
    Path((slug, lang)): Path<(String, String)>,
    Json(input): Json<TextInput>,
) -> Result<StatusCode, ApiError> {
    let petition = owned(&*state.store, &organiser, &slug).await?;
    let text = text(lang, input)?;
    state.store.put_petition_text(petition.id, &text).await?;
    record_by(
        &*state.store,
        &organiser,
        "petition.text",
        format!("{} in {}", petition.slug, text.lang),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The settings to change; those left out stay as they are. `goal: null`
/// removes a fixed goal.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SettingsInput {
    #[serde(deserialize_with = "present")]
    goal: Option<Option<u64>>,
    paused: Option<bool>,
    closed: Option<bool>,
    confirm_by_email: Option<bool>,
}

/// A field that is there, even as `null` (`Some(None)`), apart from one
/// left out (`None`, by `default`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

async fn settings_route(
    organiser: Organiser<WritePetitions>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Json(input): Json<SettingsInput>,
) -> Result<StatusCode, ApiError> {
    let petition = owned(&*state.store, &organiser, &slug).await?;
    let store = &*state.store;
    let mut changed = Vec::new();
    if let Some(new_goal) = input.goal {
        store.set_goal(petition.id, goal(new_goal)?).await?;
        changed.push(match new_goal {
            Some(g) => format!("goal {g}"),
            None => "no fixed goal".to_owned(),
        });
    }
    if let Some(paused) = input.paused {
        store.set_paused(petition.id, paused).await?;
        changed.push(
            if paused {
                "signing paused"
            } else {
                "signing on"
            }
            .to_owned(),
        );
    }
    if let Some(closed) = input.closed {
        let at = closed.then(|| petition.closed_at.unwrap_or_else(now_millis));
        store.set_petition_closed(petition.id, at).await?;
        changed.push(if closed { "closed" } else { "reopened" }.to_owned());
    }
    if let Some(confirm) = input.confirm_by_email {
        store.set_confirm_by_email(petition.id, confirm).await?;
        changed.push(format!(
            "confirm by email {}",
            if confirm { "on" } else { "off" }
        ));
    }
    if changed.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_petition",
            "say what to change: goal, paused, closed or confirm_by_email",
        ));
    }
    record_by(
        &*state.store,
        &organiser,
        "petition.settings",
        format!("{}: {}", petition.slug, changed.join(", ")),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A partner whose site carries the petition; added to Chorus's partners
/// if its origin is new.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnerInput {
    name: String,
    origin: String,
    /// The partner asks its signers whether it may write to them.
    #[serde(default)]
    contact_opt_in: bool,
}

async fn partner_route(
    organiser: Organiser<ManagePartners>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Json(input): Json<PartnerInput>,
) -> Result<StatusCode, ApiError> {
    let petition = owned(&*state.store, &organiser, &slug).await?;
    let origin = Origin::parse(&input.origin)
        .map_err(|e| ApiError::bad_request("invalid_partner", format!("origin: {e}")))?;
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(ApiError::bad_request(
            "invalid_partner",
            "a partner's name has 1 to 120 characters",
        ));
    }
    let known = state.store.partners().await?;
    let partner = match known.into_iter().find(|p| p.origin == origin) {
        Some(partner) => partner,
        None => state.store.add_partner(name, &origin).await?,
    };
    state
        .store
        .put_petition_partner(petition.id, partner.id, input.contact_opt_in)
        .await?;
    record_by(
        &*state.store,
        &organiser,
        "partner.joined",
        format!("{} ({}) on {}", partner.name, partner.origin, petition.slug),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
