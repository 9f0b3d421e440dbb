//! Local events of a day of action: the public API the events widget and
//! partners' own pages read (`GET /api/v1/events`, shaped after OSDI's
//! `events`), RSVPs and proposals, and the live attendance.
//!
//! Privacy: everything public is built from a [`card`](card::card), which
//! never holds the host's contact and holds the address only when the host
//! made it public; a private address reaches only the emails of people who
//! RSVPed with one.

pub mod admin;
mod attendance;
pub mod attendees;
pub mod calendar;
pub mod card;
pub mod cli;
pub mod event;
pub mod letters;
pub mod page;
mod proposal;
pub mod reminders;
mod rsvp;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use chorus_wire::events::{
    DayCard, EmbeddedEvents, EventCard, EventProposal, EventsPage, Link, PageLinks, RsvpForm,
    RsvpReceipt,
};
use serde::Deserialize;

pub use attendance::{ALL_DAYS, Attendance};
pub use reminders::Reminders;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::ident::Lang;
use crate::storage::{EventQuery, EventRecord, Millis, now_millis};

/// Lists change when events are approved or edited; a minute is news.
const LIST_CACHE: &str = "public, max-age=30, stale-while-revalidate=300";
const PER_PAGE: u32 = 50;
const MAX_PER_PAGE: u32 = 100;

/// The public reads, under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(list))
        .route("/events/challenge", get(proposal_challenge))
        .route("/events/{id}", get(show))
        .route("/events/{id}/challenge", get(rsvp_challenge))
}

/// The writes, with their own CORS policy: any partner's page.
pub fn writes(state: &AppState) -> Router<AppState> {
    let prefix = chorus_wire::API_PREFIX;
    let routes = Router::new()
        // Not the list's own path: that one answers CORS for anyone, reads only.
        .route(&format!("{prefix}/events/proposals"), post(propose))
        .route(&format!("{prefix}/events/{{id}}/rsvps"), post(answer));
    // Browsers may send RSVPs and proposals from the page of any partner
    // Chorus knows: events are a coalition's, not one campaign's.
    crate::bodies::limit(routes, crate::bodies::SIGNING_BYTES)
        .layer(crate::app::any_partner_cors(state.store.clone()))
}

/// Writes come from a partner's page or from Chorus's own.
async fn check_sender(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    if crate::app::from_partner_page(state, headers).await {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "events take answers only from the coalition's partner sites".into(),
        ))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    day: Option<String>,
    country: Option<String>,
    kind: Option<String>,
    city: Option<String>,
    /// `YYYY-MM-DD`: events starting on that date where they happen.
    date: Option<String>,
    lang: Option<String>,
    cursor: Option<String>,
    per_page: Option<u32>,
}

async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let page = read_list(&state, &query).await?;
    Ok(([(header::CACHE_CONTROL, LIST_CACHE)], axum::Json(page)))
}

/// The first page of a day's events (`None`: of every day) in `lang`, as
/// the events widget first reads it: for the server's rendering of it.
pub async fn first_page(
    state: &AppState,
    day: Option<&str>,
    lang: &str,
    per_page: u32,
) -> Result<EventsPage, ApiError> {
    let query = ListQuery {
        day: day.map(str::to_owned),
        lang: Some(lang.to_owned()),
        per_page: Some(per_page),
        ..ListQuery::default()
    };
    read_list(state, &query).await
}

