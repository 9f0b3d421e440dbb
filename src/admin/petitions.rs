//! The organisers' view of their petitions (`read:counts`): each with its
//! count and state, and how signing went by hour or by day, by partner
//! and by country: what the dashboard's charts are drawn from, and what
//! an organisation's own scripts can read too.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::{Organiser, ReadCounts};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::storage::{ActivityRow, Millis, PetitionRecord, Store, now_millis, rfc3339};

const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;

/// Under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/petitions", get(list_route))
        .route("/admin/petitions/{slug}/activity", get(activity_route))
}

/// A petition as its organisers see it at a glance.
#[derive(Debug, Serialize)]
struct PetitionSummary {
    slug: String,
    title: String,
    default_lang: String,
    languages: Vec<String>,
    goal: Option<u64>,
    count: u64,
    organisations: u64,
    paused: bool,
    closed: bool,
    confirm_by_email: bool,
    partners: Vec<PartnerSummary>,
}

#[derive(Debug, Serialize)]
struct PartnerSummary {
    name: String,
    origin: String,
}

/// Petition `slug`, if it is the organiser's; another's is not found.
pub async fn owned<G>(
    store: &dyn Store,
    organiser: &Organiser<G>,
    slug: &str,
) -> Result<PetitionRecord, ApiError> {
    let slug = crate::extract::slug(slug)?;
    store
        .petition_by_slug(&slug)
        .await?
        .filter(|p| organiser.owns(p.organisation_id))
        .ok_or_else(|| ApiError::NotFound(format!("no petition {slug}")))
}

async fn list_route(
    organiser: Organiser<ReadCounts>,
    State(state): State<AppState>,
) -> Result<axum::Json<Vec<PetitionSummary>>, ApiError> {
    let mut summaries = Vec::new();
    let petitions = state.store.petitions().await?;
    for petition in petitions
        .iter()
        .filter(|p| organiser.owns(p.organisation_id))
    {
        let texts = state.store.petition_texts(petition.id).await?;
        let title = texts
            .iter()
            .find(|t| t.lang == petition.default_lang)
            .or(texts.first())
            .map(|t| t.title.clone())
            .unwrap_or_default();
        let count = state.counts.get(&petition.slug).await?;
        let partners = state.store.petition_partners(petition.id).await?;
        summaries.push(PetitionSummary {
            slug: petition.slug.to_string(),
            title,
            default_lang: petition.default_lang.to_string(),
            languages: texts.iter().map(|t| t.lang.to_string()).collect(),
            goal: petition.goal,
            count: count.as_ref().map_or(0, |c| c.count),
            organisations: count.as_ref().map_or(0, |c| c.organisations),
            paused: petition.paused,
            closed: petition.closed_at.is_some(),
            confirm_by_email: petition.confirm_by_email,
            partners: partners
                .into_iter()
                .map(|p| PartnerSummary {
                    name: p.partner.name,
                    origin: p.partner.origin.to_string(),
                })
                .collect(),
        });
    }
    Ok(axum::Json(summaries))
}

/// Periods of an hour or a day, and how many of them back from now.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActivityQuery {
    /// `hour` (the default) or `day`.
    every: Option<String>,
    /// How many periods, the current one included.
    periods: Option<u32>,
}

/// How signing went in each period: the count's change, in all and by
/// partner and country. Every period is there, those without signatures
/// as zeros, so a chart needs no gaps filled.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Activity {
    pub petition: String,
    pub every: &'static str,
    pub periods: Vec<Period>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Period {
    pub start: String,
    pub signatures: i64,
    /// By partner's name; signatures no partner's page sent under "".
    pub partners: BTreeMap<String, i64>,
    /// By country code; "" where the form did not ask.
    pub countries: BTreeMap<String, i64>,
}

/// The periods to show: their length, name, and the most and default
/// counts of them.
fn period_of(every: Option<&str>) -> Option<(Millis, &'static str, u32, u32)> {
    match every.unwrap_or("hour") {
        "hour" => Some((HOUR, "hour", 24 * 14, 48)),
        "day" => Some((DAY, "day", 366, 30)),
        _ => None,
    }
}

/// `rows` laid into `periods` periods of `length` ending with the one
/// holding `now`.
pub fn lay_out(rows: &[ActivityRow], length: Millis, periods: u32, now: Millis) -> Vec<Period> {
    let current = now.div_euclid(length) * length;
    let first = current - length * (i64::from(periods) - 1);
    let mut laid: Vec<Period> = (0..i64::from(periods))
        .map(|n| Period {
            start: rfc3339(first + n * length).unwrap_or_default(),
            signatures: 0,
            partners: BTreeMap::new(),
            countries: BTreeMap::new(),
        })
        .collect();
    for row in rows {
        let Ok(index) = usize::try_from((row.period - first) / length) else {
            continue;
        };
        let Some(period) = laid.get_mut(index) else {
            continue;
        };
        period.signatures += row.signatures;
        *period
            .partners
            .entry(row.partner.clone().unwrap_or_default())
            .or_default() += row.signatures;
        *period.countries.entry(row.country.clone()).or_default() += row.signatures;
    }
    laid
}

async fn activity_route(
    organiser: Organiser<ReadCounts>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ActivityQuery>,
) -> Result<axum::Json<Activity>, ApiError> {
    let (length, every, most, default) = period_of(query.every.as_deref())
        .ok_or_else(|| ApiError::bad_request("invalid_query", "every: hour or day"))?;
    let periods = query.periods.unwrap_or(default);
    if !(1..=most).contains(&periods) {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("periods: 1 to {most} for every={every}"),
        ));
    }
    let petition = owned(&*state.store, &organiser, &slug).await?;
    let now = now_millis();
    let since = now.div_euclid(length) * length - length * (i64::from(periods) - 1);
    let rows = state
        .store
        .signature_activity(petition.id, length, since)
        .await?;
    Ok(axum::Json(Activity {
        petition: petition.slug.to_string(),
        every,
        periods: lay_out(&rows, length, periods, now),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(period: Millis, partner: Option<&str>, country: &str, signatures: i64) -> ActivityRow {
        ActivityRow {
            period,
            partner: partner.map(str::to_owned),
            country: country.into(),
            signatures,
        }
    }

    #[test]
    fn every_period_is_laid_out_with_its_partners_and_countries() {
        let now = 10 * HOUR + 5;
        let rows = [
            row(8 * HOUR, Some("Harbour"), "FR", 3),
            row(8 * HOUR, None, "FR", 1),
            row(10 * HOUR, Some("Harbour"), "ES", 2),
            row(10 * HOUR, Some("Harbour"), "FR", -1),
            row(2 * HOUR, Some("Harbour"), "FR", 50),
        ];
        let laid = lay_out(&rows, HOUR, 3, now);
        assert_eq!(laid.len(), 3);
        assert_eq!(laid[0].start, "1970-01-01T08:00:00Z");
        assert_eq!(laid[0].signatures, 4);
        assert_eq!(
            laid[0].partners,
            BTreeMap::from([("".into(), 1), ("Harbour".into(), 3)])
        );
        assert_eq!(
            laid[1].signatures, 0,
            "an hour without signatures is a zero"
        );
        assert_eq!(laid[2].signatures, 1, "a withdrawal takes one off");
        assert_eq!(
            laid[2].countries,
            BTreeMap::from([("ES".into(), 2), ("FR".into(), -1)])
        );
    }
}
