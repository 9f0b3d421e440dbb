//! `/unlist/{token}`: the link a listed signer's confirmation carries, to
//! take their name off the wall at any time. Like every mailed link, it
//! shows a button, and only the button's POST acts.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Path;
use crate::mail::messages::words;
use crate::signing::confirm::{LinkQuery, invalid_link_page, link_page, token_hash};

pub fn router() -> Router<AppState> {
    Router::new().route("/unlist/{token}", get(show).post(unlist))
}

fn invalid(lang: &str) -> Response {
    let words = words(lang);
    invalid_link_page(words.lang, words.invalid_link)
}

async fn show(Path(token): Path<String>, Query(query): Query<LinkQuery>) -> Response {
    let words = words(&query.lang);
    if token_hash(&token).is_none() {
        return invalid(&query.lang);
    }
    link_page(
        words.lang,
        words.unlist_heading,
        None,
        Some(words.unlist_button),
    )
}

async fn unlist(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LinkQuery>,
) -> Result<Response, ApiError> {
    let Some(token) = token_hash(&token) else {
        return Ok(invalid(&query.lang));
    };
    let words = words(&query.lang);
    Ok(match state.store.unlist_signer(&token).await? {
        None => invalid(&query.lang),
        // Off the wall already, or now: the same answer.
        Some(_) => link_page(words.lang, words.unlisted, None, None),
    })
}
