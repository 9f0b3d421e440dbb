//! The one error type of the HTTP API, and its one JSON shape.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chorus_wire::signing::{Field, Problem};

impl ApiError {
    /// A signing form's problems, by field name.
    pub fn signing_fields(problems: Vec<(Field, Problem)>) -> Self {
        Self::InvalidFields(problems.into_iter().map(|(f, p)| (f.as_str(), p)).collect())
    }
}
use chorus_wire::{ErrorBody, ErrorDetail};

use crate::storage::StoreError;

/// Everything a handler can fail with. Each variant maps to one status code;
/// the body is always [`ErrorBody`], so widgets parse one shape.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("some fields need correcting: {}", describe(.0))]
    InvalidFields(Vec<(&'static str, Problem)>),
    #[error("{0}")]
    Forbidden(String),
    /// The request is sound but the resource's state refuses it (a closed
    /// petition).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("this needs an organisation's API token that is current: Authorization: Bearer TOKEN")]
    Unauthorized,
    /// A valid token without the scope the route needs.
    #[error("this token may not do that: it needs the scope {0}")]
    MissingScope(&'static str),
    /// A body the endpoint cannot read: wrong media type, too large, not JSON.
    #[error("{message}")]
    UnreadableBody {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error("the database is unavailable; try again shortly")]
    Unavailable(#[source] std::sync::Arc<StoreError>),
    /// More signatures are waiting to be stored than Chorus lets wait.
    #[error("Chorus is taking in a great many signatures right now; send yours again in a moment")]
    Busy,
    #[error("this endpoint does not take that method")]
    MethodNotAllowed,
    /// One network sent more than its share within the hour.
    #[error("{0}")]
    RateLimited(String),
    /// A service Chorus relies on (a payment provider) failed; the detail is
    /// logged, not shown.
    #[error("the payment provider did not answer; please try again")]
    Upstream(String),
    #[error("something went wrong on our side")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code),
            Self::InvalidFields(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                chorus_wire::signing::INVALID_FIELDS,
            ),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden_origin"),
            Self::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::MissingScope(_) => (StatusCode::FORBIDDEN, "insufficient_scope"),
            Self::UnreadableBody { status, code, .. } => (*status, code),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            Self::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Self::Upstream(_) => (StatusCode::BAD_GATEWAY, "provider_unavailable"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        Self::Unavailable(std::sync::Arc::new(error))
    }
}

impl From<std::sync::Arc<StoreError>> for ApiError {
    fn from(error: std::sync::Arc<StoreError>) -> Self {
        Self::Unavailable(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        match &self {
            Self::Unavailable(source) => tracing::error!(error = %source, "storage failed"),
            Self::Internal(detail) => tracing::error!(%detail, "internal error"),
            Self::Upstream(detail) => tracing::warn!(%detail, "payment provider failed"),
            _ => {}
        }
        let fields = match &self {
            Self::InvalidFields(problems) => problems
                .iter()
                .map(|(field, problem)| ((*field).to_owned(), problem.as_str().to_owned()))
                .collect(),
            _ => Default::default(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message: self.to_string(),
                fields,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        // A busy writer drains its queue within a second; a database that
        // went away takes longer to come back.
        let retry_after = match &self {
            Self::Busy => Some("1"),
            Self::Unavailable(_) => Some("2"),
            Self::RateLimited(_) => Some("3600"),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert("retry-after", axum::http::HeaderValue::from_static(seconds));
        }
        response
    }
}

fn describe(problems: &[(&str, Problem)]) -> String {
    problems
        .iter()
        .map(|(field, problem)| format!("{field} ({})", problem.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Axum's own rejections (a malformed path, a bad query string, a body too
/// large) come back in the API's shape rather than as plain text.
impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        Self::bad_request("invalid_query", rejection.body_text())
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        Self::bad_request("invalid_path", rejection.body_text())
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection;
        if let JsonRejection::BytesRejection(unread) = rejection {
            return unread.into();
        }
        let status = rejection.status();
        let code = match status {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "invalid_json",
        };
        // A JSON body that is valid but of the wrong shape is the client's
        // mistake in the same way as a malformed one: both are 400.
        let status = if status == StatusCode::UNPROCESSABLE_ENTITY {
            StatusCode::BAD_REQUEST
        } else {
            status
        };
        Self::UnreadableBody {
            status,
            code,
            message: rejection.body_text(),
        }
    }
}

impl From<axum::extract::rejection::BytesRejection> for ApiError {
    /// A body that could not be read whole: over its route's limit, or not
    /// sent in time.
    fn from(rejection: axum::extract::rejection::BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Self::too_large();
        }
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&rejection);
        while let Some(error) = cause {
            if error.is::<tower_http::timeout::TimeoutError>() {
                return Self::UnreadableBody {
                    status: StatusCode::REQUEST_TIMEOUT,
                    code: "body_timeout",
                    message: "the request body did not arrive in time".into(),
                };
            }
            cause = error.source();
        }
        Self::UnreadableBody {
            status: StatusCode::BAD_REQUEST,
            code: "unreadable_body",
            message: rejection.body_text(),
        }
    }
}

impl ApiError {
    /// A body over the route's limit (see `crate::bodies`).
    pub fn too_large() -> Self {
        Self::UnreadableBody {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "body_too_large",
            message: "the request body is larger than this endpoint accepts".into(),
        }
    }
}
