//! The "latest updates" feed: organisers' short news items, sanitised before
//! storage, served to widgets page by page and to feed readers as Atom and
//! JSON Feed.

pub mod admin;
pub mod attachments;
pub mod cli;
mod dates;
mod feed_picture;
mod images;
pub mod item;
pub mod mirror;
pub mod sanitise;
mod syndication;
mod watch;

pub use images::{ItemImages, MAX_IMAGE_BYTES, Picture};
pub use watch::FeedWatch;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use chorus_wire::updates::{Update, UpdatesPage};
use serde::Deserialize;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::ident::Lang;
use crate::storage::{FeedRecord, ItemQuery, ItemRecord, Store, now_millis, rfc3339};

const DEFAULT_PAGE: u32 = 10;
const MAX_PAGE: u32 = 50;
/// What a feed reader or a crowd of widgets may reuse: a new item shows
/// within half a minute.
const FEED_CACHE: &str = "public, max-age=30, stale-while-revalidate=300, stale-if-error=3600";
/// Items a feed reader gets: the newest ones.
const SYNDICATED: u32 = 50;
/// Topics offered as filters: the most used.
const TOPICS: u32 = 12;
/// Pictures change rarely; a day's caching spares the organisation's host.
const IMAGE_CACHE: &str = "public, max-age=86400, stale-if-error=604800";

/// The widgets' API, under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/feeds/{slug}/items", get(list_items))
        .route("/feeds/{slug}/items/{id}/image", get(item_image))
}

/// The feeds for feed readers, at the root: `/feeds/{slug}.atom`, `.json`.
pub fn syndication_router() -> Router<AppState> {
    Router::new().route("/feeds/{file}", get(syndicate))
}

async fn find(store: &dyn Store, raw: &str) -> Result<FeedRecord, ApiError> {
    let slug = crate::extract::slug(raw)?;
    store
        .feed_by_slug(&slug)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no feed {slug}")))
}

/// Which of a feed's items to read.
#[derive(Debug, Default, Deserialize)]
pub struct ItemsQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub tag: Option<String>,
    pub lang: Option<String>,
}

async fn list_items(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ItemsQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let page = read_items(&state, &slug, query).await?;
    Ok(([(header::CACHE_CONTROL, FEED_CACHE)], axum::Json(page)))
}

/// A page of a feed's published items, newest first, as its widget shows
/// it; the first page also names the feed's topics.
pub async fn read_items(
    state: &AppState,
    slug: &str,
    query: ItemsQuery,
) -> Result<UpdatesPage, ApiError> {
    let feed = find(&*state.store, slug).await?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            format!("limit is 1 to {MAX_PAGE}"),
        ));
    }
    let before = query.cursor.as_deref().map(parse_cursor).transpose()?;
    let tag = query
        .tag
        .as_deref()
        .map(
            |t| match item::tags(t).map_err(|e| ApiError::bad_request("invalid_tag", e))? {
                tags if tags.len() == 1 => Ok(tags[0].clone()),
                _ => Err(ApiError::bad_request("invalid_tag", "name one tag")),
            },
        )
        .transpose()?;
    let lang = query
        .lang
        .as_deref()
        .map(Lang::parse)
        .transpose()
        .map_err(|e| ApiError::bad_request("invalid_lang", e))?;
    // One more than asked: whether there is a next page.
    let query = ItemQuery {
        feed_id: feed.id,
        now: now_millis(),
        before,
        tag,
        lang,
        limit: limit + 1,
    };
    let mut items = state.store.items(&query).await?;
    // Topics come with the first page only; later pages add none.
    let tags = match query.before {
        None => {
            let topics = ItemQuery {
                limit: TOPICS,
                ..query
            };
            state.store.item_tags(&topics).await?
        }
        Some(_) => Vec::new(),
    };
    let next = (items.len() > limit as usize).then(|| {
        items.truncate(limit as usize);
        items.last().map(cursor_after)
    });
    Ok(UpdatesPage {
        feed: feed.slug.to_string(),
        title: feed.title.clone(),
        items: with_attachments(state, &items).await?,
        next: next.flatten(),
        tags,
    })
}

