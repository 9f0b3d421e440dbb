//! `POST /api/v1/webhooks/stripe`: Stripe's signed notifications.
//!
//! Stripe delivers each event at least once, in no guaranteed order, and
//! retries for days until it gets a 2xx. So: the signature is checked over
//! the raw body; an event id is handled once; a payment is counted once by
//! its own reference whichever of its events arrives first; and a storage
//! failure answers 503, so Stripe tries again later.

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use serde::Serialize;

use super::stripe::{self, Event};
use crate::app::AppState;
use crate::error::ApiError;
use crate::ident::Slug;
use crate::storage::{EventOutcome, NewDonation, ProviderEvent, now_millis};

#[derive(Debug, Serialize)]
struct Received {
    received: bool,
}

pub fn router() -> Router<AppState> {
    Router::new().route(
        &format!("{}/webhooks/stripe", chorus_wire::API_PREFIX),
        post(stripe_event).fallback(|| async { ApiError::MethodNotAllowed }),
    )
}

async fn stripe_event(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::extract::Body(body): crate::extract::Body,
) -> Result<axum::Json<Received>, ApiError> {
    let secrets = state.stripe.webhook_secrets();
    if secrets.is_empty() {
        return Err(ApiError::NotFound(
            "Stripe webhooks are not configured (CHORUS_STRIPE_WEBHOOK_SECRETS)".into(),
        ));
    }
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let now = now_millis() / 1000;
    stripe::verify_signature(signature, &body, secrets, now)
        .map_err(|e| ApiError::bad_request("invalid_signature", e.to_string()))?;
    let event: Event = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("not a Stripe event: {e}")))?;

    let donation = match event.confirmed_payment() {
        Some(payment) => donation_for(&state, payment).await?,
        None => None,
    };
    let outcome = state
        .store
        .record_provider_event(&ProviderEvent {
            provider: "stripe",
            event_id: event.id.clone(),
            donation,
        })
        .await?;
    tracing::info!(event = %event.id, kind = %event.kind, ?outcome, "Stripe event");
    if outcome == EventOutcome::Recorded {
        state.totals.wake();
    }
    Ok(axum::Json(Received { received: true }))
}

/// The donation to store for a confirmed payment, or `None` when it is not
/// for one of this Chorus's campaigns in the campaign's currency.
async fn donation_for(
    state: &AppState,
    payment: stripe::ConfirmedPayment,
) -> Result<Option<NewDonation>, ApiError> {
    let Ok(slug) = Slug::parse(&payment.campaign) else {
        return Ok(None);
    };
    let Some(campaign) = state.store.donation_campaign_by_slug(&slug).await? else {
        tracing::warn!(campaign = %slug, "a Stripe payment names an unknown campaign; not counted");
        return Ok(None);
    };
    if campaign.settings.currency != payment.currency {
        tracing::warn!(
            campaign = %slug,
            currency = %payment.currency,
            "a Stripe payment is in another currency than its campaign; not counted"
        );
        return Ok(None);
    }
    // Only a current partner is credited: the metadata outlives partnerships.
    let partners = state.store.donation_partners(campaign.id).await?;
    let partner_id = payment
        .partner_id
        .filter(|id| partners.iter().any(|p| p.id == *id));
    Ok(Some(NewDonation {
        campaign_id: campaign.id,
        partner_id,
        payment_ref: payment.payment_ref,
        donor_ref: payment.donor_ref,
        amount: payment.amount,
        currency: payment.currency,
        frequency: payment.frequency,
        donated_at: if payment.created > 0 {
            payment.created.saturating_mul(1000)
        } else {
            now_millis()
        },
    }))
}
