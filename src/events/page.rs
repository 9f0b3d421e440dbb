//! Chorus's own pages for events: one page per event (`/events/{id}`),
//! shareable and readable without script, with schema.org `Event` JSON-LD
//! and a plain RSVP form; its iCalendar (`/events/{id}.ics`) and a whole
//! day's (`/days/{slug}.ics`); and the page an RSVP's cancel link opens
//! (`/rsvp/{token}`), which acts only on its button's POST.

use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chorus_wire::events::{EVENT_CLOSED, EVENT_FULL, EventCard, MAX_GUESTS, RsvpForm};

use super::letters::{Words, words};
use super::{LangQuery, card, find_public, rsvp};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::ident::Lang;
use crate::signing::confirm::token_hash;
use crate::storage::{EventQuery, EventRecord, EventStatus, now_millis};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{file}", get(show))
        .route("/events/{id}/rsvp", post(rsvp_without_script))
        .route("/rsvp/{token}", get(show_cancel).post(cancel))
        .route("/days/{file}", get(day_calendar))
}

#[derive(Template)]
#[template(path = "event_page.html")]
struct EventPage<'a> {
    lang: &'a str,
    words: &'a Words,
    card: &'a EventCard,
    json_ld: String,
    kind: &'a str,
    cancelled: bool,
    cancelled_word: &'a str,
    when_word: &'a str,
    where_word: &'a str,
    online_word: &'a str,
    access_word: &'a str,
    host_word: &'a str,
    going_word: &'a str,
    when: String,
    place: String,
    going: String,
    paragraphs: Vec<&'a str>,
    notice: Option<&'a str>,
    open: bool,
    key: String,
    guest_choices: Vec<u32>,
    guests: u32,
    email: &'a str,
    email_problem: bool,
    name: &'a str,
}

/// What the page's form shows again after a problem.
#[derive(Debug, Default)]
struct Posted {
    form: RsvpForm,
    notice: Option<&'static str>,
    email_problem: bool,
}

async fn show(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let wanted = query.lang.as_deref().and_then(|l| Lang::parse(l).ok());
    if let Some(id) = file.strip_suffix(".ics") {
        let event = find_public(&state, id).await?;
        let card = card::card(&event, wanted.as_ref(), state.public_url.as_str());
        return Ok(calendar_response(&card.title.clone(), &[card], id));
    }
    let event = find_public(&state, &file).await?;
    let posted = Posted {
        notice: query
            .rsvp
            .as_deref()
            .filter(|r| *r == "thanks")
            .map(|_| words(query.lang.as_deref().unwrap_or("")).rsvp_thanks),
        ..Posted::default()
    };
    render(&state, &event, wanted.as_ref(), posted, StatusCode::OK)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PageQuery {
    lang: Option<String>,
    /// `thanks` after an RSVP.
    rsvp: Option<String>,
}

fn render(
    state: &AppState,
    event: &EventRecord,
    wanted: Option<&Lang>,
    posted: Posted,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let origin = state.public_url.as_str();
    let card = card::card(event, wanted, origin);
    let words = words(wanted.map_or("", Lang::as_str));
    let going = match card.capacity {
        Some(capacity) => chorus_wire::text::fill_with(
            words.going_of,
            &[
                ("going", &card.total_accepted.to_string()),
                ("capacity", &capacity.to_string()),
            ],
        ),
        None => chorus_wire::text::fill_with(
            words.going_count,
            &[("going", &card.total_accepted.to_string())],
        ),
    };
    let open = event.status == EventStatus::Approved
        && event.details.ends_at > now_millis()
        && !card.is_full();
    let notice = posted.notice.or_else(|| {
        (event.status == EventStatus::Approved && card.is_full()).then_some(words.rsvp_full)
    });
    let page = EventPage {
        lang: words.lang,
        words,
        card: &card,
        json_ld: json_ld(&card),
        kind: words.kind_name(&card.kind),
        cancelled: event.status == EventStatus::Cancelled,
        cancelled_word: words.cancelled_label,
        when_word: words.when_label,
        where_word: words.where_label,
        online_word: words.online_label,
        access_word: words.access_label,
        host_word: words.host_label,
        going_word: words.going_label,
        when: format!(
            "{} ({}, UTC{})",
            card.local_start.replace('T', " "),
            card.time_zone,
            card.utc_offset
        ),
        place: place_line(&card),
        going,
        paragraphs: card
            .description
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect(),
        notice,
        open,
        key: if posted.form.idempotency_key.is_empty() {
            crate::signing::plain::new_key()
        } else {
            posted.form.idempotency_key.clone()
        },
        guest_choices: (0..=MAX_GUESTS).collect(),
        guests: posted.form.guests,
        email: &posted.form.email,
        email_problem: posted.email_problem,
        name: &posted.form.name,
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        status,
        [
            (header::CONTENT_SECURITY_POLICY, crate::site::PAGE_CSP),
            (header::CACHE_CONTROL, "no-cache"),
            // The plain form's POST must carry Chorus's origin.
            (header::REFERRER_POLICY, "same-origin"),
        ],
        Html(html),
    )
        .into_response())
}

