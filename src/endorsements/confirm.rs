//! `/endorsement/{token}`: the link that confirms an organisation's
//! signature. Opening it shows a button, and only the button's POST acts,
//! so a mail scanner that follows links confirms nothing.

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
    Router::new().route("/endorsement/{token}", get(show).post(confirm))
}

fn invalid(words: &Words) -> Response {
    invalid_link_page(words.lang, words.invalid_link)
}

async fn show(Path(token): Path<String>, Query(query): Query<LinkQuery>) -> Response {
    let words = words(&query.lang);
    if token_hash(&token).is_none() {
        return invalid(words);
    }
    link_page(
        words.lang,
        words.confirm_heading,
        Some(words.confirm_text),
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
        match state
            .store
            .confirm_endorsement(&token, now_millis())
            .await?
        {
            None => invalid(words),
            Some(_) => link_page(words.lang, words.confirmed, None, None),
        },
    )
}
