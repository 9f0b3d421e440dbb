//! Events as iCalendar (RFC 5545), for one event or a whole day, built
//! from their public cards: what a card leaves out (the host's contact, a
//! private address) cannot reach a calendar. Times are written in UTC, which
//! every calendar converts to its reader's zone without a VTIMEZONE.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chorus_wire::events::EventCard;
use icalendar::{Calendar, Component, EventLike, EventStatus};

/// A calendar app polls a calendar it subscribed to.
const CALENDAR_CACHE: &str = "public, max-age=300";

/// `calendar` as a file `file.ics` to open in a calendar app (events'
/// calendars, and storms').
pub fn response(calendar: String, file: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (header::CACHE_CONTROL, CALENDAR_CACHE.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}.ics\""),
            ),
        ],
        calendar,
    )
        .into_response()
}

/// A calendar of `cards`, named `name`.
pub fn calendar(name: &str, cards: &[EventCard]) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    for card in cards {
        calendar.push(event(card));
    }
    calendar.done().to_string()
}

fn event(card: &EventCard) -> icalendar::Event {
    let mut event = icalendar::Event::new();
    event
        .uid(&format!("{}@chorus", card.id))
        .summary(&card.title)
        .description(&description(card))
        .location(&location(card))
        .url(&card.browser_url)
        .categories([card.kind.as_str()]);
    if let Some(starts) = instant(&card.start_date) {
        event.starts(starts);
    }
    if let Some(ends) = instant(&card.end_date) {
        event.ends(ends);
    }
    event.status(if card.status == "cancelled" {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    });
    event.done()
}

/// The description, then what a calendar has no field for: how to join
/// online, access, and the page (where a private address is asked for).
fn description(card: &EventCard) -> String {
    let mut parts = vec![card.description.clone()];
    if let Some(link) = &card.online_url {
        parts.push(format!("Online: {link}"));
    }
    if !card.accessibility.is_empty() {
        parts.push(format!("Access: {}", card.accessibility));
    }
    parts.push(format!("Hosted by {}. {}", card.host, card.browser_url));
    parts.retain(|p| !p.is_empty());
    parts.join("\n\n")
}

fn location(card: &EventCard) -> String {
    let place = &card.location;
    [place.venue.as_str()]
        .into_iter()
        .chain(place.address_lines.iter().map(String::as_str))
        .chain([place.locality.as_str(), place.country.as_str()])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

fn instant(rfc3339: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}
