//! Donations: the campaign a donate widget shows, the hand-off to the
//! payment provider, the provider's webhook, and live totals.
//!
//! Chorus never sees card data: the donor pays on the provider's page. It
//! learns of a gift only from the provider's signed notification, and keeps
//! the amount, frequency, partner and time, nothing about the donor.

pub mod campaign;
pub mod cli;
pub mod export;
mod handoff;
pub mod money;
pub mod page;
pub mod stripe;
mod totals;
mod webhook;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use chorus_wire::donate::{
    Ask as WireAsk, Checkout, CheckoutRequest, DonationCampaign, DonationTotals,
};
use serde::Deserialize;
use tower_http::cors::CorsLayer;
use url::Url;

pub use handoff::RETURN_CAMPAIGN_PARAM;
pub use stripe::Stripe;
pub use totals::Totals;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::ident::{Lang, Origin, Slug, pick_text};
use crate::storage::{DonationCampaignRecord, Partner, Store, now_millis, rfc3339};

/// A checkout request is a few hundred bytes.
const MAX_RETURN_URL: usize = 2048;
/// Campaign texts change rarely; totals move live over the page's connection.
const CAMPAIGN_CACHE: &str = "public, max-age=10, stale-while-revalidate=60";
const TOTALS_CACHE: &str = "public, max-age=2, stale-while-revalidate=30, stale-if-error=600";

/// Public reads, under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{slug}", get(show_campaign))
        .route("/campaigns/{slug}/totals", get(show_totals))
}

/// Starting a checkout (partners' pages only) and the providers' webhooks.
pub fn writes(store: std::sync::Arc<dyn Store>) -> Router<AppState> {
    let checkout = Router::new().route(
        &format!("{}/campaigns/{{slug}}/checkout", chorus_wire::API_PREFIX),
        post(start_checkout).fallback(|| async { ApiError::MethodNotAllowed }),
    );
    let checkout = crate::bodies::limit(checkout, crate::bodies::CHECKOUT_BYTES)
        .layer(partners_only_cors(store));
    checkout.merge(crate::bodies::limit(
        webhook::router(),
        crate::bodies::WEBHOOK_BYTES,
    ))
}

async fn find(store: &dyn Store, raw_slug: &str) -> Result<DonationCampaignRecord, ApiError> {
    let slug = crate::extract::slug(raw_slug)?;
    store
        .donation_campaign_by_slug(&slug)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no donation campaign {slug}")))
}

#[derive(Debug, Deserialize)]
struct CampaignQuery {
    lang: Option<String>,
}

async fn show_campaign(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<CampaignQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let campaign = read_campaign(&state, &slug, query.lang.as_deref()).await?;
    Ok((
        [(header::CACHE_CONTROL, CAMPAIGN_CACHE)],
        axum::Json(campaign),
    ))
}

/// A donation campaign as its widget shows it, in the language `lang`
/// names where it has a text in it.
pub async fn read_campaign(
    state: &AppState,
    slug: &str,
    lang: Option<&str>,
) -> Result<DonationCampaign, ApiError> {
    let record = find(&*state.store, slug).await?;
    campaign_view(state, &record, lang).await
}

/// [`read_campaign`] for a campaign already found.
async fn campaign_view(
    state: &AppState,
    record: &DonationCampaignRecord,
    lang: Option<&str>,
) -> Result<DonationCampaign, ApiError> {
    let wanted = lang
        .map(Lang::parse)
        .transpose()
        .map_err(|e| ApiError::bad_request("invalid_lang", e))?;
    let texts = state.store.donation_texts(record.id).await?;
    let text = pick_text(&texts, wanted.as_ref(), &record.default_lang)
        .ok_or_else(|| ApiError::NotFound(format!("campaign {} has no text yet", record.slug)))?;
    let default_text = texts.iter().find(|t| t.lang == record.default_lang);
    let totals = current_totals(state, &record.slug).await?;
    let settings = &record.settings;
    let asks = settings
        .asks
        .iter()
        .map(|ask| {
            let key = ask.key();
            let label = text
                .labels
                .get(&key)
                .or_else(|| default_text.and_then(|d| d.labels.get(&key)))
                .cloned();
            WireAsk {
                frequency: ask.frequency,
                amount: ask.amount,
                label,
            }
        })
        .collect();
    Ok(DonationCampaign {
        slug: record.slug.to_string(),
        lang: text.lang.to_string(),
        title: text.title.clone(),
        impact: text.impact.clone(),
        currency: settings.currency.clone(),
        minor_units: money::currency(&settings.currency).map_or(2, |(_, e)| e),
        frequencies: settings.frequencies.clone(),
        asks,
        min_amount: settings.min_amount,
        max_amount: settings.max_amount,
        deadline: settings.deadline.and_then(rfc3339),
        open: campaign::is_open(settings, now_millis()),
        totals,
    })
}

async fn show_totals(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let slug = crate::extract::slug(&slug)?;
    let totals = current_totals(&state, &slug).await?;
    Ok(([(header::CACHE_CONTROL, TOTALS_CACHE)], axum::Json(totals)))
}

async fn current_totals(state: &AppState, slug: &Slug) -> Result<DonationTotals, ApiError> {
    state
        .totals
        .get(slug)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no donation campaign {slug}")))
}

