//! A partner organisation's website, served from its own origin, that
//! embeds Chorus with the snippet and nothing else, as partners do. It also
//! serves the demo's payment page: a stand-in provider that needs no account.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use chorus_wire::donate::Frequency;
use serde::Deserialize;

use crate::ident::{Origin, Slug};
use crate::storage::{NewDonation, ProviderEvent, Store, now_millis};

/// What the partner site's pages need.
#[derive(Debug, Clone)]
struct Site {
    chorus: String,
    origin: Origin,
    store: Arc<dyn Store>,
}

#[derive(Debug, Template)]
#[template(path = "partner_demo.html")]
struct PartnerPage {
    chorus: String,
    lang: &'static str,
    inline: bool,
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    lang: Option<String>,
    mode: Option<String>,
}

/// The partner site at `origin`, embedding the Chorus instance at
/// `chorus_origin`; its payment page records gifts in `store`.
pub fn router(chorus_origin: String, origin: Origin, store: Arc<dyn Store>) -> Router {
    Router::new()
        .route("/", get(show_page))
        .route("/privacy", get(privacy_notice))
        .route("/pay", get(show_payment).post(pay))
        .with_state(Site {
            chorus: chorus_origin,
            origin,
            store,
        })
}

async fn show_page(State(site): State<Site>, Query(query): Query<PageQuery>) -> Response {
    let chorus = site.chorus;
    let lang = match query.lang.as_deref() {
        Some("fr") => "fr",
        Some("es") => "es",
        _ => "en",
    };
    let inline = query.mode.as_deref() == Some("inline");
    match (PartnerPage {
        chorus,
        lang,
        inline,
    })
    .render()
    {
        Ok(html) => Html(html).into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

#[derive(Debug, Template)]
#[template(path = "demo_pay.html")]
struct PaymentPage {
    campaign: String,
    amount: String,
    amount_minor: u64,
    currency: String,
    frequency: String,
    return_url: String,
    cancel_url: String,
}

/// What the campaign's URL template sends, and the payment form posts back.
#[derive(Debug, Deserialize)]
struct Payment {
    campaign: String,
    amount: u64,
    currency: String,
    frequency: String,
    return_url: String,
    #[serde(default)]
    cancel_url: String,
}

async fn show_payment(Query(payment): Query<Payment>) -> Response {
    let exponent = crate::donations::money::currency(&payment.currency).map_or(2, |(_, e)| e);
    let page = PaymentPage {
        amount: crate::donations::money::format_major(payment.amount, exponent),
        amount_minor: payment.amount,
        campaign: payment.campaign,
        currency: payment.currency,
        frequency: payment.frequency,
        return_url: payment.return_url,
        cancel_url: payment.cancel_url,
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

/// "Pays": records the gift as a provider's notification would, then sends
/// the donor back to the partner page, as a provider does.
async fn pay(State(site): State<Site>, Form(payment): Form<Payment>) -> Response {
    let refused = |why: &str| (StatusCode::BAD_REQUEST, why.to_owned()).into_response();
    // Only back to this site: the demo is no open redirect.
    if !payment.return_url.starts_with(&format!("{}/", site.origin)) {
        return refused("the return address is not on this site");
    }
    let Some(frequency) = Frequency::parse(&payment.frequency) else {
        return refused("unknown frequency");
    };
    let Ok(slug) = Slug::parse(&payment.campaign) else {
        return refused("unknown campaign");
    };
    let campaign = match site.store.donation_campaign_by_slug(&slug).await {
        Ok(Some(campaign)) => campaign,
        _ => return refused("unknown campaign"),
    };
    let settings = &campaign.settings;
    if payment.currency != settings.currency
        || !(settings.min_amount..=settings.max_amount).contains(&payment.amount)
    {
        return refused("the amount is outside the campaign's limits");
    }
    let partner_id = site
        .store
        .donation_partners(campaign.id)
        .await
        .ok()
        .and_then(|partners| partners.into_iter().find(|p| p.origin == site.origin))
        .map(|p| p.id);
    let reference = format!("demo-{}-{}", now_millis(), payment.amount);
    let event = ProviderEvent {
        provider: "demo",
        event_id: reference.clone(),
        donation: Some(NewDonation {
            campaign_id: campaign.id,
            partner_id,
            payment_ref: reference.clone(),
            donor_ref: reference,
            amount: payment.amount,
            currency: payment.currency,
            frequency,
            donated_at: now_millis(),
        }),
    };
    match site.store.record_provider_event(&event).await {
        Ok(_) => Redirect::to(&payment.return_url).into_response(),
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response(),
    }
}

/// The demo campaign's privacy notice, which the consent links to.
async fn privacy_notice() -> Html<&'static str> {
    Html(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Privacy notice (demo)</title></head><body>\
         <h1>Privacy notice (demo)</h1>\
         <p>This is a demonstration. A real campaign explains here who receives \
         signers' details, for what purpose, for how long they are kept, and how \
         to have them erased.</p></body></html>",
    )
}
