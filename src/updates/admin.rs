//! The organisers' API for updates, behind a token with `write:updates`:
//! post, edit, unpublish, and see every item and each mirror's health, for
//! the token's organisation's feeds only. Another organisation's feed or
//! item answers as one that does not exist.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use chorus_wire::updates::Update;
use serde::{Deserialize, Serialize};

use super::find;
use super::item::{self, ItemDraft};
use crate::admin::{Organiser, WriteUpdates};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::storage::{FeedRecord, ItemRecord, Store, now_millis, rfc3339};

/// Under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/feeds", get(list_feeds))
        .route(
            "/admin/feeds/{slug}/items",
            get(list_all_items).post(post_item),
        )
        .route("/admin/items/{id}", put(edit_item))
        .route("/admin/items/{id}/unpublish", post(unpublish_item))
        .route("/admin/items/{id}/publish", post(publish_item))
}

/// The upload of an attachment: its body is the file itself, up to
/// [`super::attachments::MAX_BYTES`].
pub fn uploads() -> Router<AppState> {
    Router::new().route("/admin/items/{id}/attachments", post(attach_route))
}

#[derive(Debug, Deserialize)]
struct AttachQuery {
    title: String,
    lang: String,
    /// The name it is downloaded under; without one, its title.
    #[serde(default)]
    name: Option<String>,
    /// The attachment of this item it is an alternate of.
    #[serde(default)]
    alternate_of: Option<i64>,
}

async fn attach_route(
    organiser: Organiser<WriteUpdates>,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<AttachQuery>,
    bytes: axum::body::Bytes,
) -> Result<impl IntoResponse, ApiError> {
    owned_item(&*state.store, &organiser, id).await?;
    let upload = super::attachments::Upload {
        item_id: id,
        alternate_of: query.alternate_of,
        file_name: query.name.unwrap_or_else(|| query.title.clone()),
        title: query.title,
        lang: query.lang,
        bytes: bytes.to_vec(),
    };
    let attachment =
        super::attachments::check(upload).map_err(|e| ApiError::bad_request("invalid_file", e))?;
    let attached = state
        .store
        .attach(&attachment)
        .await
        .map_err(|error| match error {
            crate::storage::StoreError::Missing(what) => ApiError::NotFound(format!("no {what}")),
            error => error.into(),
        })?;
    state.feed_watch.wake();
    Ok((
        StatusCode::CREATED,
        axum::Json(super::attachments::to_wire(
            &attached,
            state.public_url.as_str(),
        )),
    ))
}

/// An update as an organiser's tool sends it; the body in Markdown.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ItemInput {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub image_url: Option<String>,
    pub image_alt: String,
    pub link: Option<String>,
    pub tags: Vec<String>,
    /// Without one, the feed's language.
    pub lang: Option<String>,
    /// RFC 3339; without one, now.
    pub publish_at: Option<String>,
}

/// An item as organisers see it: as widgets do, with its state.
#[derive(Debug, Serialize)]
struct ItemView {
    #[serde(flatten)]
    item: Update,
    updated_at: String,
    unpublished: bool,
    /// Published in the future: not out yet.
    scheduled: bool,
}

fn view(item: &ItemRecord) -> ItemView {
    ItemView {
        item: super::to_wire(item),
        updated_at: rfc3339(item.updated_at).unwrap_or_default(),
        unpublished: item.unpublished,
        scheduled: item.content.published_at > now_millis(),
    }
}

#[derive(Debug, Serialize)]
struct FeedView {
    slug: String,
    title: String,
    lang: String,
    /// For mirrors: the source and how its last fetch went.
    source_url: Option<String>,
    checked_at: Option<String>,
    error: Option<String>,
}

async fn list_feeds(
    organiser: Organiser<WriteUpdates>,
    State(state): State<AppState>,
) -> Result<axum::Json<Vec<FeedView>>, ApiError> {
    let mut views = Vec::new();
    let feeds = state.store.feeds().await?;
    for feed in feeds
        .into_iter()
        .filter(|f| organiser.owns(f.organisation_id))
    {
        let source = state.store.feed_source(feed.id).await?;
        views.push(FeedView {
            slug: feed.slug.to_string(),
            title: feed.title,
            lang: feed.default_lang.to_string(),
            source_url: source.as_ref().map(|s| s.url.clone()),
            checked_at: source.as_ref().and_then(|s| s.checked_at).and_then(rfc3339),
            error: source.and_then(|s| s.error),
        });
    }
    Ok(axum::Json(views))
}

/// Items an organiser's list shows at once, unless it asks for fewer.
const ADMIN_PAGE: u32 = 100;

