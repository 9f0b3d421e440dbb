//! Extractors whose rejections answer in the API's own error shape.

use axum::extract::{FromRequest, FromRequestParts};

use crate::error::ApiError;
use crate::ident::Slug;

/// `axum::extract::Path`, rejecting with an [`ApiError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// `axum::extract::Query`, rejecting with an [`ApiError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `axum::Json`, rejecting with an [`ApiError`].
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

/// The whole body as bytes, rejecting with an [`ApiError`] (too large, too slow).
#[derive(Debug)]
pub struct Body(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        axum::body::Bytes::from_request(request, state)
            .await
            .map(Self)
            .map_err(ApiError::from)
    }
}

/// A slug from a URL: a malformed one is the client's mistake, answered 400.
pub fn slug(raw: &str) -> Result<Slug, ApiError> {
    Slug::parse(raw).map_err(|e| ApiError::bad_request("invalid_slug", e))
}
