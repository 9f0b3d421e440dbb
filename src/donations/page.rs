//! `GET /donate/{slug}?lang=&return=`: Chorus's donate page, where the
//! donate button leads before its WebAssembly runs or without script. It
//! offers the campaign's choices as a plain form; the form's POST starts the
//! gift the widget's checkout starts, and answers with a redirect to the
//! provider's page.
//!
//! `return` is the partner page the button was on: its origin must be one
//! of the campaign's partners, who is credited with the gift and to whose
//! page the provider sends the donor back.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chorus_widgets::render::{self, Ask, GiftProblem, Posted};
use chorus_wire::donate::{CheckoutRequest, DonationCampaign};
use serde::Deserialize;

use super::{campaign_view, find, hand_off, partner_at};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::ident::Origin;
use crate::storage::{DonationCampaignRecord, Partner};
use crate::widget_page::WidgetPage;

/// No script runs here at all; inline styles are the goal bar's width.
/// There is no `form-action`: the form's redirect goes to the provider,
/// whose page (a Stripe session's, say) is known only once the form is
/// posted, and a policy would block it.
const DONATE_PAGE_CSP: &str = "default-src 'none'; style-src 'self' 'unsafe-inline'; \
     img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/donate/{slug}", get(show_page).post(give))
        .layer(tower_http::compression::CompressionLayer::new())
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    lang: Option<String>,
    /// The partner page the donor came from.
    #[serde(rename = "return")]
    back: Option<String>,
}

async fn show_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let visit = Visit::read(&state, &slug, query.lang, query.back.as_deref()).await?;
    let posted = Posted {
        key: crate::signing::plain::new_key(),
        ..Posted::default()
    };
    page(&state, visit, posted)
}

/// A donor on the page: the campaign in their language, and the partner
/// page they came from, when it is one of the campaign's partners'.
struct Visit {
    record: DonationCampaignRecord,
    campaign: DonationCampaign,
    ask: Ask,
    /// The partner, and its page's address without the query.
    from: Option<(Partner, String)>,
}

impl Visit {
    async fn read(
        state: &AppState,
        slug: &str,
        lang: Option<String>,
        back: Option<&str>,
    ) -> Result<Self, ApiError> {
        let record = find(&*state.store, slug).await?;
        let ask = Ask {
            languages: lang.into_iter().collect(),
            ..Ask::default()
        };
        let campaign = campaign_view(state, &record, Some(&ask.language())).await?;
        let from = partner_page(state, &record, back).await;
        Ok(Self {
            record,
            campaign,
            ask,
            from,
        })
    }
}

