//! Signing without script: the frame page's form posted as a plain HTML
//! form (`POST /frame/petition/{slug}`), for supporters whose browser runs
//! no JavaScript.
//!
//! The form carries the idempotency key minted when the page was rendered,
//! so a double submit stores one signature. With no script there is no
//! proof of work, so such a signature counts only once its address
//! confirms, and it goes through the same limits and hold rules as any.
//! Problems are answered with the same page, the input kept and the
//! messages in the supporter's language; a signature taken is answered by a
//! redirect to a thank-you page, so reloading it sends nothing again.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chorus_widgets::render::{self, Ask, Entered, Form};
use chorus_wire::signing::SignatureForm;
use crypto_box::aead::rand_core::RngCore;

use super::{Script, accept, validate};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::frame::{FrameQuery, ancestors, frame_page, framed_by, framed_response};
use crate::petitions::{PetitionQuery, read_petition};
use crate::widget_page::WidgetPage;

/// A fresh idempotency key for a form rendered for posting without script.
pub fn new_key() -> String {
    let mut key = [0u8; 16];
    crypto_box::aead::OsRng.fill_bytes(&mut key);
    hex::encode(key)
}

/// What a plain form posts: its fields by name, a ticked box as present.
fn read_posted(body: &[u8]) -> (SignatureForm, Entered) {
    let mut form = SignatureForm::default();
    let mut entered = Entered::default();
    for (name, value) in url::form_urlencoded::parse(body) {
        let value = value.into_owned();
        match &*name {
            "idempotency_key" => form.idempotency_key = value,
            "first_name" => entered.first_name = value,
            "last_name" => entered.last_name = value,
            "email" => entered.email = value,
            "country" => entered.country = value,
            "comment" => entered.comment = value,
            "privacy_consent" => entered.privacy_consent = true,
            "opt_in_organiser" => entered.opt_in_organiser = true,
            "opt_in_partner" => entered.opt_in_partner = true,
            "listed" => entered.listed = true,
            "city" => entered.city = value,
            "website" => form.website = value,
            "lang" => form.lang = value,
            "consent_version" => form.consent_version = value,
            "partner" => form.partner = Some(value).filter(|p| !p.is_empty()),
            _ => {}
        }
    }
    let form = SignatureForm {
        first_name: entered.first_name.clone(),
        last_name: entered.last_name.clone(),
        email: entered.email.clone(),
        country: entered.country.clone(),
        comment: entered.comment.clone(),
        privacy_consent: entered.privacy_consent,
        opt_in_organiser: entered.opt_in_organiser,
        opt_in_partner: entered.opt_in_partner,
        listed: entered.listed,
        city: if entered.listed {
            entered.city.clone()
        } else {
            String::new()
        },
        proof: None,
        ..form
    };
    (form, entered)
}

pub async fn sign_without_script(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    Query(query): Query<FrameQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (form, entered) = read_posted(&body);
    if let Err(problems) = validate(&form) {
        let again = Form {
            posting: Some(form.idempotency_key.clone()),
            entered: Some((entered, problems)),
        };
        let page = frame_page(&state, &slug, &query, &headers, again).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let room = state.signatures.admit().ok_or(ApiError::Busy)?;
    accept(&state, &room, peer, &slug, &headers, form, Script::Off).await?;
    // After the post, a page of its own: reloading it sends nothing again.
    let thanks = format!(
        "/frame/petition/{slug}/thanks?{}",
        serde_urlencoded_query(&query)
    );
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, thanks)]).into_response())
}

/// The frame's query as it came, for the thank-you page to speak the same
/// language, credit the same partner and share the same page.
fn serde_urlencoded_query(query: &FrameQuery) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in [
        ("lang", &query.lang),
        ("partner", &query.partner),
        ("page", &query.page),
        ("theme", &query.theme),
    ] {
        if let Some(value) = value {
            out.append_pair(key, value);
        }
    }
    out.finish()
}

pub async fn show_thanks(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<FrameQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let campaign = crate::petitions::find(&state.directory, &slug).await?;
    let framed_by = framed_by(&query, &headers, &campaign.partners);
    let ask = Ask {
        languages: query.lang.iter().cloned().collect(),
        theme: query.theme.clone(),
        ..Ask::default()
    };
    let petition = read_petition(
        &state,
        &slug,
        &PetitionQuery {
            lang: Some(ask.language()),
            partner: None,
        },
    )
    .await?;
    let page_url = query
        .page
        .as_deref()
        .and_then(crate::frame::page_address)
        .unwrap_or_default();
    let html = WidgetPage {
        lang: ask.language(),
        title: petition.title.clone(),
        kind: "petition",
        framed: true,
        rendered: render::thanks(campaign.record.slug.as_str(), petition, &ask, page_url),
    }
    .html()?;
    Ok(framed_response(
        &ancestors(framed_by.as_ref(), &campaign.partners),
        html,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_form_is_read_by_field_name_and_ticked_boxes_are_present() {
        let body = "idempotency_key=k&first_name=Zo%C3%AB&email=z%40example.org&country=SN\
                    &privacy_consent=on&website=&lang=fr&consent_version=2026-11&partner=";
        let (form, entered) = read_posted(body.as_bytes());
        assert_eq!(form.first_name, "Zoë");
        assert_eq!(form.email, "z@example.org");
        assert!(form.privacy_consent && !form.opt_in_organiser);
        assert_eq!(form.partner, None);
        assert_eq!(form.proof, None);
        assert_eq!(entered.country, "SN");
    }
}
