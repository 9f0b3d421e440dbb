//! Formatting in the browser, by its `Intl`: it knows every locale and
//! costs the bundle nothing. `icu4x.rs` is the server's twin; each function
//! here has one there with the same name and meaning.

use js_sys::{Array, Function, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use super::Unit;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `Intl.getCanonicalLocales`, which throws a `RangeError` on a malformed
    /// tag: caught here, where js-sys's binding would let it unwind through
    /// the WebAssembly.
    #[wasm_bindgen(catch, js_namespace = Intl, js_name = getCanonicalLocales)]
    fn canonical_locales(tag: &str) -> Result<Array, JsValue>;
}

/// `tag` as `Intl` writes it (`fr-ca` → `fr-CA`), or `None` when `Intl`
/// would refuse it (`en-`, `x`, `@@`): every `Intl` constructor would throw.
pub fn canonical(tag: &str) -> Option<String> {
    canonical_locales(tag).ok()?.get(0).as_string()
}

fn locales(tag: &str) -> Array {
    Array::of1(&JsValue::from_str(tag))
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    options
}

fn call_format(format: Function, value: &JsValue) -> Option<String> {
    format.call1(&JsValue::NULL, value).ok()?.as_string()
}

pub fn number(tag: &str, n: u64) -> String {
    let format = Intl::NumberFormat::new(&locales(tag), &Object::new()).format();
    call_format(format, &JsValue::from_f64(n as f64)).unwrap_or_else(|| n.to_string())
}

pub fn is_one(tag: &str, n: u64) -> bool {
    Intl::PluralRules::new(&locales(tag), &Object::new()).select(n as f64) == "one"
}

pub fn relative(tag: &str, value: i64, unit: Unit) -> String {
    let unit = match unit {
        Unit::Minute => "minute",
        Unit::Hour => "hour",
        Unit::Day => "day",
    };
    Intl::RelativeTimeFormat::new(&locales(tag), &options(&[("numeric", "auto")]))
        .format(value as f64, unit)
        .into()
}

/// Days are shown as they were in UTC, as the server shows them.
#[cfg(feature = "updates")]
pub fn date(tag: &str, millis: f64) -> String {
    let options = options(&[("dateStyle", "medium"), ("timeZone", "UTC")]);
    let format = Intl::DateTimeFormat::new(&locales(tag), &options).format();
    call_format(format, &js_sys::Date::new(&millis.into())).unwrap_or_default()
}

#[cfg(feature = "donate")]
pub fn money(tag: &str, amount: u64, currency: &str, minor_units: u8) -> String {
    let options = options(&[
        ("style", "currency"),
        ("currency", currency),
        ("trailingZeroDisplay", "stripIfInteger"),
    ]);
    let major = amount as f64 / 10_f64.powi(i32::from(minor_units));
    let format = Intl::NumberFormat::new(&locales(tag), &options).format();
    call_format(format, &JsValue::from_f64(major)).unwrap_or_else(|| format!("{amount} {currency}"))
}

/// Joins a name to its code inside one sortable string; sorts before any
/// letter, so names still sort as the language sorts them.
#[cfg(any(
    feature = "petition",
    feature = "events",
    feature = "signers",
    feature = "signup"
))]
const SEPARATOR: char = '\u{1}';

/// (code, name) for each of `codes`, named and sorted in the language.
#[cfg(any(
    feature = "petition",
    feature = "events",
    feature = "signers",
    feature = "signup"
))]
pub fn regions(tag: &str, codes: &[&str]) -> Vec<(String, String)> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).unwrap_or(JsValue::UNDEFINED);
    let names = Reflect::has(&intl, &"DisplayNames".into())
        .unwrap_or(false)
        .then(|| Intl::DisplayNames::new(&locales(tag), &options(&[("type", "region")])));
    let entries = Array::new();
    for code in codes {
        let name = names
            .as_ref()
            .and_then(|n| n.of(code))
            .map(String::from)
            .unwrap_or_else(|| (*code).to_owned());
        entries.push(&JsValue::from_str(&format!("{name}{SEPARATOR}{code}")));
    }
    // The browser sorts, with its collator: no sort routine in the bundle.
    let compare = Intl::Collator::new(&locales(tag), &Object::new()).compare();
    if let Ok(sort) = Reflect::get(&entries, &"sort".into()) {
        let _ = Function::from(sort).call1(&entries, &compare);
    }
    entries
        .iter()
        .filter_map(|entry| {
            let entry = entry.as_string()?;
            let (name, code) = entry.split_once(SEPARATOR)?;
            Some((code.to_owned(), name.to_owned()))
        })
        .collect()
}