/// An item's picture, fetched from where the organiser keeps it and served
/// from here (see [`images`]). Only published items' pictures are served.
async fn item_image(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let feed = find(&*state.store, &slug).await?;
    let missing = || ApiError::NotFound(format!("item {id} of {} has no picture", feed.slug));
    let id: i64 = id.parse().map_err(|_| missing())?;
    let item = state.store.item(id).await?.ok_or_else(missing)?;
    let out =
        item.feed_id == feed.id && !item.unpublished && item.content.published_at <= now_millis();
    let url = item.content.image_url.filter(|_| out).ok_or_else(missing)?;
    let picture = state.item_images.get(&url).await.map_err(|problem| {
        tracing::warn!(item = id, %url, %problem, "an item's picture could not be served");
        missing()
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, picture.content_type),
            (header::CACHE_CONTROL, IMAGE_CACHE),
            // Shown on partner pages, which are other sites.
            (
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
        ],
        picture.bytes,
    ))
}

/// Cursors are `PUBLISHED.ID` of the last item on the page: stable while
/// items are added above it.
fn cursor_after(item: &ItemRecord) -> String {
    format!("{}.{}", item.content.published_at, item.id)
}

fn parse_cursor(raw: &str) -> Result<(i64, i64), ApiError> {
    raw.split_once('.')
        .and_then(|(time, id)| Some((time.parse().ok()?, id.parse().ok()?)))
        .ok_or_else(|| {
            ApiError::bad_request("invalid_cursor", "pass the cursor a page gave as next")
        })
}

/// `items` as widgets read them, each with its attachments.
pub async fn with_attachments(
    state: &AppState,
    items: &[ItemRecord],
) -> Result<Vec<Update>, ApiError> {
    let mut attached = attachments_by_item(state, items).await?;
    Ok(items
        .iter()
        .map(|item| Update {
            attachments: attached.remove(&item.id).unwrap_or_default(),
            ..to_wire(item)
        })
        .collect())
}

/// The attachments of `items`, by item id.
async fn attachments_by_item(
    state: &AppState,
    items: &[ItemRecord],
) -> Result<std::collections::HashMap<i64, Vec<chorus_wire::updates::Attachment>>, ApiError> {
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let mut by_item = std::collections::HashMap::<i64, Vec<_>>::new();
    for attachment in state.store.attachments_of(&ids).await? {
        by_item
            .entry(attachment.item_id)
            .or_default()
            .push(attachments::to_wire(&attachment, state.public_url.as_str()));
    }
    Ok(by_item)
}

fn to_wire(item: &ItemRecord) -> Update {
    let content = &item.content;
    Update {
        id: item.id,
        title: content.title.clone(),
        summary: content.summary.clone(),
        body_html: content.body_html.clone(),
        image_url: content.image_url.clone(),
        image_alt: content.image_alt.clone(),
        link: content.link.clone(),
        tags: content.tags.clone(),
        lang: content.lang.to_string(),
        published_at: rfc3339(content.published_at).unwrap_or_default(),
        attachments: Vec::new(),
    }
}

async fn syndicate(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let (slug, format) = file
        .rsplit_once('.')
        .filter(|(_, format)| matches!(*format, "atom" | "json"))
        .ok_or_else(|| ApiError::NotFound("feeds are at /feeds/SLUG.atom and .json".into()))?;
    let feed = find(&*state.store, slug).await?;
    let items = state
        .store
        .items(&ItemQuery {
            feed_id: feed.id,
            now: now_millis(),
            before: None,
            tag: None,
            lang: None,
            limit: SYNDICATED,
        })
        .await?;
    let attached = attachments_by_item(&state, &items).await?;
    let origin = state.public_url.as_str();
    let urls = syndication::FeedUrls {
        atom: format!("{origin}/feeds/{}.atom", feed.slug),
        json: format!("{origin}/feeds/{}.json", feed.slug),
        home: format!("{origin}/"),
    };
    let (content_type, body) = match format {
        "atom" => (
            "application/atom+xml; charset=utf-8",
            syndication::atom(&feed, &items, &attached, &urls),
        ),
        _ => (
            "application/feed+json; charset=utf-8",
            syndication::json(&feed, &items, &attached, &urls),
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, FEED_CACHE),
        ],
        body,
    ))
}
