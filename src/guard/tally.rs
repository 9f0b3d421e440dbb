//! Each client's signatures within the last hour, counted in memory.
//!
//! The limits used to count a client's signers in the database on every
//! signature: a scan that grew with the crowd behind one address, on the
//! same connections the writer needed. Here a count is a hash-map lookup.
//!
//! The hour slides: counts are kept per clock hour, and a client's recent
//! signatures are this hour's plus the share of last hour's that the window
//! still covers (last hour's count times the part of it not yet passed).
//! Within one clock hour that is exact; across the turn of the hour it
//! assumes last hour's signatures were spread evenly. Memory holds only the
//! clients of the last two clock hours.
//!
//! Each instance counts what it was sent. Behind `deploy/nginx.conf`, which
//! sends each client network to one instance, every client is counted
//! whole; behind a proxy that spreads one client over n instances, it may
//! send up to n times the limit before its signatures are held.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::HOUR;
use super::limits::{Hold, Limits};
use crate::storage::Millis;

/// A client's recent signatures, for its rate limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recent {
    /// To the petition being signed.
    pub to_petition: u64,
    /// To any petition.
    pub in_all: u64,
}

/// A client: one day's keyed hash of its network.
pub type Client = [u8; 32];

/// The counts of one clock hour.
#[derive(Debug, Default)]
struct Hour {
    /// Signatures from each client, to any petition.
    clients: HashMap<Client, u32>,
    /// Signatures from each client to each petition.
    petitions: HashMap<(Client, i64), u32>,
}

impl Hour {
    fn add(&mut self, client: &Client, petition_id: i64, change: i32) {
        fn apply<K: std::hash::Hash + Eq>(map: &mut HashMap<K, u32>, key: K, change: i32) {
            let count = map.entry(key).or_default();
            *count = count.saturating_add_signed(change);
        }
        apply(&mut self.clients, *client, change);
        apply(&mut self.petitions, (*client, petition_id), change);
    }

    fn count(&self, client: &Client, petition_id: i64) -> (u32, u32) {
        (
            self.petitions
                .get(&(*client, petition_id))
                .copied()
                .unwrap_or(0),
            self.clients.get(client).copied().unwrap_or(0),
        )
    }
}

#[derive(Debug, Default)]
struct Hours {
    /// The clock hour `current` counts (hours since 1970).
    hour: i64,
    current: Hour,
    previous: Hour,
}

impl Hours {
    /// Moves to the clock hour of `now`, dropping counts older than the last.
    fn turn_to(&mut self, now: Millis) {
        let hour = now.div_euclid(HOUR);
        if hour <= self.hour {
            return;
        }
        self.previous = if hour == self.hour + 1 {
            std::mem::take(&mut self.current)
        } else {
            Hour::default()
        };
        self.current = Hour::default();
        self.hour = hour;
    }

    fn recent(&self, client: &Client, petition_id: i64, now: Millis) -> Recent {
        let (petition_now, all_now) = self.current.count(client, petition_id);
        let (petition_before, all_before) = self.previous.count(client, petition_id);
        // The part of last hour still inside the window ending now.
        let still_covered = 1.0 - now.rem_euclid(HOUR) as f64 / HOUR as f64;
        let slide =
            |now: u32, before: u32| u64::from(now) + (f64::from(before) * still_covered) as u64;
        Recent {
            to_petition: slide(petition_now, petition_before),
            in_all: slide(all_now, all_before),
        }
    }
}

/// Every client's recent signatures; cheap to clone, shared by the routes.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    hours: Arc<Mutex<Hours>>,
}

