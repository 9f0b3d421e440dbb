//! Donations over HTTP: the campaign a widget reads, the hand-off to the
//! provider (against a Stripe stand-in), Stripe's webhooks, live totals and
//! the export.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chorus::donations::campaign::{SettingsDraft, TextDraft, check_settings, check_text};
use chorus::donations::stripe::sign;
use chorus::ident::Slug;
use chorus::storage::{DonationCampaignRecord, NewDonationCampaign, Provider};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::stripe_standin::{OLD_WEBHOOK_SECRET, SECRET_KEY, WEBHOOK_SECRET};

pub(crate) const PARTNER: &str = "https://partner.example";
const PAGE: &str = "https://partner.example/give?ref=newsletter";
const PATIENCE: Duration = Duration::from_secs(5);

/// A EUR campaign: monthly (the default) or one-off, 2 to 5,000, a 20,000
/// goal, with `PARTNER` as its partner.
pub(crate) async fn campaign(
    app: &TestApp,
    slug: &str,
    provider: Provider,
) -> DonationCampaignRecord {
    campaign_with_partner(app, slug, provider, PARTNER).await
}

/// The same, with the partner site at `partner_origin`.
pub(crate) async fn campaign_with_partner(
    app: &TestApp,
    slug: &str,
    provider: Provider,
    partner_origin: &str,
) -> DonationCampaignRecord {
    let frequencies = match provider {
        Provider::Paypal { .. } => vec!["once".into()],
        _ => vec!["monthly".into(), "once".into()],
    };
    let asks = match provider {
        Provider::Paypal { .. } => vec!["once:25".into()],
        _ => vec!["monthly:5".into(), "monthly:10".into(), "once:25".into()],
    };
    let settings = check_settings(&SettingsDraft {
        currency: "EUR".into(),
        goal: Some("20000".into()),
        min: "2".into(),
        max: "5000".into(),
        deadline: None,
        frequencies,
        asks,
        provider,
    })
    .expect("valid settings");
    let text = |lang: &str, title: &str, label: &str| {
        check_text(
            &TextDraft {
                lang: lang.into(),
                title: title.into(),
                impact: format!("{title}: impact"),
                labels: if label.is_empty() {
                    Vec::new()
                } else {
                    vec![format!("once:25={label}")]
                },
            },
            &settings,
        )
        .expect("valid text")
    };
    let record = app
        .store
        .create_donation_campaign(&NewDonationCampaign {
            slug: Slug::parse(slug).expect("slug"),
            settings: settings.clone(),
            text: text("en", "Migrants Day", "A week of meals"),
        })
        .await
        .expect("campaign created");
    app.store
        .put_donation_text(record.id, &text("fr", "Journée des migrants", ""))
        .await
        .expect("translation stored");
    let origin = chorus::ident::Origin::parse(partner_origin).expect("origin");
    let partner = match app.store.partners().await.expect("partners") {
        known if !known.is_empty() => known[0].clone(),
        _ => app
            .store
            .add_partner("Partner", &origin)
            .await
            .expect("partner"),
    };
    app.store
        .put_donation_partner(record.id, partner.id)
        .await
        .expect("partner joins");
    record
}

fn gift(frequency: &str, amount: i64) -> Value {
    json!({
        "idempotency_key": format!("gift-{frequency}-{amount}-key"),
        "frequency": frequency,
        "amount": amount,
        "currency": "EUR",
        "lang": "fr",
        "return_url": PAGE,
    })
}

async fn checkout(app: &TestApp, slug: &str, origin: &str, body: &Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/campaigns/{slug}/checkout", app.origin))
        .header("origin", origin)
        .json(body)
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) fn now() -> i64 {
    chorus::storage::now_millis() / 1000
}

