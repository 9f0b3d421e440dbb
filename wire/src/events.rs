//! Local events of a day of action: what the events widget reads, what a
//! supporter sends to come to one (an RSVP) or to add one, and the rules
//! both sides apply to those forms.
//!
//! Times cross the wire twice over: as an instant (RFC 3339, UTC), which
//! the browser shows in the reader's own zone, and as the wall-clock time
//! at the event (`local_start`, `2026-12-18T18:00`), which reads the same
//! everywhere and needs no time-zone data in the bundle.

use serde::{Deserialize, Serialize};

use crate::signing::{Problem, check_comment, check_country, check_email, check_name, check_token};

/// The kinds of event, as stored and sent.
pub const KINDS: [&str; 8] = [
    "rally",
    "march",
    "vigil",
    "gathering",
    "potluck",
    "press",
    "online",
    "other",
];

/// The name of the Server-Sent Event that carries an [`Attendance`].
pub const ATTENDANCE_EVENT: &str = "attendance";

/// The error code of an RSVP to an event with no room left.
pub const EVENT_FULL: &str = "event_full";
/// The error code of an RSVP to an event that is cancelled or over.
pub const EVENT_CLOSED: &str = "event_closed";

/// Guests one RSVP may bring beside the person answering.
pub const MAX_GUESTS: u32 = 9;
pub const TITLE_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 4_000;
pub const PLACE_MAX: usize = 200;
pub const NOTES_MAX: usize = 1_000;
pub const URL_MAX: usize = 500;
pub const CAPACITY_MAX: u32 = 1_000_000;

/// One event as the public list and page show it, in the field names of
/// OSDI's `osdi:events` where they fit: never the host's contact, and the
/// address only when it is public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCard {
    /// The event's public id, as in its page's address.
    pub id: String,
    /// OSDI's identifiers: `chorus:ID`.
    #[serde(default)]
    pub identifiers: Vec<String>,
    pub kind: String,
    /// The language of `title` and `description`.
    pub lang: String,
    pub title: String,
    /// Plain paragraphs separated by blank lines.
    pub description: String,
    /// RFC 3339, UTC.
    pub start_date: String,
    pub end_date: String,
    /// The IANA zone the event happens in.
    pub time_zone: String,
    /// The wall-clock start and end at the event: `2026-12-18T18:00`.
    pub local_start: String,
    pub local_end: String,
    /// The event zone's offset from UTC at the start: `+01:00`.
    pub utc_offset: String,
    pub location: EventLocation,
    /// The link to join an online event.
    #[serde(default)]
    pub online_url: Option<String>,
    #[serde(default)]
    pub accessibility: String,
    #[serde(default)]
    pub capacity: Option<u32>,
    /// People coming, guests included.
    pub total_accepted: u64,
    /// The host organisation's name.
    pub host: String,
    /// `confirmed` or `cancelled`.
    pub status: String,
    /// The event's page on Chorus.
    pub browser_url: String,
    /// Its iCalendar file.
    pub ics_url: String,
}

/// Where an event happens, as OSDI's `location`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventLocation {
    #[serde(default)]
    pub venue: String,
    /// Empty when the host keeps the address for people who RSVP.
    #[serde(default)]
    pub address_lines: Vec<String>,
    #[serde(default)]
    pub address_private: bool,
    /// The city.
    pub locality: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

impl EventCard {
    pub fn is_full(&self) -> bool {
        self.capacity
            .is_some_and(|c| self.total_accepted >= u64::from(c))
    }
}

/// A page of `GET /api/v1/events`, shaped as OSDI's collections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsPage {
    pub per_page: u32,
    /// Pass as `?cursor=` for the next page; `None` on the last page.
    #[serde(default)]
    pub next_cursor: Option<String>,
    #[serde(rename = "_embedded")]
    pub embedded: EmbeddedEvents,
    #[serde(rename = "_links", default)]
    pub links: PageLinks,
    /// On a first page: the day asked for, named in the language asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<DayCard>,
    /// On a first page: the countries with upcoming events (of the day
    /// asked for), for a country filter that offers only those.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
}

/// An action day as a list names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCard {
    pub slug: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedEvents {
    #[serde(rename = "osdi:events")]
    pub events: Vec<EventCard>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageLinks {
    #[serde(rename = "self")]
    pub this: Link,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub href: String,
}

/// A live change to an event's attendance, on `GET /api/v1/live?days=...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub event: String,
    pub total_accepted: u64,
    #[serde(default)]
    pub capacity: Option<u32>,
}

/// What a supporter sends to `POST /api/v1/events/{id}/rsvps`. A count
/// alone is enough; an email brings the private address and a reminder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RsvpForm {
    /// Made once per submission and reused for its retries.
    pub idempotency_key: String,
    /// People coming beside the one answering.
    pub guests: u32,
    /// Optional: for the address, the reminder and the host's list.
    pub email: String,
    /// Optional, with an email: how the host's list and the email greet them.
    pub name: String,
    pub lang: String,
    /// The honeypot, as on the signing form.
    pub website: String,
    pub proof: Option<crate::proof::Solution>,
}

