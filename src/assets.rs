//! The static files partners load: `embed.js` and the widget bundle.

use std::path::Path;

use axum::http::{HeaderValue, header};
use tower::Layer;
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

/// Unversioned names (`embed.js` is in partners' HTML forever) may be cached
/// briefly; a stale copy is fine while the next one is fetched.
const ASSET_CACHE: &str = "public, max-age=300, stale-while-revalidate=86400";

/// Serves the built assets folder, preferring the `.br` and `.gz` copies the
/// build writes beside each file.
pub fn service(
    dir: &Path,
) -> SetResponseHeader<SetResponseHeader<ServeDir, HeaderValue>, HeaderValue> {
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let cached = SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static(ASSET_CACHE),
    )
    .layer(files);
    // Module scripts and WASM load from partner pages of any origin.
    SetResponseHeaderLayer::overriding(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    )
    .layer(cached)
}