/// Posts a Stripe event signed with `secret` at `timestamp`.
pub(crate) async fn deliver(
    app: &TestApp,
    event: &Value,
    secret: &str,
    timestamp: i64,
) -> (u16, Value) {
    let body = serde_json::to_vec(event).expect("JSON");
    let response = app
        .client
        .post(format!("{}/api/v1/webhooks/stripe", app.origin))
        .header("stripe-signature", sign(secret, timestamp, &body))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn one_off_paid(event_id: &str, session: &str, amount: u64, kind: &str) -> Value {
    json!({
        "id": event_id, "type": kind, "created": now(),
        "data": {"object": {
            "id": session, "object": "checkout.session", "mode": "payment",
            "payment_status": "paid", "amount_total": amount, "currency": "eur",
            "customer_details": {"email": "donor@example.org", "name": "Never Stored"},
            "metadata": {"chorus_campaign": "migrants-day", "chorus_frequency": "once",
                "chorus_partner": "1"}}}
    })
}

pub(crate) fn invoice_paid(
    event_id: &str,
    invoice: &str,
    subscription: &str,
    amount: u64,
) -> Value {
    json!({
        "id": event_id, "type": "invoice.paid", "created": now(),
        "data": {"object": {
            "id": invoice, "object": "invoice", "amount_paid": amount, "currency": "eur",
            "parent": {"subscription_details": {"subscription": subscription,
                "metadata": {"chorus_campaign": "migrants-day",
                    "chorus_frequency": "monthly"}}}}}
    })
}

async fn totals(app: &TestApp, slug: &str) -> Value {
    let response = app.get(&format!("/api/v1/campaigns/{slug}/totals")).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

/// Waits until the campaign's totals read `raised` and `donors`.
async fn wait_for_totals(app: &TestApp, raised: u64, donors: u64) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let current = totals(app, "migrants-day").await;
        if current["raised"] == raised && current["donors"] == donors {
            return current;
        }
        assert!(Instant::now() < deadline, "totals stuck at {current}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_campaign_reads_in_the_supporters_language_with_its_asks_and_totals() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", Provider::Stripe).await;

    let fr: Value = app
        .get("/api/v1/campaigns/migrants-day?lang=fr-CA")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(fr["title"], "Journée des migrants");
    assert_eq!(
        (fr["currency"].as_str(), fr["minor_units"].as_u64()),
        (Some("EUR"), Some(2))
    );
    assert_eq!(fr["frequencies"], json!(["monthly", "once"]));
    assert_eq!(
        fr["asks"][0],
        json!({"frequency": "monthly", "amount": 500, "label": null})
    );
    // The French text has no label of its own: the English one stands in.
    assert_eq!(fr["asks"][2]["label"], "A week of meals");
    assert_eq!(
        (fr["min_amount"].as_u64(), fr["max_amount"].as_u64()),
        (Some(200), Some(500_000))
    );
    assert_eq!(
        (
            fr["raised"].as_u64(),
            fr["goal"].as_u64(),
            fr["donors"].as_u64()
        ),
        (Some(0), Some(2_000_000), Some(0))
    );
    assert_eq!(fr["open"], true);

    assert_eq!(app.get("/api/v1/campaigns/no-such").await.status(), 404);
    assert_eq!(app.get("/api/v1/campaigns/Bad%20Slug").await.status(), 400);
}

#[tokio::test]
async fn a_monthly_gift_opens_a_stripe_subscription_session_with_attribution() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", Provider::Stripe).await;

    let (status, body) = checkout(&app, "migrants-day", PARTNER, &gift("monthly", 500)).await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["redirect"],
        format!("{}c/pay/cs_test_0", app.stripe.base)
    );
    let sent = app.stripe.requests();
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request.authorization, format!("Bearer {SECRET_KEY}"));
    assert_eq!(request.idempotency_key, "chorus-gift-monthly-500-key");
    let form = |key: &str| request.form.get(key).map(String::as_str);
    assert_eq!(form("mode"), Some("subscription"));
    assert_eq!(form("line_items[0][price_data][unit_amount]"), Some("500"));
    assert_eq!(form("line_items[0][price_data][currency]"), Some("eur"));
    assert_eq!(
        form("line_items[0][price_data][recurring][interval]"),
        Some("month")
    );
    assert_eq!(
        form("line_items[0][price_data][product_data][name]"),
        Some("Journée des migrants")
    );
    assert_eq!(form("locale"), Some("fr"));
    assert_eq!(
        form("success_url"),
        Some(
            // The page's own query (a newsletter's tag) stays behind.
            "https://partner.example/give?chorus=thanks&chorus_campaign=migrants-day"
        )
    );
    assert!(form("cancel_url").is_some_and(|u| u.contains("chorus=cancelled")));
    assert_eq!(form("metadata[chorus_campaign]"), Some("migrants-day"));
    assert_eq!(
        form("subscription_data[metadata][chorus_campaign]"),
        Some("migrants-day")
    );
    assert!(form("subscription_data[metadata][chorus_partner]").is_some());
    // Nothing about the donor is sent: Stripe's page asks for it.
    assert!(!request.form.keys().any(|k| k.contains("email")));
}

