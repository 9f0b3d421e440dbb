//! Signers' details are kept only while they are needed: once a petition has
//! been closed for the retention period, its signers are anonymised. What
//! remains (the count, countries, languages, consents) names no one. Signers
//! who never confirmed their address are deleted after two weeks. The
//! addresses RSVPs leave for their reminder go a day after the event.

use std::sync::Arc;
use std::time::Duration;

use crate::storage::{Millis, Store, StoreResult, now_millis};

/// Six months, the default retention after a petition closes.
pub const DEFAULT_DAYS: u32 = 183;
/// Signers who never confirm their address are deleted after this many days
/// (the confirmation email says so).
pub const UNCONFIRMED_DAYS: u32 = 14;
/// Days a signer's client hash is kept for the organiser's review.
pub const CLIENT_HASH_DAYS: u32 = 30;
/// How often `chorus serve` looks for signers to anonymise.
const EVERY: Duration = Duration::from_secs(60 * 60);

/// Anonymises the signers of every petition closed at least `days` ago.
/// Returns how many it anonymised.
pub async fn anonymise_expired(store: &dyn Store, days: u32) -> StoreResult<u64> {
    let now = now_millis();
    store
        .anonymise_closed(now - days_in_millis(days), now)
        .await
}

/// Deletes signers, organisations' among them, and sign-ups that were not
/// confirmed within [`UNCONFIRMED_DAYS`].
pub async fn forget_unconfirmed(store: &dyn Store) -> StoreResult<u64> {
    let before = now_millis() - days_in_millis(UNCONFIRMED_DAYS);
    let signers = store.forget_unconfirmed(before).await?;
    let organisations = store.forget_unconfirmed_endorsements(before).await?;
    Ok(signers + organisations + store.forget_unconfirmed_signups(before).await?)
}

/// Forgets client hashes past the review period, and spent proofs of work
/// whose challenges have expired.
pub async fn forget_review_data(store: &dyn Store) -> StoreResult<u64> {
    let now = now_millis();
    store.forget_spent_proofs(now).await?;
    let review_over = now - days_in_millis(CLIENT_HASH_DAYS);
    let forgotten = store.forget_client_hashes(review_over).await?;
    // A day's key goes once every hash made with it is forgotten: after
    // that, nothing can link those hashes to an address, secret or not.
    store
        .forget_client_day_keys(review_over.div_euclid(crate::guard::DAY))
        .await?;
    Ok(forgotten)
}

/// Forgets the addresses kept for reminders, and RSVPs' client hashes,
/// once their event has been over for a day: the host's list (sealed to
/// the organisation) is all that stays.
pub async fn forget_past_events(store: &dyn Store) -> StoreResult<u64> {
    store
        .forget_event_mail(now_millis() - days_in_millis(1))
        .await
}

fn days_in_millis(days: u32) -> Millis {
    Millis::from(days) * 24 * 60 * 60 * 1000
}

/// Runs [`anonymise_expired`] and [`forget_unconfirmed`] now and every hour
/// while Chorus serves.
pub fn spawn(store: Arc<dyn Store>, days: u32) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        loop {
            ticks.tick().await;
            match anonymise_expired(&*store, days).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(signers = n, days, "anonymised signers of closed petitions")
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot anonymise closed petitions; will retry")
                }
            }
            match forget_unconfirmed(&*store).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(signers = n, "deleted signers who never confirmed"),
                Err(error) => {
                    tracing::warn!(%error, "cannot delete unconfirmed signers; will retry")
                }
            }
            if let Err(error) = forget_review_data(&*store).await {
                tracing::warn!(%error, "cannot forget client hashes; will retry");
            }
            if let Err(error) = forget_past_events(&*store).await {
                tracing::warn!(%error, "cannot forget past events' addresses; will retry");
            }
        }
    });
}
