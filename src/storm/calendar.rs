//! A storm as iCalendar (RFC 5545), for a supporter's own calendar: the
//! hour, its name, and a message to post in the description.

use chorus_wire::storm::Storm;
use icalendar::{Calendar, Component, EventLike};

pub fn calendar(storm: &Storm) -> String {
    let mut event = icalendar::Event::new();
    let message = storm.messages.first().map_or("", |m| m.text.as_str());
    let link = storm
        .links
        .iter()
        .find(|l| l.platform == "copy")
        .map_or("", |l| l.url.as_str());
    event
        .uid(&format!("storm-{}@chorus", storm.storm))
        .summary(&storm.title)
        .description(&format!("{message}\n\n{link}"))
        .url(link);
    for (rfc3339, start) in [(&storm.starts_at, true), (&storm.ends_at, false)] {
        if let Ok(at) = chrono::DateTime::parse_from_rfc3339(rfc3339) {
            let at = at.with_timezone(&chrono::Utc);
            if start {
                event.starts(at);
            } else {
                event.ends(at);
            }
        }
    }
    let mut calendar = Calendar::new();
    calendar.name(&storm.title);
    calendar.push(event.done());
    calendar.done().to_string()
}
