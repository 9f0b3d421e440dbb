//! The links a sign-up's email carries: `/signup/{token}` confirms it
//! (the double opt-in) and `/leave/{token}` takes the person off the list,
//! deleting them. Like every mailed link, opening one shows a button, and
//! only the button's POST acts, so a mail scanner that follows links
//! changes nothing.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

use super::letters::{Words, words};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Path;
use crate::signing::confirm::{LinkQuery, invalid_link_page, link_page, token_hash};
use crate::storage::now_millis;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup/{token}", get(show_confirm).post(confirm))
        .route("/leave/{token}", get(show_leave).post(leave))
}

fn invalid(words: &Words) -> Response {
    invalid_link_page(words.lang, words.invalid_link)
}

async fn show_confirm(Path(token): Path<String>, Query(query): Query<LinkQuery>) -> Response {
    let words = words(&query.lang);
    if token_hash(&token).is_none() {
        return invalid(words);
    }
    link_page(
        words.lang,
        words.confirm_heading,
        None,
        Some(words.confirm_button),
    )
}

async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LinkQuery>,
) -> Result<Response, ApiError> {
    let words = words(&query.lang);
    let Some(token) = token_hash(&token) else {
        return Ok(invalid(words));
    };
    Ok(
        match state.store.confirm_signup(&token, now_millis()).await? {
            None => invalid(words),
            Some(_) => link_page(words.lang, words.confirmed, None, None),
        },
    )
}

async fn show_leave(Path(token): Path<String>, Query(query): Query<LinkQuery>) -> Response {
    let words = words(&query.lang);
    if token_hash(&token).is_none() {
        return invalid(words);
    }
    link_page(
        words.lang,
        words.leave_heading,
        None,
        Some(words.leave_button),
    )
}

async fn leave(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LinkQuery>,
) -> Result<Response, ApiError> {
    let words = words(&query.lang);
    let Some(token) = token_hash(&token) else {
        return Ok(invalid(words));
    };
    Ok(match state.store.leave_signup(&token).await? {
        None => invalid(words),
        Some(_) => link_page(words.lang, words.left, None, None),
    })
}
