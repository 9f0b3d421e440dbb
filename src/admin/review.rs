//! Held and suspicious signatures, for the organisers' API
//! (`review:signatures`): what `chorus review` lists (clients that signed
//! more than once or were held, the busiest and held hours, the
//! corrections made to the count so far), and its decisions, which count
//! held signatures after all or stop counting a group's. Grouping by email
//! domain needs the organisation's secret key, so it is not here: the
//! command line, given the key, does it.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::petitions::owned;
use super::{Organiser, ReviewSignatures};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::guard::review::{BUSIEST, SHOWN, by_hour, find};
use crate::storage::{Decision, ReviewScope, now_millis, rfc3339};

/// Under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/admin/petitions/{slug}/review",
        get(list_route).post(decide_route),
    )
}

/// Signers who share a client or an hour.
#[derive(Debug, Serialize)]
struct GroupView {
    /// The client's hash as far as `chorus review` shows it, or the hour
    /// (`2026-11-22T05`, UTC).
    key: String,
    counted: u64,
    held: u64,
    first: String,
    last: String,
}

#[derive(Debug, Serialize)]
struct CorrectionView {
    at: String,
    change: i64,
    actor: String,
    reason: String,
}

#[derive(Debug, Serialize)]
struct Review {
    clients: Vec<GroupView>,
    hours: Vec<GroupView>,
    corrections: Vec<CorrectionView>,
}

fn time(at: i64) -> String {
    rfc3339(at).unwrap_or_default()
}

async fn list_route(
    organiser: Organiser<ReviewSignatures>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<axum::Json<Review>, ApiError> {
    let petition = owned(&*state.store, &organiser, &slug).await?;
    let clients = state
        .store
        .clusters(petition.id)
        .await?
        .into_iter()
        .map(|c| {
            let hash = hex::encode(&c.client_hash);
            GroupView {
                key: hash[..SHOWN.min(hash.len())].to_owned(),
                counted: c.counted,
                held: c.held,
                first: time(c.first),
                last: time(c.last),
            }
        })
        .collect();
    let hours = by_hour(&*state.store, &petition)
        .await?
        .notable(BUSIEST)
        .into_iter()
        .map(|(hour, g)| GroupView {
            key: hour,
            counted: g.counted,
            held: g.held,
            first: time(g.first),
            last: time(g.last),
        })
        .collect();
    let corrections = state
        .store
        .corrections(petition.id)
        .await?
        .into_iter()
        .map(|c| CorrectionView {
            at: time(c.at),
            change: c.change,
            actor: c.actor,
            reason: c.reason,
        })
        .collect();
    Ok(axum::Json(Review {
        clients,
        hours,
        corrections,
    }))
}

/// A decision: `accept` counts held signatures (all, or one group's);
/// `invalidate` stops counting one group's, held or counted.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionInput {
    decision: String,
    #[serde(default)]
    client: Option<String>,
    #[serde(default)]
    hour: Option<String>,
    reason: String,
}

#[derive(Debug, Serialize)]
struct Decided {
    /// How the count changed.
    change: i64,
}

fn refused(message: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_decision", message)
}

async fn decide_route(
    organiser: Organiser<ReviewSignatures>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Json(input): Json<DecisionInput>,
) -> Result<axum::Json<Decided>, ApiError> {
    let petition = owned(&*state.store, &organiser, &slug).await?;
    let decision = match input.decision.as_str() {
        "accept" => Decision::Accept,
        "invalidate" => Decision::Invalidate,
        _ => return Err(refused("decision: accept or invalidate")),
    };
    let reason = input.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 || reason.chars().any(char::is_control) {
        return Err(refused("say why in one line of at most 200 characters"));
    }
    if decision == Decision::Invalidate && input.client.is_none() && input.hour.is_none() {
        return Err(refused(
            "name the client or the hour whose signatures stop counting",
        ));
    }
    let client_hash = match &input.client {
        Some(prefix) => {
            let clusters = state.store.clusters(petition.id).await?;
            Some(find(&clusters, prefix).map_err(refused)?)
        }
        None => None,
    };
    let signer_ids = match &input.hour {
        Some(hour) => Some(
            by_hour(&*state.store, &petition)
                .await?
                .take(hour.trim())
                .ok_or_else(|| {
                    refused(format!(
                        "no signer of {} to review in {hour}",
                        petition.slug
                    ))
                })?
                .signer_ids,
        ),
        None => None,
    };
    let scope = ReviewScope {
        petition_id: petition.id,
        client_hash,
        signer_ids,
    };
    let change = state
        .store
        .decide(&scope, decision, reason, now_millis())
        .await?;
    state.counts.wake();
    let which = match (&input.client, &input.hour) {
        (Some(client), _) => format!("client {client}"),
        (_, Some(hour)) => format!("hour {hour}"),
        _ => "every held signature".to_owned(),
    };
    super::audit::record_by(
        &*state.store,
        &organiser,
        "review.decided",
        format!(
            "{} {}: {which}, count {change:+} ({reason})",
            petition.slug, input.decision
        ),
    )
    .await?;
    Ok(axum::Json(Decided { change }))
}
