//! The reminder the day before an event, to everyone who left an email
//! with their RSVP: written when it is due, so it carries the event as it
//! is then (an edited time, a changed address), and queued in the outbox
//! with the RSVP marked reminded in one transaction, so no one is reminded
//! twice by two instances.

use std::sync::Arc;
use std::time::Duration;

use super::letters::{Note, To, rsvp_letter};
use super::rsvp::cancel_url;
use crate::mail::Recipient;
use crate::personal::ServerKeys;
use crate::storage::{MailKind, Millis, SealedMail, Store, StoreResult, now_millis};

/// How long before an event its reminder goes.
pub const AHEAD: Millis = 24 * 60 * 60 * 1000;
/// How often reminders are looked for.
const POLL: Duration = Duration::from_secs(60);

/// Queues the reminders that are due.
#[derive(Debug, Clone)]
pub struct Reminders {
    store: Arc<dyn Store>,
    keys: ServerKeys,
    origin: String,
}

impl Reminders {
    pub fn new(store: Arc<dyn Store>, keys: ServerKeys, origin: &str) -> Self {
        Self {
            store,
            keys,
            origin: origin.to_owned(),
        }
    }

    /// Looks for due reminders every minute for as long as Chorus runs.
    pub fn spawn(self) {
        tokio::spawn(async move {
            loop {
                if let Err(error) = self.queue_due(now_millis()).await {
                    tracing::warn!(%error, "cannot queue event reminders; will retry");
                }
                tokio::time::sleep(POLL).await;
            }
        });
    }

    /// Queues a reminder for every RSVP to an event starting within a day
    /// of `now` that has not had one. Returns how many were queued.
    pub async fn queue_due(&self, now: Millis) -> StoreResult<usize> {
        let due = self.store.due_reminders(now, now + AHEAD).await?;
        let mut events = std::collections::HashMap::new();
        let mut queued = 0;
        for reminder in due {
            let Some(recipient) = Recipient::open(&reminder.mail, &self.keys) else {
                tracing::error!(
                    rsvp = reminder.rsvp_id,
                    "an RSVP's address cannot be opened"
                );
                continue;
            };
            if let std::collections::hash_map::Entry::Vacant(slot) = events.entry(reminder.event_id)
            {
                slot.insert(self.store.event_by_id(reminder.event_id).await?);
            }
            let Some(Some(event)) = events.get(&reminder.event_id) else {
                continue;
            };
            let Some(email_hash) = reminder.email_hash else {
                continue;
            };
            let lang = super::letters::words(&recipient.lang).lang;
            let letter = rsvp_letter(
                Note::Reminder,
                To {
                    email: &recipient.to,
                    name: &recipient.name,
                    lang: &recipient.lang,
                },
                event,
                reminder.people,
                &cancel_url(&self.origin, &recipient.token, lang),
            );
            let sealed = SealedMail {
                kind: MailKind::EventReminder,
                email_hash,
                sealed: letter.seal(&self.keys),
            };
            if self.store.queue_reminder(reminder.rsvp_id, &sealed).await? {
                queued += 1;
            }
        }
        Ok(queued)
    }
}
