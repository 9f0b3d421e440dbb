//! A partner organisation's website, served from its own origin, that
//! embeds Chorus with the snippet and nothing else, as partners do.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

#[derive(Debug, Template)]
#[template(path = "partner_demo.html")]
struct PartnerPage {
    chorus: String,
    lang: &'static str,
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    lang: Option<String>,
}

/// The partner site, embedding the Chorus instance at `chorus_origin`.
pub fn router(chorus_origin: String) -> Router {
    Router::new()
        .route("/", get(show_page))
        .with_state(chorus_origin)
}

async fn show_page(State(chorus): State<String>, Query(query): Query<PageQuery>) -> Response {
    let lang = match query.lang.as_deref() {
        Some("fr") => "fr",
        Some("es") => "es",
        _ => "en",
    };
    match (PartnerPage { chorus, lang }).render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}
