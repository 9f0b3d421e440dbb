//! `POST /api/v1/petitions/{slug}/signatures`: signing, from a partner's page
//! (inline widgets) or from Chorus's own frame page (frame mode).
//!
//! A signature is validated with the rules the widget applies
//! ([`chorus_wire::signing::check`]), attributed to the partner whose origin
//! sent or framed it, and stored by the one [`SignatureWriter`]. Every accepted
//! request, first, repeat or retry, gets the same answer.

pub mod confirm;
mod email;
pub mod export;
mod later;
pub mod plain;
mod writer;

pub use later::Later;

use axum::Router;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::routing::post;
use chorus_wire::signing::{self, Field, Problem, SignatureForm, SignatureReceipt};
use tower_http::cors::CorsLayer;

pub use email::{email_key, is_deliverable_shape};
pub use writer::{Admission, QueueBound, SignatureWriter};

use crate::app::AppState;
use crate::config::PublicUrl;
use crate::directory::{Campaign, Directory};
use crate::error::ApiError;
use crate::extract::{Json, Path};
use crate::ident::{Origin, Slug};
use crate::personal::{OrgPublicKey, PersonalDetails, ServerKeys};
use crate::storage::{NewSignature, PetitionPartner, Signer, Stored, now_millis};
use confirm::{Addressee, Letters};

fn path() -> String {
    format!("{}/petitions/{{slug}}/signatures", chorus_wire::API_PREFIX)
}

/// The signing route with its own CORS policy: only the petition's partners.
pub fn router(directory: Directory) -> Router<AppState> {
    let route = Router::new().route(
        &path(),
        post(sign).fallback(|| async { ApiError::MethodNotAllowed }),
    );
    crate::bodies::limit(route, crate::bodies::SIGNING_BYTES).layer(partners_only_cors(directory))
}

/// Browsers may send a signature from a partner's page only if that page's
/// origin is one of the petition's partners.
fn partners_only_cors(directory: Directory) -> CorsLayer {
    crate::app::partners_only_cors("petitions", "signatures", move |slug, origin| {
        let directory = directory.clone();
        async move {
            partner_for_origin(&directory, &slug, &origin)
                .await
                .is_some()
        }
    })
}

pub(crate) async fn partner_for_origin(
    directory: &Directory,
    slug: &Slug,
    origin: &Origin,
) -> Option<PetitionPartner> {
    let campaign = directory.campaign(slug).await.ok()??;
    campaign
        .partners
        .iter()
        .find(|p| &p.partner.origin == origin)
        .cloned()
}

/// Room for the signature among those being stored, asked before anything
/// else of the request: an overloaded server turns a signature away
/// without reading its body.
struct Room(Admission);

impl FromRequestParts<AppState> for Room {
    type Rejection = ApiError;

    async fn from_request_parts(_: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        state.signatures.admit().map(Self).ok_or(ApiError::Busy)
    }
}

async fn sign(
    Room(room): Room,
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Json(form): Json<SignatureForm>,
) -> Result<axum::Json<SignatureReceipt>, ApiError> {
    accept(&state, &room, peer, &slug, &headers, form, Script::Ran).await?;
    Ok(axum::Json(SignatureReceipt {
        status: signing::RECEIVED.to_owned(),
    }))
}

/// Whether the supporter's browser ran the widget's script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// The widget sent the signature, with its proof of work.
    Ran,
    /// A plain HTML form was posted: no proof of work could be made, so
    /// the signature counts only once its address confirms, whatever the
    /// petition's own setting.
    Off,
}

