//! A local stand-in for Stripe's API: it answers `POST /v1/checkout/sessions`
//! as Stripe does, checks the secret key, and keeps every request so tests
//! can check what Chorus sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use tokio::net::TcpListener;

/// The key the test server is configured with.
pub const SECRET_KEY: &str = "sk_test_chorus_standin";
/// The webhook secrets the test server accepts: the current one and the one
/// being rotated out.
pub const WEBHOOK_SECRET: &str = "whsec_test_current";
pub const OLD_WEBHOOK_SECRET: &str = "whsec_test_previous";

/// One session request as Stripe would have received it.
#[derive(Debug, Clone)]
pub struct SessionRequest {
    pub authorization: String,
    pub idempotency_key: String,
    pub form: HashMap<String, String>,
}

#[derive(Clone, Default)]
struct Seen {
    requests: Arc<Mutex<Vec<SessionRequest>>>,
    sessions: Arc<Mutex<HashMap<String, String>>>,
    base: Arc<Mutex<String>>,
}

pub struct StripeStandIn {
    pub base: String,
    seen: Seen,
}

impl StripeStandIn {
    pub async fn start() -> Self {
        let seen = Seen::default();
        let app = Router::new()
            .route("/v1/checkout/sessions", post(create_session))
            .route("/c/pay/{id}", axum::routing::get(checkout_page))
            .with_state(seen.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("port 0");
        let base = format!("http://{}/", listener.local_addr().expect("bound"));
        base.clone_into(&mut seen.base.lock().expect("not poisoned"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, seen }
    }

    /// Every session request received so far.
    pub fn requests(&self) -> Vec<SessionRequest> {
        self.seen.requests.lock().expect("not poisoned").clone()
    }
}

async fn create_session(State(seen): State<Seen>, headers: HeaderMap, body: String) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let request = SessionRequest {
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        form,
    };
    seen.requests
        .lock()
        .expect("not poisoned")
        .push(request.clone());
    if request.authorization != format!("Bearer {SECRET_KEY}") {
        let error = serde_json::json!({"error": {"message": "Invalid API Key provided"}});
        return (StatusCode::UNAUTHORIZED, axum::Json(error)).into_response();
    }
    // Stripe answers a repeated idempotency key with the first session.
    let mut sessions = seen.sessions.lock().expect("not poisoned");
    let count = sessions.len();
    let id = sessions
        .entry(request.idempotency_key.clone())
        .or_insert_with(|| format!("cs_test_{count}"))
        .clone();
    let session = serde_json::json!({
        "id": id,
        "object": "checkout.session",
        "url": format!("{}c/pay/{id}", seen.base.lock().expect("not poisoned")),
    });
    axum::Json(session).into_response()
}

/// Where a session's URL leads: Stripe's payment page, for a browser test to land on.
async fn checkout_page() -> axum::response::Html<&'static str> {
    axum::response::Html("<!doctype html><title>Stripe stand-in</title><h1>Pay</h1>")
}
