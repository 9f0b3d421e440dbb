//! No bots, without tracking anyone: a proof of work the widget solves
//! before sending (`proof.rs`), a honeypot field, and rate limits counted
//! in memory (`tally.rs`) on keyed hashes of clients' networks
//! (`address.rs`, `limits.rs`).
//! Signatures over a limit are kept but held for the organiser's review
//! (`chorus review`), and the sender is told nothing different.

pub mod address;
mod challenge;
pub mod groups;
pub mod limits;
pub mod proof;
pub mod review;
pub mod tally;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;

use chorus_wire::proof::Challenge;
use chorus_wire::signing::SignatureForm;

use crate::error::ApiError;
use crate::personal::{DayKey, ServerKeys};
use crate::storage::{Millis, PetitionRecord, SpentProof, Store, StoreError, StoreResult};
use address::TrustedProxies;
pub use challenge::router;
use limits::{Hold, Limits};
use tally::{Reservation, Tally};

const HOUR: Millis = 60 * 60 * 1000;
/// A day, in milliseconds: client hashes' keys change at each UTC midnight.
pub const DAY: Millis = 24 * HOUR;

/// How Chorus tells clients apart, and how much it lets each one sign.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GuardConfig {
    /// Reverse proxies whose `X-Forwarded-For` is believed, comma-separated
    /// addresses or networks (`127.0.0.1,10.0.0.0/8`). Without any, the peer
    /// of each connection is the client.
    #[arg(long, env = "CHORUS_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,
    #[command(flatten)]
    pub limits: Limits,
    /// The proof of work asked with each signature: the largest secret
    /// number of a client's first challenge (it rises for busy clients).
    /// 0 asks for none: for load tests, never for a public petition.
    #[arg(long, env = "CHORUS_PROOF_WORK", default_value_t = proof::NORMAL_WORK)]
    pub proof_work: u64,
    #[command(flatten)]
    pub queue: crate::signing::QueueBound,
}

/// The signing route's defences.
#[derive(Debug, Clone)]
pub struct Guard {
    proxies: TrustedProxies,
    limits: Limits,
    proof_work: u64,
    keys: ServerKeys,
    /// Today's key for client hashes, once read from the database.
    day_key: Arc<Mutex<Option<(i64, DayKey)>>>,
    asking_for_day_key: Arc<tokio::sync::Mutex<()>>,
    /// Each client's signatures within the hour.
    tally: Tally,
    /// Each client's RSVPs and event proposals within the hour, by event
    /// (proposals under [`PROPOSALS`]).
    events: Tally,
    /// Each client's sign-ups within the hour, by list.
    signups: Tally,
}

/// Where proposals of events are counted in a client's event tally.
pub const PROPOSALS: i64 = 0;

impl Guard {
    pub fn new(config: &GuardConfig, keys: ServerKeys) -> Self {
        Self {
            proxies: config.trusted_proxies.clone(),
            limits: config.limits.clone(),
            proof_work: config.proof_work,
            keys,
            day_key: Arc::default(),
            asking_for_day_key: Arc::default(),
            tally: Tally::default(),
            events: Tally::default(),
            signups: Tally::default(),
        }
    }

    /// The hash today's client is counted under; its address is not kept.
    pub async fn client_hash(
        &self,
        store: &dyn Store,
        peer: SocketAddr,
        headers: &HeaderMap,
        now: Millis,
    ) -> StoreResult<[u8; 32]> {
        let ip = self.proxies.client(peer, headers);
        let key = self.day_key(store, now.div_euclid(DAY)).await?;
        Ok(key.client_hash(&address::network(ip)))
    }

    /// `day`'s key: from memory, or the one in the database (made there by
    /// whichever instance needed it first).
    async fn day_key(&self, store: &dyn Store, day: i64) -> StoreResult<DayKey> {
        let remembered = || {
            let remembered = *self.day_key.lock().unwrap_or_else(|e| e.into_inner());
            remembered
                .filter(|(known, _)| *known == day)
                .map(|(_, key)| key)
        };
        if let Some(key) = remembered() {
            return Ok(key);
        }
        // One request asks the database; the others wait for its answer.
        // Without this, the first moments of a surge (and of each day) sent
        // hundreds of writes for the same key, each waiting for the lock the
        // signature writer needed.
        let _asking = self.asking_for_day_key.lock().await;
        if let Some(key) = remembered() {
            return Ok(key);
        }
        let (_, fresh) = self.keys.new_day_key();
        let stored = store.client_day_key(day, &fresh).await?;
        let key = self.keys.open_day_key(&stored).ok_or_else(|| {
            StoreError::Unsafe(
                "today's client key was sealed under another CHORUS_SECRET_KEY: \
                 every instance must share one secret"
                    .into(),
            )
        })?;
        *self.day_key.lock().unwrap_or_else(|e| e.into_inner()) = Some((day, key));
        Ok(key)
    }

