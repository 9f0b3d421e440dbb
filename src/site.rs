//! Chorus's own pages: the page that shows partners the snippet to copy.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;

use crate::app::AppState;
use crate::error::ApiError;

/// Chorus's pages load only their own scripts and styles. `wasm-unsafe-eval`
/// lets the widgets' WebAssembly compile; it allows no JavaScript eval.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(show_snippets))
}

#[derive(Debug, Template)]
#[template(path = "snippets.html")]
struct SnippetsPage {
    origin: String,
    /// `embed.js` pinned for Subresource Integrity, when built.
    pinned: Option<crate::pinned::PinnedEmbed>,
    petitions: Vec<PetitionSnippet>,
}

#[derive(Debug)]
struct PetitionSnippet {
    slug: String,
    title: String,
    count: u64,
}

async fn show_snippets(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let mut petitions = Vec::new();
    for record in state.store.petitions().await? {
        let texts = state.store.petition_texts(record.id).await?;
        let title = texts
            .iter()
            .find(|t| t.lang == record.default_lang)
            .or(texts.first())
            .map_or_else(|| record.slug.to_string(), |t| t.title.clone());
        let count = state.counts.get(&record.slug).await?.map_or(0, |c| c.count);
        petitions.push(PetitionSnippet {
            slug: record.slug.to_string(),
            title,
            count,
        });
    }
    let page = SnippetsPage {
        origin: state.public_url.as_str().to_owned(),
        pinned: state.pinned.clone(),
        petitions,
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_SECURITY_POLICY, PAGE_CSP),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Html(html),
    ))
}
