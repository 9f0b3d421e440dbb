//! "I'll come": an RSVP, by count alone or with an email, from the events
//! widget (`POST /api/v1/events/{id}/rsvps`, with its proof of work) or
//! from the event's page without script.
//!
//! The same defences as signing: the form checked by the rules the widget
//! applies, a proof of work, the honeypot, per-client limits within the
//! hour, and an idempotency key so a retry is never a second RSVP. The
//! count and the capacity are settled in the RSVP's own transaction.

use std::net::SocketAddr;

use axum::http::HeaderMap;
use chorus_wire::events::{EVENT_CLOSED, EVENT_FULL, RsvpForm, RsvpReceipt, check_rsvp};
use chorus_wire::signing::Problem;

use super::letters::{Note, To, rsvp_letter};
use crate::app::AppState;
use crate::error::ApiError;
use crate::mail::Recipient;
use crate::personal::{OrgPublicKey, PersonalDetails};
use crate::signing::Script;
use crate::signing::confirm::new_link_token;
use crate::storage::{
    EventRecord, MailKind, NewRsvp, RsvpOutcome, RsvpPerson, SealedMail, now_millis,
};

/// Checks and stores one RSVP; a retry gets the first one's answer. An
/// RSVP from the event page's plain form (`Script::Off`) brings no proof of
/// work, so it must leave an email.
pub async fn accept(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    event: &EventRecord,
    form: RsvpForm,
    script: Script,
) -> Result<RsvpReceipt, ApiError> {
    let mut problems = check_rsvp(&form);
    let email = form.email.trim();
    if script == Script::Off && email.is_empty() {
        problems.push(("email", Problem::Required));
    }
    if !email.is_empty()
        && !problems.iter().any(|(f, _)| *f == "email")
        && !crate::signing::is_deliverable_shape(email)
    {
        problems.push(("email", Problem::InvalidEmail));
    }
    if !problems.is_empty() {
        return Err(ApiError::InvalidFields(problems));
    }
    let now = now_millis();
    let proof = match script {
        Script::Ran => state.guard.check_solution(
            form.proof.as_ref(),
            &crate::guard::event_scope(Some(&event.public_id)),
            now,
        )?,
        Script::Off => None,
    };
    let client_hash = state
        .guard
        .client_hash(&*state.store, peer, headers, now)
        .await?;
    let reservation = state
        .guard
        .reserve_event(&client_hash, event.id, &form.website, now);
    match reservation.hold {
        // A bot is told what a person is told, and nothing is stored.
        Some(crate::guard::limits::Hold::Honeypot) => {
            return Ok(RsvpReceipt {
                total_accepted: event.going,
                emailed: !email.is_empty(),
            });
        }
        Some(_) => {
            return Err(ApiError::RateLimited(
                "many answers came from your network within the hour; please try again later"
                    .into(),
            ));
        }
        None => {}
    }
    let people = 1 + form.guests;
    let person = if email.is_empty() {
        None
    } else {
        let organisation = state
            .store
            .organisation(event.organisation_id)
            .await?
            .ok_or_else(|| ApiError::Internal(format!("event {} has no organisation", event.id)))?;
        Some(person(
            state,
            &organisation.public_key,
            event,
            &form,
            people,
        ))
    };
    let rsvp = NewRsvp {
        event_id: event.id,
        people,
        idempotency_key: form.idempotency_key.clone(),
        lang: form.lang.clone(),
        person,
        client_hash: Some(client_hash),
        proof,
        at: now,
        remind: event.details.starts_at - now > super::reminders::AHEAD,
    };
    match state.store.record_rsvp(&rsvp).await? {
        RsvpOutcome::Going { going } => {
            reservation.keep();
            state.attendance.wake();
            Ok(RsvpReceipt {
                total_accepted: going,
                emailed: rsvp.person.is_some(),
            })
        }
        RsvpOutcome::Repeat { going } => Ok(RsvpReceipt {
            total_accepted: going,
            emailed: rsvp.person.is_some(),
        }),
        RsvpOutcome::Full { .. } => Err(ApiError::Conflict {
            code: EVENT_FULL,
            message: "this event is full".into(),
        }),
        RsvpOutcome::Closed => Err(ApiError::Conflict {
            code: EVENT_CLOSED,
            message: "this event takes no more answers: it is cancelled or over".into(),
        }),
        RsvpOutcome::ProofSpent => Err(crate::guard::proof_refused(
            "this proof of work was used already",
        )),
    }
}

/// Who is coming: sealed to the organisation for the host's list, kept
/// under Chorus's key for the reminder, and mailed a receipt at once.
fn person(
    state: &AppState,
    organisation: &OrgPublicKey,
    event: &EventRecord,
    form: &RsvpForm,
    people: u32,
) -> RsvpPerson {
    let email = form.email.trim();
    let name = form.name.trim();
    let (token_text, token) = new_link_token();
    let lang = super::letters::words(&form.lang).lang;
    let cancel_url = cancel_url(state.public_url.as_str(), &token_text, lang);
    let email_hash = state.keys.email_hash(email);
    let receipt = rsvp_letter(
        Note::Receipt,
        To {
            email,
            name,
            lang: &form.lang,
        },
        event,
        people,
        &cancel_url,
    );
    RsvpPerson {
        email_hash: email_hash.clone(),
        sealed: PersonalDetails {
            first_name: name.to_owned(),
            last_name: String::new(),
            email: email.to_owned(),
            comment: String::new(),
            role: String::new(),
        }
        .seal(organisation),
        mail: Recipient {
            to: email.to_owned(),
            name: name.to_owned(),
            lang: form.lang.clone(),
            token: token_text,
        }
        .seal(&state.keys),
        token,
        receipt: SealedMail {
            kind: MailKind::RsvpReceipt,
            email_hash,
            sealed: receipt.seal(&state.keys),
        },
    }
}

/// The link that frees an RSVP's place.
pub fn cancel_url(origin: &str, token: &str, lang: &str) -> String {
    format!("{origin}/rsvp/{token}?lang={lang}")
}