/// The page, with the form as `posted` left it: empty with a fresh key, or
/// with what the donor chose and the problem with it.
fn page(state: &AppState, visit: Visit, mut posted: Posted) -> Result<Response, ApiError> {
    let back = match visit.from {
        Some((_, page)) => page,
        None => {
            posted.problem = Some(GiftProblem::OpenedElsewhere);
            String::new()
        }
    };
    let status = match posted.problem {
        None => StatusCode::OK,
        Some(GiftProblem::OpenedElsewhere) => StatusCode::BAD_REQUEST,
        Some(GiftProblem::Failed) => StatusCode::BAD_GATEWAY,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let (ask, campaign) = (visit.ask, visit.campaign);
    let html = WidgetPage {
        lang: ask.language(),
        title: campaign.title.clone(),
        kind: "donate",
        framed: false,
        rendered: render::donate_page(campaign, &ask, state.public_url.as_str(), back, &posted),
    }
    .html()?;
    Ok((
        status,
        [
            (header::CONTENT_SECURITY_POLICY, DONATE_PAGE_CSP),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Html(html),
    )
        .into_response())
}

/// The partner whose page `back` is, with that page's address (without
/// its query); `None` unless it is one of the campaign's partners.
async fn partner_page(
    state: &AppState,
    record: &DonationCampaignRecord,
    back: Option<&str>,
) -> Option<(Partner, String)> {
    let page = crate::frame::page_address(back?)?;
    let origin = url::Url::parse(&page).ok()?.origin().ascii_serialization();
    let origin = Origin::parse(&origin).ok()?;
    let partner = partner_at(&*state.store, record.id, &origin).await?;
    Some((partner, page))
}

/// What the form posts, by field name.
#[derive(Debug, Default)]
struct Given {
    key: String,
    gift: String,
    other: String,
    lang: Option<String>,
    back: Option<String>,
}

fn read_given(body: &[u8]) -> Given {
    let mut given = Given::default();
    for (name, value) in url::form_urlencoded::parse(body) {
        let value = value.into_owned();
        match &*name {
            "idempotency_key" => given.key = value,
            "gift" => given.gift = value,
            "other" => given.other = value,
            "lang" => given.lang = Some(value),
            "return" => given.back = Some(value),
            _ => {}
        }
    }
    given
}

/// The form posted: a redirect to the provider's page, or the page again
/// with the problem.
async fn give(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let given = read_given(&body);
    let visit = Visit::read(&state, &slug, given.lang.clone(), given.back.as_deref()).await?;
    let again = |visit, problem| {
        let posted = Posted {
            key: given.key.clone(),
            gift: given.gift.clone(),
            other: given.other.clone(),
            problem: Some(problem),
        };
        page(&state, visit, posted)
    };
    let Some((partner, back)) = visit.from.clone() else {
        return again(visit, GiftProblem::OpenedElsewhere);
    };
    let Some((frequency, amount)) = render::read_choice(&given.gift) else {
        return again(visit, GiftProblem::InvalidAmount);
    };
    let amount = match amount {
        Some(amount) => Some(amount),
        None => render::parse_amount(&given.other, visit.campaign.minor_units),
    };
    let Some(amount) = amount.and_then(|a| i64::try_from(a).ok()) else {
        return again(visit, GiftProblem::InvalidAmount);
    };
    let request = CheckoutRequest {
        idempotency_key: given.key.clone(),
        frequency: Some(frequency),
        amount,
        currency: visit.campaign.currency.clone(),
        lang: visit.ask.language(),
        return_url: back,
    };
    match hand_off(&state, &visit.record, &partner, &partner.origin, &request).await {
        Ok(redirect) => Ok((StatusCode::SEE_OTHER, [(header::LOCATION, redirect)]).into_response()),
        Err(error) => match problem_of(&error) {
            Some(problem) => again(visit, problem),
            None => Err(error),
        },
    }
}

/// How the checkout's refusal reads on the page.
fn problem_of(error: &ApiError) -> Option<GiftProblem> {
    match error {
        ApiError::BadRequest { code, .. } => Some(match *code {
            "amount_too_small" => GiftProblem::TooSmall,
            "amount_too_large" => GiftProblem::TooLarge,
            "campaign_closed" => GiftProblem::Closed,
            "invalid_return_url" => GiftProblem::OpenedElsewhere,
            // A key or frequency not from this page's form.
            _ => GiftProblem::InvalidAmount,
        }),
        ApiError::Upstream(_) => Some(GiftProblem::Failed),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_gift_is_read_by_field_name() {
        let given = read_given(
            b"idempotency_key=abcdefgh12&gift=monthly%3Aother&other=7%2C50&lang=fr\
              &return=https%3A%2F%2Fp.example%2Fgive",
        );
        assert_eq!(given.key, "abcdefgh12");
        assert_eq!(given.gift, "monthly:other");
        assert_eq!(given.other, "7,50");
        assert_eq!(given.lang.as_deref(), Some("fr"));
        assert_eq!(given.back.as_deref(), Some("https://p.example/give"));
    }

    #[test]
    fn the_providers_refusals_read_as_the_donors_problems() {
        let refused = |code| ApiError::bad_request(code, "no");
        assert_eq!(
            problem_of(&refused("amount_too_small")),
            Some(GiftProblem::TooSmall)
        );
        assert_eq!(
            problem_of(&ApiError::Upstream("down".into())),
            Some(GiftProblem::Failed)
        );
        assert_eq!(problem_of(&ApiError::Internal("bug".into())), None);
    }
}
