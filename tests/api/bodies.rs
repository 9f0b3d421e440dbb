//! Body limits hold however a body is sent: declared or chunked, on every
//! route group, and a body that trickles in is cut off.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{ADMIN_TOKEN, TestApp, body};

/// A body sent in chunks, with no `Content-Length`: what a limit reading
/// only the declared length lets through.
fn chunked(bytes: usize) -> reqwest::Body {
    let chunk = bytes::Bytes::from(vec![b' '; 8 * 1024]);
    let chunks = bytes.div_ceil(chunk.len());
    reqwest::Body::wrap_stream(futures_util::stream::iter(
        (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
    ))
}

async fn post_chunked(app: &TestApp, path: &str, bytes: usize) -> (u16, serde_json::Value) {
    let response = app
        .client
        .post(format!("{}{path}", app.origin))
        .header("content-type", "application/json")
        .header("origin", "https://harbour.example")
        .bearer_auth(ADMIN_TOKEN)
        .body(chunked(bytes))
        .send()
        .await
        .expect("request sent");
    body(response).await
}

#[tokio::test]
async fn chunked_bodies_over_a_routes_limit_are_refused_in_the_error_shape() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", "https://harbour.example", false)
        .await;
    crate::updates::feed(&app).await;
    for (path, over) in [
        (
            "/api/v1/petitions/p/signatures",
            chorus::bodies::SIGNING_BYTES,
        ),
        (
            "/api/v1/campaigns/c/checkout",
            chorus::bodies::CHECKOUT_BYTES,
        ),
        ("/api/v1/webhooks/stripe", chorus::bodies::WEBHOOK_BYTES),
        (
            "/api/v1/admin/feeds/defenders-news/items",
            chorus::bodies::ADMIN_BYTES,
        ),
    ] {
        let (status, error) = post_chunked(&app, path, over + 1).await;
        assert_eq!(
            (status, error["error"]["code"].as_str()),
            (413, Some("body_too_large")),
            "{path}: {error}"
        );
    }
    assert!(app.signed_rows(&petition).await.is_empty());
}

#[tokio::test]
async fn a_body_that_trickles_in_is_cut_off() {
    let app = TestApp::spawn().await;
    app.create_petition("p", None).await;
    let address = app.origin.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connected");
    let head = format!(
        "POST /api/v1/petitions/p/signatures HTTP/1.1\r\nHost: {address}\r\n\
         Origin: https://harbour.example\r\nContent-Type: application/json\r\n\
         Content-Length: 200\r\n\r\n{{\"first_name\":"
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    // The rest never comes. Chorus answers once the body's time is up,
    // well before this test's own limit.
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        chorus::bodies::BODY_TIMEOUT + Duration::from_secs(20),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "Chorus kept waiting for the body");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"body_timeout\""), "{answer}");
}
