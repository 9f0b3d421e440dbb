//! An event as an organiser or host describes it, checked and turned into
//! what storage keeps: wall-clock times at the event become instants by
//! the event's own zone (from jiff's bundled copy of the IANA database).

use chorus_wire::events::{EventProposal, check_proposal, parse_local_time};
use chorus_wire::signing::Problem;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::ident::Lang;
use crate::storage::{ActionDayRecord, EventDetails, EventPlace, EventText, Millis};

/// The longest an event may last: a camp or a week of action.
const LONGEST: Millis = 14 * 24 * 60 * 60 * 1000;

/// Who describes the event: an organiser may leave out the host's contact
/// and date an event in the past (to record one); a proposal may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    Organiser,
    Proposal,
}

/// A checked event: its details, its words in its language, and the
/// contact of its host if given.
#[derive(Debug, Clone)]
pub struct Checked {
    pub details: EventDetails,
    pub text: EventText,
    pub contact: Option<(String, String)>,
}

/// Checks a described event. `day` is the action day it names, if any
/// (the caller looked it up; a slug that names none is the caller's error).
pub fn check(
    form: &EventProposal,
    day: Option<&ActionDayRecord>,
    author: Author,
    now: Millis,
) -> Result<Checked, Vec<(&'static str, Problem)>> {
    let no_contact = form.contact_name.trim().is_empty() && form.contact_email.trim().is_empty();
    let mut problems: Vec<_> = check_proposal(form)
        .into_iter()
        .filter(|(field, _)| {
            !(author == Author::Organiser
                && no_contact
                && matches!(*field, "contact_name" | "contact_email"))
        })
        .collect();
    let zone = TimeZone::get(form.time_zone.trim()).ok();
    if zone.is_none() && !problems.iter().any(|(f, _)| *f == "time_zone") {
        problems.push(("time_zone", Problem::Invalid));
    }
    let starts = zone.as_ref().and_then(|z| instant(&form.starts, z));
    let ends = zone.as_ref().and_then(|z| instant(&form.ends, z));
    if let (Some(starts), Some(ends)) = (starts, ends) {
        if ends <= starts || ends - starts > LONGEST {
            problems.push(("ends", Problem::Invalid));
        }
        if author == Author::Proposal && ends <= now {
            problems.push(("starts", Problem::Invalid));
        }
        if day.is_some_and(|day| !form.starts.trim().starts_with(&day.day)) {
            problems.push(("starts", Problem::Invalid));
        }
    } else if let Some(zone) = &zone {
        // A date the calendar lacks (30 February) passes the shape check.
        for (field, text) in [("starts", &form.starts), ("ends", &form.ends)] {
            if instant(text, zone).is_none() && !problems.iter().any(|(f, _)| *f == field) {
                problems.push((field, Problem::Invalid));
            }
        }
    }
    let lang = Lang::parse(&form.lang);
    if lang.is_err() && !problems.iter().any(|(f, _)| *f == "lang") {
        problems.push(("lang", Problem::Invalid));
    }
    let (Some(starts), Some(ends), Ok(lang), true) = (starts, ends, lang, problems.is_empty())
    else {
        problems.dedup_by_key(|(field, _)| *field);
        return Err(problems);
    };
    let online = form.online_url.trim();
    Ok(Checked {
        details: EventDetails {
            day_id: day.map(|d| d.id),
            kind: form.kind.clone(),
            starts_at: starts,
            ends_at: ends,
            time_zone: form.time_zone.trim().to_owned(),
            place: EventPlace {
                venue: form.venue.trim().to_owned(),
                address: form.address.trim().to_owned(),
                address_private: form.address_private,
                city: form.city.trim().to_owned(),
                country: form.country.clone(),
                online_url: (!online.is_empty()).then(|| online.to_owned()),
            },
            accessibility: form.accessibility.trim().to_owned(),
            capacity: form.capacity,
            host: form.host.trim().to_owned(),
            host_partner_id: None,
        },
        text: EventText {
            lang,
            title: form.title.trim().to_owned(),
            description: form.description.trim().to_owned(),
        },
        contact: (!no_contact).then(|| {
            (
                form.contact_name.trim().to_owned(),
                form.contact_email.trim().to_owned(),
            )
        }),
    })
}

/// The instant of a wall-clock time in `zone`. A time the clocks skip or
/// repeat when they change is read as clocks on the wall would show it
/// (the later of two, the moment after a gap).
pub fn instant(local: &str, zone: &TimeZone) -> Option<Millis> {
    let (year, month, day, hour, minute) = parse_local_time(local)?;
    let civil = DateTime::new(year, month, day, hour, minute, 0, 0).ok()?;
    let zoned = civil.to_zoned_datetime(zone.clone()).ok()?;
    Some(zoned.timestamp().as_millisecond())
}

/// How an instant reads on the wall at the event: `2026-12-18T18:00`, and
/// the zone's offset then, `+01:00`.
pub fn wall_clock(at: Millis, time_zone: &str) -> (String, String) {
    let zone = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    let Ok(timestamp) = jiff::Timestamp::from_millisecond(at) else {
        return (String::new(), String::new());
    };
    let zoned = timestamp.to_zoned_datetime(zone);
    let offset = zoned.offset().seconds();
    let sign = if offset < 0 { '-' } else { '+' };
    let minutes = offset.unsigned_abs() / 60;
    (
        zoned.strftime("%Y-%m-%dT%H:%M").to_string(),
        format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60),
    )
}