impl Tally {
    fn hours(&self, now: Millis) -> MutexGuard<'_, Hours> {
        let mut hours = self.hours.lock().unwrap_or_else(|e| e.into_inner());
        hours.turn_to(now);
        hours
    }

    /// The client's signatures within the hour before `now`.
    pub fn recent(&self, client: &Client, petition_id: i64, now: Millis) -> Recent {
        self.hours(now).recent(client, petition_id, now)
    }

    /// Counts one more signature from `client` to `petition_id` and says
    /// whether `limits` hold it. Checking and counting happen under one
    /// lock, so a burst from one client is held from exactly its limit on.
    /// The count is taken back when the [`Reservation`] is dropped without
    /// [`Reservation::keep`]: a retry, a repeat or a signature Chorus could
    /// not store is not a signature sent.
    pub fn reserve(
        &self,
        client: &Client,
        petition_id: i64,
        limits: &Limits,
        now: Millis,
    ) -> Reservation {
        let mut hours = self.hours(now);
        let recent = hours.recent(client, petition_id, now);
        let hold = Hold::for_rate(limits, recent.to_petition, recent.in_all);
        hours.current.add(client, petition_id, 1);
        Reservation {
            tally: Some(self.clone()),
            client: *client,
            petition_id,
            hour: hours.hour,
            hold,
        }
    }
}

/// One signature counted for its client, taken back unless kept.
#[derive(Debug)]
pub struct Reservation {
    tally: Option<Tally>,
    client: Client,
    petition_id: i64,
    hour: i64,
    /// Why the limits hold this signature, if they do.
    pub hold: Option<Hold>,
}

impl Reservation {
    /// The signature was stored: it stays counted.
    pub fn keep(mut self) {
        self.tally = None;
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let Some(tally) = self.tally.take() else {
            return;
        };
        let mut hours = tally.hours.lock().unwrap_or_else(|e| e.into_inner());
        if hours.hour == self.hour {
            hours.current.add(&self.client, self.petition_id, -1);
        } else if hours.hour == self.hour + 1 {
            hours.previous.add(&self.client, self.petition_id, -1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        per_petition: 2,
        per_client: 3,
    };
    const ALICE: Client = [1; 32];
    const BOB: Client = [2; 32];

    #[test]
    fn a_client_is_held_from_its_limit_on_and_others_are_not() {
        let tally = Tally::default();
        let at = 10 * HOUR;
        let holds: Vec<_> = (0..3)
            .map(|_| {
                let r = tally.reserve(&ALICE, 1, &LIMITS, at);
                let hold = r.hold;
                r.keep();
                hold
            })
            .collect();
        assert_eq!(holds, [None, None, Some(Hold::PetitionRate)]);
        // Another petition: the per-client limit (3) is reached there.
        assert_eq!(
            tally.reserve(&ALICE, 2, &LIMITS, at).hold,
            Some(Hold::ClientRate)
        );
        assert_eq!(tally.reserve(&BOB, 1, &LIMITS, at).hold, None);
    }

    #[test]
    fn a_reservation_not_kept_is_taken_back() {
        let tally = Tally::default();
        let at = 10 * HOUR;
        drop(tally.reserve(&ALICE, 1, &LIMITS, at));
        assert_eq!(tally.recent(&ALICE, 1, at), Recent::default());
        tally.reserve(&ALICE, 1, &LIMITS, at).keep();
        assert_eq!(
            tally.recent(&ALICE, 1, at),
            Recent {
                to_petition: 1,
                in_all: 1
            }
        );
    }

    #[test]
    fn last_hours_signatures_fade_as_the_window_slides_past_them() {
        let tally = Tally::default();
        for _ in 0..4 {
            tally
                .reserve(&ALICE, 1, &Limits::default(), 10 * HOUR)
                .keep();
        }
        let quarter_past = 11 * HOUR + HOUR / 4;
        assert_eq!(tally.recent(&ALICE, 1, quarter_past).in_all, 3);
        let three_quarters_past = 11 * HOUR + 3 * HOUR / 4;
        assert_eq!(tally.recent(&ALICE, 1, three_quarters_past).in_all, 1);
        // Two hours on, nothing is left, and nothing is kept for it.
        assert_eq!(tally.recent(&ALICE, 1, 12 * HOUR).in_all, 0);
        assert!(tally.hours(12 * HOUR).previous.clients.is_empty());
    }
}
