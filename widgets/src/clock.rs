//! A page-wide clock that ticks twice a minute, for "5 minutes ago" texts,
//! and the times the widgets read. On the server, the clock is read once per
//! render and never ticks.

use leptos::prelude::*;

/// Milliseconds since the epoch, now.
pub fn millis() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    return std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |since| since.as_millis() as f64);
}

/// An RFC 3339 time from Chorus, in milliseconds since the epoch.
pub fn parse(text: &str) -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    return Some(js_sys::Date::parse(text)).filter(|millis| !millis.is_nan());
    #[cfg(not(target_arch = "wasm32"))]
    return time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|at| (at.unix_timestamp_nanos() / 1_000_000) as f64);
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    static NOW: RwSignal<f64> = {
        // First read inside some widget's effect: without a root owner of its
        // own, the signal would die when that effect re-runs.
        let owner = Owner::new_root(None);
        let now = owner.with(|| RwSignal::new(millis()));
        std::mem::forget(owner);
        // One timer for the whole page, however many widgets read it.
        let _ = set_interval_with_handle(
            move || now.set(millis()),
            std::time::Duration::from_secs(30),
        );
        now
    };
}

/// Milliseconds since the epoch, updated every 30 seconds.
#[cfg(target_arch = "wasm32")]
pub fn now() -> RwSignal<f64> {
    NOW.with(|now| *now)
}

/// The time of this render: a signal in the render's own owner.
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> RwSignal<f64> {
    RwSignal::new(millis())
}
