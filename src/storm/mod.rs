//! Social-media storms: the hour a coalition's supporters post together.
//! The public API the storm widget reads (`GET /api/v1/storms/{slug}`, in
//! the reader's language, with the server's clock), the storm's calendar,
//! and the count of clicks on its share buttons.
//!
//! Privacy: Chorus never asks for a social-media login, and never records
//! who shared; a click counts once per network and hour ([`shares`]), and
//! storage keeps counts per platform, nothing more.

pub mod admin;
pub mod calendar;
pub mod card;
pub mod cli;
pub mod length;
pub mod plan;
pub mod shares;
mod watch;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chorus_wire::storm::{Platform, Share, Storm};

pub use shares::ShareClicks;
pub use watch::StormWatch;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::ident::Lang;
use crate::storage::StormRecord;

/// The state and share count move; a few seconds' staleness is fine, the
/// switch at the instant is the widget's own.
const STORM_CACHE: &str = "public, max-age=10";

/// The public reads, under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/storms/{slug}", get(show))
        .route("/storms/{slug}/calendar.ics", get(calendar_file))
}

/// The share clicks, with their own CORS policy: any partner's page.
pub fn writes(state: &AppState) -> Router<AppState> {
    let routes = Router::new().route(
        &format!("{}/storms/{{slug}}/shares", chorus_wire::API_PREFIX),
        post(count_share),
    );
    crate::bodies::limit(routes, crate::bodies::PUBLIC_BYTES)
        .layer(crate::app::any_partner_cors(state.store.clone()))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct LangQuery {
    lang: Option<String>,
}

async fn find(state: &AppState, slug: &str) -> Result<StormRecord, ApiError> {
    Ok(admin::find(&*state.store, slug).await?)
}

/// Storm `slug` as the widget reads it, in `lang` where it has texts in it.
pub async fn read(state: &AppState, slug: &str, lang: Option<&str>) -> Result<Storm, ApiError> {
    let storm = find(state, slug).await?;
    let shares = state
        .store
        .storm_shares(storm.id)
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();
    let wanted = lang.and_then(|l| Lang::parse(l).ok());
    Ok(card::card(
        &storm,
        wanted.as_ref(),
        state.clock.now(),
        shares,
        state.public_url.as_str(),
    ))
}

async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let storm = read(&state, &slug, query.lang.as_deref()).await?;
    Ok(([(header::CACHE_CONTROL, STORM_CACHE)], axum::Json(storm)))
}

async fn calendar_file(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let storm = read(&state, &slug, query.lang.as_deref()).await?;
    let file = format!("storm-{}", storm.storm);
    Ok(crate::events::calendar::response(
        calendar::calendar(&storm),
        &file,
    ))
}

/// A click on a share button: counted (once per network, button and
/// hour), and answered the same whether it counted or not.
async fn count_share(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Json(share): Json<Share>,
) -> Result<StatusCode, ApiError> {
    if !crate::app::from_partner_page(&state, &headers).await {
        return Err(ApiError::Forbidden(
            "storms count shares only from the coalition's partner sites".into(),
        ));
    }
    let platform = Platform::parse(&share.platform).ok_or_else(|| {
        let names: Vec<_> = Platform::ALL.iter().map(|p| p.name()).collect();
        ApiError::bad_request(
            "invalid_platform",
            format!("platform: one of {}", names.join(", ")),
        )
    })?;
    let storm = find(&state, &slug).await?;
    let now = state.clock.now();
    let network = state
        .guard
        .client_hash(&*state.store, peer, &headers, now)
        .await?;
    if state.share_clicks.first(network, storm.id, platform, now) {
        state.store.count_shares(storm.id, platform, 1).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