async fn read_list(state: &AppState, query: &ListQuery) -> Result<EventsPage, ApiError> {
    let mut filter = EventQuery {
        ends_after: now_millis(),
        limit: query.per_page.unwrap_or(PER_PAGE).clamp(1, MAX_PER_PAGE),
        ..EventQuery::default()
    };
    let wanted = query.lang.as_deref().and_then(|l| Lang::parse(l).ok());
    let mut day_card = None;
    if let Some(day) = query
        .day
        .as_deref()
        .filter(|d| !d.is_empty() && *d != ALL_DAYS)
    {
        let slug = crate::extract::slug(day)?;
        let day = state
            .store
            .action_day_by_slug(&slug)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no action day {slug}")))?;
        filter.day_id = Some(day.id);
        day_card = Some(DayCard {
            slug: day.slug.to_string(),
            name: day_name(&day, wanted.as_ref()),
            date: day.day.clone(),
        });
    }
    if let Some(country) = query.country.as_deref().filter(|c| !c.is_empty()) {
        if !chorus_wire::is_country(country) {
            return Err(ApiError::bad_request(
                "invalid_query",
                "country: an ISO 3166 code, such as FR",
            ));
        }
        filter.country = Some(country.to_owned());
    }
    if let Some(kind) = query.kind.as_deref().filter(|k| !k.is_empty()) {
        if !chorus_wire::events::KINDS.contains(&kind) {
            return Err(ApiError::bad_request(
                "invalid_query",
                format!("kind: one of {}", chorus_wire::events::KINDS.join(", ")),
            ));
        }
        filter.kind = Some(kind.to_owned());
    }
    if let Some(city) = query
        .city
        .as_deref()
        .map(crate::ident::fold)
        .filter(|c| !c.is_empty())
    {
        filter.city = Some(city.chars().take(100).collect());
    }
    let date = match query.date.as_deref().filter(|d| !d.is_empty()) {
        Some(date) => {
            let (from, before) = event::date_window(date).ok_or_else(|| {
                ApiError::bad_request("invalid_query", "date: a day as YYYY-MM-DD")
            })?;
            filter.starts_from = Some(from);
            filter.starts_before = Some(before);
            Some(date.to_owned())
        }
        None => None,
    };
    let first_page = query.cursor.as_deref().is_none_or(str::is_empty);
    if let Some(cursor) = query.cursor.as_deref().filter(|c| !c.is_empty()) {
        filter.after = Some(read_cursor(cursor).ok_or_else(|| {
            ApiError::bad_request("invalid_cursor", "this cursor is not one Chorus gave")
        })?);
    }
    let origin = state.public_url.as_str();
    let (cards, next_cursor) = read_cards(state, filter.clone(), date.as_deref(), |e| {
        card::card(e, wanted.as_ref(), origin)
    })
    .await?;
    let countries = if first_page {
        state
            .store
            .event_countries(filter.day_id, filter.ends_after)
            .await?
    } else {
        Vec::new()
    };
    let this = format!("{origin}{}/events", chorus_wire::API_PREFIX);
    let page = EventsPage {
        per_page: filter.limit,
        links: PageLinks {
            this: Link { href: this.clone() },
            next: next_cursor.as_ref().map(|c| Link {
                href: format!("{this}?{}", next_query(query, c)),
            }),
        },
        next_cursor,
        embedded: EmbeddedEvents { events: cards },
        day: day_card.filter(|_| first_page),
        countries,
    };
    Ok(page)
}

/// A page of cards by `filter`, and the cursor of the next when there is
/// one. With a `date`, the store reads the instants that can fall on that
/// date somewhere and only those on it where the event happens are kept,
/// reading on until the page is full.
async fn read_cards(
    state: &AppState,
    mut filter: EventQuery,
    date: Option<&str>,
    to_card: impl Fn(&EventRecord) -> EventCard,
) -> Result<(Vec<EventCard>, Option<String>), ApiError> {
    let per_page = filter.limit as usize;
    // One more than the page holds says whether another page follows.
    filter.limit += 1;
    let mut cards = Vec::with_capacity(per_page);
    let mut last_kept = None;
    loop {
        let events = state.store.events(&filter).await?;
        let exhausted = events.len() < filter.limit as usize;
        for event in &events {
            let card = to_card(event);
            if date.is_none_or(|d| card.local_start.starts_with(d)) {
                if cards.len() == per_page {
                    return Ok((cards, last_kept));
                }
                cards.push(card);
                last_kept = Some(cursor(event.details.starts_at, event.id));
            }
            filter.after = Some((event.details.starts_at, event.id));
        }
        if exhausted {
            return Ok((cards, None));
        }
    }
}

