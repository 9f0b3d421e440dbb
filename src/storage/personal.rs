//! Organisations with their keys, and the part of the storage interface
//! that removes personal data: on request, and when a closed petition's
//! retention period ends.

use async_trait::async_trait;

use super::{Millis, StoreResult};
use crate::ident::Slug;
use crate::personal::{EmailHash, OrgPublicKey};

/// An organisation running petitions, with the public key its signers'
/// details are sealed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub public_key: OrgPublicKey,
    pub created_at: Millis,
}

#[async_trait]
pub trait PersonalStore {
    async fn add_organisation(&self, name: &str, key: &OrgPublicKey) -> StoreResult<Organisation>;
    async fn organisation(&self, id: i64) -> StoreResult<Option<Organisation>>;
    async fn organisation_by_name(&self, name: &str) -> StoreResult<Option<Organisation>>;
    async fn organisations(&self) -> StoreResult<Vec<Organisation>>;

    /// Removes the sealed details and the address hash of every signer with
    /// this address hash; their signatures still count. Returns the
    /// petitions they had signed.
    async fn anonymise_signer(&self, email_hash: &EmailHash, at: Millis) -> StoreResult<Vec<Slug>>;
    /// Anonymises every signer of the petitions closed at or before
    /// `closed_before`. Returns how many signers it anonymised.
    async fn anonymise_closed(&self, closed_before: Millis, at: Millis) -> StoreResult<u64>;
}
