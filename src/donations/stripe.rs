//! Stripe: creating Checkout Sessions through its REST API, and reading its
//! signed webhook events.
//!
//! Only what Chorus needs is read from an event; everything else in it
//! (the donor's name, address, card details) is ignored and never stored.

use std::time::Duration;

use chorus_wire::donate::Frequency;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::config::{PaymentsConfig, Secret};

/// How old a signed event may be: Stripe's own libraries' default, which
/// bounds how long a captured request could be replayed.
pub const TOLERANCE_SECS: i64 = 5 * 60;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The metadata keys Chorus puts on sessions and subscriptions, and reads
/// back from events.
pub const CAMPAIGN_KEY: &str = "chorus_campaign";
pub const PARTNER_KEY: &str = "chorus_partner";
pub const FREQUENCY_KEY: &str = "chorus_frequency";

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    #[error("no Stripe secret key is configured (CHORUS_STRIPE_SECRET_KEY)")]
    NotConfigured,
    #[error("Stripe could not be reached: {0}")]
    Unreachable(#[from] reqwest::Error),
    #[error("Stripe refused the session ({status}): {message}")]
    Refused { status: u16, message: String },
}

/// The organisation's Stripe account, as configured.
#[derive(Debug, Clone)]
pub struct Stripe {
    http: reqwest::Client,
    api_base: url::Url,
    secret_key: Option<Secret>,
    webhook_secrets: Vec<Secret>,
}

/// A Checkout Session to create: one line for the gift.
#[derive(Debug, Clone)]
pub struct SessionRequest<'a> {
    pub idempotency_key: &'a str,
    pub product_name: &'a str,
    pub amount: u64,
    pub currency: &'a str,
    pub frequency: Frequency,
    pub locale: &'a str,
    pub success_url: &'a str,
    pub cancel_url: &'a str,
    pub campaign: &'a str,
    pub partner_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct Session {
    url: String,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: String,
}

impl Stripe {
    pub fn new(config: &PaymentsConfig) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(REQUEST_TIMEOUT)
                .build()
                .unwrap_or_default(),
            api_base: config.stripe_api_base.clone(),
            secret_key: config.stripe_secret_key.clone(),
            webhook_secrets: config.stripe_webhook_secrets.clone(),
        }
    }

    pub fn webhook_secrets(&self) -> &[Secret] {
        &self.webhook_secrets
    }

    /// Creates the session and returns the URL of its payment page.
    pub async fn create_session(
        &self,
        request: &SessionRequest<'_>,
    ) -> Result<String, StripeError> {
        let key = self.secret_key.as_ref().ok_or(StripeError::NotConfigured)?;
        let url = self
            .api_base
            .join("v1/checkout/sessions")
            .map_err(|e| StripeError::Refused {
                status: 0,
                message: format!("bad API base: {e}"),
            })?;
        let response = self
            .http
            .post(url)
            .bearer_auth(key.expose())
            // Stripe answers a repeated key with the first session, so a
            // double click or a retried request opens one session.
            .header(
                "Idempotency-Key",
                format!("chorus-{}", request.idempotency_key),
            )
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form_body(&session_params(request)))
            .send()
            .await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response.json::<Session>().await?.url);
        }
        let message = response
            .json::<ErrorBody>()
            .await
            .map(|body| body.error.message)
            .unwrap_or_default();
        Err(StripeError::Refused {
            status: status.as_u16(),
            message,
        })
    }
}

/// The form fields of a Checkout Session, in Stripe's bracketed notation.
pub fn session_params(request: &SessionRequest<'_>) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = Vec::new();
    let mut add = |key: &str, value: String| params.push((key.to_owned(), value));
    let price = "line_items[0][price_data]";
    add("line_items[0][quantity]", "1".into());
    add(
        &format!("{price}[currency]"),
        request.currency.to_ascii_lowercase(),
    );
    add(&format!("{price}[unit_amount]"), request.amount.to_string());
    add(
        &format!("{price}[product_data][name]"),
        request.product_name.into(),
    );
    add("success_url", request.success_url.into());
    add("cancel_url", request.cancel_url.into());
    add("locale", request.locale.into());
    let mut metadata = vec![
        (CAMPAIGN_KEY, request.campaign.to_owned()),
        (FREQUENCY_KEY, request.frequency.as_str().to_owned()),
    ];
    if let Some(partner) = request.partner_id {
        metadata.push((PARTNER_KEY, partner.to_string()));
    }
    let interval = match request.frequency {
        Frequency::Once => None,
        Frequency::Monthly => Some("month"),
        Frequency::Yearly => Some("year"),
    };
    match interval {
        None => {
            add("mode", "payment".into());
            // Stripe takes `submit_type` in payment mode only: the button
            // then reads "Donate".
            add("submit_type", "donate".into());
        }
        Some(interval) => {
            add("mode", "subscription".into());
            add(&format!("{price}[recurring][interval]"), interval.into());
            // Invoices of the subscription carry these, so every month's
            // payment is attributed without another lookup.
            for (key, value) in &metadata {
                add(
                    &format!("subscription_data[metadata][{key}]"),
                    value.clone(),
                );
            }
        }
    }
    for (key, value) in metadata {
        add(&format!("metadata[{key}]"), value);
    }
    params
}

