//! `GET /api/v1/petitions/{slug}/challenge`: a proof-of-work challenge for
//! the next signature from this client. Public like the petition itself; a
//! challenge is worth something only once solved, and only once.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Path;
use crate::storage::now_millis;

pub fn router() -> Router<AppState> {
    Router::new().route("/petitions/{slug}/challenge", get(challenge))
}

async fn challenge(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let campaign = crate::petitions::find(&state.directory, &slug).await?;
    let now = now_millis();
    let client_hash = state
        .guard
        .client_hash(&*state.store, peer, &headers, now)
        .await?;
    let challenge = state.guard.challenge(&client_hash, &campaign.record, now);
    // Each challenge is for one signature: no cache may hand it out twice.
    Ok(([(header::CACHE_CONTROL, "no-store")], axum::Json(challenge)))
}
