//! Email to signers (asking them to confirm, telling them they had already
//! signed) and to the people of local events (receipts, reminders, hosts
//! told of the organiser's decision). Messages wait in the outbox
//! (`outbox.rs`), encrypted (`envelope.rs` for signers' mail, written when
//! sent, in `messages.rs`'s words; `letter.rs` for mail written when
//! queued), until an SMTP server takes them.

pub mod envelope;
pub mod letter;
pub mod messages;
pub mod outbox;

pub use envelope::Envelope;
pub use letter::{Letter, Recipient};
pub use outbox::{MailConfig, Outbox};