/// The answer to an RSVP: the same for a first one and a retry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RsvpReceipt {
    pub total_accepted: u64,
    /// Whether an email with the details is on its way.
    #[serde(default)]
    pub emailed: bool,
}

/// Every problem with an RSVP, at most one per field.
pub fn check_rsvp(form: &RsvpForm) -> Vec<(&'static str, Problem)> {
    let email = form.email.trim();
    let checks = [
        (
            "guests",
            (form.guests > MAX_GUESTS).then_some(Problem::TooLong),
        ),
        (
            "email",
            if email.is_empty() {
                None
            } else {
                check_email(email)
            },
        ),
        ("name", check_name(&form.name, false)),
        ("lang", check_token(&form.lang, 2, 35)),
        (
            "idempotency_key",
            check_token(&form.idempotency_key, 16, 64),
        ),
    ];
    keep_problems(checks)
}

/// An event a partner or supporter proposes through the widget (and the
/// shape organisers create events in). It waits for the organiser's
/// approval before anyone sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventProposal {
    pub idempotency_key: String,
    /// The action day it belongs to, by slug; empty: it stands alone.
    pub day: String,
    pub kind: String,
    pub lang: String,
    pub title: String,
    pub description: String,
    /// Wall-clock times at the event: `2026-12-18T18:00`.
    pub starts: String,
    pub ends: String,
    /// An IANA zone: `Europe/Paris`.
    pub time_zone: String,
    pub venue: String,
    pub address: String,
    /// The address goes only to people who RSVP with an email.
    pub address_private: bool,
    pub city: String,
    pub country: String,
    pub online_url: String,
    pub accessibility: String,
    pub capacity: Option<u32>,
    /// The host organisation (or group) as the public sees it.
    pub host: String,
    /// The person to contact: sealed, never public.
    pub contact_name: String,
    pub contact_email: String,
    /// The honeypot.
    pub website: String,
    pub proof: Option<crate::proof::Solution>,
}

/// Every problem with a proposal that both sides can see without time-zone
/// data (the server also checks the zone, and that the end follows the
/// start).
pub fn check_proposal(form: &EventProposal) -> Vec<(&'static str, Problem)> {
    let online = form.kind == "online";
    let checks = [
        (
            "kind",
            (!KINDS.contains(&form.kind.as_str())).then_some(Problem::Invalid),
        ),
        ("lang", check_token(&form.lang, 2, 35)),
        ("title", check_text(&form.title, true, TITLE_MAX)),
        (
            "description",
            check_text(&form.description, false, DESCRIPTION_MAX),
        ),
        ("starts", check_local_time(&form.starts)),
        ("ends", check_local_time(&form.ends)),
        ("time_zone", check_zone_name(&form.time_zone)),
        ("venue", check_text(&form.venue, false, PLACE_MAX)),
        (
            "address",
            check_text(&form.address, form.address_private, PLACE_MAX),
        ),
        ("city", check_text(&form.city, true, PLACE_MAX)),
        ("country", check_country(&form.country)),
        ("online_url", check_link(&form.online_url, online)),
        ("accessibility", check_comment(&form.accessibility)),
        (
            "capacity",
            form.capacity
                .filter(|c| *c == 0 || *c > CAPACITY_MAX)
                .map(|_| Problem::Invalid),
        ),
        ("host", check_text(&form.host, true, PLACE_MAX)),
        ("contact_name", check_name(&form.contact_name, true)),
        ("contact_email", check_email(&form.contact_email)),
        (
            "idempotency_key",
            check_token(&form.idempotency_key, 16, 64),
        ),
    ];
    keep_problems(checks)
}

