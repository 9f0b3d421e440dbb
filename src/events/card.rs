//! An event as the public reads it: one language of its words, its times
//! as instants and as the wall clock at the event, and its address only
//! when the host made it public. Everything public about an event (the
//! JSON API, the page, its JSON-LD, the iCalendar) starts from a card, so
//! none of them can carry what a card leaves out.

use chorus_wire::events::{EventCard, EventLocation};

use super::event::wall_clock;
use crate::ident::{Lang, pick_text};
use crate::storage::{EventRecord, EventStatus, rfc3339};

/// The public card of a public event, in `wanted`'s language if it has one.
pub fn card(event: &EventRecord, wanted: Option<&Lang>, origin: &str) -> EventCard {
    let details = &event.details;
    let place = &details.place;
    let text = pick_text(&event.texts, wanted, &event.default_lang);
    let (local_start, utc_offset) = wall_clock(details.starts_at, &details.time_zone);
    let (local_end, _) = wall_clock(details.ends_at, &details.time_zone);
    let public_address = !place.address_private && !place.address.is_empty();
    EventCard {
        id: event.public_id.clone(),
        identifiers: vec![format!("chorus:{}", event.public_id)],
        kind: details.kind.clone(),
        lang: text.map_or_else(|| event.default_lang.to_string(), |t| t.lang.to_string()),
        title: text.map(|t| t.title.clone()).unwrap_or_default(),
        description: text.map(|t| t.description.clone()).unwrap_or_default(),
        start_date: rfc3339(details.starts_at).unwrap_or_default(),
        end_date: rfc3339(details.ends_at).unwrap_or_default(),
        time_zone: details.time_zone.clone(),
        local_start,
        local_end,
        utc_offset,
        location: EventLocation {
            venue: place.venue.clone(),
            address_lines: if public_address {
                vec![place.address.clone()]
            } else {
                Vec::new()
            },
            address_private: place.address_private,
            locality: place.city.clone(),
            country: place.country.clone(),
        },
        online_url: place.online_url.clone(),
        accessibility: details.accessibility.clone(),
        capacity: details.capacity,
        total_accepted: event.going,
        host: details.host.clone(),
        status: if event.status == EventStatus::Cancelled {
            "cancelled"
        } else {
            "confirmed"
        }
        .to_owned(),
        browser_url: format!("{origin}/events/{}", event.public_id),
        ics_url: format!("{origin}/events/{}.ics", event.public_id),
    }
}