#[derive(Debug, Deserialize)]
struct PageQuery {
    limit: Option<u32>,
    cursor: Option<String>,
}

/// Every item, newest first, a page at a time. A full page carries a
/// `Link: <...>; rel="next"` header (RFC 8288) to the next one, so the
/// answer stays the array it always was.
async fn list_all_items(
    organiser: Organiser<WriteUpdates>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let feed = owned_feed(&*state.store, &organiser, &slug).await?;
    let limit = page.limit.unwrap_or(ADMIN_PAGE).clamp(1, ADMIN_PAGE);
    let after = page
        .cursor
        .as_deref()
        .map(super::parse_cursor)
        .transpose()?;
    let items = state.store.all_items_page(feed.id, after, limit).await?;
    let next = (items.len() == limit as usize)
        .then(|| items.last())
        .flatten()
        .map(|last| {
            format!(
                "<{}/admin/feeds/{}/items?limit={limit}&cursor={}>; rel=\"next\"",
                chorus_wire::API_PREFIX,
                feed.slug,
                super::cursor_after(last)
            )
        });
    let mut headers = axum::http::HeaderMap::new();
    if let Some(next) = next.and_then(|n| axum::http::HeaderValue::from_str(&n).ok()) {
        headers.insert(axum::http::header::LINK, next);
    }
    Ok((
        headers,
        axum::Json(items.iter().map(view).collect::<Vec<_>>()),
    ))
}

/// The organiser's feed `slug`.
async fn owned_feed(
    store: &dyn Store,
    organiser: &Organiser<WriteUpdates>,
    slug: &str,
) -> Result<FeedRecord, ApiError> {
    let feed = find(store, slug).await?;
    if organiser.owns(feed.organisation_id) {
        Ok(feed)
    } else {
        Err(ApiError::NotFound(format!("no feed {}", feed.slug)))
    }
}

/// The feed of item `id`, if it is the organiser's.
async fn owned_item(
    store: &dyn Store,
    organiser: &Organiser<WriteUpdates>,
    id: i64,
) -> Result<FeedRecord, ApiError> {
    let unknown = || ApiError::NotFound(format!("no update {id}"));
    let item = store.item(id).await?.ok_or_else(unknown)?;
    store
        .feed_by_id(item.feed_id)
        .await?
        .filter(|feed| organiser.owns(feed.organisation_id))
        .ok_or_else(unknown)
}

fn checked(input: ItemInput, feed: &FeedRecord) -> Result<crate::storage::ItemContent, ApiError> {
    item::check(&ItemDraft {
        title: input.title,
        summary: input.summary,
        body_markdown: input.body,
        image_url: input.image_url,
        image_alt: input.image_alt,
        link: input.link,
        tags: input.tags.join(","),
        lang: input.lang.unwrap_or_else(|| feed.default_lang.to_string()),
        publish_at: input.publish_at,
    })
    .map_err(|e| ApiError::bad_request("invalid_update", e))
}

async fn post_item(
    organiser: Organiser<WriteUpdates>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Json(input): Json<ItemInput>,
) -> Result<(StatusCode, axum::Json<ItemView>), ApiError> {
    let feed = owned_feed(&*state.store, &organiser, &slug).await?;
    let content = checked(input, &feed)?;
    let posted = state.store.post_item(feed.id, &content).await?;
    state.feed_watch.wake();
    Ok((StatusCode::CREATED, axum::Json(view(&posted))))
}

async fn edit_item(
    organiser: Organiser<WriteUpdates>,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<ItemInput>,
) -> Result<axum::Json<ItemView>, ApiError> {
    let feed = owned_item(&*state.store, &organiser, id).await?;
    let content = checked(input, &feed)?;
    let edited = state
        .store
        .edit_item(id, &content)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no update {id}")))?;
    state.feed_watch.wake();
    Ok(axum::Json(view(&edited)))
}

async fn set_unpublished(
    state: &AppState,
    organiser: &Organiser<WriteUpdates>,
    id: i64,
    unpublished: bool,
) -> Result<StatusCode, ApiError> {
    owned_item(&*state.store, organiser, id).await?;
    if !state.store.set_unpublished(id, unpublished).await? {
        return Err(ApiError::NotFound(format!("no update {id}")));
    }
    state.feed_watch.wake();
    Ok(StatusCode::NO_CONTENT)
}

async fn unpublish_item(
    organiser: Organiser<WriteUpdates>,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    set_unpublished(&state, &organiser, id, true).await
}

async fn publish_item(
    organiser: Organiser<WriteUpdates>,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    set_unpublished(&state, &organiser, id, false).await
}