/// The instants an event starting on `date` (`YYYY-MM-DD`) where it
/// happens can start at: from midnight in the zones furthest ahead of UTC
/// (+14:00) to the next midnight in those furthest behind (-12:00).
pub fn date_window(date: &str) -> Option<(Millis, Millis)> {
    let day: jiff::civil::Date = date.parse().ok()?;
    let at = |offset_hours: i8, date: jiff::civil::Date| {
        let offset = jiff::tz::Offset::constant(offset_hours);
        let zoned = date.to_datetime(jiff::civil::Time::midnight());
        Some(offset.to_timestamp(zoned).ok()?.as_millisecond())
    };
    Some((at(14, day)?, at(-12, day.tomorrow().ok()?)?))
}

/// A new public id: ten characters a reader can copy without confusing
/// letters and digits, too many to guess (about 2⁵⁰).
pub fn public_id() -> String {
    use crypto_box::aead::rand_core::RngCore;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut random = [0_u8; 10];
    crypto_box::aead::OsRng.fill_bytes(&mut random);
    random
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal() -> EventProposal {
        EventProposal {
            idempotency_key: "k".repeat(20),
            kind: "vigil".into(),
            lang: "fr".into(),
            title: "Bougies pour les disparus".into(),
            starts: "2026-12-18T18:00".into(),
            ends: "2026-12-18T19:30".into(),
            time_zone: "Europe/Paris".into(),
            city: "Lyon".into(),
            country: "FR".into(),
            host: "Lyon Solidarité".into(),
            contact_name: "Amina".into(),
            contact_email: "amina@example.org".into(),
            ..EventProposal::default()
        }
    }

    const DEC_1_2026: Millis = 1_796_083_200_000;

    #[test]
    fn a_dates_window_holds_its_first_and_last_minutes_in_every_zone() {
        let (from, before) = date_window("2026-12-18").expect("a date");
        let rfc = |at| crate::storage::rfc3339(at).unwrap_or_default();
        // Midnight at Kiritimati (+14:00), the next midnight on Baker Island (-12:00).
        assert_eq!(rfc(from), "2026-12-17T10:00:00Z");
        assert_eq!(rfc(before), "2026-12-19T12:00:00Z");
        assert_eq!(date_window("2026-02-30"), None);
        assert_eq!(date_window("18/12/2026"), None);
    }

    #[test]
    fn local_times_become_instants_by_the_events_zone() {
        let checked = check(&proposal(), None, Author::Proposal, DEC_1_2026).expect("valid");
        // 18:00 in Paris in December is 17:00 UTC.
        assert_eq!(
            crate::storage::rfc3339(checked.details.starts_at).as_deref(),
            Some("2026-12-18T17:00:00Z")
        );
        assert_eq!(
            checked.details.ends_at - checked.details.starts_at,
            90 * 60 * 1000
        );
        assert_eq!(
            wall_clock(checked.details.starts_at, "Europe/Paris"),
            ("2026-12-18T18:00".to_owned(), "+01:00".to_owned())
        );
        assert_eq!(
            wall_clock(checked.details.starts_at, "America/Argentina/Buenos_Aires").1,
            "-03:00"
        );
    }

    #[test]
    fn unknown_zones_impossible_dates_and_backwards_events_are_refused() {
        let fields = |spoil: fn(&mut EventProposal)| {
            let mut form = proposal();
            spoil(&mut form);
            check(&form, None, Author::Proposal, DEC_1_2026)
                .err()
                .map(|p| p.into_iter().map(|(f, _)| f).collect::<Vec<_>>())
        };
        assert_eq!(
            fields(|f| f.time_zone = "Europe/Atlantis".into()),
            Some(vec!["time_zone"])
        );
        assert_eq!(
            fields(|f| f.starts = "2027-02-30T10:00".into()),
            Some(vec!["starts"])
        );
        assert_eq!(
            fields(|f| f.ends = "2026-12-18T17:00".into()),
            Some(vec!["ends"])
        );
        assert_eq!(
            fields(|f| {
                f.starts = "2026-11-18T10:00".into();
                f.ends = "2026-11-18T11:00".into();
            }),
            Some(vec!["starts"])
        );
    }

    #[test]
    fn an_organiser_may_leave_out_the_contact_a_proposal_must_give() {
        let mut form = proposal();
        form.contact_name.clear();
        form.contact_email.clear();
        let checked = check(&form, None, Author::Organiser, DEC_1_2026).expect("valid");
        assert!(checked.contact.is_none());
        assert!(check(&form, None, Author::Proposal, DEC_1_2026).is_err());
    }

    #[test]
    fn an_event_of_a_day_starts_on_that_day() {
        let day = ActionDayRecord {
            id: 1,
            slug: crate::ident::Slug::parse("migrants-day").expect("slug"),
            organisation_id: 1,
            day: "2026-12-19".into(),
            default_lang: Lang::parse("en").expect("lang"),
            names: Vec::new(),
        };
        let problems =
            check(&proposal(), Some(&day), Author::Proposal, DEC_1_2026).expect_err("a day early");
        assert_eq!(problems, [("starts", Problem::Invalid)]);
    }

    #[test]
    fn public_ids_are_unpredictable_and_unambiguous() {
        let (a, b) = (public_id(), public_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 10);
        assert!(a.chars().all(|c| !"01lio".contains(c)));
    }
}
