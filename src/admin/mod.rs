//! Organisers' API access: each organisation's tokens, with scopes and an
//! expiry (`tokens.rs`, made and revoked with `chorus token`, `cli.rs`).
//!
//! A route states what it needs in its signature, `Organiser<WriteUpdates>`,
//! so a handler cannot run without the scope checked, and gets the one
//! organisation whose content it may touch.

pub mod audit;
pub mod cli;
pub mod export;
pub mod petition_changes;
pub mod petitions;
pub mod review;
pub mod tokens;

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::app::AppState;
use crate::error::ApiError;
use crate::storage::now_millis;
use tokens::Scope;

/// A scope as a type, for [`Organiser`].
pub trait Grant: Send + Sync + 'static {
    const SCOPE: Scope;
}

macro_rules! grants {
    ($($name:ident => $scope:ident),* $(,)?) => {
        $(
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Grant for $name {
                const SCOPE: Scope = Scope::$scope;
            }
        )*
    };
}

grants! {
    ReadCounts => ReadCounts,
    ExportSignatures => ExportSignatures,
    ReadAudit => ReadAudit,
    WritePetitions => WritePetitions,
    ManagePartners => ManagePartners,
    ReviewSignatures => ReviewSignatures,
    WriteUpdates => WriteUpdates,
    WriteStorms => WriteStorms,
    WriteEvents => WriteEvents,
}

/// A request with a current token of one organisation that grants `G`.
#[derive(Debug, Clone)]
pub struct Organiser<G> {
    pub organisation_id: i64,
    token_id: i64,
    token_label: String,
    grant: PhantomData<fn() -> G>,
}

impl<G> Organiser<G> {
    /// Whether content of `owner` is this organiser's. Content without an
    /// owner (from before owners were kept) is nobody's until adopted.
    pub fn owns(&self, owner: Option<i64>) -> bool {
        owner == Some(self.organisation_id)
    }

    pub fn acting(&self) -> Acting {
        Acting::For(self.organisation_id)
    }

    /// Who this is, for the audit log: the token, as `chorus token list`
    /// shows it.
    pub fn actor(&self) -> String {
        format!("token {} ({})", self.token_id, self.token_label)
    }
}

/// Whom an operation shared by the CLI and the API is done by: the
/// deployment's operator at a shell reaches every organisation, a token
/// only its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acting {
    Operator,
    For(i64),
}

impl Acting {
    pub fn reaches(self, owner: i64) -> bool {
        match self {
            Self::Operator => true,
            Self::For(organisation_id) => organisation_id == owner,
        }
    }
}

impl<G: Grant> FromRequestParts<AppState> for Organiser<G> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| tokens::looks_like_token(t))
            .ok_or(ApiError::Unauthorized)?;
        let token = state
            .store
            .use_api_token(&tokens::digest(presented), now_millis())
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if !tokens::grants(&token.scopes, G::SCOPE) {
            return Err(ApiError::MissingScope(G::SCOPE.name()));
        }
        Ok(Self {
            organisation_id: token.organisation_id,
            token_id: token.id,
            token_label: token.label,
            grant: PhantomData,
        })
    }
}
