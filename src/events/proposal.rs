//! "Submit your event": a host proposes an event through the widget
//! (`POST /api/v1/events/proposals`). It waits, unseen, for the organiser's approval;
//! the host's contact is sealed to the organisation and kept under
//! Chorus's key only until the host is told the decision.

use std::net::SocketAddr;

use axum::http::HeaderMap;
use chorus_wire::events::EventProposal;
use serde::Serialize;

use super::event::{Author, check, public_id};
use crate::app::AppState;
use crate::error::ApiError;
use crate::mail::Recipient;
use crate::personal::PersonalDetails;
use crate::storage::{EventStatus, HostContact, NewEvent, now_millis};

/// The answer to a proposal: the same for a first one and a retry.
#[derive(Debug, Serialize)]
pub struct Proposed {
    pub status: &'static str,
}

/// Checks and stores a proposal for the organiser of its day to review.
pub async fn propose(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    form: EventProposal,
) -> Result<Proposed, ApiError> {
    let waiting = Proposed { status: "pending" };
    let day = if form.day.trim().is_empty() {
        None
    } else {
        let slug = crate::extract::slug(form.day.trim())?;
        Some(
            state
                .store
                .action_day_by_slug(&slug)
                .await?
                .ok_or_else(|| ApiError::NotFound(format!("no action day {slug}")))?,
        )
    };
    // A proposal needs a day to tell whose organisers review it.
    let Some(day) = day else {
        return Err(ApiError::bad_request(
            "day_required",
            "name the action day the event is for",
        ));
    };
    let now = now_millis();
    let checked =
        check(&form, Some(&day), Author::Proposal, now).map_err(ApiError::InvalidFields)?;
    if !crate::signing::is_deliverable_shape(form.contact_email.trim()) {
        return Err(ApiError::InvalidFields(vec![(
            "contact_email",
            chorus_wire::signing::Problem::InvalidEmail,
        )]));
    }
    let proof =
        state
            .guard
            .check_solution(form.proof.as_ref(), &crate::guard::event_scope(None), now)?;
    let client_hash = state
        .guard
        .client_hash(&*state.store, peer, headers, now)
        .await?;
    let reservation =
        state
            .guard
            .reserve_event(&client_hash, crate::guard::PROPOSALS, &form.website, now);
    match reservation.hold {
        Some(crate::guard::limits::Hold::Honeypot) => return Ok(waiting),
        Some(_) => {
            return Err(ApiError::RateLimited(
                "many events were proposed from your network within the hour; please try again later"
                    .into(),
            ));
        }
        None => {}
    }
    let organisation = state
        .store
        .organisation(day.organisation_id)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(format!("action day {} has no organisation", day.slug))
        })?;
    let (name, email) = checked.contact.clone().unwrap_or_default();
    let contact = HostContact {
        sealed: PersonalDetails {
            first_name: name.clone(),
            last_name: String::new(),
            email: email.clone(),
            comment: String::new(),
            role: String::new(),
        }
        .seal(&organisation.public_key),
        email_hash: state.keys.email_hash(&email),
        mail: Recipient {
            to: email,
            name,
            lang: form.lang.clone(),
            token: String::new(),
        }
        .seal(&state.keys),
    };
    let event = NewEvent {
        public_id: public_id(),
        organisation_id: day.organisation_id,
        details: checked.details,
        text: checked.text,
        status: EventStatus::Pending,
        host_contact: Some(contact),
        submission_key: Some(form.idempotency_key.clone()),
        proof,
    };
    match state.store.create_event(&event).await? {
        Some(_) => {
            reservation.keep();
            Ok(waiting)
        }
        None => Err(crate::guard::proof_refused(
            "this proof of work was used already",
        )),
    }
}
