//! What storage knows about update feeds and their items, and the part of
//! the storage interface that reads and writes them.

use async_trait::async_trait;

use super::{Millis, StoreResult};
use crate::ident::{Lang, Slug};

#[derive(Debug, Clone)]
pub struct NewFeed {
    pub slug: Slug,
    /// The organisation whose feed it is: whose tokens may post to it.
    pub organisation_id: i64,
    pub title: String,
    pub default_lang: Lang,
    /// The organisation's own feed to mirror; `None`: organisers post here.
    pub source_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRecord {
    pub id: i64,
    pub slug: Slug,
    /// `None` only for feeds from before feeds had owners, until adopted.
    pub organisation_id: Option<i64>,
    pub title: String,
    pub default_lang: Lang,
    pub source_url: Option<String>,
    pub created_at: Millis,
}

/// A mirrored feed's source and how its last fetch went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedSource {
    pub url: String,
    /// For conditional requests: the source answers 304 when nothing changed.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub checked_at: Option<Millis>,
    /// The last fetch's problem, shown to organisers; `None` when it went well.
    pub error: Option<String>,
}

/// An item's content, checked and sanitised (`updates::item`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemContent {
    pub title: String,
    /// Plain text.
    pub summary: String,
    /// Sanitised HTML.
    pub body_html: String,
    pub image_url: Option<String>,
    pub image_alt: String,
    pub link: Option<String>,
    /// Lower case, `a-z`, `0-9` and `-`.
    pub tags: Vec<String>,
    pub lang: Lang,
    /// In the future: the item is published then.
    pub published_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRecord {
    pub id: i64,
    pub feed_id: i64,
    pub content: ItemContent,
    pub updated_at: Millis,
    pub unpublished: bool,
}

/// Which published items to read, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemQuery {
    pub feed_id: i64,
    /// Items published after this are not out yet.
    pub now: Millis,
    /// Only items older than this (publication time, id): the cursor.
    pub before: Option<(Millis, i64)>,
    pub tag: Option<String>,
    pub lang: Option<Lang>,
    pub limit: u32,
}

#[async_trait]
pub trait UpdateStore {
    async fn create_feed(&self, feed: &NewFeed) -> StoreResult<FeedRecord>;
    async fn feed_by_slug(&self, slug: &Slug) -> StoreResult<Option<FeedRecord>>;
    async fn feed_by_id(&self, id: i64) -> StoreResult<Option<FeedRecord>>;
    async fn feeds(&self) -> StoreResult<Vec<FeedRecord>>;
    /// Gives a feed to an organisation; false if there is no such feed.
    async fn set_feed_owner(&self, feed_id: i64, organisation_id: i64) -> StoreResult<bool>;
    async fn post_item(&self, feed_id: i64, content: &ItemContent) -> StoreResult<ItemRecord>;
    /// Replaces an item's content; `None` if there is no such item.
    async fn edit_item(
        &self,
        item_id: i64,
        content: &ItemContent,
    ) -> StoreResult<Option<ItemRecord>>;
    /// Takes an item out of the feed, or puts it back; false if there is no
    /// such item.
    async fn set_unpublished(&self, item_id: i64, unpublished: bool) -> StoreResult<bool>;
    async fn item(&self, item_id: i64) -> StoreResult<Option<ItemRecord>>;
    /// Published items, newest first, as the query says.
    async fn items(&self, query: &ItemQuery) -> StoreResult<Vec<ItemRecord>>;
    /// The tags of the published items `query` selects (its cursor, tag and
    /// limit aside), most used first, at most `query.limit`.
    async fn item_tags(&self, query: &ItemQuery) -> StoreResult<Vec<String>>;
    /// Every item of a feed, unpublished and future ones too, newest first.
    async fn all_items(&self, feed_id: i64) -> StoreResult<Vec<ItemRecord>>;
    /// One page of [`Self::all_items`]: at most `limit`, from after
    /// `(published_at, id)` of the last item of the page before.
    async fn all_items_page(
        &self,
        feed_id: i64,
        after: Option<(Millis, i64)>,
        limit: u32,
    ) -> StoreResult<Vec<ItemRecord>>;

    /// A mirrored feed's source; `None` for feeds organisers post to.
    async fn feed_source(&self, feed_id: i64) -> StoreResult<Option<FeedSource>>;
    /// Keeps how a fetch went: validators, time, and the error if any.
    async fn record_fetch(&self, feed_id: i64, source: &FeedSource) -> StoreResult<()>;
    /// The item a mirrored feed knows as `source_id`.
    async fn item_by_source(
        &self,
        feed_id: i64,
        source_id: &str,
    ) -> StoreResult<Option<ItemRecord>>;
    /// For each feed with items out at `now`: a value that changes whenever
    /// what its readers see changes (an item posted, edited, unpublished, or
    /// coming due).
    async fn feed_versions(&self, now: Millis) -> StoreResult<Vec<(i64, String)>>;
    async fn post_mirrored(
        &self,
        feed_id: i64,
        source_id: &str,
        content: &ItemContent,
    ) -> StoreResult<ItemRecord>;
}
