//! The outbox sender: takes due messages, sends them through SMTP, and
//! forgets each once the server has it. A message that fails for a while
//! (the mail server is down) is tried again later, waiting twice as long
//! each time up to an hour, so an outage delays mail but loses none.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::messages::{fill, words};
use super::{Envelope, Letter};
use crate::config::Secret;
use crate::personal::ServerKeys;
use crate::storage::{MailKind, Millis, OutboxMessage, Store, StoreResult, now_millis};

/// How often the outbox is looked at.
const POLL: Duration = Duration::from_secs(2);
/// How long a sender holds the messages it took: longer than a send can take.
const CLAIM: Duration = Duration::from_secs(5 * 60);
/// Messages taken per look.
const BATCH: u32 = 20;
/// The longest wait between two attempts.
const MAX_WAIT: Duration = Duration::from_secs(60 * 60);

/// How Chorus sends email.
#[derive(Debug, Clone, clap::Args)]
pub struct MailConfig {
    /// The SMTP server signers' email goes through: `smtps://USER:PASSWORD@HOST`,
    /// `smtp://USER:PASSWORD@HOST:587?tls=required`, or `smtp://127.0.0.1:25`
    /// (no encryption: a relay on this machine only). Without one, email
    /// waits in the outbox.
    #[arg(long, env = "CHORUS_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<Secret>,
    /// Who the email comes from.
    #[arg(
        long,
        env = "CHORUS_MAIL_FROM",
        default_value = "Chorus <no-reply@localhost>"
    )]
    pub mail_from: String,
    /// Seconds before a failed email is tried again; the wait doubles each
    /// time, up to an hour.
    #[arg(long, env = "CHORUS_MAIL_RETRY_SECS", default_value_t = 30)]
    pub mail_retry_secs: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            mail_from: "Chorus <no-reply@localhost>".into(),
            mail_retry_secs: 30,
        }
    }
}

/// Sends what waits in the outbox.
#[derive(Clone)]
pub struct Outbox {
    store: Arc<dyn Store>,
    keys: ServerKeys,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    retry_base: Duration,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("smtp", &self.transport.is_some())
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Outbox {
    pub fn new(
        store: Arc<dyn Store>,
        keys: ServerKeys,
        config: &MailConfig,
    ) -> anyhow::Result<Self> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("CHORUS_MAIL_FROM {:?}: {e}", config.mail_from))?;
        let transport = config
            .smtp_url
            .as_ref()
            .map(|url| {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map(|builder| builder.timeout(Some(Duration::from_secs(30))).build())
                    .map_err(|e| anyhow::anyhow!("CHORUS_SMTP_URL is not usable: {e}"))
            })
            .transpose()?;
        Ok(Self {
            store,
            keys,
            transport,
            from,
            retry_base: Duration::from_secs(config.mail_retry_secs.max(1)),
        })
    }

    /// Sends due messages every few seconds for as long as Chorus runs.
    pub fn spawn(self) {
        if self.transport.is_none() {
            tracing::warn!(
                "no SMTP server (CHORUS_SMTP_URL): confirmation email waits in the outbox"
            );
            return;
        }
        tokio::spawn(async move {
            loop {
                if let Err(error) = self.send_due().await {
                    tracing::warn!(%error, "cannot read the outbox; will retry");
                }
                tokio::time::sleep(POLL).await;
            }
        });
    }

    /// Sends what is due now. Returns how many messages went out.
    pub async fn send_due(&self) -> StoreResult<usize> {
        let Some(transport) = &self.transport else {
            return Ok(0);
        };
        let now = now_millis();
        let claimed = self
            .store
            .claim_due_mail(now, now + millis(CLAIM), BATCH)
            .await?;
        let mut sent = 0;
        for message in claimed {
            match self.compose(&message) {
                None => {
                    // Sealed under another secret, or an unusable address:
                    // no attempt can ever succeed.
                    tracing::error!(id = message.id, "dropping an email that cannot be sent");
                    self.store.mail_sent(message.id).await?;
                }
                Some(email) => match transport.send(email).await {
                    Ok(_) => {
                        self.store.mail_sent(message.id).await?;
                        sent += 1;
                    }
                    Err(error) if error.is_permanent() => {
                        // The server's words may quote the address: the
                        // code alone is logged.
                        tracing::warn!(id = message.id, code = ?error.status(), "the mail server refused an email for good");
                        self.store.mail_sent(message.id).await?;
                    }
                    Err(error) => {
                        let wait = wait_after(self.retry_base, message.attempts);
                        tracing::warn!(id = message.id, code = ?error.status(), retry_in_secs = wait.as_secs(), "cannot send an email yet");
                        self.store
                            .mail_failed(message.id, now_millis() + millis(wait))
                            .await?;
                    }
                },
            }
        }
        Ok(sent)
    }

    fn compose(&self, message: &OutboxMessage) -> Option<Message> {
        if message.kind.is_letter() {
            let letter = Letter::open(&message.sealed, &self.keys)?;
            return self.message(&letter.to, letter.subject, letter.body);
        }
        let envelope = Envelope::open(&message.sealed, &self.keys)?;
        let words = words(&envelope.lang);
        let (subject, body) = match message.kind {
            MailKind::Confirm => (
                words.confirm_subject,
                fill(
                    words.confirm_body,
                    &envelope.first_name,
                    &envelope.petition_title,
                    envelope.confirm_url.as_deref()?,
                ),
            ),
            MailKind::AlreadySigned => (
                words.repeat_subject,
                fill(
                    words.repeat_body,
                    &envelope.first_name,
                    &envelope.petition_title,
                    "",
                ),
            ),
            _ => return None,
        };
        let mut footer = fill(words.withdraw_footer, "", "", &envelope.withdraw_url);
        if let Some(unlist) = &envelope.unlist_url {
            footer = format!("{}\n\n{footer}", fill(words.unlist_footer, "", "", unlist));
        }
        self.message(
            &envelope.to,
            subject.to_owned(),
            format!("{body}\n\n{footer}"),
        )
    }

    fn message(&self, to: &str, subject: String, body: String) -> Option<Message> {
        Message::builder()
            .from(self.from.clone())
            .to(to.parse().ok()?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(format!("{body}\n"))
            .ok()
    }
}

/// How long to wait after one more failure, `attempts` having failed before.
fn wait_after(base: Duration, attempts: u32) -> Duration {
    base.saturating_mul(2_u32.saturating_pow(attempts.min(16)))
        .min(MAX_WAIT)
}

fn millis(duration: Duration) -> Millis {
    Millis::try_from(duration.as_millis()).unwrap_or(Millis::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_an_hour() {
        let base = Duration::from_secs(30);
        let waits: Vec<u64> = (0..9).map(|n| wait_after(base, n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(wait_after(base, u32::MAX), MAX_WAIT);
    }
}
