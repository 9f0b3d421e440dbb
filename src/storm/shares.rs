//! Clicks on a storm's share buttons, counted per platform and nothing
//! more: no address, hash or identifier reaches storage.
//!
//! So that one script cannot run the count up, each network (the guard's
//! keyed hash of it, as the signing limits use) counts once per storm and
//! platform in a clock hour. Those hashes live in memory only, for the
//! hour, and each instance keeps its own.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chorus_wire::storm::Platform;

use crate::storage::Millis;

const HOUR: Millis = 3_600_000;
/// Beyond this many clicks in an hour, memory is spent rather than grown:
/// the hour starts over.
const MAX_REMEMBERED: usize = 500_000;

/// Which networks clicked which button this hour.
#[derive(Debug, Clone, Default)]
pub struct ShareClicks {
    this_hour: Arc<Mutex<Hour>>,
}

#[derive(Debug, Default)]
struct Hour {
    hour: Millis,
    clicks: HashSet<([u8; 32], i64, Platform)>,
}

impl ShareClicks {
    /// Whether this click counts: the network's first on this storm's
    /// `platform` button this hour.
    pub fn first(&self, network: [u8; 32], storm_id: i64, platform: Platform, now: Millis) -> bool {
        let mut hour = self
            .this_hour
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let this_hour = now.div_euclid(HOUR);
        if hour.hour != this_hour || hour.clicks.len() >= MAX_REMEMBERED {
            hour.hour = this_hour;
            hour.clicks.clear();
        }
        hour.clicks.insert((network, storm_id, platform))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_counts_once_per_button_and_hour() {
        let clicks = ShareClicks::default();
        let (one, two) = ([1; 32], [2; 32]);
        let at = 10 * HOUR;
        assert!(clicks.first(one, 7, Platform::X, at));
        assert!(!clicks.first(one, 7, Platform::X, at + 1));
        assert!(clicks.first(one, 7, Platform::Bluesky, at));
        assert!(clicks.first(one, 8, Platform::X, at));
        assert!(clicks.first(two, 7, Platform::X, at));
        assert!(clicks.first(one, 7, Platform::X, at + HOUR));
    }
}
