//! Sending a signature so that none is lost and none counts twice.
//!
//! The form is saved on the device before the first attempt and removed only
//! when Chorus has answered for good, so a closed tab or a reload resends it.
//! Every attempt carries the same idempotency key, so a retry never adds a
//! second signature.

use chorus_wire::signing::{Field, Problem, SignatureForm};
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::client::request;

/// Chorus's final answer to a signature.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Received,
    /// Fields to correct; nothing was stored.
    Problems(Vec<(Field, Problem)>),
    /// Chorus will not take signatures from here (wrong origin, no petition).
    Refused,
}

/// Posts the form once. `Err`: no final answer (offline, Chorus busy); try
/// again later with the same JSON.
pub async fn send(slug: &str, json: &str) -> Result<Outcome, ()> {
    let answer = request(&format!("/petitions/{slug}/signatures"), Some(json))
        .await
        .map_err(|_| ())?;
    match answer.status {
        200 => Ok(Outcome::Received),
        422 => Ok(Outcome::Problems(problems(&answer.json))),
        429 | 500.. => Err(()),
        _ => Ok(Outcome::Refused),
    }
}

/// The per-field problems of an `invalid_fields` answer.
fn problems(json: &JsValue) -> Vec<(Field, Problem)> {
    let fields = Reflect::get(json, &"error".into())
        .and_then(|error| Reflect::get(&error, &"fields".into()))
        .unwrap_or(JsValue::NULL);
    if !fields.is_object() {
        return Vec::new();
    }
    Object::entries(fields.unchecked_ref())
        .iter()
        .filter_map(|entry| {
            let entry = js_sys::Array::from(&entry);
            let field = Field::parse(&entry.get(0).as_string()?)?;
            Some((field, Problem::parse(&entry.get(1).as_string()?)))
        })
        .collect()
}

/// The form as the JSON Chorus reads, built by the browser's own `JSON`.
pub fn to_json(form: &SignatureForm) -> String {
    let object = Object::new();
    let set = |name: &str, value: JsValue| {
        let _ = Reflect::set(&object, &JsValue::from_str(name), &value);
    };
    for (name, value) in [
        ("idempotency_key", &form.idempotency_key),
        ("first_name", &form.first_name),
        ("last_name", &form.last_name),
        ("email", &form.email),
        ("country", &form.country),
        ("comment", &form.comment),
        ("lang", &form.lang),
        ("consent_version", &form.consent_version),
    ] {
        set(name, JsValue::from_str(value));
    }
    set("privacy_consent", form.privacy_consent.into());
    set("opt_in_organiser", form.opt_in_organiser.into());
    set("opt_in_partner", form.opt_in_partner.into());
    if let Some(partner) = &form.partner {
        set("partner", JsValue::from_str(partner));
    }
    js_sys::JSON::stringify(&object)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// A new idempotency key for one submission.
pub fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k{:016x}", (js_sys::Math::random() * 1e18) as u64))
}

fn storage() -> Option<web_sys::Storage> {
    // Storage can be refused (privacy settings, sandboxed frames): then a
    // signature is only as safe as the open tab, which still retries.
    web_sys::window()?.local_storage().ok().flatten()
}

fn pending_key(slug: &str) -> String {
    format!("chorus:pending:{slug}")
}

/// Keeps a signature on this device until Chorus has answered for good.
pub fn save_pending(slug: &str, json: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&pending_key(slug), json);
    }
}

/// A signature a previous visit could not finish sending.
pub fn pending(slug: &str) -> Option<String> {
    storage()?.get_item(&pending_key(slug)).ok().flatten()
}

pub fn clear_pending(slug: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&pending_key(slug));
    }
}
