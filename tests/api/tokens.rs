//! Organisations' API tokens: each reaches its own organisation's content
//! and only what its scopes say; revoked and expired ones stop at once;
//! only digests are stored.

use chorus::admin::tokens::Scope;
use serde_json::{Value, json};

use crate::cli::{chorus, chorus_with_env, text};
use crate::helpers::{ADMIN_TOKEN, ORGANISATION, TestApp, add_token};

/// A second organisation's token, with every scope.
const OTHER_TOKEN: &str = "chorus_b3RoZXItb3JnYW5pc2F0aW9uLXRva2VuLTMyLWJ5dGU";
/// The test organisation's token that may only write updates.
const UPDATES_ONLY: &str = "chorus_dXBkYXRlcy1vbmx5LXRva2VuLWZvci10aGUtdGVzdHM";

async fn call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    json: Option<Value>,
) -> (u16, Value) {
    app.admin_json(token, method, path, json).await
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    call(app, token, reqwest::Method::GET, path, None).await
}

#[tokio::test]
async fn a_token_does_only_what_its_scopes_say() {
    let app = TestApp::spawn().await;
    let organisation_id = app.organisation_id().await;
    add_token(
        &*app.store,
        organisation_id,
        UPDATES_ONLY,
        &[Scope::WriteUpdates],
    )
    .await;
    crate::updates::feed(&app).await;

    let (status, feeds) = get(&app, UPDATES_ONLY, "/feeds").await;
    assert_eq!(status, 200, "{feeds}");
    assert_eq!(feeds[0]["slug"], "defenders-news");
    for path in ["/storms", "/events"] {
        let (status, refused) = get(&app, UPDATES_ONLY, path).await;
        assert_eq!(status, 403, "{path}: {refused}");
        assert_eq!(refused["error"]["code"], "insufficient_scope");
    }
    let (_, refused) = get(&app, UPDATES_ONLY, "/storms").await;
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("write:storms")),
        "{refused}"
    );
    let (status, refused) = call(
        &app,
        UPDATES_ONLY,
        reqwest::Method::POST,
        "/storms/migrants-day",
        Some(crate::storm::plan()),
    )
    .await;
    assert_eq!(status, 403, "{refused}");
    assert!(app.store.storms().await.expect("read").is_empty());
}

#[tokio::test]
async fn a_token_reaches_only_its_organisations_feeds_storms_and_events() {
    let app = TestApp::spawn().await;
    app.other_organisation(OTHER_TOKEN).await;
    let feed = crate::updates::feed(&app).await;
    let item = crate::updates::post(&app, &feed, "Hearing", "en", "", 1).await;
    let (status, storm) = crate::storm::create(&app, &crate::storm::plan()).await;
    assert_eq!(status, 201, "{storm}");
    crate::events::with_day(&app).await;
    let event = crate::events::create(&app, json!({})).await;
    let event_id = event["id"].as_str().expect("an id");

    // The other organisation sees none of it in its lists…
    let (_, feeds) = get(&app, OTHER_TOKEN, "/feeds").await;
    assert_eq!(feeds, json!([]));
    let (_, storms) = get(&app, OTHER_TOKEN, "/storms").await;
    assert_eq!(storms, json!([]));
    let (_, events) = get(&app, OTHER_TOKEN, "/events").await;
    assert_eq!(events, json!([]));

    // …and reaching for it by name answers as if it did not exist.
    let update = json!({"title": "Defaced", "body": "Taken over."});
    let post = reqwest::Method::POST;
    let put = reqwest::Method::PUT;
    let attempts = [
        (
            post.clone(),
            "/feeds/defenders-news/items".to_owned(),
            Some(update.clone()),
        ),
        (
            reqwest::Method::GET,
            "/feeds/defenders-news/items".to_owned(),
            None,
        ),
        (put.clone(), format!("/items/{item}"), Some(update)),
        (post.clone(), format!("/items/{item}/unpublish"), None),
        (
            put.clone(),
            "/storms/migrants-day".to_owned(),
            Some(crate::storm::plan()),
        ),
        (
            put.clone(),
            format!("/events/{event_id}"),
            Some(crate::events::event(json!({}))),
        ),
        (post.clone(), format!("/events/{event_id}/cancel"), None),
        (
            post.clone(),
            format!("/events/{event_id}/texts"),
            Some(json!({"lang": "fr", "title": "Pris"})),
        ),
        (
            post.clone(),
            "/events".to_owned(),
            Some(crate::events::event(json!({}))),
        ),
        (
            post.clone(),
            "/days".to_owned(),
            Some(json!({"slug": "taken", "day": "2027-01-10", "lang": "en",
                "name": "Taken", "organisation": ORGANISATION})),
        ),
    ];
    for (method, path, json) in attempts {
        let (status, answer) = call(&app, OTHER_TOKEN, method.clone(), &path, json).await;
        assert_eq!(status, 404, "{method} {path}: {answer}");
    }
    let upload = app
        .client
        .post(format!(
            "{}/api/v1/admin/items/{item}/attachments?title=Flyer&lang=en",
            app.origin
        ))
        .bearer_auth(OTHER_TOKEN)
        .body(b"%PDF-1.4\n%%EOF\n".to_vec())
        .send()
        .await
        .expect("sent");
    assert_eq!(upload.status(), 404);

    // Nothing changed, and the owner's token still reaches all of it.
    let stored = app.store.item(item).await.expect("read").expect("kept");
    assert_eq!(stored.content.title, "Hearing");
    assert!(!stored.unpublished);
    let (status, feeds) = get(&app, ADMIN_TOKEN, "/feeds").await;
    assert_eq!(
        (status, feeds[0]["slug"].clone()),
        (200, json!("defenders-news"))
    );
    let (_, events) = get(&app, ADMIN_TOKEN, "/events").await;
    assert_eq!(events[0]["state"], "approved", "{events}");
    let unpublished = app
        .client
        .post(format!(
            "{}/api/v1/admin/items/{item}/unpublish",
            app.origin
        ))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(unpublished.status(), 204);
}

