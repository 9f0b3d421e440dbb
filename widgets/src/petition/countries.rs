//! The country select's options, named and sorted in the supporter's language
//! by the browser's `Intl`, so the bundle carries codes only.

use chorus_wire::country_codes;
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

/// (code, localised name), sorted as the language sorts.
pub fn options(tag: &str) -> Vec<(&'static str, String)> {
    let locales = Array::of1(&JsValue::from_str(tag));
    let intl = js_sys::global();
    let has = |name: &str| {
        Reflect::get(&intl, &"Intl".into())
            .and_then(|i| Reflect::has(&i, &JsValue::from_str(name)))
            .unwrap_or(false)
    };
    let names = has("DisplayNames").then(|| {
        let options = Object::new();
        let _ = Reflect::set(&options, &"type".into(), &"region".into());
        Intl::DisplayNames::new(&locales, &options)
    });
    let mut list: Vec<(&'static str, String)> = country_codes()
        .map(|code| {
            let name = names
                .as_ref()
                .and_then(|n| n.of(code))
                .map(String::from)
                .unwrap_or_else(|| code.to_owned());
            (code, name)
        })
        .collect();
    let compare = Intl::Collator::new(&locales, &Object::new()).compare();
    list.sort_by(|(_, a), (_, b)| {
        compare
            .call2(&JsValue::NULL, &a.into(), &b.into())
            .ok()
            .and_then(|order| order.as_f64())
            .map_or(std::cmp::Ordering::Equal, |order| order.total_cmp(&0.0))
    });
    list
}
