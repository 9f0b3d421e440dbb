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
    inline: bool,
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    lang: Option<String>,
    mode: Option<String>,
}

/// The partner site, embedding the Chorus instance at `chorus_origin`.
pub fn router(chorus_origin: String) -> Router {
    Router::new()
        .route("/", get(show_page))
        .route("/privacy", get(privacy_notice))
        .with_state(chorus_origin)
}

async fn show_page(State(chorus): State<String>, Query(query): Query<PageQuery>) -> Response {
    let lang = match query.lang.as_deref() {
        Some("fr") => "fr",
        Some("es") => "es",
        _ => "en",
    };
    let inline = query.mode.as_deref() == Some("inline");
    match (PartnerPage {
        chorus,
        lang,
        inline,
    })
    .render()
    {
        Ok(html) => Html(html).into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

/// The demo campaign's privacy notice, which the consent links to.
async fn privacy_notice() -> Html<&'static str> {
    Html(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Privacy notice (demo)</title></head><body>\
         <h1>Privacy notice (demo)</h1>\
         <p>This is a demonstration. A real campaign explains here who receives \
         signers' details, for what purpose, for how long they are kept, and how \
         to have them erased.</p></body></html>",
    )
}
