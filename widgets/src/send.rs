//! Sending an RSVP, a proposed event or a sign-up so that none is lost
//! and none counts twice: each carries a proof of work and one idempotency
//! key for all its attempts, and is sent again, waiting longer each time,
//! while Chorus cannot be reached.

use std::time::Duration;

use chorus_wire::proof::INVALID_PROOF;
use chorus_wire::signing::Problem;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::client::{field_text, request};
use crate::host::sleep;
use crate::proof;

/// The longest pause between two attempts.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// Chorus's final answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Taken: the answer's JSON.
    Taken(JsValue),
    /// Fields to correct, by name; nothing was stored.
    Problems(Vec<(String, Problem)>),
    /// Refused for the state of what it was sent to: its error code
    /// (`event_full`, `event_closed`).
    Conflict(String),
    /// Chorus will not take it from here.
    Refused,
}

/// Posts `json` to `path` with a proof from `challenge`, until Chorus
/// answers for good. `waiting` is told when an attempt found no answer.
pub async fn send(path: &str, challenge: &str, json: &str, waiting: impl Fn()) -> Outcome {
    let mut pause = Duration::from_secs(1);
    let mut solution = None;
    loop {
        if solution.is_none() {
            solution = proof::take(challenge).await.ok();
        }
        let answer = match &solution {
            Some(solution) => match proof::attach(json, solution) {
                Some(json) => request(path, Some(&json)).await.ok(),
                None => return Outcome::Refused,
            },
            None => None,
        };
        let code = answer.as_ref().and_then(|answer| {
            Reflect::get(&answer.json, &"error".into())
                .ok()
                .and_then(|error| field_text(&error, "code"))
        });
        match answer.map(|a| (a.status, a.json)) {
            Some((200..=299, json)) => return Outcome::Taken(json),
            Some((422, json)) => return Outcome::Problems(problems(&json)),
            Some((409, _)) => return Outcome::Conflict(code.unwrap_or_default()),
            Some((400, _)) if code.as_deref() == Some(INVALID_PROOF) => solution = None,
            // Busy, over a limit, or unreachable: the same again, later.
            Some((429 | 500.., _)) | None => {
                waiting();
                sleep(pause).await;
                pause = (pause * 2).min(MAX_RETRY);
            }
            Some(_) => return Outcome::Refused,
        }
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
            Some((
                entry.get(0).as_string()?,
                Problem::parse(&entry.get(1).as_string()?),
            ))
        })
        .collect()
}

/// A form as JSON, built by the browser's own `JSON`: text fields, then
/// the others as they are.
pub fn to_json(texts: &[(&str, String)], others: &[(&str, JsValue)]) -> String {
    let object = Object::new();
    for (name, value) in texts {
        let _ = Reflect::set(&object, &(*name).into(), &JsValue::from_str(value));
    }
    for (name, value) in others {
        let _ = Reflect::set(&object, &(*name).into(), value);
    }
    js_sys::JSON::stringify(&object)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}
