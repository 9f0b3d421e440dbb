//! The proof of work sent with each signature, RSVP and proposed event
//! ([`chorus_wire::proof`]).
//!
//! Solving starts when the supporter first enters a form, so it is
//! usually done before they press the button. The search runs in slices
//! and yields to the page between them: typing never stutters. Each solve
//! is recorded as a `chorus:proof:{maxnumber}` performance measure, which
//! DevTools shows and `cargo bench --bench proof` reads.

use std::cell::RefCell;
use std::time::Duration;

use chorus_wire::proof::{Challenge, Solution, search};
use js_sys::{Object, Reflect};
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::client::{field_text, request, whole};
use crate::host::sleep;

/// How long the search runs before it lets the page respond.
const SLICE_MS: f64 = 25.0;
/// Numbers tried between two looks at the clock.
const BATCH: u64 = 1_000;
/// A challenge lasts ten minutes on the server; an older solution is
/// dropped rather than sent to be refused.
const FRESH_FOR_MS: f64 = 8.0 * 60_000.0;

enum Slot {
    Solving,
    Ready {
        solution: Solution,
        at: f64,
    },
    /// Chorus could not be reached for a challenge.
    Failed,
}

thread_local! {
    /// Per challenge address (a petition's, an event's: rarely more than a
    /// few on a page, so a list, which costs the bundle less than a map): a
    /// solution ready to send, or one being worked out.
    static SLOTS: RefCell<Vec<(String, Slot)>> = const { RefCell::new(Vec::new()) };
}

fn slot_state<T>(path: &str, read: impl FnOnce(Option<&Slot>) -> T) -> T {
    SLOTS.with_borrow(|slots| read(slots.iter().find(|(s, _)| s == path).map(|(_, slot)| slot)))
}

fn put(path: &str, slot: Slot) {
    SLOTS.with_borrow_mut(|slots| {
        slots.retain(|(s, _)| s != path);
        slots.push((path.to_owned(), slot));
    });
}

fn remove(path: &str) -> Option<Slot> {
    SLOTS.with_borrow_mut(|slots| {
        let at = slots.iter().position(|(s, _)| s == path)?;
        Some(slots.swap_remove(at).1)
    })
}

/// Starts solving a challenge from `path` (in the Chorus API) in the
/// background, unless a fresh solution is ready or on its way.
pub fn prepare(path: &str) {
    let busy = slot_state(path, |slot| match slot {
        Some(Slot::Solving) => true,
        Some(Slot::Ready { at, .. }) => js_sys::Date::now() - at < FRESH_FOR_MS,
        Some(Slot::Failed) | None => false,
    });
    if busy {
        return;
    }
    put(path, Slot::Solving);
    let path = path.to_owned();
    spawn_local(async move {
        let slot = match solve(&path).await {
            Ok(solution) => Slot::Ready {
                solution,
                at: js_sys::Date::now(),
            },
            Err(()) => Slot::Failed,
        };
        put(&path, slot);
    });
}

/// A solution for one submission, from the challenge at `path`: the
/// prepared one, or a new one. `Err`: Chorus could not be reached for a
/// challenge; the caller waits before it asks again.
pub async fn take(path: &str) -> Result<Solution, ()> {
    prepare(path);
    loop {
        let taken = match remove(path) {
            Some(Slot::Ready { solution, .. }) => Some(Ok(solution)),
            Some(Slot::Solving) => {
                put(path, Slot::Solving);
                None
            }
            Some(Slot::Failed) | None => Some(Err(())),
        };
        match taken {
            Some(taken) => return taken,
            None => sleep(Duration::from_millis(20)).await,
        }
    }
}

async fn solve(path: &str) -> Result<Solution, ()> {
    let answer = request(path, None).await.map_err(|_| ())?;
    let json = answer.json;
    let text = |name| field_text(&json, name).ok_or(());
    let challenge = Challenge {
        algorithm: text("algorithm")?,
        challenge: text("challenge")?,
        maxnumber: crate::client::field(&json, "maxnumber")
            .and_then(whole)
            .ok_or(())?,
        salt: text("salt")?,
        signature: text("signature")?,
    };
    let performance = web_sys::window().and_then(|w| w.performance());
    let started = format!("chorus:proof:start:{path}");
    if let Some(performance) = &performance {
        let _ = performance.mark(&started);
    }
    let mut next = 0;
    let number = 'solving: loop {
        let slice_began = js_sys::Date::now();
        while js_sys::Date::now() - slice_began < SLICE_MS {
            let end = next + BATCH;
            if let Some(number) = search(&challenge, next..end) {
                break 'solving number;
            }
            if end > challenge.maxnumber {
                return Err(());
            }
            next = end;
        }
        sleep(Duration::ZERO).await;
    };
    if let Some(performance) = &performance {
        let name = format!("chorus:proof:{}", challenge.maxnumber);
        let _ = performance.measure_with_start_mark(&name, &started);
    }
    Ok(Solution::new(&challenge, number))
}

/// A form's JSON with `proof` added as its `proof` field. The proof is
/// never saved with a form: it expires long before a form left on a device
/// may be resent.
pub fn attach(json: &str, proof: &Solution) -> Option<String> {
    let form = js_sys::JSON::parse(json).ok()?;
    let object = Object::new();
    for (name, value) in [
        ("algorithm", &proof.algorithm),
        ("challenge", &proof.challenge),
        ("salt", &proof.salt),
        ("signature", &proof.signature),
    ] {
        Reflect::set(&object, &name.into(), &JsValue::from_str(value)).ok()?;
    }
    // Safe as a JSON number: challenges stay far below 2^53.
    Reflect::set(&object, &"number".into(), &(proof.number as f64).into()).ok()?;
    Reflect::set(&form, &"proof".into(), &object).ok()?;
    js_sys::JSON::stringify(&form).ok()?.as_string()
}
