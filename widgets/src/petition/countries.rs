//! The country select's options, named and sorted in the supporter's language
//! by the browser's `Intl`, so the bundle carries codes only.

use chorus_wire::country_codes;
use js_sys::{Array, Function, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

/// Joins a name to its code inside one sortable string; sorts before any
/// letter, so names still sort as the language sorts them.
const SEPARATOR: char = '\u{1}';

/// (code, localised name), sorted as the language sorts.
pub fn options(tag: &str) -> Vec<(String, String)> {
    let locales = Array::of1(&JsValue::from_str(tag));
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).unwrap_or(JsValue::UNDEFINED);
    let names = Reflect::has(&intl, &"DisplayNames".into())
        .unwrap_or(false)
        .then(|| {
            let options = Object::new();
            let _ = Reflect::set(&options, &"type".into(), &"region".into());
            Intl::DisplayNames::new(&locales, &options)
        });
    let entries = Array::new();
    for code in country_codes() {
        let name = names
            .as_ref()
            .and_then(|n| n.of(code))
            .map(String::from)
            .unwrap_or_else(|| code.to_owned());
        entries.push(&JsValue::from_str(&format!("{name}{SEPARATOR}{code}")));
    }
    // The browser sorts, with its collator: no sort routine in the bundle.
    let compare = Intl::Collator::new(&locales, &Object::new()).compare();
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
