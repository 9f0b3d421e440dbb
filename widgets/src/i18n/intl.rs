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
#[cfg(feature = "petition")]
const SEPARATOR: char = '\u{1}';

/// (code, name) for each of `codes`, named and sorted in the language.
#[cfg(feature = "petition")]
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