fn form_body(params: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

/// Why a webhook request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Stripe-Signature header is missing or malformed")]
    Malformed,
    #[error("the event is older than {TOLERANCE_SECS} seconds")]
    Stale,
    #[error("no configured webhook secret matches the signature")]
    Mismatch,
}

/// Checks a `Stripe-Signature` header (`t=TIME,v1=HEX,v1=HEX...`): an
/// HMAC-SHA256 over `TIME.BODY` with any of `secrets`, made within the
/// tolerance of `now` (Unix seconds).
pub fn verify_signature(
    header: &str,
    body: &[u8],
    secrets: &[Secret],
    now: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => {
                if let Ok(bytes) = hex::decode(value) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    // `abs_diff` cannot overflow, whatever number the header carries.
    if now.abs_diff(timestamp) > TOLERANCE_SECS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    for secret in secrets {
        for signature in &signatures {
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()) else {
                continue;
            };
            mac.update(timestamp.to_string().as_bytes());
            mac.update(b".");
            mac.update(body);
            // Compares in constant time.
            if mac.verify_slice(signature).is_ok() {
                return Ok(());
            }
        }
    }
    Err(SignatureError::Mismatch)
}

/// A payment an event confirms, as Stripe describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmedPayment {
    pub campaign: String,
    pub partner_id: Option<i64>,
    pub frequency: Frequency,
    pub payment_ref: String,
    pub donor_ref: String,
    pub amount: u64,
    pub currency: String,
    /// Unix seconds.
    pub created: i64,
}

/// The parts of an event Chorus reads.
#[derive(Debug, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub created: i64,
    pub data: EventData,
}

#[derive(Debug, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

impl Event {
    /// The payment this event confirms, if it confirms one of Chorus's.
    ///
    /// One-off gifts count when their session is paid (`completed`, or
    /// `async_payment_succeeded` for slow methods such as bank debits).
    /// Recurring gifts count per paid invoice, the first one included;
    /// their `checkout.session.completed` carries no payment of its own.
    pub fn confirmed_payment(&self) -> Option<ConfirmedPayment> {
        let object = &self.data.object;
        let text = |value: &serde_json::Value| value.as_str().map(str::to_owned);
        let (payment_ref, donor_ref, amount, metadata) = match self.kind.as_str() {
            "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
                let paid = object["mode"] == "payment" && object["payment_status"] == "paid";
                if !paid {
                    return None;
                }
                let id = text(&object["id"])?;
                (id.clone(), id, &object["amount_total"], &object["metadata"])
            }
            "invoice.paid" | "invoice.payment_succeeded" => {
                // Older API versions put the subscription on the invoice;
                // newer ones under `parent.subscription_details`.
                let details = if object["parent"]["subscription_details"].is_object() {
                    &object["parent"]["subscription_details"]
                } else {
                    &object["subscription_details"]
                };
                let subscription = text(&details["subscription"])
                    .or_else(|| text(&object["subscription"]))
                    .or_else(|| text(&object["subscription"]["id"]))?;
                (
                    text(&object["id"])?,
                    subscription,
                    &object["amount_paid"],
                    &details["metadata"],
                )
            }
            _ => return None,
        };
        let amount = amount.as_u64().filter(|a| *a > 0)?;
        Some(ConfirmedPayment {
            campaign: text(&metadata[CAMPAIGN_KEY])?,
            partner_id: metadata[PARTNER_KEY].as_str().and_then(|p| p.parse().ok()),
            frequency: metadata[FREQUENCY_KEY]
                .as_str()
                .and_then(Frequency::parse)
                .unwrap_or(Frequency::Once),
            payment_ref,
            donor_ref,
            amount,
            currency: text(&object["currency"])?.to_ascii_uppercase(),
            created: self.created,
        })
    }
}

