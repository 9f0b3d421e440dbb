//! The proof of work sent with each signature ([`chorus_wire::proof`]).
//!
//! Solving starts when the supporter first enters the form, so it is
//! usually done before they press the button. The search runs in slices
//! and yields to the page between them: typing never stutters. Each solve
//! is recorded as a `chorus:proof:{maxnumber}` performance measure, which
//! DevTools shows and `cargo bench --bench proof` reads.

use std::cell::RefCell;
use std::time::Duration;

use chorus_wire::proof::{Challenge, Solution, search};
use leptos::task::spawn_local;

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
    /// Per petition on the page (rarely more than one, so a list, which
    /// costs the bundle less than a map): a solution ready to send, or one
    /// being worked out.
    static SLOTS: RefCell<Vec<(String, Slot)>> = const { RefCell::new(Vec::new()) };
}

fn slot_state<T>(slug: &str, read: impl FnOnce(Option<&Slot>) -> T) -> T {
    SLOTS.with_borrow(|slots| read(slots.iter().find(|(s, _)| s == slug).map(|(_, slot)| slot)))
}

fn put(slug: &str, slot: Slot) {
    SLOTS.with_borrow_mut(|slots| {
        slots.retain(|(s, _)| s != slug);
        slots.push((slug.to_owned(), slot));
    });
}

fn remove(slug: &str) -> Option<Slot> {
    SLOTS.with_borrow_mut(|slots| {
        let at = slots.iter().position(|(s, _)| s == slug)?;
        Some(slots.swap_remove(at).1)
    })
}

/// Starts solving a challenge for `slug` in the background, unless a fresh
/// solution is ready or on its way.
pub fn prepare(slug: &str) {
    let busy = slot_state(slug, |slot| match slot {
        Some(Slot::Solving) => true,
        Some(Slot::Ready { at, .. }) => js_sys::Date::now() - at < FRESH_FOR_MS,
        Some(Slot::Failed) | None => false,
    });
    if busy {
        return;
    }
    put(slug, Slot::Solving);
    let slug = slug.to_owned();
    spawn_local(async move {
        let slot = match solve(&slug).await {
            Ok(solution) => Slot::Ready {
                solution,
                at: js_sys::Date::now(),
            },
            Err(()) => Slot::Failed,
        };
        put(&slug, slot);
    });
}

/// A solution for one submission to `slug`: the prepared one, or a new
/// one. `Err`: Chorus could not be reached for a challenge; the caller
/// waits before it asks again.
pub async fn take(slug: &str) -> Result<Solution, ()> {
    prepare(slug);
    loop {
        let taken = match remove(slug) {
            Some(Slot::Ready { solution, .. }) => Some(Ok(solution)),
            Some(Slot::Solving) => {
                put(slug, Slot::Solving);
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

async fn solve(slug: &str) -> Result<Solution, ()> {
    let answer = request(&format!("/petitions/{slug}/challenge"), None)
        .await
        .map_err(|_| ())?;
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
    let started = format!("chorus:proof:start:{slug}");
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
