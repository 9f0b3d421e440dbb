//! What organisers do with storms, for the CLI and the organisers' API
//! alike (`/api/v1/admin/storms`, behind a token with `write:storms`):
//! create one, edit it (its plan replaced whole), list them with their
//! shares. Through the API, only the token's organisation's storms.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde::Serialize;

use super::plan::{StormInput, check};
use crate::admin::{Organiser, WriteStorms};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::ident::Slug;
use crate::storage::{Store, StoreError, StormRecord};

/// Under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/storms", get(list_route))
        .route("/admin/storms/{slug}", post(create_route).put(edit_route))
}

/// A failure of an organiser's operation: their input, or storage.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
    #[error("{0}")]
    Unknown(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Invalid(problems) => Self::bad_request("invalid_storm", problems.join("; ")),
            Refused::Unknown(what) => Self::NotFound(what),
            Refused::Store(StoreError::AlreadyExists(what)) => Self::Conflict {
                code: "already_exists",
                message: format!("{what} already exists"),
            },
            Refused::Store(error) => error.into(),
        }
    }
}

fn slug_of(raw: &str) -> Result<Slug, Refused> {
    Slug::parse(raw).map_err(|e| Refused::Invalid(vec![format!("slug: {e}")]))
}

/// A new storm of `organisation_id`'s.
pub async fn create(
    store: &dyn Store,
    organisation_id: i64,
    slug: &str,
    input: &StormInput,
) -> Result<StormRecord, Refused> {
    let slug = slug_of(slug)?;
    let plan = check(&slug, input).map_err(Refused::Invalid)?;
    Ok(store.create_storm(&slug, organisation_id, &plan).await?)
}

/// Replaces the plan of `storm` with `input`.
pub async fn edit(
    store: &dyn Store,
    storm: &StormRecord,
    input: &StormInput,
) -> Result<StormRecord, Refused> {
    let plan = check(&storm.slug, input).map_err(Refused::Invalid)?;
    Ok(store.update_storm(storm.id, &plan).await?)
}

pub async fn find(store: &dyn Store, slug: &str) -> Result<StormRecord, Refused> {
    let unknown = || Refused::Unknown(format!("no storm {slug}"));
    let slug = Slug::parse(slug).map_err(|_| unknown())?;
    store.storm_by_slug(&slug).await?.ok_or_else(unknown)
}

/// A storm as organisers see it: its plan as they wrote it, and its
/// shares per platform.
#[derive(Debug, Clone, Serialize)]
pub struct StormSummary {
    pub slug: String,
    #[serde(flatten)]
    pub plan: StormInput,
    pub shares: Vec<PlatformShares>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlatformShares {
    pub platform: String,
    pub shares: u64,
}

pub async fn summary(store: &dyn Store, storm: &StormRecord) -> Result<StormSummary, Refused> {
    let shares = store
        .storm_shares(storm.id)
        .await?
        .into_iter()
        .map(|(platform, shares)| PlatformShares {
            platform: platform.name().to_owned(),
            shares,
        })
        .collect();
    Ok(StormSummary {
        slug: storm.slug.to_string(),
        plan: StormInput::from_plan(&storm.plan),
        shares,
    })
}

async fn create_route(
    organiser: Organiser<WriteStorms>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Json(input): Json<StormInput>,
) -> Result<impl IntoResponse, ApiError> {
    let storm = create(&*state.store, organiser.organisation_id, &slug, &input).await?;
    let summary = summary(&*state.store, &storm).await?;
    Ok((StatusCode::CREATED, axum::Json(summary)))
}

async fn edit_route(
    organiser: Organiser<WriteStorms>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Json(input): Json<StormInput>,
) -> Result<impl IntoResponse, ApiError> {
    let storm = find(&*state.store, &slug).await?;
    if !organiser.owns(storm.organisation_id) {
        return Err(Refused::Unknown(format!("no storm {slug}")).into());
    }
    let storm = edit(&*state.store, &storm, &input).await?;
    Ok(axum::Json(summary(&*state.store, &storm).await?))
}

async fn list_route(
    organiser: Organiser<WriteStorms>,
    State(state): State<AppState>,
) -> Result<impl IntoResponse, ApiError> {
    let mut storms = Vec::new();
    let all = state.store.storms().await?;
    for storm in all.iter().filter(|s| organiser.owns(s.organisation_id)) {
        storms.push(summary(&*state.store, storm).await?);
    }
    Ok(axum::Json(storms))
}
