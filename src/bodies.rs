//! How much a request may send, and for how long. Every route group gets a
//! size limit that holds for chunked bodies as well as declared ones
//! (tower-http's `RequestBodyLimitLayer` counts what arrives), and every
//! body must arrive within a time limit, so a client trickling bytes cannot
//! hold a connection and a handler open.

use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::error::ApiError;

/// The largest request body any endpoint accepts: an attachment's upload.
/// Every route group has its own, smaller limit but that one.
pub const MAX_BODY_BYTES: usize = ATTACHMENT_BYTES;
/// An attachment uploaded through the organisers' API: the file itself.
pub const ATTACHMENT_BYTES: usize = crate::updates::attachments::MAX_BYTES;
/// The organisers' API (updates): an update's Markdown may be 50,000
/// bytes, which JSON escaping can double.
pub const ADMIN_BYTES: usize = 128 * 1024;
/// A payment provider's event: Stripe's are a few kilobytes.
pub const WEBHOOK_BYTES: usize = 64 * 1024;
/// A signing form is well under 4 KB; this leaves room for long names in
/// multi-byte scripts.
pub const SIGNING_BYTES: usize = 16 * 1024;
/// An organisation's signature, which may carry its uploaded logo.
pub const ENDORSEMENT_BYTES: usize = 400 * 1024;
/// A checkout request: a campaign, an amount, a return address.
pub const CHECKOUT_BYTES: usize = 4 * 1024;
/// Everything else (reads, the confirmation pages' buttons) sends nothing.
pub const PUBLIC_BYTES: usize = 1024;
/// How long a whole body may take to arrive.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// `router` with its bodies limited to `bytes`.
pub fn limit<S: Clone + Send + Sync + 'static>(router: Router<S>, bytes: usize) -> Router<S> {
    router
        .layer(RequestBodyLimitLayer::new(bytes))
        // The limit above is the one that applies: axum's own default (2 MB)
        // would only ever be larger.
        .layer(axum::extract::DefaultBodyLimit::disable())
}

/// Layers for the whole application: no body larger than any endpoint
/// takes, none slower than [`BODY_TIMEOUT`], and over-size answers in the
/// API's error shape.
pub fn guard_all<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(middleware::from_fn(in_our_words))
}

/// tower-http refuses a declared over-size body with a plain-text 413; the
/// API answers every error as an `ErrorBody`.
async fn in_our_words(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let ours = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !ours {
        ApiError::too_large().into_response()
    } else {
        response
    }
}
