//! `GET /frame/petition/{slug}`: Chorus's own page for frame mode. The
//! petition widget runs here, on the Chorus origin, so what a supporter types
//! never passes through the partner's page, and a partner page whose policy
//! forbids WebAssembly still shows it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use serde::Deserialize;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::ident::{Lang, Origin};

/// Compressed, like the embed answer: the page carries the whole form.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/frame/petition/{slug}", get(show_frame))
        .layer(tower_http::compression::CompressionLayer::new())
}

#[derive(Debug, Deserialize)]
struct FrameQuery {
    lang: Option<String>,
    /// The origin of the page around the frame.
    partner: Option<String>,
    /// That page's address, without its query: where shares point.
    page: Option<String>,
    theme: Option<String>,
}

#[derive(Debug, Template)]
#[template(path = "frame.html")]
struct FramePage {
    slug: String,
    title: String,
    lang: String,
    theme: &'static str,
    /// Empty unless the partner is one of the petition's.
    partner: String,
    page: String,
    /// The widget as the server rendered it, shown before any script runs.
    rendered: String,
    /// The petition the widget shows, as JSON safe inside a `<script>`.
    data: String,
}

async fn show_frame(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<FrameQuery>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let campaign = crate::petitions::find(&state.directory, &slug).await?;
    let (record, partners) = (&campaign.record, &campaign.partners);
    let slug = record.slug.clone();
    // `frame-ancestors` binds only a framed page: opened on its own (a link
    // shared with `?partner=`), the page would credit whoever the link
    // names. So a partner is credited only when the browser says this is a
    // frame, and then only the partner the policy lets frame it.
    let in_a_frame = headers
        .get("sec-fetch-dest")
        .is_some_and(|dest| dest.as_bytes() == b"iframe");
    let claimed = query
        .partner
        .as_deref()
        .and_then(|p| Origin::parse(p).ok())
        .filter(|_| in_a_frame);
    let framed_by = claimed.filter(|c| partners.iter().any(|p| &p.partner.origin == c));
    // Only the partner that asked may frame the page when it is one of the
    // petition's; otherwise any of them (the frame then attributes nothing).
    let ancestors: Vec<String> = match &framed_by {
        Some(origin) => vec![origin.to_string()],
        None => partners
            .iter()
            .map(|p| p.partner.origin.to_string())
            .collect(),
    };
    let lang = query
        .lang
        .as_deref()
        .and_then(|l| Lang::parse(l).ok())
        .unwrap_or(record.default_lang.clone());
    let title = crate::ident::pick_text(&campaign.texts, Some(&lang), &record.default_lang)
        .map_or_else(|| slug.to_string(), |t| t.title.clone());
    let theme = match query.theme.as_deref() {
        Some("dark") => "dark",
        Some("auto") => "auto",
        _ => "light",
    };
    let ask = chorus_widgets::render::Ask {
        languages: vec![lang.to_string()],
        theme: Some(theme.to_owned()),
    };
    let partner = framed_by.map(|o| o.to_string()).unwrap_or_default();
    let (rendered, data) = crate::embed::petition(
        &state,
        slug.as_str(),
        &ask,
        Some(partner.as_str()).filter(|p| !p.is_empty()),
    )
    .await?;
    let page = FramePage {
        slug: slug.to_string(),
        title,
        lang: lang.to_string(),
        theme,
        partner,
        page: query
            .page
            .as_deref()
            .and_then(page_address)
            .unwrap_or_default(),
        rendered,
        // `<` escaped, so no text in the petition can close the script.
        data: data.to_string().replace('<', "\\u003c"),
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_SECURITY_POLICY, frame_csp(&ancestors)),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
            (header::VARY, "Sec-Fetch-Dest".to_owned()),
        ],
        Html(html),
    ))
}

/// An http(s) address without query or fragment, or nothing.
fn page_address(raw: &str) -> Option<String> {
    let mut url = url::Url::parse(raw).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_query(None);
    url.set_fragment(None);
    Some(url.to_string())
}

/// The frame's policy: its own scripts and WebAssembly, requests to Chorus
/// only, and framing by the given origins alone (none: nobody).
fn frame_csp(ancestors: &[String]) -> String {
    let ancestors = if ancestors.is_empty() {
        "'none'".to_owned()
    } else {
        ancestors.join(" ")
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
         frame-ancestors {ancestors}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_addresses_lose_their_query_and_odd_schemes() {
        assert_eq!(
            page_address("https://p.example/act?email=a@b.org#sign").as_deref(),
            Some("https://p.example/act")
        );
        assert_eq!(page_address("javascript:alert(1)"), None);
    }

    #[test]
    fn only_the_named_origins_may_frame() {
        assert!(
            frame_csp(&["https://p.example".into()]).ends_with("frame-ancestors https://p.example")
        );
        assert!(frame_csp(&[]).ends_with("frame-ancestors 'none'"));
    }
}
