//! What storage knows about organisations' API tokens, and the part of the
//! storage interface that keeps them. Storage never sees a token itself:
//! only its digest, computed by [`crate::admin::tokens`].

use async_trait::async_trait;

use super::{Millis, StoreResult};

/// A token about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiToken {
    pub organisation_id: i64,
    /// Who or what holds it, so an owner knows which to revoke.
    pub label: String,
    pub digest: [u8; 32],
    /// Space-separated scope names.
    pub scopes: String,
    pub expires_at: Millis,
}

/// A stored token, as owners see it: everything but a usable secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRecord {
    pub id: i64,
    pub organisation_id: i64,
    pub label: String,
    pub scopes: String,
    pub created_at: Millis,
    pub expires_at: Millis,
    pub revoked_at: Option<Millis>,
    pub last_used_at: Option<Millis>,
}

#[async_trait]
pub trait TokenStore {
    async fn create_api_token(&self, token: &NewApiToken) -> StoreResult<ApiTokenRecord>;
    /// The token with this digest if it still works at `now` (not expired,
    /// not revoked), noting `now` as its last use.
    async fn use_api_token(
        &self,
        digest: &[u8; 32],
        now: Millis,
    ) -> StoreResult<Option<ApiTokenRecord>>;
    /// An organisation's tokens, the newest first, revoked and expired ones too.
    async fn api_tokens(&self, organisation_id: i64) -> StoreResult<Vec<ApiTokenRecord>>;
    /// Revokes one of an organisation's tokens at `at`; false if it has no
    /// such token or it was revoked already.
    async fn revoke_api_token(
        &self,
        organisation_id: i64,
        token_id: i64,
        at: Millis,
    ) -> StoreResult<bool>;
}
