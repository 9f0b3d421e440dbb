//! `GET /api/v1/live`: one Server-Sent Events stream per page, carrying the
//! counts of every petition on that page.

use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use super::{CountUpdate, Counts};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Query;
use crate::ident::Slug;

/// Petitions one connection may follow: a page rarely shows more than a few.
const MAX_PETITIONS: usize = 20;
/// How long a browser waits before reconnecting after a drop.
const RETRY: Duration = Duration::from_secs(3);

pub fn router() -> Router<AppState> {
    Router::new().route("/live", get(follow_counts))
}

#[derive(Debug, Deserialize)]
struct LiveQuery {
    /// Comma-separated petition slugs.
    petitions: String,
}

async fn follow_counts(
    State(state): State<AppState>,
    Query(query): Query<LiveQuery>,
) -> Result<Response, ApiError> {
    let slugs = parse_slugs(&query.petitions)?;
    // Subscribe before reading the current counts, so no update falls between.
    let updates = state.counts.subscribe();
    let mut current = Vec::with_capacity(slugs.len());
    for slug in &slugs {
        let count = state
            .counts
            .get(slug)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no petition {slug}")))?;
        current.push(count_event(
            &serde_json::to_string(&count).unwrap_or_default(),
        ));
    }
    let first = current.remove(0).retry(RETRY);
    let opening = stream::iter(std::iter::once(first).chain(current));
    let live = follow(updates, state.counts.clone(), slugs);
    let sse = Sse::new(opening.chain(live).map(Ok::<_, Infallible>))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)));
    // Reverse proxies such as nginx buffer responses unless told otherwise.
    Ok(([("x-accel-buffering", "no")], sse).into_response())
}

fn parse_slugs(raw: &str) -> Result<Vec<Slug>, ApiError> {
    let mut seen = HashSet::new();
    let mut slugs = Vec::new();
    for part in raw.split(',').filter(|p| !p.is_empty()) {
        let slug = Slug::parse(part).map_err(|e| ApiError::bad_request("invalid_slug", e))?;
        if seen.insert(slug.clone()) {
            slugs.push(slug);
        }
    }
    if slugs.is_empty() || slugs.len() > MAX_PETITIONS {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("name 1 to {MAX_PETITIONS} petitions: ?petitions=a,b"),
        ));
    }
    Ok(slugs)
}

/// The updates for `slugs`. A connection that fell too far behind gets the
/// current counts again instead of the updates it missed.
fn follow(
    updates: tokio::sync::broadcast::Receiver<Arc<CountUpdate>>,
    counts: Counts,
    slugs: Vec<Slug>,
) -> impl Stream<Item = Event> {
    let wanted: HashSet<Slug> = slugs.iter().cloned().collect();
    BroadcastStream::new(updates).flat_map(move |received| {
        let events: Vec<Event> = match received {
            Ok(update) if wanted.contains(&update.slug) => vec![count_event(&update.json)],
            Ok(_) => Vec::new(),
            Err(BroadcastStreamRecvError::Lagged(_)) => slugs
                .iter()
                .filter_map(|slug| counts.cached(slug))
                .filter_map(|count| serde_json::to_string(&count).ok())
                .map(|json| count_event(&json))
                .collect(),
        };
        stream::iter(events)
    })
}

fn count_event(json: &str) -> Event {
    Event::default().event(chorus_wire::COUNT_EVENT).data(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn petition_lists_are_deduplicated_and_bounded() {
        let slugs = parse_slugs("a,b,a,,c").expect("valid list");
        assert_eq!(slugs.len(), 3);
        assert!(parse_slugs("").is_err());
        assert!(parse_slugs("Bad Slug").is_err());
        let too_many: Vec<String> = (0..=MAX_PETITIONS).map(|i| format!("p{i}")).collect();
        assert!(parse_slugs(&too_many.join(",")).is_err());
    }
}