/// A language's name, or its code where the browser has no names.
#[cfg(feature = "feeds")]
pub fn language_name(tag: &str, code: &str) -> String {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).unwrap_or(JsValue::UNDEFINED);
    if !Reflect::has(&intl, &"DisplayNames".into()).unwrap_or(false) {
        return code.to_owned();
    }
    Intl::DisplayNames::new(&locales(tag), &options(&[("type", "language")]))
        .of(code)
        .map(String::from)
        .unwrap_or_else(|| code.to_owned())
}

/// An instant on the reader's own clock: "Friday, December 18 at 6:00 PM",
/// or the time alone.
#[cfg(feature = "storm")]
pub fn moment(tag: &str, millis: f64, with_day: bool) -> String {
    let mut pairs = vec![("hour", "numeric"), ("minute", "2-digit")];
    if with_day {
        pairs.extend([("weekday", "long"), ("month", "long"), ("day", "numeric")]);
    }
    let format = Intl::DateTimeFormat::new(&locales(tag), &options(&pairs)).format();
    call_format(format, &js_sys::Date::new(&millis.into())).unwrap_or_default()
}

/// A wall-clock time formatted as if it were UTC, so no zone data is
/// needed and it reads as on the wall at the event.
#[cfg(feature = "events")]
fn wall(
    tag: &str,
    (year, month, day, hour, minute): (i16, i8, i8, i8, i8),
    pairs: &[(&str, &str)],
) -> String {
    const MINUTE: f64 = 60_000.0;
    let month_start = js_sys::Date::utc(f64::from(year), f64::from(month) - 1.0);
    let millis = month_start
        + (f64::from(day) - 1.0) * 1_440.0 * MINUTE
        + (f64::from(hour) * 60.0 + f64::from(minute)) * MINUTE;
    let mut pairs = pairs.to_vec();
    pairs.push(("timeZone", "UTC"));
    let format = Intl::DateTimeFormat::new(&locales(tag), &options(&pairs)).format();
    call_format(format, &js_sys::Date::new(&millis.into())).unwrap_or_default()
}

#[cfg(feature = "events")]
pub fn wall_day(tag: &str, year: i16, month: i8, day: i8) -> String {
    let pairs = [("weekday", "long"), ("month", "long"), ("day", "numeric")];
    wall(tag, (year, month, day, 0, 0), &pairs)
}

#[cfg(feature = "events")]
pub fn wall_time(tag: &str, hour: i8, minute: i8) -> String {
    wall(tag, (2000, 1, 1, hour, minute), &[("timeStyle", "short")])
}

/// The reader's zone's offset from UTC at `millis`, in minutes, as
/// `utc_offset` writes it (`+01:00` is 60).
#[cfg(feature = "events")]
fn offset_minutes(utc_offset: &str) -> Option<f64> {
    let (sign, rest) = match utc_offset.as_bytes().first()? {
        b'+' => (1.0, &utc_offset[1..]),
        b'-' => (-1.0, &utc_offset[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':')?;
    Some(sign * (hours.parse::<f64>().ok()? * 60.0 + minutes.parse::<f64>().ok()?))
}

#[cfg(feature = "events")]
pub fn reader_time(tag: &str, start_date: &str, utc_offset: &str, local: &str) -> Option<String> {
    let at = js_sys::Date::new(&start_date.into());
    let millis = at.get_time();
    if millis.is_nan() {
        return None;
    }
    // getTimezoneOffset is UTC minus local time, in minutes.
    let reader = -at.get_timezone_offset();
    if offset_minutes(utc_offset) == Some(reader) {
        return None;
    }
    let reader_day = format!(
        "{:04}-{:02}-{:02}",
        at.get_full_year(),
        at.get_month() + 1,
        at.get_date()
    );
    // timeStyle cannot be mixed with a zone name or weekday: these are
    // the fields it stands for.
    let mut pairs = vec![
        ("hour", "numeric"),
        ("minute", "2-digit"),
        ("timeZoneName", "short"),
    ];
    if !local.starts_with(&reader_day) {
        pairs.push(("weekday", "short"));
    }
    let format = Intl::DateTimeFormat::new(&locales(tag), &options(&pairs)).format();
    call_format(format, &at)
}
