//! `POST /api/v1/petitions/{slug}/endorsements`: an organisation signs,
//! from a partner's page or Chorus's frame page, as an individual would:
//! the form checked by the rules the widget applies, the proof of work, the
//! honeypot, the per-client hourly limit, an idempotency key, and the same
//! answer to a first signature, a retry and a repeat.
//!
//! Every organisation's signature waits for the person who made it to
//! confirm by email, then for the organiser's approval; only then is it
//! counted and listed.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::routing::post;
use chorus_wire::endorsements::{EndorsementForm, ORGANISATIONS_NOT_TAKEN, check};
use chorus_wire::signing::{self, Problem, SignatureReceipt};
use tower_http::cors::CorsLayer;

use super::domain;
use super::letters::{To, confirm_letter, repeat_letter, words};
use crate::app::AppState;
use crate::directory::Directory;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::personal::PersonalDetails;
use crate::signing::confirm::new_link_token;
use crate::storage::{
    EndorsementOutcome, EndorserPublic, MailKind, Millis, NewEndorsement, SealedMail, now_millis,
};

/// A repeat of an organisation's signature is mailed about at most once an
/// hour, whoever sends it: repeats cannot flood a mailbox.
const QUIET: Millis = 60 * 60 * 1000;

fn path() -> String {
    format!(
        "{}/petitions/{{slug}}/endorsements",
        chorus_wire::API_PREFIX
    )
}

/// The route, with the signing route's CORS policy: only the petition's
/// partners.
pub fn router(directory: Directory) -> Router<AppState> {
    let route = Router::new().route(
        &path(),
        post(endorse).fallback(|| async { ApiError::MethodNotAllowed }),
    );
    let cors = crate::app::partners_only_cors("petitions", "endorsements", move |slug, origin| {
        let directory = directory.clone();
        async move {
            crate::signing::partner_for_origin(&directory, &slug, &origin)
                .await
                .is_some()
        }
    });
    crate::bodies::limit(route, crate::bodies::ENDORSEMENT_BYTES).layer::<CorsLayer>(cors)
}

async fn endorse(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Json(form): Json<EndorsementForm>,
) -> Result<axum::Json<SignatureReceipt>, ApiError> {
    accept(&state, peer, &slug, &headers, form).await?;
    Ok(axum::Json(SignatureReceipt {
        status: signing::RECEIVED.to_owned(),
    }))
}