/// Signs a payload as Stripe does, for tests of the webhook.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn secret(raw: &str) -> Secret {
        Secret::from_str(raw).expect("non-empty")
    }

    #[test]
    fn a_signature_is_checked_against_every_configured_secret() {
        let body = br#"{"id":"evt_1"}"#;
        let header = sign("whsec_new", 1_000, body);
        let old_and_new = [secret("whsec_old"), secret("whsec_new")];
        assert_eq!(verify_signature(&header, body, &old_and_new, 1_000), Ok(()));
        assert_eq!(
            verify_signature(&header, body, &[secret("whsec_old")], 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify_signature(&header, b"{\"id\":\"evt_2\"}", &old_and_new, 1_000),
            Err(SignatureError::Mismatch),
            "the signature covers the body"
        );
    }

    #[test]
    fn old_or_malformed_signatures_are_refused() {
        let body = b"{}";
        let secrets = [secret("whsec_a")];
        let header = sign("whsec_a", 1_000, body);
        assert_eq!(verify_signature(&header, body, &secrets, 1_300), Ok(()));
        assert_eq!(
            verify_signature(&header, body, &secrets, 1_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify_signature("v1=abcd", body, &secrets, 1_000),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify_signature("t=1000", body, &secrets, 1_000),
            Err(SignatureError::Malformed)
        );
        for extreme in [i64::MIN, i64::MAX] {
            assert_eq!(
                verify_signature(&format!("t={extreme},v1=00"), body, &secrets, 1_000),
                Err(SignatureError::Stale)
            );
        }
    }

    fn event(json: serde_json::Value) -> Event {
        serde_json::from_value(json).expect("an event")
    }

    #[test]
    fn a_paid_one_off_session_is_a_payment_and_a_donor() {
        let paid = event(serde_json::json!({
            "id": "evt_1", "type": "checkout.session.completed", "created": 1_700_000_000,
            "data": {"object": {"id": "cs_1", "mode": "payment", "payment_status": "paid",
                "amount_total": 2500, "currency": "eur",
                "customer_details": {"email": "never@stored.example"},
                "metadata": {"chorus_campaign": "migrants-day", "chorus_partner": "3",
                    "chorus_frequency": "once"}}}
        }));
        let payment = paid.confirmed_payment().expect("a payment");
        assert_eq!(payment.payment_ref, "cs_1");
        assert_eq!(payment.donor_ref, "cs_1");
        assert_eq!((payment.amount, payment.currency.as_str()), (2500, "EUR"));
        assert_eq!(payment.partner_id, Some(3));

        let unpaid = event(serde_json::json!({
            "id": "evt_2", "type": "checkout.session.completed",
            "data": {"object": {"id": "cs_2", "mode": "payment", "payment_status": "unpaid",
                "amount_total": 2500, "currency": "eur",
                "metadata": {"chorus_campaign": "migrants-day"}}}
        }));
        assert_eq!(unpaid.confirmed_payment(), None);
    }

    #[test]
    fn invoices_of_a_subscription_count_under_one_donor_in_both_api_shapes() {
        let old_shape = event(serde_json::json!({
            "id": "evt_3", "type": "invoice.paid",
            "data": {"object": {"id": "in_1", "amount_paid": 500, "currency": "eur",
                "subscription": "sub_1",
                "subscription_details": {"metadata": {"chorus_campaign": "migrants-day",
                    "chorus_frequency": "monthly"}}}}
        }));
        let new_shape = event(serde_json::json!({
            "id": "evt_4", "type": "invoice.paid",
            "data": {"object": {"id": "in_2", "amount_paid": 500, "currency": "eur",
                "parent": {"subscription_details": {"subscription": "sub_1",
                    "metadata": {"chorus_campaign": "migrants-day",
                        "chorus_frequency": "monthly"}}}}}
        }));
        for (shape, invoice) in [(old_shape, "in_1"), (new_shape, "in_2")] {
            let payment = shape.confirmed_payment().expect("a payment");
            assert_eq!(payment.payment_ref, invoice);
            assert_eq!(payment.donor_ref, "sub_1");
            assert_eq!(payment.frequency, Frequency::Monthly);
        }
    }

    #[test]
    fn events_of_other_products_or_kinds_confirm_nothing() {
        let not_ours = event(serde_json::json!({
            "id": "evt_5", "type": "invoice.paid",
            "data": {"object": {"id": "in_3", "amount_paid": 900, "currency": "eur",
                "subscription": "sub_9", "subscription_details": {"metadata": {}}}}
        }));
        assert_eq!(not_ours.confirmed_payment(), None);
        let refund = event(serde_json::json!({
            "id": "evt_6", "type": "charge.refunded", "data": {"object": {"id": "ch_1"}}
        }));
        assert_eq!(refund.confirmed_payment(), None);
    }

    #[test]
    fn a_monthly_session_is_a_subscription_with_attribution_on_its_invoices() {
        let params = session_params(&SessionRequest {
            idempotency_key: "k",
            product_name: "Migrants Day",
            amount: 500,
            currency: "EUR",
            frequency: Frequency::Monthly,
            locale: "fr",
            success_url: "https://partner.example/?chorus=thanks",
            cancel_url: "https://partner.example/?chorus=cancelled",
            campaign: "migrants-day",
            partner_id: Some(7),
        });
        let get = |key: &str| {
            params
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("mode"), Some("subscription"));
        assert_eq!(get("submit_type"), None);
        assert_eq!(
            get("line_items[0][price_data][recurring][interval]"),
            Some("month")
        );
        assert_eq!(get("line_items[0][price_data][currency]"), Some("eur"));
        assert_eq!(
            get("subscription_data[metadata][chorus_partner]"),
            Some("7")
        );
        assert_eq!(get("metadata[chorus_campaign]"), Some("migrants-day"));
    }
}
