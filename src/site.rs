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
    previous_page: Option<usize>,
    next_page: Option<usize>,
}

/// Petitions shown on one page of snippets.
pub const SNIPPETS_PER_PAGE: usize = 20;

#[derive(Debug, serde::Deserialize)]
struct SnippetsQuery {
    /// From 1.
    page: Option<usize>,
}

#[derive(Debug)]
struct PetitionSnippet {
    slug: String,
    title: String,
    count: u64,
}

async fn show_snippets(
    State(state): State<AppState>,
    crate::extract::Query(query): crate::extract::Query<SnippetsQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let all = state.store.petitions().await?;
    let pages = all.len().div_ceil(SNIPPETS_PER_PAGE).max(1);
    let page = query.page.unwrap_or(1).clamp(1, pages);
    let mut petitions = Vec::new();
    // Each petition on the page costs a read of its texts and count: only
    // this page's are read.
    for record in all
        .into_iter()
        .skip((page - 1) * SNIPPETS_PER_PAGE)
        .take(SNIPPETS_PER_PAGE)
    {
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
        previous_page: (page > 1).then(|| page - 1),
        next_page: (page < pages).then_some(page + 1),
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