/// Browsers may start a checkout only from a page of one of the campaign's
/// partners.
fn partners_only_cors(store: std::sync::Arc<dyn Store>) -> CorsLayer {
    crate::app::partners_only_cors("campaigns", "checkout", move |slug, origin| {
        let store = store.clone();
        async move {
            match store.donation_campaign_by_slug(&slug).await {
                Ok(Some(record)) => partner_at(&*store, record.id, &origin).await.is_some(),
                _ => false,
            }
        }
    })
}

fn parse_origin(value: &HeaderValue) -> Option<Origin> {
    value.to_str().ok().and_then(|v| Origin::parse(v).ok())
}

async fn partner_at(store: &dyn Store, campaign_id: i64, origin: &Origin) -> Option<Partner> {
    let partners = store.donation_partners(campaign_id).await.ok()?;
    partners.into_iter().find(|p| &p.origin == origin)
}

async fn start_checkout(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Json(request): Json<CheckoutRequest>,
) -> Result<axum::Json<Checkout>, ApiError> {
    let record = find(&*state.store, &slug).await?;
    let refused =
        || ApiError::Forbidden("gifts are started only from the campaign's partner sites".into());
    let origin = headers
        .get(header::ORIGIN)
        .and_then(parse_origin)
        .ok_or_else(refused)?;
    let partner = partner_at(&*state.store, record.id, &origin)
        .await
        .ok_or_else(refused)?;
    let redirect = hand_off(&state, &record, &partner, &origin, &request).await?;
    Ok(axum::Json(Checkout { redirect }))
}

/// The provider's page for a gift started on `partner`'s page at `origin`,
/// checked against its campaign: for the widget's checkout, and the donate
/// page's plain form.
async fn hand_off(
    state: &AppState,
    record: &DonationCampaignRecord,
    partner: &Partner,
    origin: &Origin,
    request: &CheckoutRequest,
) -> Result<String, ApiError> {
    let settings = &record.settings;
    if !campaign::is_open(settings, now_millis()) {
        return Err(ApiError::bad_request(
            "campaign_closed",
            "this campaign no longer takes gifts",
        ));
    }
    let checked = check_request(request, record, origin)?;
    let texts = state.store.donation_texts(record.id).await?;
    let lang = Lang::parse(&request.lang).unwrap_or_else(|_| record.default_lang.clone());
    let title = pick_text(&texts, Some(&lang), &record.default_lang)
        .map_or_else(|| record.slug.to_string(), |t| t.title.clone());
    let gift = handoff::Gift {
        campaign: record.slug.as_str(),
        title: &title,
        frequency: checked.frequency,
        amount: checked.amount,
        currency: &settings.currency,
        lang: lang.as_str(),
        partner_id: Some(partner.id),
        return_url: &checked.return_url,
        idempotency_key: &request.idempotency_key,
    };
    handoff::redirect(&settings.provider, &gift, &state.stripe)
        .await
        .map_err(|e| ApiError::Upstream(e.to_string()))
}

/// A checkout request's values, checked against the campaign.
#[derive(Debug)]
struct Checked {
    frequency: chorus_wire::donate::Frequency,
    amount: u64,
    return_url: Url,
}

fn check_request(
    request: &CheckoutRequest,
    record: &DonationCampaignRecord,
    origin: &Origin,
) -> Result<Checked, ApiError> {
    let settings = &record.settings;
    let key = &request.idempotency_key;
    if !(8..=100).contains(&key.len())
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ApiError::bad_request(
            "invalid_idempotency_key",
            "idempotency_key has 8 to 100 letters, digits, - or _",
        ));
    }
    let frequency = match request.frequency {
        // Storage never holds a campaign without a frequency; should one
        // appear, it takes no gifts rather than failing.
        None => *settings
            .frequencies
            .first()
            .ok_or_else(|| ApiError::Internal("a donation campaign without frequencies".into()))?,
        Some(f) if settings.frequencies.contains(&f) => f,
        Some(f) => {
            return Err(ApiError::bad_request(
                "invalid_frequency",
                format!("this campaign does not take {} gifts", f.as_str()),
            ));
        }
    };
    if !request.currency.eq_ignore_ascii_case(&settings.currency) {
        return Err(ApiError::bad_request(
            "wrong_currency",
            format!("this campaign takes gifts in {}", settings.currency),
        ));
    }
    let shown = |amount: u64| money::shown(amount, &settings.currency);
    let amount = u64::try_from(request.amount).unwrap_or(0);
    if amount < settings.min_amount {
        return Err(ApiError::bad_request(
            "amount_too_small",
            format!("the smallest gift is {}", shown(settings.min_amount)),
        ));
    }
    if amount > settings.max_amount {
        return Err(ApiError::bad_request(
            "amount_too_large",
            format!("the largest gift is {}", shown(settings.max_amount)),
        ));
    }
    let return_url = Some(&request.return_url)
        .filter(|raw| raw.len() <= MAX_RETURN_URL)
        .and_then(|raw| Url::parse(raw).ok())
        .filter(|url| url.origin().ascii_serialization() == origin.as_str())
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_return_url",
                "return_url must be an address on the page's own site",
            )
        })?;
    Ok(Checked {
        frequency,
        amount,
        return_url,
    })
}