/// Checks and stores an organisation's signature; `Ok` for a first
/// signature, a retry and a repeat alike.
pub async fn accept(
    state: &AppState,
    peer: SocketAddr,
    slug: &str,
    headers: &HeaderMap,
    form: EndorsementForm,
) -> Result<(), ApiError> {
    let campaign = crate::petitions::find(&state.directory, slug).await?;
    let partner = crate::signing::sender(
        headers,
        &state.public_url,
        form.partner.as_deref(),
        &campaign.partners,
    )?;
    let record = &campaign.record;
    if record.closed_at.is_some() {
        return Err(ApiError::Conflict {
            code: signing::PETITION_CLOSED,
            message: "this petition has closed and takes no more signatures".into(),
        });
    }
    if record.paused {
        return Err(ApiError::Conflict {
            code: signing::SIGNING_PAUSED,
            message: "signing on this petition is paused for now; please try again later".into(),
        });
    }
    if !record.signatories.take_organisations() {
        return Err(ApiError::Conflict {
            code: ORGANISATIONS_NOT_TAKEN,
            message: "this petition is signed by individuals only".into(),
        });
    }
    let organisation = campaign.organisation.as_ref().ok_or_else(|| {
        ApiError::Internal(format!(
            "petition {slug} has no organisation to seal details to"
        ))
    })?;
    let (site_domain, logo) = validate(&form)?;

    let now = now_millis();
    let proof = state
        .guard
        .check_solution(form.proof.as_ref(), record.slug.as_str(), now)?;
    let client_hash = state
        .guard
        .client_hash(&*state.store, peer, headers, now)
        .await?;
    let reservation = state
        .guard
        .reserve(&client_hash, record.id, &form.website, now);
    match reservation.hold {
        // A bot is told what a person is told, and nothing is stored.
        Some(crate::guard::limits::Hold::Honeypot) => return Ok(()),
        Some(_) => {
            return Err(ApiError::RateLimited(
                "many signatures came from your network within the hour; please try again later"
                    .into(),
            ));
        }
        None => {}
    }

    let to = To {
        email: &form.email,
        name: &form.signer_name,
        lang: &form.lang,
        organisation: &form.organisation,
        petition_title: &campaign.title_in(&form.lang),
    };
    let email_hash = state.keys.email_hash(&form.email);
    let (token_text, token) = new_link_token();
    let link = format!(
        "{}/endorsement/{token_text}?lang={}",
        state.public_url.as_str(),
        words(&form.lang).lang
    );
    let endorsement = NewEndorsement {
        petition_id: record.id,
        partner_id: partner.as_ref().map(|p| p.partner.id),
        idempotency_key: form.idempotency_key.clone(),
        public: EndorserPublic {
            organisation: form.organisation.trim().to_owned(),
            website: form.organisation_url.trim().to_owned(),
            country: form.country.clone(),
            kind: form.kind.clone(),
            statement: form.statement.trim().to_owned(),
            logo_url: Some(form.logo_url.trim().to_owned()).filter(|u| !u.is_empty()),
            unnamed: form.unnamed,
            domain: site_domain.clone(),
        },
        email_at_domain: domain::email_is_at(&form.email, &site_domain),
        logo,
        sealed: PersonalDetails {
            first_name: form.signer_name.trim().to_owned(),
            last_name: String::new(),
            email: form.email.trim().to_owned(),
            comment: String::new(),
            role: form.signer_role.trim().to_owned(),
        }
        .seal(&organisation.public_key),
        email_hash: email_hash.clone(),
        lang: form.lang.clone(),
        consent_version: form.consent_version.clone(),
        opt_in_organiser: form.opt_in_organiser,
        // A ticked box the partner never showed counts for nothing.
        opt_in_partner: form.opt_in_partner && partner.as_ref().is_some_and(|p| p.contact_opt_in),
        client_hash: Some(client_hash),
        token,
        confirm: SealedMail {
            kind: MailKind::EndorsementConfirm,
            email_hash: email_hash.clone(),
            sealed: confirm_letter(&to, &link).seal(&state.keys),
        },
        proof,
        at: now,
    };
    match state.store.record_endorsement(&endorsement).await? {
        EndorsementOutcome::Stored => reservation.keep(),
        EndorsementOutcome::RepeatSubmission => {}
        EndorsementOutcome::RepeatOrganisation => {
            let mail = SealedMail {
                kind: MailKind::EndorsementRepeat,
                email_hash,
                sealed: repeat_letter(&to).seal(&state.keys),
            };
            let store = state.store.clone();
            let petition_id = record.id;
            // Off the answer's path: how long the answer takes must not
            // tell whether the organisation had signed.
            state.later.spawn(async move {
                let queued = store
                    .mail_repeat_endorser(petition_id, &site_domain, &mail, now, now - QUIET)
                    .await;
                if let Err(error) = queued {
                    tracing::warn!(%error, "cannot queue the email for a repeat endorsement");
                }
            });
        }
        EndorsementOutcome::ProofSpent => {
            return Err(crate::guard::proof_refused(
                "this proof of work was used already",
            ));
        }
    }
    Ok(())
}

/// The form's problems, the widget's and the server's own (a website that
/// names no organisation, an address no one can receive mail at, an upload
/// that is no raster image); without any, the website's registrable domain
/// and Chorus's own copy of the uploaded logo.
fn validate(form: &EndorsementForm) -> Result<(String, Option<Vec<u8>>), ApiError> {
    let mut problems = check(form);
    let mut logo = None;
    if !form.logo_upload.is_empty() && !problems.iter().any(|(f, _)| *f == "logo_upload") {
        match super::logo::reencode(&form.logo_upload) {
            Ok(png) => logo = Some(png),
            Err(problem) => problems.push(("logo_upload", problem)),
        }
    }
    let site = domain::of_website(&form.organisation_url);
    if site.is_none() && !problems.iter().any(|(f, _)| *f == "organisation_url") {
        problems.push(("organisation_url", Problem::Invalid));
    }
    if !problems.iter().any(|(f, _)| *f == "email")
        && !crate::signing::is_deliverable_shape(&form.email)
    {
        problems.push(("email", Problem::InvalidEmail));
    }
    match site {
        Some(site) if problems.is_empty() => Ok((site, logo)),
        _ => Err(ApiError::InvalidFields(problems)),
    }
}