/// An action day's name in the language wanted, else in its own.
pub fn day_name(day: &crate::storage::ActionDayRecord, wanted: Option<&Lang>) -> String {
    let name_in = |lang: &Lang| day.names.iter().find(|(l, _)| l == lang);
    wanted
        .and_then(name_in)
        .or_else(|| name_in(&day.default_lang))
        .map_or_else(|| day.slug.to_string(), |(_, name)| name.clone())
}

/// The query of the next page: this one's filters and the cursor.
fn next_query(query: &ListQuery, cursor: &str) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    let pairs = [
        ("day", &query.day),
        ("country", &query.country),
        ("kind", &query.kind),
        ("city", &query.city),
        ("lang", &query.lang),
    ];
    for (name, value) in pairs {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            out.append_pair(name, value);
        }
    }
    if let Some(per_page) = query.per_page {
        out.append_pair("per_page", &per_page.to_string());
    }
    out.append_pair("cursor", cursor);
    out.finish()
}

/// A position in the list: after the event that starts at `starts_at`
/// with this id.
fn cursor(starts_at: Millis, id: i64) -> String {
    format!("{starts_at}.{id}")
}

fn read_cursor(text: &str) -> Option<(Millis, i64)> {
    let (starts_at, id) = text.split_once('.')?;
    Some((starts_at.parse().ok()?, id.parse().ok()?))
}

/// A public event by its public id: 404 for one nobody may see.
pub async fn find_public(state: &AppState, id: &str) -> Result<EventRecord, ApiError> {
    let missing = || ApiError::NotFound(format!("no event {id}"));
    if id.len() > 32 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(missing());
    }
    state
        .store
        .event_by_public_id(id)
        .await?
        .filter(|e| e.status.is_public())
        .ok_or_else(missing)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LangQuery {
    pub lang: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let event = find_public(&state, &id).await?;
    let wanted = query.lang.as_deref().and_then(|l| Lang::parse(l).ok());
    let card: EventCard = card::card(&event, wanted.as_ref(), state.public_url.as_str());
    Ok(([(header::CACHE_CONTROL, LIST_CACHE)], axum::Json(card)))
}

async fn rsvp_challenge(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let event = find_public(&state, &id).await?;
    challenge(&state, peer, &headers, Some(&event.public_id)).await
}

async fn proposal_challenge(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    challenge(&state, peer, &headers, None).await
}

async fn challenge(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    event: Option<&str>,
) -> Result<impl IntoResponse + use<>, ApiError> {
    let now = now_millis();
    let client_hash = state
        .guard
        .client_hash(&*state.store, peer, headers, now)
        .await?;
    let challenge =
        state
            .guard
            .event_challenge(&client_hash, &crate::guard::event_scope(event), now);
    Ok(([(header::CACHE_CONTROL, "no-store")], axum::Json(challenge)))
}

async fn answer(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(form): Json<RsvpForm>,
) -> Result<axum::Json<RsvpReceipt>, ApiError> {
    check_sender(&state, &headers).await?;
    let event = find_public(&state, &id).await?;
    rsvp::accept(
        &state,
        peer,
        &headers,
        &event,
        form,
        crate::signing::Script::Ran,
    )
    .await
    .map(axum::Json)
}

async fn propose(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(form): Json<EventProposal>,
) -> Result<impl IntoResponse, ApiError> {
    check_sender(&state, &headers).await?;
    let proposed = proposal::propose(&state, peer, &headers, form).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(proposed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_and_nothing_else_reads_as_one() {
        assert_eq!(
            read_cursor(&cursor(1_797_613_200_000, 42)),
            Some((1_797_613_200_000, 42))
        );
        for bad in ["", "12", "a.b", "1.2.3", "1797613200000.x"] {
            assert_eq!(read_cursor(bad), None, "{bad}");
        }
    }
}
