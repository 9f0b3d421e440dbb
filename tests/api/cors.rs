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

/// What a preflight for a JSON POST to `path` from `origin` grants.
struct Grant {
    origin: String,
    methods: String,
    headers: String,
}

impl Grant {
    /// Checks that `origin` may send the JSON POST: the origin, the method
    /// and the content type, all three of which a browser needs granted.
    fn assert_lets_post_json(&self, origin: &str, path: &str) {
        assert_eq!(self.origin, origin, "{path}");
        assert!(
            self.methods.contains("POST")
                && self.headers.to_ascii_lowercase().contains("content-type"),
            "{path}: {} / {}",
            self.methods,
            self.headers
        );
    }
}

async fn granted(app: &TestApp, path: &str, origin: &str) -> Grant {
    let response = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}{path}", app.origin))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .expect("request sent");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .unwrap_or_default()
    };
    Grant {
        origin: header("access-control-allow-origin"),
        methods: header("access-control-allow-methods"),
        headers: header("access-control-allow-headers"),
    }
}

#[tokio::test]
async fn writes_are_granted_to_the_petitions_partners_and_no_one_else() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Partner", PARTNER, false).await;
    app.create_petition("other", None).await;
    // Individuals' signatures and organisations' alike.
    for action in ["signatures", "endorsements"] {
        let path = format!("/api/v1/petitions/p/{action}");
        // The partner's own page may sign.
        granted(&app, &path, PARTNER)
            .await
            .assert_lets_post_json(PARTNER, &path);

        for (path, stranger) in [
            (path.clone(), "https://attacker.example"),
            // A partner of one petition is no partner of another.
            (format!("/api/v1/petitions/other/{action}"), PARTNER),
        ] {
            let origin = granted(&app, &path, stranger).await.origin;
            assert!(origin.is_empty(), "{stranger} granted {path}: {origin}");
        }
    }
    // Reads never grant a write.
    let methods = granted(&app, "/api/v1/petitions/p/count", PARTNER)
        .await
        .methods;
    assert!(
        !methods.contains("POST"),
        "POST allowed on a read: {methods}"
    );
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

#[tokio::test]
async fn events_writes_are_granted_to_every_partner_of_the_coalition_and_no_one_else() {
    let app = TestApp::spawn().await;
    let origin = chorus::ident::Origin::parse(PARTNER).expect("an origin");
    app.store
        .add_partner("Partner", &origin)
        .await
        .expect("partner added");
    for path in [
        "/api/v1/events/proposals",
        "/api/v1/events/abcdefghjk/rsvps",
    ] {
        granted(&app, path, PARTNER)
            .await
            .assert_lets_post_json(PARTNER, path);
        let origin = granted(&app, path, "https://attacker.example").await.origin;
        assert!(origin.is_empty(), "{path} granted a stranger: {origin}");
    }
    // The list itself is read from anywhere, and written from nowhere.
    let grant = granted(&app, "/api/v1/events", PARTNER).await;
    assert_eq!(grant.origin, "*");
    assert!(!grant.methods.contains("POST"), "{}", grant.methods);
}
