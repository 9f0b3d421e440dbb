//! The HTTP application: one router built from each feature's routes, the
//! layers every response passes through, and the state handlers share.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::directory::Directory;
use crate::donations::{Stripe, Totals};
use crate::error::ApiError;
use crate::ident::{Origin, Slug};
use crate::live::Counts;
use crate::signing::SignatureWriter;
use crate::storage::Store;
use crate::{assets, bodies, donations, frame, health, live, petitions, signing, site, updates};

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// Petitions, their texts and partners, as recently read.
    pub directory: Directory,
    pub counts: Counts,
    pub signatures: SignatureWriter,
    /// What signatures leave for after their answer (repeats' emails).
    pub later: crate::signing::Later,
    /// Every donation campaign's totals.
    pub totals: Totals,
    /// The organisation's Stripe account.
    pub stripe: Stripe,
    /// Who may use the organisers' API.
    /// Tells live connections when a feed changes.
    pub feed_watch: crate::updates::FeedWatch,
    /// Every upcoming event's attendance, pushed to live connections.
    pub attendance: crate::events::Attendance,
    /// Items' pictures, fetched once and served from Chorus's origin.
    pub item_images: crate::updates::ItemImages,
    pub assets: Arc<PathBuf>,
    /// Keys derived from the deployment's secret.
    pub keys: crate::personal::ServerKeys,
    /// The current `embed.js` pinned for Subresource Integrity, if built.
    pub pinned: Option<crate::pinned::PinnedEmbed>,
    /// Where Chorus keeps its files (the pinned copies of `embed.js`).
    pub data_dir: Arc<PathBuf>,
    /// Chorus's public origin: every absolute link starts with it.
    pub public_url: crate::config::PublicUrl,
    /// The signing route's defences against bots.
    pub guard: crate::guard::Guard,
    /// How long new names on walls of signatories wait.
    pub wall: crate::wall::WallConfig,
    /// The time storms are read by: the system's, or a test's.
    pub clock: crate::clock::Clock,
    /// Every storm's state and shares, pushed to live connections.
    pub storm_watch: crate::storm::StormWatch,
    /// Which networks clicked which storm's share buttons this hour.
    pub share_clicks: crate::storm::ShareClicks,
}

/// The whole application, without a socket: tests and `serve` share it.
pub fn router(state: AppState) -> Router {
    let reads = Router::new()
        .merge(petitions::router())
        .merge(crate::embed::router())
        .merge(donations::router())
        .merge(updates::router())
        .merge(updates::attachments::router())
        .merge(crate::events::router())
        .merge(crate::wall::router())
        .merge(crate::signup::router())
        .merge(crate::storm::router())
        .merge(live::router())
        .merge(crate::guard::router());
    let api = Router::new()
        .merge(bodies::limit(reads, bodies::PUBLIC_BYTES))
        .merge(bodies::limit(updates::admin::router(), bodies::ADMIN_BYTES))
        .merge(bodies::limit(
            updates::admin::uploads(),
            bodies::ATTACHMENT_BYTES,
        ))
        .merge(bodies::limit(
            crate::events::admin::router(),
            bodies::ADMIN_BYTES,
        ))
        .merge(bodies::limit(
            crate::storm::admin::router(),
            bodies::ADMIN_BYTES,
        ))
        .merge(bodies::limit(
            crate::admin::petitions::router()
                .merge(crate::admin::petition_changes::router())
                .merge(crate::admin::review::router())
                .merge(crate::admin::export::router())
                .merge(crate::admin::audit::router()),
            bodies::ADMIN_BYTES,
        ))
        .fallback(|| async { ApiError::NotFound("no such API endpoint".into()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed });
    let pages = Router::new()
        .merge(site::router())
        .merge(signing::confirm::router())
        .merge(crate::endorsements::confirm::router())
        .merge(crate::wall::unlist::router())
        .merge(crate::signup::links::router())
        .merge(updates::syndication_router())
        .merge(frame::router())
        .merge(donations::page::router())
        .merge(crate::events::page::router())
        .merge(health::router());
    let public = Router::new()
        .nest(chorus_wire::API_PREFIX, api)
        .merge(bodies::limit(pages, bodies::PUBLIC_BYTES))
        .nest_service("/embed", crate::pinned::service(&state.data_dir))
        .fallback_service(assets::service(&state.assets))
        .layer(read_anywhere_cors());
    // Writes carry their own, narrower CORS policy.
    let app = Router::new()
        .merge(signing::router(state.directory.clone()))
        .merge(crate::endorsements::sign::router(state.directory.clone()))
        .merge(donations::writes(state.store.clone()))
        .merge(crate::events::writes(&state))
        .merge(crate::storm::writes(&state))
        .merge(crate::signup::join::router(state.store.clone()))
        .merge(public)
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Supporters' browsers tell no one which page they came from. Pages
        // with a plain form say `same-origin` instead: under `no-referrer`
        // a browser sends `Origin: null` with a form's POST, and Chorus
        // could not tell its own page from anyone's.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ));
    bodies::guard_all(app)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_failure(log_failure),
        )
        .with_state(state)
}

/// The span each request is logged under: its method and path, with the
/// tokens of confirmation, withdrawal and RSVP links left out (whoever
/// reads the logs must not be able to confirm or withdraw someone's
/// signature, or cancel their place), and
/// no query string.
fn request_span(request: &Request) -> tracing::Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        path = %loggable_path(request.uri().path()),
    )
}

