//! Who may read and who may write, across origins.

use crate::helpers::TestApp;

const PARTNER: &str = "https://partner.example";

#[tokio::test]
async fn counts_and_petitions_are_readable_from_any_origin() {
    let app = TestApp::spawn().await;
    app.create_petition("p", None).await;
    for path in ["/api/v1/petitions/p/count", "/api/v1/petitions/p"] {
        let response = app
            .client
            .get(format!("{}{path}", app.origin))
            .header("origin", PARTNER)
            .send()
            .await
            .expect("request sent");
        assert_eq!(
            response.headers()["access-control-allow-origin"],
            "*",
            "{path}"
        );
        // The same answer for every origin, so a CDN keeps one copy.
        assert!(
            response
                .headers()
                .get("vary")
                .is_none_or(|v| !v.to_str().unwrap_or("").contains("origin"))
        );
    }
}

#[tokio::test]
async fn a_preflight_for_a_write_from_an_unknown_origin_is_not_granted() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/v1/petitions/p/count", app.origin),
        )
        .header("origin", "https://attacker.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("request sent");
    let allowed = response
        .headers()
        .get("access-control-allow-methods")
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    assert!(!allowed.contains("POST"), "POST allowed: {allowed}");
}

#[tokio::test]
async fn the_embed_assets_load_cross_origin_with_the_right_types() {
    let app = TestApp::spawn().await;
    for (path, content_type) in [
        ("/embed.js", "text/javascript"),
        ("/chorus-widgets.js", "text/javascript"),
        ("/chorus-widgets_bg.wasm", "application/wasm"),
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.origin))
            .header("origin", PARTNER)
            .header("accept-encoding", "br")
            .send()
            .await
            .expect("request sent");
        assert_eq!(
            response.status(),
            200,
            "{path}: run `cargo xtask test`, which builds dist/"
        );
        let headers = response.headers();
        assert_eq!(headers["access-control-allow-origin"], "*", "{path}");
        assert_eq!(
            headers["cross-origin-resource-policy"], "cross-origin",
            "{path}"
        );
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap_or("")
                .starts_with(content_type),
            "{path}"
        );
        assert_eq!(
            headers["content-encoding"], "br",
            "{path} is sent precompressed"
        );
    }
}
