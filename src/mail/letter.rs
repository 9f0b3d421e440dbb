//! An email written when it is queued, for mail whose words are settled
//! then (events' receipts, reminders, organisers' decisions), kept like an
//! envelope: encrypted with the outbox key, deleted once sent.
//!
//! A [`Recipient`] is the other half: an address kept under the same key
//! until Chorus writes to it (a reminder the day before an event).

use serde::{Deserialize, Serialize};

use crate::personal::ServerKeys;

/// An email ready to go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Someone Chorus will write to later, and the link their email carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub to: String,
    pub name: String,
    pub lang: String,
    /// The token of the link the later email carries (an RSVP's cancel link).
    #[serde(default)]
    pub token: String,
}

impl Letter {
    pub fn seal(&self, keys: &ServerKeys) -> Vec<u8> {
        super::envelope::seal_json(self, keys)
    }

    pub fn open(sealed: &[u8], keys: &ServerKeys) -> Option<Self> {
        super::envelope::open_json(sealed, keys)
    }
}

impl Recipient {
    pub fn seal(&self, keys: &ServerKeys) -> Vec<u8> {
        super::envelope::seal_json(self, keys)
    }

    pub fn open(sealed: &[u8], keys: &ServerKeys) -> Option<Self> {
        super::envelope::open_json(sealed, keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::personal::MasterKey;

    #[test]
    fn letters_and_recipients_open_only_under_their_secret() {
        let keys = ServerKeys::new(&MasterKey::random());
        let letter = Letter {
            to: "sam@example.org".into(),
            subject: "See you tomorrow".into(),
            body: "12 Rue Haute".into(),
        };
        let sealed = letter.seal(&keys);
        assert!(!String::from_utf8_lossy(&sealed).contains("Rue Haute"));
        assert_eq!(Letter::open(&sealed, &keys), Some(letter));
        let other = ServerKeys::new(&MasterKey::random());
        assert_eq!(Letter::open(&sealed, &other), None);
        let recipient = Recipient {
            to: "sam@example.org".into(),
            name: "Sam".into(),
            lang: "fr".into(),
            token: "t".into(),
        };
        assert_eq!(
            Recipient::open(&recipient.seal(&keys), &keys),
            Some(recipient)
        );
    }
}