#[tokio::test]
async fn a_one_off_gift_is_a_donation_payment_and_a_double_click_opens_one_session() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", Provider::Stripe).await;

    let first = checkout(&app, "migrants-day", PARTNER, &gift("once", 2500)).await;
    let again = checkout(&app, "migrants-day", PARTNER, &gift("once", 2500)).await;

    assert_eq!(first.0, 200);
    assert_eq!(first, again, "the same key gets the same session");
    let sent = app.stripe.requests();
    assert_eq!(
        sent[0].form.get("mode").map(String::as_str),
        Some("payment")
    );
    assert_eq!(
        sent[0].form.get("submit_type").map(String::as_str),
        Some("donate")
    );
    assert!(
        !sent[0]
            .form
            .contains_key("line_items[0][price_data][recurring][interval]")
    );
}

#[tokio::test]
async fn bad_gifts_are_refused_with_a_clear_code_and_nothing_reaches_stripe() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", Provider::Stripe).await;
    let mut wrong_currency = gift("once", 2500);
    wrong_currency["currency"] = json!("USD");
    let mut elsewhere = gift("once", 2500);
    elsewhere["return_url"] = json!("https://evil.example/steal");
    let mut no_key = gift("once", 2500);
    no_key["idempotency_key"] = json!("");

    let cases = [
        (gift("once", 0), "amount_too_small"),
        (gift("once", -500), "amount_too_small"),
        (gift("once", 199), "amount_too_small"),
        (gift("once", 500_001), "amount_too_large"),
        (gift("yearly", 5000), "invalid_frequency"),
        (wrong_currency, "wrong_currency"),
        (elsewhere, "invalid_return_url"),
        (no_key, "invalid_idempotency_key"),
    ];
    for (body, code) in cases {
        let (status, answer) = checkout(&app, "migrants-day", PARTNER, &body).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (400, Some(code)),
            "{body}"
        );
        assert!(
            !answer["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        );
    }
    let (status, answer) = checkout(
        &app,
        "migrants-day",
        "https://stranger.example",
        &gift("once", 2500),
    )
    .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (403, Some("forbidden_origin"))
    );
    let (status, _) = checkout(&app, "no-such", PARTNER, &gift("once", 2500)).await;
    assert_eq!(status, 404);
    let response = app
        .client
        .post(format!(
            "{}/api/v1/campaigns/migrants-day/checkout",
            app.origin
        ))
        .header("origin", PARTNER)
        .header("content-type", "application/json")
        .body("{\"amount\": ")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);

    assert!(
        app.stripe.requests().is_empty(),
        "nothing was sent to Stripe"
    );
}

#[tokio::test]
async fn a_closed_campaign_takes_no_more_gifts() {
    let app = TestApp::spawn().await;
    let open = campaign(&app, "migrants-day", Provider::Stripe).await;
    let mut settings = open.settings;
    settings.deadline = Some(chorus::storage::now_millis() - 1000);
    let text = app
        .store
        .donation_texts(open.id)
        .await
        .expect("texts")
        .remove(0);
    app.store
        .create_donation_campaign(&NewDonationCampaign {
            slug: Slug::parse("last-year").expect("slug"),
            settings,
            text,
        })
        .await
        .expect("created");
    let closed = app
        .store
        .donation_campaign_by_slug(&Slug::parse("last-year").expect("slug"))
        .await
        .expect("read")
        .expect("exists");
    let partner = app.store.partners().await.expect("partners").remove(0);
    app.store
        .put_donation_partner(closed.id, partner.id)
        .await
        .expect("joins");

    let (status, answer) = checkout(&app, "last-year", PARTNER, &gift("once", 2500)).await;

    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("campaign_closed"))
    );
    let shown: Value = app
        .get("/api/v1/campaigns/last-year")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(shown["open"], false);
}

