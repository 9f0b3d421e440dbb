//! Organisers' API access: bearer tokens from configuration.
//!
//! Tokens are kept only as SHA-256 digests, so the running process holds no
//! usable copy, and a request's token is compared digest to digest: the
//! comparison's timing says nothing useful about a token.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::config::Secret;
use crate::error::ApiError;

/// The tokens that open the organisers' API.
#[derive(Debug, Clone, Default)]
pub struct AdminTokens(Arc<Vec<[u8; 32]>>);

impl AdminTokens {
    pub fn new(tokens: &[Secret]) -> Self {
        Self(Arc::new(
            tokens.iter().map(|t| digest(t.expose())).collect(),
        ))
    }

    fn allows(&self, token: &str) -> bool {
        let presented = digest(token);
        self.0.contains(&presented)
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A request that carried a valid organiser token. Handlers that take it
/// answer only organisers.
#[derive(Debug, Clone, Copy)]
pub struct Organiser;

impl FromRequestParts<AppState> for Organiser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        match token {
            Some(token) if state.admin.allows(token) => Ok(Organiser),
            _ => Err(ApiError::Unauthorized),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn only_configured_tokens_are_allowed() {
        let tokens = AdminTokens::new(&[Secret::from_str("t0k3n-organiser").expect("token")]);
        assert!(tokens.allows("t0k3n-organiser"));
        assert!(!tokens.allows("t0k3n-organise"));
        assert!(!AdminTokens::default().allows(""));
    }
}
