//! `GET /api/v1/live`: one Server-Sent Events stream per page, carrying the
//! counts of every petition, the totals of every donation campaign, the
//! changes of every feed, the attendance of every event and the state and
//! shares of every storm on that page.

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

use chorus_wire::COUNT_EVENT;
use chorus_wire::donate::TOTALS_EVENT;
use chorus_wire::events::ATTENDANCE_EVENT;
use chorus_wire::storm::STORM_EVENT;
use chorus_wire::updates::{FEED_EVENT, FeedChanged};

use super::CountUpdate;
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Query;
use crate::ident::Slug;

/// Petitions (and campaigns) one connection may follow: a page rarely shows
/// more than a few.
const MAX_FOLLOWED: usize = 20;
/// How long a browser waits before reconnecting after a drop.
const RETRY: Duration = Duration::from_secs(3);

pub fn router() -> Router<AppState> {
    Router::new().route("/live", get(follow_counts))
}

#[derive(Debug, Deserialize)]
struct LiveQuery {
    /// Comma-separated petition slugs.
    #[serde(default)]
    petitions: String,
    /// Comma-separated donation campaign slugs.
    #[serde(default)]
    campaigns: String,
    /// Comma-separated update feed slugs.
    #[serde(default)]
    feeds: String,
    /// Comma-separated action day slugs (`all`: every event's).
    #[serde(default)]
    days: String,
    /// Comma-separated storm slugs.
    #[serde(default)]
    storms: String,
}

async fn follow_counts(
    State(state): State<AppState>,
    Query(query): Query<LiveQuery>,
) -> Result<Response, ApiError> {
    let petitions = parse_slugs(&query.petitions)?;
    let campaigns = parse_slugs(&query.campaigns)?;
    let feeds = parse_slugs(&query.feeds)?;
    let days = parse_slugs(&query.days)?;
    let storms = parse_slugs(&query.storms)?;
    let nothing = [&petitions, &campaigns, &feeds, &days, &storms]
        .iter()
        .all(|slugs| slugs.is_empty());
    if nothing {
        return Err(ApiError::bad_request(
            "invalid_query",
            "name what to follow: ?petitions=a,b&campaigns=c&feeds=d&days=e&storms=f",
        ));
    }
    for slug in days
        .iter()
        .filter(|d| d.as_str() != crate::events::ALL_DAYS)
    {
        if state.store.action_day_by_slug(slug).await?.is_none() {
            return Err(ApiError::NotFound(format!("no action day {slug}")));
        }
    }
    for slug in &feeds {
        if state.store.feed_by_slug(slug).await?.is_none() {
            return Err(ApiError::NotFound(format!("no feed {slug}")));
        }
    }
    // Subscribe before reading the current values, so no update falls between.
    let count_updates = state.counts.subscribe();
    let totals_updates = state.totals.subscribe();
    let feed_updates = state.feed_watch.subscribe();
    let attendance_updates = state.attendance.subscribe();
    let storm_updates = state.storm_watch.subscribe();
    let mut current = Vec::with_capacity(petitions.len() + campaigns.len());
    for slug in &petitions {
        let count = state
            .counts
            .get(slug)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no petition {slug}")))?;
        current.push(event(
            COUNT_EVENT,
            &serde_json::to_string(&count).unwrap_or_default(),
        ));
    }
    for slug in &campaigns {
        let totals = state
            .totals
            .get(slug)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no donation campaign {slug}")))?;
        current.push(event(
            TOTALS_EVENT,
            &serde_json::to_string(&totals).unwrap_or_default(),
        ));
    }
    for slug in &storms {
        let storm = state
            .storm_watch
            .read(slug)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no storm {slug}")))?;
        current.push(event(STORM_EVENT, &storm));
    }
    for slug in &days {
        current.extend(
            state
                .attendance
                .of_day(slug)
                .iter()
                .map(|json| event(ATTENDANCE_EVENT, json)),
        );
    }
    // The first event tells the browser how long to wait before reconnecting;
    // a page that follows only feeds gets a comment to carry it.
    let first = if current.is_empty() {
        Event::default().comment("following")
    } else {
        current.remove(0)
    }
    .retry(RETRY);
    let opening = stream::iter(std::iter::once(first).chain(current));
    let counts = state.counts.clone();
    let totals = state.totals.clone();
    let attendance = state.attendance.clone();
    let storm_watch = state.storm_watch.clone();
    let live = stream::select(
        stream::select(
            follow(count_updates, petitions, COUNT_EVENT, move |slug| {
                counts
                    .cached(slug)
                    .and_then(|c| serde_json::to_string(&c).ok())
            }),
            follow(totals_updates, campaigns, TOTALS_EVENT, move |slug| {
                totals
                    .cached(slug)
                    .and_then(|t| serde_json::to_string(&t).ok())
            }),
        ),
        // A connection that fell behind is told every feed changed: reading
        // a feed again is always safe.
        stream::select(
            follow(feed_updates, feeds, FEED_EVENT, |slug| {
                serde_json::to_string(&FeedChanged {
                    feed: slug.to_string(),
                })
                .ok()
            }),
            stream::select(
                follow_days(attendance_updates, days, attendance),
                follow(storm_updates, storms, STORM_EVENT, move |slug| {
                    storm_watch.current(slug)
                }),
            ),
        ),
    );
    let sse = Sse::new(opening.chain(live).map(Ok::<_, Infallible>))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)));
    // Reverse proxies such as nginx buffer responses unless told otherwise.
    Ok(([("x-accel-buffering", "no")], sse).into_response())
}

