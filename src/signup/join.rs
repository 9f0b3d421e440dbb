//! `POST /api/v1/signups/{slug}/join`: someone joins a list, from a partner's
//! page, with a sign-up's defences: the form checked by the rules the
//! widget applies, the proof of work, the honeypot, the per-client hourly
//! limit, an idempotency key, and the same answer to a first sign-up, a
//! retry and a repeat (so no one can learn who is on a list).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::routing::post;
use chorus_wire::signing::{self, Problem, SignatureReceipt};
use chorus_wire::signup::{SignupForm, check, consent};
use tower_http::cors::CorsLayer;

use super::letters::{To, confirm_letter, repeat_letter, words};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::personal::PersonalDetails;
use crate::signing::confirm::new_link_token;
use crate::storage::{
    MailKind, Millis, NewSignup, PetitionPartner, SealedMail, SignupOutcome, SignupRepeat, Store,
    now_millis,
};

/// A repeat is mailed about at most once an hour per address and list.
const QUIET: Millis = 60 * 60 * 1000;

/// Not the list's own path, which answers CORS for anyone, reads only.
fn path() -> String {
    format!("{}/signups/{{slug}}/join", chorus_wire::API_PREFIX)
}

/// The route. Every partner Chorus knows may carry any list: a list is
/// the coalition's, not one petition's.
pub fn router(store: Arc<dyn Store>) -> Router<AppState> {
    let route = Router::new().route(
        &path(),
        post(join).fallback(|| async { ApiError::MethodNotAllowed }),
    );
    crate::bodies::limit(route, crate::bodies::SIGNING_BYTES)
        .layer::<CorsLayer>(crate::app::any_partner_cors(store))
}

async fn join(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Json(form): Json<SignupForm>,
) -> Result<axum::Json<SignatureReceipt>, ApiError> {
    accept(&state, peer, &slug, &headers, form).await?;
    Ok(axum::Json(SignatureReceipt {
        status: signing::RECEIVED.to_owned(),
    }))
}

/// The form's problems, the widget's and the server's own (an address no
/// one can receive mail at).
fn validate(form: &SignupForm) -> Result<(), ApiError> {
    let mut problems = check(form);
    if !problems.iter().any(|(f, _)| *f == "email")
        && !crate::signing::is_deliverable_shape(&form.email)
    {
        problems.push(("email", Problem::InvalidEmail));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::InvalidFields(problems))
    }
}

async fn accept(
    state: &AppState,
    peer: SocketAddr,
    slug: &str,
    headers: &HeaderMap,
    form: SignupForm,
) -> Result<(), ApiError> {
    let list = super::find(state, slug).await?;
    let partners: Vec<PetitionPartner> = state
        .store
        .partners()
        .await?
        .into_iter()
        .map(|partner| PetitionPartner {
            partner,
            contact_opt_in: false,
        })
        .collect();
    let partner = crate::signing::sender(headers, &state.public_url, None, &partners)?;
    validate(&form)?;
    let organisation = state
        .store
        .organisation(list.organisation_id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("sign-up list {slug} has no organisation")))?;

    let now = now_millis();
    let scope = crate::guard::signup_scope(list.slug.as_str());
    let proof = state
        .guard
        .check_solution(form.proof.as_ref(), &scope, now)?;
    let client_hash = state
        .guard
        .client_hash(&*state.store, peer, headers, now)
        .await?;
    let reservation = state
        .guard
        .reserve_signup(&client_hash, list.id, &form.website, now);
    match reservation.hold {
        Some(crate::guard::limits::Hold::Honeypot) => return Ok(()),
        Some(_) => {
            return Err(ApiError::RateLimited(
                "many sign-ups came from your network within the hour; please try again later"
                    .into(),
            ));
        }
        None => {}
    }

    let to = To {
        email: &form.email,
        name: &form.first_name,
        lang: &form.lang,
        list: &list.name,
    };
    let email_hash = state.keys.email_hash(&form.email);
    let (token_text, token) = new_link_token();
    let base = state.public_url.as_str();
    let lang = words(&form.lang).lang;
    let letter = confirm_letter(
        &to,
        &format!("{base}/signup/{token_text}?lang={lang}"),
        &format!("{base}/leave/{token_text}?lang={lang}"),
    );
    let confirm = SealedMail {
        kind: MailKind::SignupConfirm,
        email_hash: email_hash.clone(),
        sealed: letter.seal(&state.keys),
    };
    let signup = NewSignup {
        list_id: list.id,
        partner_id: partner.as_ref().map(|p| p.partner.id),
        idempotency_key: form.idempotency_key.clone(),
        email_hash: email_hash.clone(),
        sealed: PersonalDetails {
            first_name: form.first_name.trim().to_owned(),
            email: form.email.trim().to_owned(),
            ..PersonalDetails::default()
        }
        .seal(&organisation.public_key),
        country: form.country.clone(),
        lang: form.lang.clone(),
        consent: consent(&form.lang, &list.name),
        consent_version: form.consent_version.clone(),
        client_hash: Some(client_hash),
        token,
        confirm: confirm.clone(),
        proof,
        at: now,
    };
    match state.store.record_signup(&signup).await? {
        SignupOutcome::Stored => reservation.keep(),
        SignupOutcome::RepeatSubmission => {}
        SignupOutcome::RepeatAddress => {
            let repeat = SignupRepeat {
                list_id: list.id,
                email_hash: email_hash.clone(),
                token,
                confirm,
                already: SealedMail {
                    kind: MailKind::SignupRepeat,
                    email_hash,
                    sealed: repeat_letter(&to).seal(&state.keys),
                },
            };
            let store = state.store.clone();
            // Off the answer's path: how long the answer takes must not
            // tell whether the address was on the list.
            state.later.spawn(async move {
                if let Err(error) = store.mail_repeat_signup(&repeat, now, now - QUIET).await {
                    tracing::warn!(%error, "cannot queue the email for a repeat sign-up");
                }
            });
        }
        SignupOutcome::ProofSpent => {
            return Err(crate::guard::proof_refused(
                "this proof of work was used already",
            ));
        }
    }
    Ok(())
}
