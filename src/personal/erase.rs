//! `chorus person erase EMAIL`: one person's data removed from everywhere
//! Chorus keeps it, with a report of what was removed.

use std::fmt;

use crate::ident::Slug;
use crate::personal::ServerKeys;
use crate::storage::{Store, StoreResult, now_millis};

/// What erasing one person removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erasure {
    /// Petitions the person had signed: their details and address hash are
    /// gone there; the signature still counts, naming no one.
    pub petitions: Vec<Slug>,
    /// Emails to them that were waiting in the outbox, deleted unsent.
    pub mail: u64,
    /// Their RSVPs and event proposals: details removed, counts kept.
    pub events: u64,
    /// Signatures they made on behalf of organisations: their details
    /// removed, the organisations' signatures kept.
    pub endorsements: u64,
    /// Sign-up lists they were on: deleted from each.
    pub signups: u64,
}

/// Erases everything Chorus holds about the person with this address, in any
/// spelling of it.
pub async fn erase(store: &dyn Store, keys: &ServerKeys, email: &str) -> StoreResult<Erasure> {
    let hash = keys.email_hash(email);
    let mail = store.forget_mail_to(&hash).await?;
    let petitions = store.anonymise_signer(&hash, now_millis()).await?;
    let events = store.erase_event_person(&hash).await?;
    let endorsements = store.erase_endorser(&hash, now_millis()).await?;
    let signups = store.erase_signups(&hash).await?;
    Ok(Erasure {
        petitions,
        mail,
        events,
        endorsements,
        signups,
    })
}

impl fmt::Display for Erasure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.petitions.is_empty() {
            writeln!(f, "signatures: none found for this address")?;
        } else {
            let list: Vec<&str> = self.petitions.iter().map(Slug::as_str).collect();
            writeln!(
                f,
                "signatures: details removed from {} petition(s): {}; the signatures still count, naming no one",
                self.petitions.len(),
                list.join(", ")
            )?;
        }
        writeln!(f, "outbox: {} waiting email(s) deleted", self.mail)?;
        writeln!(
            f,
            "events: details removed from {} RSVP(s) and event proposal(s); the counts stay",
            self.events
        )?;
        writeln!(
            f,
            "organisations: details removed from {} signature(s) made for an organisation; the organisations' signatures stay",
            self.endorsements
        )?;
        writeln!(f, "sign-up lists: removed from {} list(s)", self.signups)?;
        write!(
            f,
            "donations: nothing to remove (Chorus keeps no donor's name or address)"
        )
    }
}