#[tokio::test]
async fn tokens_made_with_the_cli_work_until_revoked_and_never_after_expiry() {
    let app = TestApp::spawn().await;
    let made = chorus(
        &app,
        &[
            "token",
            "create",
            "--org",
            ORGANISATION,
            "--label",
            "Website CMS",
            "--scope",
            "write:updates",
            "--days",
            "30",
        ],
        None,
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let token = text(&made.stdout).trim().to_owned();
    assert!(token.starts_with("chorus_"), "{token}");
    assert!(text(&made.stderr).contains("shown this once"));
    let (status, _) = get(&app, &token, "/feeds").await;
    assert_eq!(status, 200);

    let listed = text(&chorus(&app, &["token", "list", "--org", ORGANISATION], None).stdout);
    let line = listed
        .lines()
        .find(|l| l.contains("Website CMS"))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(
        line.contains("write:updates") && line.contains("last used"),
        "{line}"
    );
    assert!(!listed.contains(&token), "a list never shows a token");
    let id = line.split('\t').next().expect("an id");

    let revoked = chorus(&app, &["token", "revoke", "--org", ORGANISATION, id], None);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    let (status, answer) = get(&app, &token, "/feeds").await;
    assert_eq!(status, 401, "{answer}");
    let again = chorus(&app, &["token", "revoke", "--org", ORGANISATION, id], None);
    assert!(!again.status.success());

    let refused = chorus(
        &app,
        &[
            "token",
            "create",
            "--org",
            ORGANISATION,
            "--label",
            "x",
            "--scope",
            "admin",
        ],
        None,
    );
    assert!(
        text(&refused.stderr).contains("no scope \"admin\""),
        "{}",
        text(&refused.stderr)
    );

    // A token past its expiry is refused though never revoked.
    let expired = "chorus_ZXhwaXJlZC10b2tlbi1mb3ItdGhlLXRlc3RzLTMyLWI";
    app.store
        .create_api_token(&chorus::storage::NewApiToken {
            organisation_id: app.organisation_id().await,
            label: "old".into(),
            digest: chorus::admin::tokens::digest(expired),
            scopes: "write:updates".into(),
            expires_at: chorus::storage::now_millis() - 1,
        })
        .await
        .expect("stored");
    let (status, answer) = get(&app, expired, "/feeds").await;
    assert_eq!(status, 401, "{answer}");
    assert_eq!(answer["error"]["code"], "unauthorized");
    let (status, _) = get(&app, "organiser-token-for-tests", "/feeds").await;
    assert_eq!(status, 401, "anything not shaped like a token is refused");

    if !app.on_postgres() {
        let path = app.database.expose().trim_start_matches("sqlite://");
        let bytes = std::fs::read(path).expect("database file");
        let wal = std::fs::read(format!("{path}-wal")).unwrap_or_default();
        for haystack in [bytes, wal] {
            assert!(
                !haystack.windows(token.len()).any(|w| w == token.as_bytes()),
                "the token itself is never stored"
            );
        }
    }
}

#[tokio::test]
async fn serve_refuses_the_old_deployment_wide_tokens() {
    let app = TestApp::spawn().await;
    let refused = chorus_with_env(
        &app,
        &["serve", "--addr", "127.0.0.1:0"],
        None,
        &[("CHORUS_ADMIN_TOKENS", "old-token")],
    );
    assert!(!refused.status.success());
    let said = text(&refused.stderr);
    assert!(
        said.contains("CHORUS_ADMIN_TOKENS is no longer read"),
        "{said}"
    );
    assert!(said.contains("chorus token create"), "{said}");
}