#[tokio::test]
async fn paypal_and_link_campaigns_redirect_with_the_amount_filled_in() {
    let app = TestApp::spawn().await;
    campaign(
        &app,
        "paypal-day",
        Provider::Paypal {
            hosted_button_id: "ABC123XYZ".into(),
        },
    )
    .await;
    campaign(
        &app,
        "link-day",
        Provider::Link {
            template:
                "https://pay.example/give?amount={amount}&every={frequency}&back={return_url}"
                    .into(),
        },
    )
    .await;

    let (status, paypal) = checkout(&app, "paypal-day", PARTNER, &gift("once", 2500)).await;
    assert_eq!(status, 200, "{paypal}");
    let url = url::Url::parse(paypal["redirect"].as_str().expect("a URL")).expect("valid");
    let query: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(url.host_str(), Some("www.paypal.com"));
    assert_eq!(query["hosted_button_id"], "ABC123XYZ");
    assert_eq!(
        (query["amount"].as_str(), query["currency_code"].as_str()),
        ("25.00", "EUR")
    );

    let (status, link) = checkout(&app, "link-day", PARTNER, &gift("monthly", 1050)).await;
    assert_eq!(status, 200, "{link}");
    let url = url::Url::parse(link["redirect"].as_str().expect("a URL")).expect("valid");
    let query: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(
        (query["amount"].as_str(), query["every"].as_str()),
        ("10.50", "monthly")
    );
    assert!(query["back"].starts_with("https://partner.example/give?chorus=thanks"));
    assert!(app.stripe.requests().is_empty());
}

#[tokio::test]
async fn a_signed_payment_event_moves_the_totals_and_only_a_valid_signature_counts() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", Provider::Stripe).await;
    let event = one_off_paid("evt_1", "cs_1", 2500, "checkout.session.completed");

    let forged = deliver(&app, &event, "whsec_someone_else", now()).await;
    let stale = deliver(&app, &event, WEBHOOK_SECRET, now() - 301).await;
    let unsigned = app
        .client
        .post(format!("{}/api/v1/webhooks/stripe", app.origin))
        .json(&event)
        .send()
        .await
        .expect("sent");
    assert_eq!(
        (forged.0, forged.1["error"]["code"].as_str()),
        (400, Some("invalid_signature"))
    );
    assert_eq!(
        (stale.0, stale.1["error"]["code"].as_str()),
        (400, Some("invalid_signature"))
    );
    assert_eq!(unsigned.status(), 400);
    assert_eq!(totals(&app, "migrants-day").await["raised"], 0);

    let accepted = deliver(&app, &event, WEBHOOK_SECRET, now()).await;
    assert_eq!(accepted.0, 200);
    wait_for_totals(&app, 2500, 1).await;

    // The secret being rotated out still verifies, during the rotation.
    let rotated = one_off_paid("evt_2", "cs_2", 1000, "checkout.session.completed");
    assert_eq!(
        deliver(&app, &rotated, OLD_WEBHOOK_SECRET, now()).await.0,
        200
    );
    wait_for_totals(&app, 3500, 2).await;
}

#[tokio::test]
async fn repeated_and_out_of_order_events_count_each_payment_once() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", Provider::Stripe).await;
    let completed = one_off_paid("evt_a", "cs_a", 2500, "checkout.session.completed");
    // Stripe also sends this one for the same session when payment was slow.
    let async_paid = one_off_paid(
        "evt_b",
        "cs_a",
        2500,
        "checkout.session.async_payment_succeeded",
    );
    // A monthly donor's first invoice, arriving before the session's own
    // event, then announced twice under two event types.
    let first_month = invoice_paid("evt_c", "in_1", "sub_1", 500);
    let mut same_invoice = invoice_paid("evt_d", "in_1", "sub_1", 500);
    same_invoice["type"] = json!("invoice.payment_succeeded");
    let subscription_completed = json!({
        "id": "evt_e", "type": "checkout.session.completed", "created": now(),
        "data": {"object": {"id": "cs_sub", "mode": "subscription", "payment_status": "paid",
            "amount_total": 500, "currency": "eur", "subscription": "sub_1",
            "metadata": {"chorus_campaign": "migrants-day", "chorus_frequency": "monthly"}}}
    });
    let second_month = invoice_paid("evt_f", "in_2", "sub_1", 500);

    for event in [
        &first_month,
        &completed,
        &completed,
        &async_paid,
        &same_invoice,
        &subscription_completed,
        &second_month,
        &first_month,
    ] {
        let (status, body) = deliver(&app, event, WEBHOOK_SECRET, now()).await;
        assert_eq!(status, 200, "{body}");
    }

    // 25.00 once and two months of 5.00, from two people.
    wait_for_totals(&app, 3500, 2).await;
    let mut csv = Vec::new();
    let record = app
        .store
        .donation_campaign_by_slug(&Slug::parse("migrants-day").expect("slug"))
        .await
        .expect("read")
        .expect("exists");
    let rows = chorus::donations::export::write_csv(&*app.store, record.id, &mut csv)
        .await
        .expect("export");
    assert_eq!(rows, 3);
    let csv = String::from_utf8(csv).expect("UTF-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "donated_at,amount,currency,frequency,partner,provider,donation_id"
    );
    assert!(lines[1].contains(",5.00,EUR,monthly,,stripe,"), "{csv}");
    assert!(
        lines[2].contains(",25.00,EUR,once,Partner,stripe,"),
        "{csv}"
    );
    assert!(!csv.contains("donor@example.org") && !csv.contains("Never Stored"));
}

