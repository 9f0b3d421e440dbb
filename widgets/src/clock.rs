//! A page-wide clock that ticks twice a minute, for "5 minutes ago" texts.

use leptos::prelude::*;
use std::time::Duration;

thread_local! {
    static NOW: RwSignal<f64> = {
        // First read inside some widget's effect: without a root owner of its
        // own, the signal would die when that effect re-runs.
        let owner = Owner::new_root(None);
        let now = owner.with(|| RwSignal::new(js_sys::Date::now()));
        std::mem::forget(owner);
        // One timer for the whole page, however many widgets read it.
        let _ = set_interval_with_handle(
            move || now.set(js_sys::Date::now()),
            Duration::from_secs(30),
        );
        now
    };
}

/// Milliseconds since the epoch, updated every 30 seconds.
pub fn now() -> RwSignal<f64> {
    NOW.with(|now| *now)
}