    /// A proof-of-work challenge for an RSVP or proposal in `scope`,
    /// harder the more this client sent to events within the hour.
    pub fn event_challenge(&self, client_hash: &[u8; 32], scope: &str, now: Millis) -> Challenge {
        let recent = self.events.recent(client_hash, PROPOSALS, now);
        let work = proof::work_for(self.proof_work, recent.in_all);
        proof::issue(&self.keys, scope, work, now / 1000)
    }

    /// Counts an RSVP to `event_id` (or a proposal, [`PROPOSALS`]) from
    /// this client, as [`Self::reserve`] counts signatures: over the limits,
    /// or with the honeypot filled in, the reservation says so.
    pub fn reserve_event(
        &self,
        client_hash: &[u8; 32],
        event_id: i64,
        honeypot: &str,
        now: Millis,
    ) -> Reservation {
        let mut reservation = self
            .events
            .reserve(client_hash, event_id, &self.limits, now);
        if !honeypot.trim().is_empty() {
            reservation.hold = Some(Hold::Honeypot);
        }
        reservation
    }

    /// A proof-of-work challenge for a sign-up to the list `list_id`
    /// (scope [`signup_scope`]), harder the more this client signed up.
    pub fn signup_challenge(
        &self,
        client_hash: &[u8; 32],
        list_id: i64,
        slug: &str,
        now: Millis,
    ) -> Challenge {
        let recent = self.signups.recent(client_hash, list_id, now);
        let work = proof::work_for(self.proof_work, recent.in_all);
        proof::issue(&self.keys, &signup_scope(slug), work, now / 1000)
    }

    /// Counts a sign-up to `list_id` from this client, as [`Self::reserve`]
    /// counts signatures.
    pub fn reserve_signup(
        &self,
        client_hash: &[u8; 32],
        list_id: i64,
        honeypot: &str,
        now: Millis,
    ) -> Reservation {
        let mut reservation = self
            .signups
            .reserve(client_hash, list_id, &self.limits, now);
        if !honeypot.trim().is_empty() {
            reservation.hold = Some(Hold::Honeypot);
        }
        reservation
    }

    /// A proof-of-work challenge for `petition`, harder the more this
    /// client signed within the hour.
    pub fn challenge(
        &self,
        client_hash: &[u8; 32],
        petition: &PetitionRecord,
        now: Millis,
    ) -> Challenge {
        let recent = self.tally.recent(client_hash, petition.id, now);
        let work = proof::work_for(self.proof_work, recent.in_all);
        proof::issue(&self.keys, petition.slug.as_str(), work, now / 1000)
    }

    /// Checks a signature's proof of work. The writer spends it with the
    /// signature, so that it buys one; a retry of the same submission (same
    /// idempotency key) may bring the same proof again.
    pub fn check_proof(
        &self,
        form: &SignatureForm,
        petition: &str,
        now: Millis,
    ) -> Result<Option<SpentProof>, ApiError> {
        self.check_solution(form.proof.as_ref(), petition, now)
    }

    /// Checks a proof of work made for `scope` (a petition's slug, or
    /// [`event_scope`]); its challenge is spent with what it came with.
    pub fn check_solution(
        &self,
        solution: Option<&chorus_wire::proof::Solution>,
        scope: &str,
        now: Millis,
    ) -> Result<Option<SpentProof>, ApiError> {
        if self.proof_work == 0 {
            return Ok(None);
        }
        let verified = proof::verify(&self.keys, solution, scope, now / 1000)
            .map_err(|refusal| proof_refused(&refusal.to_string()))?;
        Ok(Some(SpentProof {
            challenge: verified.challenge,
            expires_at: verified.expires_at,
        }))
    }

    /// Counts a signature from this client and says whether it is to be
    /// held: the honeypot filled in, or too many signatures within the
    /// hour. Drop the reservation unkept if the signature is not stored.
    pub fn reserve(
        &self,
        client_hash: &[u8; 32],
        petition_id: i64,
        honeypot: &str,
        now: Millis,
    ) -> Reservation {
        let mut reservation = self
            .tally
            .reserve(client_hash, petition_id, &self.limits, now);
        if !honeypot.trim().is_empty() {
            reservation.hold = Some(Hold::Honeypot);
        }
        reservation
    }
}

/// The proof-of-work scope of RSVPs to one event, and of proposals of
/// events (`None`).
pub fn event_scope(public_id: Option<&str>) -> String {
    match public_id {
        Some(id) => format!("event-{id}"),
        None => "event-proposals".to_owned(),
    }
}

/// The proof-of-work scope of sign-ups to one list.
pub fn signup_scope(slug: &str) -> String {
    format!("signup-{slug}")
}

/// The answer to a proof that does not buy a signature.
pub fn proof_refused(reason: &str) -> ApiError {
    ApiError::BadRequest {
        code: chorus_wire::proof::INVALID_PROOF,
        message: format!("{reason}; ask for a new challenge and solve it"),
    }
}