/// Checks and stores one signature; `Ok` for a first signature, a repeat
/// and a retry alike.
pub async fn accept(
    state: &AppState,
    room: &Admission,
    peer: SocketAddr,
    slug: &str,
    headers: &HeaderMap,
    form: SignatureForm,
    script: Script,
) -> Result<(), ApiError> {
    let campaign = crate::petitions::find(&state.directory, slug).await?;
    let partner = sender(
        headers,
        &state.public_url,
        form.partner.as_deref(),
        &campaign.partners,
    )?;
    if campaign.record.closed_at.is_some() {
        return Err(ApiError::Conflict {
            code: signing::PETITION_CLOSED,
            message: "this petition has closed and takes no more signatures".into(),
        });
    }
    if campaign.record.paused {
        return Err(ApiError::Conflict {
            code: signing::SIGNING_PAUSED,
            message: "signing on this petition is paused for now; please try again later".into(),
        });
    }
    if !campaign.record.signatories.take_people() {
        return Err(ApiError::Conflict {
            code: signing::PEOPLE_NOT_TAKEN,
            message:
                "this call is signed by organisations only; sign on behalf of your organisation"
                    .into(),
        });
    }
    // Only petitions from before organisations had keys lack one; their
    // signers' details would have nothing to be sealed to.
    let organisation = campaign.organisation.as_ref().ok_or_else(|| {
        ApiError::Internal(format!(
            "petition {slug} has no organisation to seal details to"
        ))
    })?;

    validate(&form).map_err(ApiError::signing_fields)?;

    let now = now_millis();
    let proof = match script {
        Script::Ran => state
            .guard
            .check_proof(&form, campaign.record.slug.as_str(), now)?,
        Script::Off => None,
    };
    let client_hash = state
        .guard
        .client_hash(&*state.store, peer, headers, now)
        .await?;
    let reservation = state
        .guard
        .reserve(&client_hash, campaign.record.id, &form.website, now);
    let hold = reservation.hold;

    // A name on the wall is public: it shows only once its address has
    // confirmed, so no one can list somebody else.
    let letters = (campaign.record.confirm_by_email || script == Script::Off || form.listed)
        .then(|| letters_for(state, &campaign, &form));
    let listing = form.listed.then(|| {
        // A city is kept only where the wall shows one.
        let city = if campaign.record.wall_city {
            form.city.as_str()
        } else {
            ""
        };
        crate::wall::names::wall_name(&form.first_name, &form.last_name, &form.country, city)
    });
    let signature = NewSignature {
        petition_id: campaign.record.id,
        partner_id: partner.as_ref().map(|p| p.partner.id),
        signed_at: now,
        signer: Some(signer_from(
            form,
            partner.as_ref().is_some_and(|p| p.contact_opt_in),
            client_hash,
            &state.keys,
            &organisation.public_key,
        )),
        // A held signature is mailed nothing: a bot may have used someone's
        // address.
        confirmation: letters
            .as_ref()
            .filter(|_| hold.is_none())
            .map(|letters| letters.confirmation(listing)),
        hold: hold.map(|h| h.as_str()),
        proof,
    };
    let stored = state.signatures.record(room, signature).await?;
    match stored {
        Stored::Counted | Stored::Waiting | Stored::Held => reservation.keep(),
        // Not a signature sent: the reservation is taken back.
        Stored::RepeatAddress | Stored::RepeatSubmission => {}
        Stored::ProofSpent => {
            return Err(crate::guard::proof_refused(
                "this proof of work was used already",
            ));
        }
    }
    if let (Stored::RepeatAddress, Some(letters)) = (stored, letters) {
        // Off the answer's path: how long the answer takes must not tell
        // whether the address had signed.
        state
            .later
            .spawn(letters.mail_repeat(state.clone(), campaign.record.id));
    }
    Ok(())
}

/// The emails a signature to a petition that counts only confirmed
/// signatures may need, in the signer's language.
fn letters_for(state: &AppState, campaign: &Campaign, form: &SignatureForm) -> Letters {
    let title = campaign.title_in(&form.lang);
    Letters::prepare(
        &state.keys,
        state.public_url.as_str(),
        &Addressee {
            email: &form.email,
            first_name: &form.first_name,
            lang: &form.lang,
            petition_title: &title,
            listed: form.listed,
        },
    )
}

/// Every problem with a form: the widget's checks, and the stricter email
/// check only the server makes.
pub fn validate(form: &SignatureForm) -> Result<(), Vec<(Field, Problem)>> {
    let mut problems = signing::check(form);
    if !problems.iter().any(|(f, _)| *f == Field::Email) && !is_deliverable_shape(&form.email) {
        problems.push((Field::Email, Problem::InvalidEmail));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Who sent the signature: a partner's page (its origin is one of the
/// petition's partners), or Chorus's own frame page (same origin), which
/// names the partner that framed it (`framed_by`). Anything else is
/// refused. An organisation's signature comes the same ways.
pub(crate) fn sender(
    headers: &HeaderMap,
    own: &PublicUrl,
    framed_by: Option<&str>,
    partners: &[PetitionPartner],
) -> Result<Option<PetitionPartner>, ApiError> {
    let refused = || {
        ApiError::Forbidden("signatures are accepted only from the campaign's partner sites".into())
    };
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Origin::parse(v).ok())
        .ok_or_else(refused)?;
    if let Some(partner) = partners.iter().find(|p| p.partner.origin == origin) {
        return Ok(Some(partner.clone()));
    }
    if origin.as_str() != own.as_str() {
        return Err(refused());
    }
    let framed_by = framed_by.and_then(|p| Origin::parse(p).ok());
    Ok(framed_by.and_then(|framed_by| {
        partners
            .iter()
            .find(|p| p.partner.origin == framed_by)
            .cloned()
    }))
}

/// The stored signer: details sealed to the organisation's key, the address
/// as a keyed hash, the client by today's hash of its network. `partner_asks`
/// is whether the partner offers its own opt-in; without it, a ticked box
/// that was never shown counts for nothing.
fn signer_from(
    form: SignatureForm,
    partner_asks: bool,
    client_hash: [u8; 32],
    keys: &ServerKeys,
    organisation: &OrgPublicKey,
) -> Signer {
    let details = PersonalDetails {
        first_name: form.first_name.trim().to_owned(),
        last_name: form.last_name.trim().to_owned(),
        email: form.email.trim().to_owned(),
        comment: form.comment.trim().to_owned(),
        role: String::new(),
    };
    Signer {
        email_hash: keys.email_hash(&form.email),
        idempotency_key: form.idempotency_key,
        sealed: details.seal(organisation),
        country: form.country,
        lang: form.lang,
        consent_version: form.consent_version,
        opt_in_organiser: form.opt_in_organiser,
        opt_in_partner: form.opt_in_partner && partner_asks,
        client_hash: Some(client_hash),
    }
}
