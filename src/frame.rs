//! `GET /frame/petition/{slug}`: Chorus's own page for frame mode. The
//! petition widget runs here, on the Chorus origin, so what a supporter types
//! never passes through the partner's page, and a partner page whose policy
//! forbids WebAssembly still shows it. The page carries the widget as the
//! server rendered it, a form that also signs with script off.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chorus_widgets::render::Form;
use serde::Deserialize;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::ident::{Lang, Origin};

/// Compressed, like the embed answer: the page carries the whole form. Its
/// form posted without script signs through `signing::plain`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/frame/petition/{slug}",
            get(show_frame).post(crate::signing::plain::sign_without_script),
        )
        .route(
            "/frame/petition/{slug}/thanks",
            get(crate::signing::plain::show_thanks),
        )
        .layer(tower_http::compression::CompressionLayer::new())
}

#[derive(Debug, Deserialize)]
pub struct FrameQuery {
    pub lang: Option<String>,
    /// The origin of the page around the frame.
    pub partner: Option<String>,
    /// That page's address, without its query: where shares point.
    pub page: Option<String>,
    pub theme: Option<String>,
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
    /// The key the form posts with when script is off.
    key: String,
    /// The widgets' stylesheet, written into the page (see `inline_stylesheet`).
    stylesheet: Option<String>,
    /// The bundle the frame runs: `widgets`, or `coalition` for a petition
    /// organisations sign too (its form is only there).
    bundle: &'static str,
}

async fn show_frame(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<FrameQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let form = Form {
        posting: Some(crate::signing::plain::new_key()),
        entered: None,
    };
    frame_page(&state, &slug, &query, &headers, form).await
}

/// The partner a frame page speaks for: the one named in its query, when
/// the browser says the page is framed and that partner is the petition's.
/// `frame-ancestors` binds only a framed page: opened on its own (a link
/// shared with `?partner=`), the page would credit whoever the link names.
pub fn framed_by(
    query: &FrameQuery,
    headers: &HeaderMap,
    partners: &[crate::storage::PetitionPartner],
) -> Option<Origin> {
    let in_a_frame = headers
        .get("sec-fetch-dest")
        .is_some_and(|dest| dest.as_bytes() == b"iframe");
    let claimed = query
        .partner
        .as_deref()
        .and_then(|p| Origin::parse(p).ok())
        .filter(|_| in_a_frame);
    claimed.filter(|c| partners.iter().any(|p| &p.partner.origin == c))
}

/// The frame page with the petition's form as `form` asks: empty with a
/// fresh key, or as posted with its problems.
pub async fn frame_page(
    state: &AppState,
    slug: &str,
    query: &FrameQuery,
    headers: &HeaderMap,
    form: Form,
) -> Result<Response, ApiError> {
    let key = form.posting.clone().unwrap_or_default();

    let campaign = crate::petitions::find(&state.directory, slug).await?;
    let (record, partners) = (&campaign.record, &campaign.partners);
    let slug = record.slug.clone();
    let framed_by = framed_by(query, headers, partners);
    let ancestors = ancestors(framed_by.as_ref(), partners);
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
        ..chorus_widgets::render::Ask::default()
    };
    let partner = framed_by.map(|o| o.to_string()).unwrap_or_default();
    let (rendered, data) = crate::embed::petition(
        state,
        slug.as_str(),
        &ask,
        Some(partner.as_str()).filter(|p| !p.is_empty()),
        form,
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
        key,
        stylesheet: inline_stylesheet(&state.assets).await,
        bundle: if record.signatories.take_organisations() {
            "coalition"
        } else {
            "widgets"
        },
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(framed_response(&ancestors, html))
}

/// The widgets' stylesheet, to write into the frame page: on a slow phone a
/// linked one would cost the form a round trip before it shows. None, so
/// the page links it instead, when the file cannot be read or could close
/// the `<style>` element it goes in.
async fn inline_stylesheet(assets: &std::path::Path) -> Option<String> {
    let css = tokio::fs::read_to_string(assets.join("widgets.css"))
        .await
        .ok()?;
    (!css.contains('<')).then_some(css)
}

/// A page for the frame, under the frame's policy.
pub fn framed_response(ancestors: &[String], html: String) -> Response {
    (
        [
            (header::CONTENT_SECURITY_POLICY, frame_csp(ancestors)),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
            (header::VARY, "Sec-Fetch-Dest".to_owned()),
            (header::REFERRER_POLICY, "same-origin".to_owned()),
        ],
        Html(html),
    )
        .into_response()
}

/// Who may frame a page of this petition: the partner that asked, when it
/// is one of the petition's; otherwise any of them (the frame then
/// attributes nothing).
pub fn ancestors(
    framed_by: Option<&Origin>,
    partners: &[crate::storage::PetitionPartner],
) -> Vec<String> {
    match framed_by {
        Some(origin) => vec![origin.to_string()],
        None => partners
            .iter()
            .map(|p| p.partner.origin.to_string())
            .collect(),
    }
}

/// An http(s) address without query or fragment, or nothing.
pub fn page_address(raw: &str) -> Option<String> {
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
         img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
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
