//! Sending a signature so that none is lost and none counts twice.
//!
//! The form is saved on the device (sealed: `pending.rs`) before the first
//! attempt and removed only when Chorus has answered for good, so a closed
//! tab or a reload resends it.
//! Every attempt carries the same idempotency key, so a retry never adds a
//! second signature.

#[cfg(feature = "pledge")]
use chorus_wire::endorsements::EndorsementForm;
use chorus_wire::signing::{PETITION_CLOSED, Problem, SIGNING_PAUSED, SignatureForm};
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use chorus_wire::proof::{INVALID_PROOF, Solution};

use crate::client::{field_text, request};

/// Chorus's final answer to a signature.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Received,
    /// Fields to correct, by their JSON names; nothing was stored.
    Problems(Vec<(String, Problem)>),
    /// Chorus will not take signatures from here (wrong origin, no petition).
    Refused,
    /// The proof of work expired or was refused: send again with a new one.
    NewProofNeeded,
    /// The organiser paused signing: keep the signature and send it later.
    Paused,
    /// The petition has closed for good.
    Closed,
}

/// Posts the form once to `route` (`signatures`, `endorsements`), with
/// `proof`. `Err`: no final answer (offline, Chorus busy); try again later
/// with the same JSON and proof.
pub async fn send(slug: &str, route: &str, json: &str, proof: &Solution) -> Result<Outcome, ()> {
    let json = crate::proof::attach(json, proof).ok_or(())?;
    let answer = request(&format!("/petitions/{slug}/{route}"), Some(&json))
        .await
        .map_err(|_| ())?;
    let code = Reflect::get(&answer.json, &"error".into())
        .ok()
        .and_then(|error| field_text(&error, "code"));
    match answer.status {
        200 => Ok(Outcome::Received),
        422 => Ok(Outcome::Problems(problems(&answer.json))),
        400 if code.as_deref() == Some(INVALID_PROOF) => Ok(Outcome::NewProofNeeded),
        409 if code.as_deref() == Some(SIGNING_PAUSED) => Ok(Outcome::Paused),
        409 if code.as_deref() == Some(PETITION_CLOSED) => Ok(Outcome::Closed),
        429 | 500.. => Err(()),
        _ => Ok(Outcome::Refused),
    }
}

/// The per-field problems of an `invalid_fields` answer.
fn problems(json: &JsValue) -> Vec<(String, Problem)> {
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
            let field = entry.get(0).as_string()?;
            Some((field, Problem::parse(&entry.get(1).as_string()?)))
        })
        .collect()
}

/// The form as the JSON Chorus reads, built by the browser's own `JSON`.
pub fn to_json(form: &SignatureForm) -> String {
    json_of(
        &[
            ("idempotency_key", &form.idempotency_key),
            ("first_name", &form.first_name),
            ("last_name", &form.last_name),
            ("email", &form.email),
            ("country", &form.country),
            ("comment", &form.comment),
            ("city", &form.city),
            ("lang", &form.lang),
            ("consent_version", &form.consent_version),
            ("website", &form.website),
        ],
        &[
            ("privacy_consent", form.privacy_consent),
            ("opt_in_organiser", form.opt_in_organiser),
            ("opt_in_partner", form.opt_in_partner),
            ("listed", form.listed),
        ],
        form.partner.as_deref(),
    )
}

/// An organisation's form as the JSON Chorus reads.
#[cfg(feature = "pledge")]
pub fn endorsement_json(form: &EndorsementForm) -> String {
    json_of(
        &[
            ("idempotency_key", &form.idempotency_key),
            ("organisation", &form.organisation),
            ("organisation_url", &form.organisation_url),
            ("country", &form.country),
            ("kind", &form.kind),
            ("statement", &form.statement),
            ("logo_url", &form.logo_url),
            ("logo_upload", &form.logo_upload),
            ("signer_name", &form.signer_name),
            ("signer_role", &form.signer_role),
            ("email", &form.email),
            ("lang", &form.lang),
            ("consent_version", &form.consent_version),
            ("website", &form.website),
        ],
        &[
            ("unnamed", form.unnamed),
            ("privacy_consent", form.privacy_consent),
            ("opt_in_organiser", form.opt_in_organiser),
            ("opt_in_partner", form.opt_in_partner),
        ],
        form.partner.as_deref(),
    )
}

/// A JSON object of `texts` and `flags`, with the partner when there is one.
fn json_of(texts: &[(&str, &String)], flags: &[(&str, bool)], partner: Option<&str>) -> String {
    let object = Object::new();
    let set = |name: &str, value: JsValue| {
        let _ = Reflect::set(&object, &JsValue::from_str(name), &value);
    };
    for (name, value) in texts {
        set(name, JsValue::from_str(value));
    }
    for (name, value) in flags {
        set(name, (*value).into());
    }
    if let Some(partner) = partner {
        set("partner", JsValue::from_str(partner));
    }
    js_sys::JSON::stringify(&object)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}
