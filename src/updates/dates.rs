//! The dates real feeds carry, read as a mature feed reader (Python's
//! `feedparser`) reads them: W3C and ISO 8601 dates, whole or in part; RFC
//! 822 with or without its weekday, seconds or time, with two-digit years
//! and named zones; C's `asctime`. A date none of these reads is no date:
//! the item then keeps the time it was first seen (`mirror.rs`).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// Zones by name, in hours east of UTC (the names feed readers accept;
/// any other name counts as UTC, as there).
const ZONES: [(&str, i64); 25] = [
    ("ut", 0),
    ("gmt", 0),
    ("utc", 0),
    ("z", 0),
    ("adt", -3),
    ("ast", -4),
    ("at", -4),
    ("edt", -4),
    ("est", -5),
    ("et", -5),
    ("cdt", -5),
    ("cst", -6),
    ("ct", -6),
    ("mdt", -6),
    ("mst", -7),
    ("mt", -7),
    ("pdt", -7),
    ("pst", -8),
    ("pt", -8),
    ("a", -1),
    ("n", 1),
    ("m", -12),
    ("y", 12),
    ("met", 1),
    ("mest", 2),
];

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A feed's date, or `None` when no known form reads it.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return None;
    }
    w3c(&text)
        .or_else(|| rfc822(&text))
        .or_else(|| asctime(&text))
}

/// `2018-12-18T10:00:00+01:00`, `2018-12-18 10:00`, `2018-12`, `2018`,
/// `20181218T100000Z`. No zone means UTC.
fn w3c(text: &str) -> Option<DateTime<Utc>> {
    let (date, time) = match text.split_once(['t', ' ']) {
        Some((date, time)) => (date, time.trim()),
        None => (text, ""),
    };
    let (year, month, day) = if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
        (&date[..4], &date[4..6], &date[6..])
    } else {
        let mut parts = date.splitn(3, '-');
        let year = parts.next()?;
        (
            year,
            parts.next().unwrap_or("1"),
            parts.next().unwrap_or("1"),
        )
    };
    if year.len() != 4 {
        return None;
    }
    let (clock, zone) = split_zone(time);
    let (hour, minute, second) = if clock.contains(':') || clock.len() < 4 {
        clock_of(clock)?
    } else {
        // The basic form: `hhmm` or `hhmmss`.
        let digits = |range: std::ops::Range<usize>| clock.get(range)?.parse().ok();
        (digits(0..2)?, digits(2..4)?, digits(4..6).unwrap_or(0))
    };
    at(
        number(year)?,
        number(month)?,
        number(day)?,
        (hour, minute, second),
        offset(zone)?,
    )
}

/// `Tue, 18 Dec 2018 10:00:00 GMT`, `18 Dec 2018`, `Dec 18 2018 10:00`,
/// `18 Dec 18 10:00 EST`. Two-digit years before 90 are this century's.
fn rfc822(text: &str) -> Option<DateTime<Utc>> {
    let mut parts: Vec<&str> = text.split_whitespace().collect();
    if parts
        .first()
        .is_some_and(|first| WEEKDAYS.iter().any(|day| first.starts_with(day)))
    {
        parts.remove(0);
    }
    let [first, second, year, rest @ ..] = parts.as_slice() else {
        return None;
    };
    let (day, month) = match (number(first), month(second)) {
        (Some(day), Some(month)) => (day, month),
        // Month first, then day.
        _ => (number(second)?, month(first)?),
    };
    let mut year_number: i32 = year.parse().ok()?;
    if year.len() <= 2 {
        year_number += if year_number < 90 { 2000 } else { 1900 };
    }
    let clock = rest.first().map_or(Some((0, 0, 0)), |c| clock_of(c))?;
    let zone = rest.get(1).copied().unwrap_or("");
    let zone = zone.strip_prefix("etc/").unwrap_or(zone);
    let zone = match zone.strip_prefix("gmt") {
        Some(shift) if !shift.is_empty() => shift,
        _ => zone,
    };
    at(year_number, month, day, clock, offset(zone)?)
}

/// `Tue Dec 18 10:00:00 2018`, optionally with a zone before the year.
fn asctime(text: &str) -> Option<DateTime<Utc>> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let (weekday, month, day, clock, zone, year) = match parts.as_slice() {
        [w, m, d, c, y] => (w, m, d, c, "+0000", y),
        [w, m, d, c, z, y] => (w, m, d, c, *z, y),
        _ => return None,
    };
    rfc822(&format!("{weekday} {day} {month} {year} {clock} {zone}"))
}

fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.trim_end_matches(',').parse().ok()
}

fn month(text: &str) -> Option<u32> {
    let position = MONTHS.iter().position(|m| text.starts_with(m))?;
    u32::try_from(position + 1).ok()
}

/// `hh[:mm[:ss[.fraction]]]`; missing parts are zero.
fn clock_of(text: &str) -> Option<(u32, u32, u32)> {
    if text.is_empty() {
        return Some((0, 0, 0));
    }
    let mut parts = text.splitn(3, ':');
    let hour = parts.next()?.parse().ok()?;
    let minute = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    let second = match parts.next() {
        Some(s) => s
            .split_once('.')
            .map_or(s, |(whole, _)| whole)
            .parse()
            .ok()?,
        None => 0,
    };
    Some((hour, minute, second))
}

/// A time and its zone: `10:00:00+01:00` → (`10:00:00`, `+01:00`).
fn split_zone(time: &str) -> (&str, &str) {
    let time = time.trim();
    match time.find(['+', '-', 'z', ' ']) {
        Some(at) => (&time[..at], time[at..].trim()),
        None => (time, ""),
    }
}

/// `+01:00`, `-0500`, `+01`, `est`, `z`, or nothing (UTC). `None`: a numeric
/// zone that does not read.
fn offset(zone: &str) -> Option<TimeDelta> {
    let zone = zone.trim();
    let Some(sign) = zone
        .strip_prefix('+')
        .map(|rest| (1, rest))
        .or_else(|| zone.strip_prefix('-').map(|rest| (-1, rest)))
    else {
        let hours = ZONES
            .iter()
            .find(|(name, _)| *name == zone)
            .map_or(0, |z| z.1);
        return Some(TimeDelta::hours(hours));
    };
    let (sign, digits) = sign;
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !(2..=4).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Some(0), |m| m.parse().ok())?;
    Some(TimeDelta::minutes(sign * (hours * 60 + minutes)))
}

fn at(
    year: i32,
    month: u32,
    day: u32,
    (hour, minute, second): (u32, u32, u32),
    offset: TimeDelta,
) -> Option<DateTime<Utc>> {
    let local = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)?;
    Some(local.checked_sub_signed(offset)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<String> {
        parse(text).map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    }

    #[test]
    fn the_forms_real_feeds_use_read_as_a_feed_reader_reads_them() {
        for (text, expected) in [
            ("Tue, 18 Dec 2018 10:00:00 +0100", "2018-12-18T09:00:00Z"),
            ("18 Dec 2018", "2018-12-18T00:00:00Z"),
            ("18 Dec 2018 10:00 EST", "2018-12-18T15:00:00Z"),
            ("Tuesday, 18 Dec 18 10:00:00 PST", "2018-12-18T18:00:00Z"),
            ("18 Dec 95 10:00:00 GMT", "1995-12-18T10:00:00Z"),
            ("Dec 18 2018 10:00:00 GMT", "2018-12-18T10:00:00Z"),
            (
                "Tue, 18 Dec 2018 10:00:00 GMT-05:00",
                "2018-12-18T15:00:00Z",
            ),
            ("Tue, 18 Dec 2018 10:00:00 Etc/GMT", "2018-12-18T10:00:00Z"),
            ("2018-12-18T10:00:00Z", "2018-12-18T10:00:00Z"),
            ("2018-12-18T10:00:00.123+01:00", "2018-12-18T09:00:00Z"),
            ("2018-12-18T10:00+0130", "2018-12-18T08:30:00Z"),
            ("2018-12-18 10:00:00", "2018-12-18T10:00:00Z"),
            ("2018-12-18", "2018-12-18T00:00:00Z"),
            ("2018-12", "2018-12-01T00:00:00Z"),
            ("20181218T100000Z", "2018-12-18T10:00:00Z"),
            ("Tue Dec 18 10:00:00 2018", "2018-12-18T10:00:00Z"),
        ] {
            assert_eq!(read(text).as_deref(), Some(expected), "{text:?}");
        }
    }

    #[test]
    fn what_is_not_a_date_is_none() {
        for text in [
            "",
            "soon",
            "32 Dec 2018",
            "18 Foo 2018",
            "2018-13-01",
            "Tue, 18 Dec 2018 25:00:00 GMT",
            "2018-12-18T10:00:00+1x",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
    }
}