fn keep_problems<const N: usize>(
    checks: [(&'static str, Option<Problem>); N],
) -> Vec<(&'static str, Problem)> {
    checks
        .into_iter()
        .filter_map(|(field, problem)| problem.map(|p| (field, p)))
        .collect()
}

/// Free text an organiser or host writes: any script, new lines allowed,
/// no other control characters.
pub fn check_text(text: &str, required: bool, max: usize) -> Option<Problem> {
    let text = text.trim();
    if text.is_empty() {
        return required.then_some(Problem::Required);
    }
    if text.chars().count() > max {
        return Some(Problem::TooLong);
    }
    let unwanted = |c: char| {
        (c.is_control() && c != '\n' && c != '\t') || crate::signing::is_invisible_format(c)
    };
    if text.chars().any(unwanted) {
        return Some(Problem::Invalid);
    }
    None
}

/// `YYYY-MM-DDTHH:MM`, as `<input type="datetime-local">` gives it.
pub fn check_local_time(text: &str) -> Option<Problem> {
    if text.trim().is_empty() {
        return Some(Problem::Required);
    }
    parse_local_time(text).is_none().then_some(Problem::Invalid)
}

/// The parts of `YYYY-MM-DDTHH:MM` (seconds allowed and ignored): year,
/// month, day, hour, minute, each in its range (the day checked against
/// its month by the server).
pub fn parse_local_time(text: &str) -> Option<(i16, i8, i8, i8, i8)> {
    let (date, clock) = text.trim().split_once(['T', ' '])?;
    let mut date = date.split('-');
    let year: i16 = date.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let month: i8 = two_digits(date.next()?)?;
    let day: i8 = two_digits(date.next()?)?;
    let mut clock = clock.split(':');
    let hour: i8 = two_digits(clock.next()?)?;
    let minute: i8 = two_digits(clock.next()?)?;
    let second_ok = clock
        .next()
        .is_none_or(|s| two_digits(s).is_some_and(|s| s < 60));
    let ranges = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..24).contains(&hour)
        && (0..60).contains(&minute);
    (date.next().is_none() && clock.next().is_none() && second_ok && ranges)
        .then_some((year, month, day, hour, minute))
}

fn two_digits(text: &str) -> Option<i8> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// The shape of an IANA zone name (`America/Argentina/Buenos_Aires`,
/// `UTC`); whether the zone exists is the server's to say.
fn check_zone_name(name: &str) -> Option<Problem> {
    let name = name.trim();
    if name.is_empty() {
        return Some(Problem::Required);
    }
    let shaped = name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
    (!shaped).then_some(Problem::Invalid)
}

/// An `https://` (or `http://`) link, as an online event gives one.
fn check_link(link: &str, required: bool) -> Option<Problem> {
    let link = link.trim();
    if link.is_empty() {
        return required.then_some(Problem::Required);
    }
    if link.len() > URL_MAX {
        return Some(Problem::TooLong);
    }
    let scheme_ok = link.starts_with("https://") || link.starts_with("http://");
    let plain = !link.chars().any(|c| c.is_whitespace() || c.is_control());
    (!(scheme_ok && plain)).then_some(Problem::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal() -> EventProposal {
        EventProposal {
            idempotency_key: "k".repeat(20),
            kind: "vigil".into(),
            lang: "en".into(),
            title: "Candles for the missing".into(),
            starts: "2026-12-18T18:00".into(),
            ends: "2026-12-18T19:30".into(),
            time_zone: "Europe/Paris".into(),
            city: "Lyon".into(),
            country: "FR".into(),
            host: "Lyon Solidarity".into(),
            contact_name: "Amina".into(),
            contact_email: "amina@example.org".into(),
            ..EventProposal::default()
        }
    }

    #[test]
    fn a_complete_proposal_passes() {
        assert_eq!(check_proposal(&proposal()), []);
    }

    #[test]
    fn each_rule_names_its_field() {
        type Spoil = fn(&mut EventProposal);
        let cases: [(&str, Spoil); 7] = [
            ("kind", |p| p.kind = "party".into()),
            ("starts", |p| p.starts = "2026-13-18T18:00".into()),
            ("ends", |p| p.ends = "18/12/2026".into()),
            ("time_zone", |p| p.time_zone = "Europe Paris".into()),
            ("address", |p| p.address_private = true),
            ("online_url", |p| p.kind = "online".into()),
            ("capacity", |p| p.capacity = Some(0)),
        ];
        for (field, spoil) in cases {
            let mut form = proposal();
            spoil(&mut form);
            let problems = check_proposal(&form);
            assert_eq!(problems.len(), 1, "{field}: {problems:?}");
            assert_eq!(problems[0].0, field);
        }
    }

    #[test]
    fn local_times_are_read_as_the_date_input_writes_them() {
        assert_eq!(
            parse_local_time("2026-12-18T18:05"),
            Some((2026, 12, 18, 18, 5))
        );
        assert_eq!(
            parse_local_time("2026-12-18 07:00:30"),
            Some((2026, 12, 18, 7, 0))
        );
        for bad in [
            "2026-12-18",
            "2026-12-18T24:00",
            "26-12-18T10:00",
            "2026-12-18T10:00:61",
        ] {
            assert_eq!(parse_local_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_rsvp_needs_no_email_but_a_given_one_must_be_an_address() {
        let mut form = RsvpForm {
            idempotency_key: "k".repeat(20),
            lang: "fr".into(),
            guests: 2,
            ..RsvpForm::default()
        };
        assert_eq!(check_rsvp(&form), []);
        form.email = "not an address".into();
        form.guests = MAX_GUESTS + 1;
        let fields: Vec<&str> = check_rsvp(&form).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["guests", "email"]);
    }
}
