//! `GET /api/v1/petitions/{slug}/signers/{id}/logo`: an organisation's logo,
//! as the wall shows it: Chorus's own PNG of an uploaded one, or one
//! fetched by Chorus from the address the organisation gave (kept in memory like items' pictures, through the one
//! outbound client, public addresses only), raster only, at most
//! [`MAX_LOGO_BYTES`], and served from Chorus's own origin: a supporter's
//! browser never asks the organisation's host, which would learn who reads
//! the wall. Only logos of organisations the wall names are fetched, so
//! this is no open proxy.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Path;
use crate::storage::Logo;
use crate::updates::Picture;

/// A logo on a wall is shown small: a quarter of a megabyte is plenty.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;
const LOGO_CACHE: &str = "public, max-age=86400, stale-if-error=604800";

pub fn router() -> Router<AppState> {
    Router::new().route("/petitions/{slug}/signers/{id}/logo", get(show))
}

/// Where the wall of `slug` serves the logo of organisation `id`.
pub fn address(state: &AppState, slug: &str, id: i64) -> String {
    format!(
        "{}{}/petitions/{slug}/signers/{id}/logo",
        state.public_url.as_str(),
        chorus_wire::API_PREFIX
    )
}

async fn show(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let missing = || ApiError::NotFound("no such logo".into());
    let campaign = crate::petitions::find(&state.directory, &slug).await?;
    let id: i64 = id.parse().map_err(|_| missing())?;
    let logo = state
        .store
        .listed_logo(campaign.record.id, id)
        .await?
        .ok_or_else(missing)?;
    let picture = match logo {
        // Chorus's own PNG of what was uploaded.
        Logo::Uploaded(png) => Picture {
            content_type: "image/png",
            bytes: png.into(),
        },
        Logo::Address(url) => state.item_images.get(&url).await.map_err(|problem| {
            tracing::warn!(endorsement = id, %problem, "an organisation's logo could not be served");
            missing()
        })?,
    };
    if picture.bytes.len() > MAX_LOGO_BYTES {
        tracing::warn!(
            endorsement = id,
            bytes = picture.bytes.len(),
            "an organisation's logo is too large to serve"
        );
        return Err(missing());
    }
    Ok((
        [
            (header::CONTENT_TYPE, picture.content_type),
            (header::CACHE_CONTROL, LOGO_CACHE),
            // Shown on partner pages, which are other sites.
            (
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
        ],
        picture.bytes,
    ))
}
