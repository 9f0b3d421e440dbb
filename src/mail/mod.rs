//! Email to signers: asking them to confirm, and telling them they had
//! already signed. Messages wait in the outbox (`outbox.rs`), encrypted
//! (`envelope.rs`), until an SMTP server takes them; their words are in
//! `messages.rs`, in the signer's language.

pub mod envelope;
pub mod messages;
pub mod outbox;

pub use envelope::Envelope;
pub use outbox::{MailConfig, Outbox};