fn parse_slugs(raw: &str) -> Result<Vec<Slug>, ApiError> {
    let mut seen = HashSet::new();
    let mut slugs = Vec::new();
    for part in raw.split(',').filter(|p| !p.is_empty()) {
        let slug = crate::extract::slug(part)?;
        if seen.insert(slug.clone()) {
            slugs.push(slug);
        }
    }
    if slugs.len() > MAX_FOLLOWED {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("follow at most {MAX_FOLLOWED} petitions and {MAX_FOLLOWED} campaigns"),
        ));
    }
    Ok(slugs)
}

/// The updates for `slugs`, as `name` events. A connection that fell too
/// far behind gets the current values (`current`) again instead of the
/// updates it missed.
fn follow(
    updates: tokio::sync::broadcast::Receiver<Arc<CountUpdate>>,
    slugs: Vec<Slug>,
    name: &'static str,
    current: impl Fn(&Slug) -> Option<String> + Send + 'static,
) -> impl Stream<Item = Event> {
    let wanted: HashSet<Slug> = slugs.iter().cloned().collect();
    BroadcastStream::new(updates).flat_map(move |received| {
        let events: Vec<Event> = match received {
            Ok(update) if wanted.contains(&update.slug) => vec![event(name, &update.json)],
            Ok(_) => Vec::new(),
            Err(BroadcastStreamRecvError::Lagged(_)) => slugs
                .iter()
                .filter_map(&current)
                .map(|json| event(name, &json))
                .collect(),
        };
        stream::iter(events)
    })
}

/// Attendance changes of the events of `days`. A connection that fell
/// behind gets every event's current attendance again.
fn follow_days(
    updates: tokio::sync::broadcast::Receiver<Arc<CountUpdate>>,
    days: Vec<Slug>,
    attendance: crate::events::Attendance,
) -> impl Stream<Item = Event> {
    let wanted: HashSet<Slug> = days.iter().cloned().collect();
    BroadcastStream::new(updates).flat_map(move |received| {
        let events: Vec<Event> = match received {
            Ok(update) if wanted.contains(&update.slug) => {
                vec![event(ATTENDANCE_EVENT, &update.json)]
            }
            Ok(_) => Vec::new(),
            Err(BroadcastStreamRecvError::Lagged(_)) => days
                .iter()
                .flat_map(|day| attendance.of_day(day))
                .map(|json| event(ATTENDANCE_EVENT, &json))
                .collect(),
        };
        stream::iter(events)
    })
}

fn event(name: &str, json: &str) -> Event {
    Event::default().event(name).data(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn petition_lists_are_deduplicated_and_bounded() {
        let slugs = parse_slugs("a,b,a,,c").expect("valid list");
        assert_eq!(slugs.len(), 3);
        assert!(parse_slugs("").expect("valid").is_empty());
        assert!(parse_slugs("Bad Slug").is_err());
        let too_many: Vec<String> = (0..=MAX_FOLLOWED).map(|i| format!("p{i}")).collect();
        assert!(parse_slugs(&too_many.join(",")).is_err());
    }
}