fn place_line(card: &EventCard) -> String {
    let place = &card.location;
    [place.venue.as_str()]
        .into_iter()
        .chain(place.address_lines.iter().map(String::as_str))
        .chain([place.locality.as_str()])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
        + &format!(" ({})", place.country)
}

/// schema.org `Event`, from the public card only. `<` is escaped so no
/// text can close the script element it sits in.
pub fn json_ld(card: &EventCard) -> String {
    let place = &card.location;
    let mut address = serde_json::json!({
        "@type": "PostalAddress",
        "addressLocality": place.locality,
        "addressCountry": place.country,
    });
    if let Some(street) = place.address_lines.first() {
        address["streetAddress"] = street.clone().into();
    }
    let location = if card.kind == "online" {
        serde_json::json!({"@type": "VirtualLocation", "url": card.online_url.clone().unwrap_or_else(|| card.browser_url.clone())})
    } else {
        serde_json::json!({"@type": "Place", "name": place.venue, "address": address})
    };
    let mut event = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": card.title,
        "description": card.description,
        "startDate": card.start_date,
        "endDate": card.end_date,
        "inLanguage": card.lang,
        "eventStatus": if card.status == "cancelled" {
            "https://schema.org/EventCancelled"
        } else {
            "https://schema.org/EventScheduled"
        },
        "eventAttendanceMode": if card.kind == "online" {
            "https://schema.org/OnlineEventAttendanceMode"
        } else {
            "https://schema.org/OfflineEventAttendanceMode"
        },
        "location": location,
        "organizer": {"@type": "Organization", "name": card.host},
        "url": card.browser_url,
    });
    if let Some(capacity) = card.capacity {
        event["maximumAttendeeCapacity"] = capacity.into();
        event["remainingAttendeeCapacity"] = u64::from(capacity)
            .saturating_sub(card.total_accepted)
            .into();
    }
    event.to_string().replace('<', "\\u003c")
}

/// The page's RSVP form, posted without script.
async fn rsvp_without_script(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) != Some(state.public_url.as_str())
    {
        return Err(ApiError::Forbidden(
            "this form is posted from its own page only".into(),
        ));
    }
    let event = find_public(&state, &id).await?;
    let form = read_posted(&body);
    let wanted = Lang::parse(&form.lang).ok();
    let lang = words(&form.lang).lang;
    let problem = |notice: &'static str, email_problem: bool, form: RsvpForm| Posted {
        form,
        notice: Some(notice),
        email_problem,
    };
    let page_words = words(&form.lang);
    match rsvp::accept(
        &state,
        peer,
        &headers,
        &event,
        form.clone(),
        crate::signing::Script::Off,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/events/{}?lang={lang}&rsvp=thanks",
            event.public_id
        ))
        .into_response()),
        Err(ApiError::InvalidFields(problems)) => {
            let email_problem = problems.iter().any(|(f, _)| *f == "email");
            let posted = problem(page_words.fix_fields, email_problem, form);
            render(
                &state,
                &event,
                wanted.as_ref(),
                posted,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(ApiError::Conflict { code, .. }) if code == EVENT_FULL || code == EVENT_CLOSED => {
            let notice = if code == EVENT_FULL {
                page_words.rsvp_full
            } else {
                page_words.rsvp_closed
            };
            render(
                &state,
                &event,
                wanted.as_ref(),
                problem(notice, false, form),
                StatusCode::CONFLICT,
            )
        }
        Err(other) => Err(other),
    }
}

