//! "Join us": sign-up lists, what a partner puts at the bottom of a page
//! to hear about the coalition's work, apart from any petition.
//!
//! `GET /api/v1/signups/{slug}` (the list as the widget shows it),
//! `GET .../challenge` (its proof of work) and `POST .../join`
//! (`join.rs`). Double opt-in always: a sign-up counts, and is exported,
//! once its emailed link is followed (`links.rs`). The person's first name
//! and address are sealed to the list's organisation like a signer's.

pub mod cli;
pub mod join;
pub mod letters;
pub mod links;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use axum::routing::get;
use chorus_wire::signup::SignupList;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Path;
use crate::ident::Slug;
use crate::storage::{self, now_millis};

/// The list and its count: cacheable like a petition's count.
const LIST_CACHE: &str = "public, max-age=10, stale-while-revalidate=60";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signups/{slug}", get(show))
        .route("/signups/{slug}/challenge", get(challenge))
}

/// The list `slug` names; 404 for one Chorus does not have.
pub async fn find(state: &AppState, slug: &str) -> Result<storage::SignupList, ApiError> {
    let missing = || ApiError::NotFound(format!("no sign-up list named {slug:?}"));
    let slug = Slug::parse(slug).map_err(|_| missing())?;
    state
        .store
        .signup_list_by_slug(&slug)
        .await?
        .ok_or_else(missing)
}

/// The list as the widget reads it; also what the server renders it from.
pub async fn read(state: &AppState, slug: &str) -> Result<SignupList, ApiError> {
    let list = find(state, slug).await?;
    Ok(SignupList {
        slug: list.slug.to_string(),
        count: state.store.signup_count(list.id).await?,
        name: list.name,
        privacy_url: list.privacy_url,
    })
}

async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let list = read(&state, &slug).await?;
    Ok(([(header::CACHE_CONTROL, LIST_CACHE)], axum::Json(list)))
}

async fn challenge(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let list = find(&state, &slug).await?;
    let now = now_millis();
    let client_hash = state
        .guard
        .client_hash(&*state.store, peer, &headers, now)
        .await?;
    let challenge = state
        .guard
        .signup_challenge(&client_hash, list.id, list.slug.as_str(), now);
    // Each challenge is for one sign-up: no cache may hand it out twice.
    Ok(([(header::CACHE_CONTROL, "no-store")], axum::Json(challenge)))
}
