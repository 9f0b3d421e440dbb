//! The signers of a petition for its organisation (`export:signatures`),
//! with their personal details still sealed: the organisation opens them
//! with its secret key where it keeps it (the dashboard in the
//! organiser's browser, or its own script with any libsodium), so Chorus
//! never holds an opened copy. Chorus records that an export happened.
//!
//! `GET /api/v1/admin/petitions/{slug}/signers` answers JSON lines: one per
//! signer (`"kind": "individual"`) and signing organisation
//! (`"organisation"`), then `{"kind": "end", "rows": N}`, so a reader
//! knows it has every row.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use futures_util::StreamExt;
use serde::Serialize;

use super::petitions::owned;
use super::{ExportSignatures, Organiser};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Path;
use crate::storage::{EndorsementRecord, SignedRow, rfc3339};

/// Under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/petitions/{slug}/signers", get(export_route))
}

/// One line of the export. `sealed`: the details as a libsodium sealed box
/// to the organisation's public key, in standard base64; `null` once the
/// signer was anonymised.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Line<'a> {
    Individual {
        id: i64,
        signed_at: String,
        status: &'a str,
        partner: Option<&'a str>,
        country: &'a str,
        lang: &'a str,
        consent_version: &'a str,
        opt_in_organiser: bool,
        opt_in_partner: bool,
        sealed: Option<String>,
    },
    Organisation {
        id: i64,
        signed_at: String,
        status: &'a str,
        partner: Option<&'a str>,
        lang: &'a str,
        consent_version: &'a str,
        opt_in_organiser: bool,
        opt_in_partner: bool,
        organisation: &'a str,
        website: &'a str,
        country: &'a str,
        organisation_kind: &'a str,
        statement: &'a str,
        unnamed: bool,
        domain_verified: bool,
        sealed: Option<String>,
    },
    End {
        rows: u64,
    },
}

fn sealed(bytes: Option<&Vec<u8>>) -> Option<String> {
    bytes.map(|b| base64::engine::general_purpose::STANDARD.encode(b))
}

fn individual(row: &SignedRow) -> Line<'_> {
    Line::Individual {
        id: row.signer_id,
        signed_at: rfc3339(row.signed_at).unwrap_or_default(),
        status: &row.status,
        partner: row.partner.as_deref(),
        country: &row.country,
        lang: &row.lang,
        consent_version: &row.consent_version,
        opt_in_organiser: row.opt_in_organiser,
        opt_in_partner: row.opt_in_partner,
        sealed: sealed(row.sealed.as_ref()),
    }
}

fn organisation(row: &EndorsementRecord) -> Line<'_> {
    Line::Organisation {
        id: row.id,
        signed_at: rfc3339(row.created_at).unwrap_or_default(),
        status: row.status.as_str(),
        partner: row.partner.as_deref(),
        lang: &row.lang,
        consent_version: &row.consent_version,
        opt_in_organiser: row.opt_in_organiser,
        opt_in_partner: row.opt_in_partner,
        organisation: &row.public.organisation,
        website: &row.public.website,
        country: &row.public.country,
        organisation_kind: &row.public.kind,
        statement: &row.public.statement,
        unnamed: row.public.unnamed,
        domain_verified: row.domain_verified,
        sealed: sealed(row.sealed.as_ref()),
    }
}

fn json_line(line: &Line<'_>) -> Bytes {
    let mut bytes = serde_json::to_vec(line).unwrap_or_default();
    bytes.push(b'\n');
    Bytes::from(bytes)
}

async fn export_route(
    organiser: Organiser<ExportSignatures>,
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let petition = owned(&*state.store, &organiser, &slug).await?;
    // Recorded before the first row leaves: an export cut off midway was
    // still an export.
    super::audit::record_by(
        &*state.store,
        &organiser,
        "signatures.exported",
        format!("the signers of {} (sealed)", petition.slug),
    )
    .await?;
    let organisations = state.store.endorsements(petition.id, None).await?;
    let (send, receive) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(64);
    let store = state.store.clone();
    tokio::spawn(async move {
        let mut rows = 0_u64;
        let mut signers = store.signed_rows(petition.id);
        while let Some(row) = signers.next().await {
            let line = match row {
                Ok(row) => Ok(json_line(&individual(&row))),
                Err(error) => {
                    tracing::error!(%error, "export stopped: storage failed");
                    Err(std::io::Error::other("storage failed"))
                }
            };
            let failed = line.is_err();
            if send.send(line).await.is_err() || failed {
                return;
            }
            rows += 1;
        }
        for row in &organisations {
            if send.send(Ok(json_line(&organisation(row)))).await.is_err() {
                return;
            }
            rows += 1;
        }
        let _ = send.send(Ok(json_line(&Line::End { rows }))).await;
    });
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(receive));
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}
