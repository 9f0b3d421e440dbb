//! Probes for load balancers and orchestrators: `/healthz` (the process
//! answers) and `/readyz` (it can reach its database, so it may take traffic).

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::app::AppState;
use crate::error::ApiError;

/// Probes must never be served from a cache.
const NO_STORE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { ([NO_STORE], "ok\n") }))
        .route("/readyz", get(ready))
}

async fn ready(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    state.store.ping().await?;
    Ok(([NO_STORE], "ready\n"))
}
