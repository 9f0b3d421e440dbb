//! Each organisation's audit log: what was done, by whom, when. Written
//! where the thing is done (`record`), read by owners through
//! `GET /api/v1/admin/audit` (`read:audit`) and `chorus audit`.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::{Organiser, ReadAudit};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Query;
use crate::storage::{AuditEntry, AuditRecord, Store, StoreResult, now_millis, rfc3339};

/// What the command line is recorded as.
pub const OPERATOR: &str = "operator (command line)";

/// The most lines one read returns.
pub const PAGE: u32 = 200;

/// Adds a line to `organisation_id`'s log, now.
pub async fn record(
    store: &dyn Store,
    organisation_id: i64,
    actor: &str,
    action: &'static str,
    detail: String,
) -> StoreResult<()> {
    let entry = AuditEntry {
        organisation_id,
        actor: actor.to_owned(),
        action,
        detail,
    };
    store.record_audit(&entry, now_millis()).await
}

/// Adds a line to the log of the organisation `organiser`'s token is for,
/// naming the token: what every route that changes or takes something
/// records.
pub async fn record_by<G>(
    store: &dyn Store,
    organiser: &Organiser<G>,
    action: &'static str,
    detail: String,
) -> Result<(), ApiError> {
    record(
        store,
        organiser.organisation_id,
        &organiser.actor(),
        action,
        detail,
    )
    .await?;
    Ok(())
}

/// Under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(read_route))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Page {
    /// The id of the oldest line of the page before.
    before: Option<i64>,
    limit: Option<u32>,
}

/// A line as owners read it.
#[derive(Debug, Serialize)]
pub struct AuditLine {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

impl From<AuditRecord> for AuditLine {
    fn from(record: AuditRecord) -> Self {
        Self {
            id: record.id,
            at: rfc3339(record.at).unwrap_or_default(),
            actor: record.actor,
            action: record.action,
            detail: record.detail,
        }
    }
}

async fn read_route(
    organiser: Organiser<ReadAudit>,
    State(state): State<AppState>,
    Query(page): Query<Page>,
) -> Result<axum::Json<Vec<AuditLine>>, ApiError> {
    let limit = page.limit.unwrap_or(PAGE).clamp(1, PAGE);
    let lines = state
        .store
        .audit_log(organiser.organisation_id, page.before, limit)
        .await?;
    Ok(axum::Json(lines.into_iter().map(AuditLine::from).collect()))
}
