//! Chorus's own pages: a strict policy, no cookies, and a pinned embed
//! script whose Subresource Integrity hash matches what is served.

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::helpers::TestApp;

/// The pinned script's path and integrity, as the snippet page offers them.
pub(crate) async fn pinned_snippet(app: &TestApp) -> (String, String) {
    let page = app.get("/").await.text().await.expect("page");
    let attribute = |name: &str| {
        let start = page
            .find(&format!(" {name}=\""))
            .unwrap_or_else(|| panic!("no {name} in the pinned snippet"));
        let value = &page[start + name.len() + 3..];
        value[..value.find('"').expect("attribute ends")].to_owned()
    };
    let path = &page[page.find("/embed/").expect("a pinned path")..];
    let path = &path[..path.find('"').expect("path ends")];
    (path.to_owned(), attribute("integrity"))
}

#[tokio::test]
async fn chorus_pages_send_a_strict_policy_and_set_no_cookies() {
    let app = TestApp::spawn().await;
    app.create_petition("p", None).await;
    let page = app.get("/").await;
    let headers = page.headers().clone();
    let csp = headers["content-security-policy"].to_str().expect("ASCII");
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    // The frame page's plain form posts to Chorus itself, which must see
    // its origin; no other site learns the page.
    for (path, policy) in [
        ("/", "no-referrer"),
        ("/embed.js", "no-referrer"),
        ("/api/v1/petitions/p", "no-referrer"),
        ("/api/v1/petitions/p/count", "no-referrer"),
        ("/frame/petition/p", "same-origin"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.headers()["referrer-policy"], policy, "{path}");
        assert!(response.headers().get("set-cookie").is_none(), "{path}");
    }
}

#[tokio::test]
async fn the_pinned_script_matches_its_integrity_hash_and_never_changes() {
    let app = TestApp::spawn().await;
    let (src, integrity) = pinned_snippet(&app).await;
    assert!(integrity.starts_with("sha384-"), "{integrity}");

    let response = app.get(&src).await;
    assert_eq!(response.status(), 200, "{src}");
    let headers = response.headers().clone();
    assert!(
        headers["cache-control"]
            .to_str()
            .expect("ASCII")
            .contains("immutable")
    );
    assert_eq!(headers["cross-origin-resource-policy"], "cross-origin");
    assert_eq!(headers["access-control-allow-origin"], "*");
    let body = response.bytes().await.expect("body");
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&body));
    assert_eq!(integrity, format!("sha384-{digest}"));
    let current = app.get("/embed.js").await.bytes().await.expect("body");
    assert_eq!(body, current, "the pinned copy is this release's embed.js");

    assert_eq!(
        app.get("/embed/000000000000000000000000.js").await.status(),
        404
    );
    assert_eq!(app.get("/embed/../chorus.db").await.status(), 404);
}

#[tokio::test]
async fn the_snippet_page_shows_petitions_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let per_page = chorus::site::SNIPPETS_PER_PAGE;
    for n in 0..per_page + 3 {
        app.create_petition(&format!("petition-{n:03}"), None).await;
    }
    let sections = |page: &str| page.matches("<section aria-labelledby=\"p-").count();
    let first = app.get("/").await.text().await.expect("page");
    assert_eq!(sections(&first), per_page);
    assert!(first.contains(r#"href="/?page=2" rel="next""#), "{first}");
    let second = app.get("/?page=2").await.text().await.expect("page");
    assert_eq!(sections(&second), 3);
    assert!(second.contains("petition-022") && !second.contains("petition-000\""));
    assert!(second.contains(r#"href="/?page=1" rel="prev""#));
    // Past the end: the last page.
    let beyond = app.get("/?page=99").await.text().await.expect("page");
    assert_eq!(sections(&beyond), 3);
    assert_eq!(app.get("/?page=x").await.status(), 400);
}