fn read_posted(body: &[u8]) -> RsvpForm {
    let mut form = RsvpForm::default();
    for (name, value) in url::form_urlencoded::parse(body) {
        let value = value.into_owned();
        match &*name {
            "idempotency_key" => form.idempotency_key = value,
            // A number no select offers reads as too many.
            "guests" => form.guests = value.trim().parse().unwrap_or(u32::MAX),
            "email" => form.email = value,
            "name" => form.name = value,
            "lang" => form.lang = value,
            "website" => form.website = value,
            _ => {}
        }
    }
    form
}

/// `/days/{slug}.ics`: every public event of the day.
async fn day_calendar(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let slug = file
        .strip_suffix(".ics")
        .ok_or_else(|| ApiError::NotFound("a day's calendar ends in .ics".into()))?;
    let slug = crate::extract::slug(slug)?;
    let day = state
        .store
        .action_day_by_slug(&slug)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no action day {slug}")))?;
    let wanted = query.lang.as_deref().and_then(|l| Lang::parse(l).ok());
    let mut cards = Vec::new();
    let mut after = None;
    // A day has hundreds of events, not millions: read them all, a page
    // at a time.
    loop {
        let page = state
            .store
            .events(&EventQuery {
                day_id: Some(day.id),
                after,
                limit: 500,
                ..EventQuery::default()
            })
            .await?;
        after = page.last().map(|e| (e.details.starts_at, e.id));
        let done = page.len() < 500;
        cards.extend(
            page.iter()
                .map(|e| card::card(e, wanted.as_ref(), state.public_url.as_str())),
        );
        if done || cards.len() >= 20_000 {
            break;
        }
    }
    let name = super::day_name(&day, wanted.as_ref());
    Ok(calendar_response(&name, &cards, slug.as_str()))
}

fn calendar_response(name: &str, cards: &[EventCard], file: &str) -> Response {
    super::calendar::response(super::calendar::calendar(name, cards), file)
}

fn link_page(words: &Words, heading: &str, button: Option<&str>, status: StatusCode) -> Response {
    let mut page = crate::signing::confirm::link_page(words.lang, heading, None, button);
    *page.status_mut() = status;
    page
}

async fn show_cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let words = words(query.lang.as_deref().unwrap_or(""));
    let invalid = || link_page(words, words.invalid_link, None, StatusCode::NOT_FOUND);
    let Some(token) = token_hash(&token) else {
        return Ok(invalid());
    };
    match state.store.rsvp_by_token(&token).await? {
        Some(rsvp) if !rsvp.cancelled => Ok(link_page(
            words,
            words.going_heading,
            Some(words.cancel_button),
            StatusCode::OK,
        )),
        Some(_) => Ok(link_page(words, words.cancelled, None, StatusCode::OK)),
        None => Ok(invalid()),
    }
}

async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<Response, ApiError> {
    let words = words(query.lang.as_deref().unwrap_or(""));
    let Some(token) = token_hash(&token) else {
        return Ok(link_page(
            words,
            words.invalid_link,
            None,
            StatusCode::NOT_FOUND,
        ));
    };
    match state.store.cancel_rsvp(&token, now_millis()).await? {
        None => Ok(link_page(
            words,
            words.invalid_link,
            None,
            StatusCode::NOT_FOUND,
        )),
        Some(cancelled) => {
            if cancelled.newly {
                state.attendance.wake();
            }
            Ok(link_page(words, words.cancelled, None, StatusCode::OK))
        }
    }
}