#[tokio::test]
async fn events_for_other_campaigns_or_currencies_are_acknowledged_and_not_counted() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", Provider::Stripe).await;
    let mut unknown = one_off_paid("evt_x", "cs_x", 2500, "checkout.session.completed");
    unknown["data"]["object"]["metadata"]["chorus_campaign"] = json!("someone-elses");
    let mut dollars = one_off_paid("evt_y", "cs_y", 2500, "checkout.session.completed");
    dollars["data"]["object"]["currency"] = json!("usd");
    let refund = json!({"id": "evt_z", "type": "charge.refunded", "created": now(),
        "data": {"object": {"id": "ch_1", "amount_refunded": 2500}}});

    for event in [&unknown, &dollars, &refund] {
        assert_eq!(deliver(&app, event, WEBHOOK_SECRET, now()).await.0, 200);
    }
    let counted = one_off_paid("evt_ok", "cs_ok", 700, "checkout.session.completed");
    assert_eq!(deliver(&app, &counted, WEBHOOK_SECRET, now()).await.0, 200);

    wait_for_totals(&app, 700, 1).await;
}

#[tokio::test]
async fn a_gift_confirmed_on_one_instance_reaches_live_connections_on_another_within_a_second() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", Provider::Stripe).await;
    let other = app.second_instance().await;
    let response = other.get("/api/v1/live?campaigns=migrants-day").await;
    assert_eq!(response.status(), 200);
    let mut live = crate::helpers::EventReader::from_response(response);
    let opening = live.next_within(PATIENCE).await.expect("opening totals");
    assert_eq!(opening.event, "donations");

    let sent = Instant::now();
    let event = one_off_paid("evt_live", "cs_live", 2500, "checkout.session.completed");
    assert_eq!(deliver(&app, &event, WEBHOOK_SECRET, now()).await.0, 200);
    let update = live.next_within(PATIENCE).await.expect("an update");
    let elapsed = sent.elapsed();

    assert_eq!(update.event, "donations");
    let totals: Value = serde_json::from_str(&update.data).expect("JSON");
    assert_eq!(
        (totals["raised"].as_u64(), totals["donors"].as_u64()),
        (Some(2500), Some(1))
    );
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
}

#[tokio::test]
async fn only_partners_get_a_preflight_for_checkout() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", Provider::Stripe).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/api/v1/campaigns/migrants-day/checkout", app.origin),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let partner = preflight(PARTNER).await.expect("sent");
    let stranger = preflight("https://stranger.example").await.expect("sent");
    assert_eq!(
        partner
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some(PARTNER)
    );
    assert!(
        stranger
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn a_campaign_offering_no_frequency_is_never_stored() {
    let app = TestApp::spawn().await;
    let mut settings = check_settings(&SettingsDraft {
        currency: "EUR".into(),
        goal: None,
        min: "2".into(),
        max: "500".into(),
        deadline: None,
        frequencies: vec!["once".into()],
        asks: vec!["once:25".into()],
        provider: Provider::Stripe,
    })
    .expect("valid settings");
    let text = check_text(
        &TextDraft {
            lang: "en".into(),
            title: "Migrants Day".into(),
            impact: String::new(),
            labels: Vec::new(),
        },
        &settings,
    )
    .expect("valid text");
    // Past the organisers' checks (as a script or an older build might
    // write it), storage is the last edge: a checkout would have nothing to
    // default to.
    settings.frequencies.clear();
    let refused = app
        .store
        .create_donation_campaign(&NewDonationCampaign {
            slug: Slug::parse("no-frequency").expect("slug"),
            settings,
            text,
        })
        .await;
    assert!(refused.is_err(), "{refused:?}");
    assert!(app.get("/api/v1/campaigns/no-frequency").await.status() == 404);
}