/// Failed requests, one line each, but not the `503`s: a surge turns away
/// thousands a second and the writer counts them in one line a second
/// (`signing::writer`); a storage failure behind a `503` is logged where it
/// happens (`error.rs`).
fn log_failure(
    failure: tower_http::classify::ServerErrorsFailureClass,
    latency: Duration,
    _span: &tracing::Span,
) {
    use tower_http::classify::ServerErrorsFailureClass::StatusCode as Status;
    if matches!(failure, Status(status) if status == StatusCode::SERVICE_UNAVAILABLE) {
        return;
    }
    tracing::error!(%failure, latency_ms = latency.as_millis(), "request failed");
}

/// `path` with link tokens replaced by `…`.
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/confirm/", "/withdraw/", "/rsvp/"] {
        if path.starts_with(prefix) {
            return format!("{prefix}…").into();
        }
    }
    path.into()
}

/// Reads (the assets, counts, petitions, the live stream) are public and may
/// be fetched from any partner page. Writes get their own, narrower policy.
fn read_anywhere_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD])
        .max_age(Duration::from_secs(24 * 60 * 60))
        // The answer is the same for every origin, so caches need not split by it.
        .vary([])
}

/// CORS for a write only a campaign's partners may send from their pages:
/// the slug is read from the path (`/api/v1/{collection}/{slug}/{action}`)
/// and `is_partner` decides for the origin. The answer depends on the
/// origin, so it varies by it.
pub fn partners_only_cors<F, Fut>(
    collection: &'static str,
    action: &'static str,
    is_partner: F,
) -> CorsLayer
where
    F: Fn(Slug, Origin) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    CorsLayer::new()
        .allow_origin(AllowOrigin::async_predicate(
            move |origin: HeaderValue, parts: &Parts| {
                let slug = slug_in_path(parts.uri.path(), collection, action);
                let origin = origin.to_str().ok().and_then(|o| Origin::parse(o).ok());
                let is_partner = is_partner.clone();
                async move {
                    match (slug, origin) {
                        (Some(slug), Some(origin)) => is_partner(slug, origin).await,
                        _ => false,
                    }
                }
            },
        ))
        .allow_methods([Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(Duration::from_secs(10 * 60))
}

/// CORS for writes any partner Chorus knows may send: what belongs to the
/// coalition rather than to one campaign (events, sign-up lists).
pub fn any_partner_cors(store: Arc<dyn Store>) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::async_predicate(
            move |origin: HeaderValue, _parts: &Parts| {
                let store = store.clone();
                async move {
                    let Some(origin) = origin.to_str().ok().and_then(|o| Origin::parse(o).ok())
                    else {
                        return false;
                    };
                    is_partner(&*store, &origin).await
                }
            },
        ))
        .allow_methods([Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(Duration::from_secs(10 * 60))
}

/// Whether `origin` is one of the partners Chorus knows.
/// Whether a write comes from a partner's page or from Chorus's own, by
/// its `Origin`.
pub async fn from_partner_page(state: &AppState, headers: &HeaderMap) -> bool {
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Origin::parse(v).ok());
    match &origin {
        Some(origin) if origin.as_str() == state.public_url.as_str() => true,
        Some(origin) => is_partner(&*state.store, origin).await,
        None => false,
    }
}

pub async fn is_partner(store: &dyn Store, origin: &Origin) -> bool {
    store
        .partners()
        .await
        .is_ok_and(|partners| partners.iter().any(|p| &p.origin == origin))
}

/// The slug in `/api/v1/{collection}/{slug}/{action}`.
pub fn slug_in_path(path: &str, collection: &str, action: &str) -> Option<Slug> {
    let rest = path.strip_prefix(chorus_wire::API_PREFIX)?;
    let slug = rest
        .strip_prefix('/')?
        .strip_prefix(collection)?
        .strip_prefix('/')?
        .strip_suffix(action)?
        .strip_suffix('/')?;
    Slug::parse(slug).ok()
}

#[cfg(test)]
mod tests {
    use super::{loggable_path, slug_in_path};

    #[test]
    fn link_tokens_never_reach_the_request_log() {
        let token = "q8WbQ2x1c0mVbE3hF9yTzR7kLpN4aS6dJ5uG2iO1eXw";
        for path in [
            format!("/confirm/{token}"),
            format!("/withdraw/{token}"),
            format!("/rsvp/{token}"),
        ] {
            let logged = loggable_path(&path);
            assert!(!logged.contains(token), "{logged}");
        }
        assert_eq!(
            loggable_path("/api/v1/petitions/p/count"),
            "/api/v1/petitions/p/count"
        );
    }

    #[test]
    fn the_slug_is_read_from_a_write_path() {
        let slug = slug_in_path(
            "/api/v1/petitions/protect-defenders/signatures",
            "petitions",
            "signatures",
        );
        assert_eq!(
            slug.map(|s| s.to_string()).as_deref(),
            Some("protect-defenders")
        );
        let checkout = slug_in_path(
            "/api/v1/campaigns/migrants-day/checkout",
            "campaigns",
            "checkout",
        );
        assert_eq!(
            checkout.map(|s| s.to_string()).as_deref(),
            Some("migrants-day")
        );
        assert!(slug_in_path("/api/v1/petitions/x/count", "petitions", "signatures").is_none());
        assert!(slug_in_path("/api/v1/petitions/x/checkout", "campaigns", "checkout").is_none());
        assert!(
            slug_in_path(
                "/api/v1/petitions/Bad Slug/signatures",
                "petitions",
                "signatures"
            )
            .is_none()
        );
    }
}
