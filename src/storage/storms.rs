//! What storage knows about social-media storms, and the part of the
//! storage interface that keeps them. A storm holds nothing personal: its
//! plan is the organiser's, its shares are bare counts per platform.

use async_trait::async_trait;
use chorus_wire::storm::Platform;

use super::{Millis, StoreResult};
use crate::ident::{Lang, Slug};

/// What an organiser decides about a storm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StormPlan {
    /// The language shown where the reader's has no texts.
    pub default_lang: Lang,
    pub starts_at: Millis,
    pub minutes: u32,
    /// Without the `#`, as written.
    pub hashtags: Vec<String>,
    /// The page supporters share, as the organiser gave it.
    pub link: String,
    /// The storm's name, per language.
    pub titles: Vec<(Lang, String)>,
    /// The variants, per language, for every platform (`None`) or for one.
    pub messages: Vec<StormText>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StormText {
    pub lang: Lang,
    pub platform: Option<Platform>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StormRecord {
    pub id: i64,
    pub slug: Slug,
    /// `None` only for storms from before storms had owners, until adopted.
    pub organisation_id: Option<i64>,
    pub plan: StormPlan,
    pub created_at: Millis,
    pub updated_at: Millis,
}

impl StormRecord {
    pub fn ends_at(&self) -> Millis {
        self.plan.starts_at + i64::from(self.plan.minutes) * 60_000
    }
}

/// A storm's times and all its shares: what the live watch reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StormTally {
    pub slug: Slug,
    pub starts_at: Millis,
    pub ends_at: Millis,
    pub shares: u64,
}

#[async_trait]
pub trait StormStore {
    /// `AlreadyExists` if the slug is taken.
    async fn create_storm(
        &self,
        slug: &Slug,
        organisation_id: i64,
        plan: &StormPlan,
    ) -> StoreResult<StormRecord>;
    /// Replaces a storm's plan whole; `NotFound` if there is no such storm.
    async fn update_storm(&self, id: i64, plan: &StormPlan) -> StoreResult<StormRecord>;
    async fn storm_by_slug(&self, slug: &Slug) -> StoreResult<Option<StormRecord>>;
    /// Every storm, the soonest first.
    async fn storms(&self) -> StoreResult<Vec<StormRecord>>;
    /// Gives a storm to an organisation; false if there is no such storm.
    async fn set_storm_owner(&self, storm_id: i64, organisation_id: i64) -> StoreResult<bool>;
    /// Adds `shares` clicks on `platform`'s button to a storm's count.
    async fn count_shares(&self, storm_id: i64, platform: Platform, shares: u64)
    -> StoreResult<()>;
    /// A storm's shares per platform, those with none left out.
    async fn storm_shares(&self, storm_id: i64) -> StoreResult<Vec<(Platform, u64)>>;
    /// Every storm's times and shares, in one read.
    async fn storm_tallies(&self) -> StoreResult<Vec<StormTally>>;
}
