//! The organisers' API for their petitions, as the dashboard and an
//! organisation's scripts read it: petitions with their counts, signing by
//! hour or day by partner and country, the signers with their details
//! still sealed, and the audit log that records the export.

use std::time::Duration;

use chorus::admin::tokens::Scope;
use serde_json::{Value, json};

use crate::cli::{chorus, text};
use crate::helpers::{ADMIN_TOKEN, ORGANISATION, TestApp, add_token, body, form};

const PARTNER: &str = "https://harbour.example";
const COUNTS_ONLY: &str = "chorus_Y291bnRzLW9ubHktdG9rZW4tZm9yLXRoZS10ZXN0cyE";
const OTHER: &str = "chorus_b3RoZXItb3JnYW5pc2F0aW9uLXRva2VuLTMyLWJ5dGU";

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.admin_request(token, reqwest::Method::GET, path, None)
        .await
}

/// Petition `p` with partner Harbour, signed by three people: two from
/// Harbour's page (Senegal, France), one from Chorus's own (no partner).
async fn signed_petition(app: &TestApp) {
    let petition = app.create_petition("p", Some(1_000)).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &form("aicha@example.org", "6f1c0a52-3d0e-4c1b-9a57-0d7e1f6b2a11"),
    )
    .await;
    let mut french = form("lea@example.org", "6f1c0a52-3d0e-4c1b-9a57-0d7e1f6b2a12");
    french["country"] = json!("FR");
    app.sign_accepted("p", Some(PARTNER), &french).await;
    let mut own = form("sam@example.org", "6f1c0a52-3d0e-4c1b-9a57-0d7e1f6b2a13");
    own["country"] = json!("FR");
    app.sign_accepted("p", Some(&app.origin), &own).await;
}

#[tokio::test]
async fn petitions_are_listed_with_counts_and_signing_by_hour_and_day() {
    let app = TestApp::spawn().await;
    signed_petition(&app).await;
    add_token(
        &*app.store,
        app.organisation_id().await,
        COUNTS_ONLY,
        &[Scope::ReadCounts],
    )
    .await;

    // The count is the live one, which takes in new signatures within a
    // fraction of a second.
    let started = tokio::time::Instant::now();
    let petitions = loop {
        let (status, petitions) = body(get(&app, COUNTS_ONLY, "/petitions").await).await;
        assert_eq!(status, 200, "{petitions}");
        if petitions[0]["count"] == 3 {
            break petitions;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{petitions}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(petitions[0]["slug"], "p");
    assert_eq!(petitions[0]["goal"], 1_000);
    assert_eq!(petitions[0]["languages"], json!(["en", "fr"]));
    assert_eq!(petitions[0]["partners"][0]["name"], "Harbour");

    let (status, hours) =
        body(get(&app, COUNTS_ONLY, "/petitions/p/activity?periods=3").await).await;
    assert_eq!(status, 200, "{hours}");
    assert_eq!(hours["every"], "hour");
    let periods = hours["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 3, "every hour, those without signatures too");
    assert_eq!(periods[0]["signatures"], 0);
    // Summed over the periods: the signatures may straddle an hour's end.
    let total = |key: &str| {
        let mut sums = serde_json::Map::new();
        for period in periods {
            for (name, n) in period[key].as_object().expect("a breakdown") {
                let sum = sums.get(name).and_then(Value::as_i64).unwrap_or(0);
                sums.insert(name.clone(), json!(sum + n.as_i64().expect("a number")));
            }
        }
        Value::Object(sums)
    };
    let signatures: i64 = periods
        .iter()
        .filter_map(|p| p["signatures"].as_i64())
        .sum();
    assert_eq!(signatures, 3, "{hours}");
    assert_eq!(total("partners"), json!({"": 1, "Harbour": 2}));
    assert_eq!(total("countries"), json!({"FR": 2, "SN": 1}));
    let (_, days) = body(get(&app, COUNTS_ONLY, "/petitions/p/activity?every=day").await).await;
    let days = days["periods"].as_array().expect("periods");
    assert_eq!(days.len(), 30);
    let on_days: i64 = days.iter().filter_map(|d| d["signatures"].as_i64()).sum();
    assert_eq!(on_days, 3);
    assert!(
        days[29]["start"]
            .as_str()
            .is_some_and(|s| s.ends_with("T00:00:00Z"))
    );

    for bad in ["every=week", "periods=0", "periods=337"] {
        let (status, refused) =
            body(get(&app, COUNTS_ONLY, &format!("/petitions/p/activity?{bad}")).await).await;
        assert_eq!(status, 400, "{bad}: {refused}");
    }
    let export = get(&app, COUNTS_ONLY, "/petitions/p/signers").await;
    assert_eq!(export.status(), 403, "counting is not exporting");
}

#[tokio::test]
async fn the_export_carries_each_signer_sealed_and_is_written_to_the_audit_log() {
    let app = TestApp::spawn().await;
    signed_petition(&app).await;

    let response = get(&app, ADMIN_TOKEN, "/petitions/p/signers").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let text_body = response.text().await.expect("body");
    assert!(
        !text_body.contains("aicha@example.org"),
        "details travel sealed"
    );
    let lines: Vec<Value> = text_body
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 4, "{text_body}");
    assert_eq!(lines[3], json!({"kind": "end", "rows": 3}));
    let mut emails = Vec::new();
    for line in &lines[..3] {
        assert_eq!(line["kind"], "individual");
        assert_eq!(line["status"], "counted");
        let sealed = line["sealed"].as_str().expect("sealed details");
        let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, sealed)
            .expect("base64");
        emails.push(app.org_key.open(&bytes).expect("opens with the key").email);
    }
    emails.sort();
    assert_eq!(
        emails,
        ["aicha@example.org", "lea@example.org", "sam@example.org"]
    );
    let other_key = chorus::personal::sealed::keygen().1;
    let sealed = lines[0]["sealed"].as_str().expect("sealed");
    let bytes =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, sealed).expect("base64");
    assert!(other_key.open(&bytes).is_err(), "no other key opens it");

    let (status, audit) = body(get(&app, ADMIN_TOKEN, "/audit").await).await;
    assert_eq!(status, 200, "{audit}");
    assert_eq!(audit[0]["action"], "signatures.exported");
    assert!(
        audit[0]["actor"]
            .as_str()
            .is_some_and(|a| a.starts_with("token ")),
        "{audit}"
    );
    assert!(audit[0]["detail"].as_str().is_some_and(|d| d.contains('p')));
    let (_, page) = body(
        get(
            &app,
            ADMIN_TOKEN,
            &format!("/audit?before={}", audit[0]["id"].as_i64().expect("id")),
        )
        .await,
    )
    .await;
    assert_eq!(page, json!([]), "nothing older");
}

#[tokio::test]
async fn another_organisation_neither_counts_nor_exports_these_signers() {
    let app = TestApp::spawn().await;
    signed_petition(&app).await;
    app.other_organisation(OTHER).await;

    let (_, petitions) = body(get(&app, OTHER, "/petitions").await).await;
    assert_eq!(petitions, json!([]));
    for path in ["/petitions/p/activity", "/petitions/p/signers"] {
        assert_eq!(get(&app, OTHER, path).await.status(), 404, "{path}");
    }
    let (_, audit) = body(get(&app, OTHER, "/audit").await).await;
    assert_eq!(
        audit,
        json!([]),
        "no export was made, and none is in its log"
    );
    let (_, ours) = body(get(&app, ADMIN_TOKEN, "/audit").await).await;
    assert_eq!(ours, json!([]), "a refused export is not an export");
}

#[tokio::test]
async fn making_and_revoking_tokens_is_in_the_audit_log_the_cli_reads() {
    let app = TestApp::spawn().await;
    let made = chorus(
        &app,
        &[
            "token",
            "create",
            "--org",
            ORGANISATION,
            "--label",
            "CRM sync",
            "--scope",
            "read:counts",
        ],
        None,
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let listed = text(&chorus(&app, &["token", "list", "--org", ORGANISATION], None).stdout);
    let id = listed
        .lines()
        .find(|l| l.contains("CRM sync"))
        .and_then(|l| l.split('\t').next())
        .expect("listed")
        .to_owned();
    let revoked = chorus(&app, &["token", "revoke", "--org", ORGANISATION, &id], None);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));

    let log = text(&chorus(&app, &["audit", "--org", ORGANISATION], None).stdout);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].contains("token.revoked") && lines[0].contains(&format!("token {id}")),
        "{log}"
    );
    assert!(
        lines[1].contains("token.created") && lines[1].contains("(CRM sync): read:counts"),
        "{log}"
    );
    assert!(lines[1].contains("operator (command line)"), "{log}");
    assert!(!log.contains("chorus_"), "the log never holds a token");
}

async fn send(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    json: Value,
) -> (u16, Value) {
    app.admin_json(token, method, path, Some(json)).await
}

#[tokio::test]
async fn a_petition_is_created_translated_set_and_carried_by_a_partner_through_the_api() {
    let app = TestApp::spawn().await;
    let post = reqwest::Method::POST;
    let petition = json!({
        "slug": "free-the-defenders",
        "lang": "en",
        "title": "Free the defenders",
        "summary": "Drop the charges.",
        "hashtags": ["FreeThem"],
        "goal": 500,
        "privacy_url": "https://coalition.example/privacy",
    });
    let (status, answer) = send(
        &app,
        ADMIN_TOKEN,
        post.clone(),
        "/petitions",
        petition.clone(),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    let (status, answer) = send(
        &app,
        ADMIN_TOKEN,
        post.clone(),
        "/petitions",
        petition.clone(),
    )
    .await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (409, json!("already_exists"))
    );
    let (status, answer) = send(
        &app,
        ADMIN_TOKEN,
        reqwest::Method::PUT,
        "/petitions/free-the-defenders/texts/fr",
        json!({"title": "Libérez les défenseurs", "summary": "Abandonnez les poursuites."}),
    )
    .await;
    assert_eq!(status, 204, "{answer}");
    let (status, answer) = send(
        &app,
        ADMIN_TOKEN,
        post.clone(),
        "/petitions/free-the-defenders/partners",
        json!({"name": "Harbour", "origin": PARTNER}),
    )
    .await;
    assert_eq!(status, 204, "{answer}");

    // The public sees it in French, and the partner's page may take signatures.
    let (status, public) = body(
        app.get("/api/v1/petitions/free-the-defenders?lang=fr")
            .await,
    )
    .await;
    assert_eq!(status, 200, "{public}");
    assert_eq!(public["title"], "Libérez les défenseurs");
    assert_eq!(public["goal"], 500);
    app.sign_accepted(
        "free-the-defenders",
        Some(PARTNER),
        &form("aicha@example.org", "6f1c0a52-3d0e-4c1b-9a57-0d7e1f6b2a21"),
    )
    .await;

    let patch = reqwest::Method::PATCH;
    let (status, _) = send(
        &app,
        ADMIN_TOKEN,
        patch.clone(),
        "/petitions/free-the-defenders",
        json!({"goal": null, "paused": true}),
    )
    .await;
    assert_eq!(status, 204);
    let stored = app
        .store
        .petition_by_slug(&chorus::ident::Slug::parse("free-the-defenders").expect("slug"))
        .await
        .expect("read")
        .expect("there");
    assert_eq!((stored.goal, stored.paused), (None, true));
    let (status, _) = send(
        &app,
        ADMIN_TOKEN,
        patch.clone(),
        "/petitions/free-the-defenders",
        json!({"paused": false, "closed": true}),
    )
    .await;
    assert_eq!(status, 204);
    let stored = app
        .store
        .petition_by_id(stored.id)
        .await
        .expect("read")
        .expect("there");
    assert!(!stored.paused && stored.closed_at.is_some());

    for (body_json, why) in [
        (json!({}), "nothing to change"),
        (json!({"goal": 0}), "a goal of nothing"),
        (json!({"goal": "many"}), "a goal that is not a number"),
        (json!({"colour": "red"}), "an unknown setting"),
    ] {
        let (status, answer) = send(
            &app,
            ADMIN_TOKEN,
            patch.clone(),
            "/petitions/free-the-defenders",
            body_json,
        )
        .await;
        assert!((400..500).contains(&status), "{why}: {status} {answer}");
    }
    let mut bad = petition.clone();
    bad["slug"] = json!("Not A Slug");
    let (status, _) = send(&app, ADMIN_TOKEN, post.clone(), "/petitions", bad).await;
    assert_eq!(status, 400);
    let mut bad = petition.clone();
    bad["slug"] = json!("other");
    bad["privacy_url"] = json!("javascript:alert(1)");
    let (status, _) = send(&app, ADMIN_TOKEN, post.clone(), "/petitions", bad).await;
    assert_eq!(status, 400);

    // Another organisation reaches none of it; a token without the scope
    // changes nothing.
    app.other_organisation(OTHER).await;
    let (status, _) = send(
        &app,
        OTHER,
        patch.clone(),
        "/petitions/free-the-defenders",
        json!({"closed": false}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = send(
        &app,
        OTHER,
        reqwest::Method::PUT,
        "/petitions/free-the-defenders/texts/es",
        json!({"title": "x", "summary": "y"}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = send(
        &app,
        OTHER,
        post.clone(),
        "/petitions/free-the-defenders/partners",
        json!({"name": "Evil", "origin": "https://evil.example"}),
    )
    .await;
    assert_eq!(status, 404);
    add_token(
        &*app.store,
        app.organisation_id().await,
        COUNTS_ONLY,
        &[Scope::ReadCounts],
    )
    .await;
    let (status, answer) = send(
        &app,
        COUNTS_ONLY,
        patch,
        "/petitions/free-the-defenders",
        json!({"closed": false}),
    )
    .await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (403, json!("insufficient_scope"))
    );
    let stored = app
        .store
        .petition_by_id(stored.id)
        .await
        .expect("read")
        .expect("there");
    assert!(stored.closed_at.is_some(), "still closed");

    let (_, audit) = body(get(&app, ADMIN_TOKEN, "/audit").await).await;
    let actions: Vec<&str> = audit
        .as_array()
        .expect("lines")
        .iter()
        .filter_map(|l| l["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "petition.settings",
            "petition.settings",
            "partner.joined",
            "petition.text",
            "petition.created"
        ],
        "{audit}"
    );
    assert!(
        audit[0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("closed")),
        "{audit}"
    );
}

#[tokio::test]
async fn held_signatures_are_reviewed_and_decided_through_the_api_and_audited() {
    let (app, petition) = crate::guard::guarded(2, "").await;
    for n in 0..4 {
        app.sign(
            "p",
            Some(PARTNER),
            &form(&format!("s{n}@example.org"), &format!("k-{n:016}")),
        )
        .await;
    }
    assert_eq!(app.stored_count(&petition).await, 2);

    let (status, review) = body(get(&app, ADMIN_TOKEN, "/petitions/p/review").await).await;
    assert_eq!(status, 200, "{review}");
    let client = &review["clients"][0];
    assert_eq!(
        (client["counted"].clone(), client["held"].clone()),
        (json!(2), json!(2)),
        "{review}"
    );
    let client = client["key"].as_str().expect("a client").to_owned();
    assert_eq!(client.len(), 12);
    assert_eq!(review["hours"][0]["held"], 2, "{review}");
    assert_eq!(review["corrections"], json!([]));

    let post = reqwest::Method::POST;
    let decide = |decision: Value| {
        send(
            &app,
            ADMIN_TOKEN,
            post.clone(),
            "/petitions/p/review",
            decision,
        )
    };
    for (wrong, why) in [
        (
            json!({"decision": "invalidate", "reason": "bots"}),
            "invalidating everyone",
        ),
        (
            json!({"decision": "delete", "reason": "bots"}),
            "an unknown decision",
        ),
        (json!({"decision": "accept", "reason": " "}), "no reason"),
        (
            json!({"decision": "accept", "client": "ffffffffffff", "reason": "x"}),
            "no such client",
        ),
        (
            json!({"decision": "accept", "hour": "1999-01-01T00", "reason": "x"}),
            "no such hour",
        ),
    ] {
        let (status, answer) = decide(wrong).await;
        assert_eq!(status, 400, "{why}: {answer}");
    }
    assert_eq!(app.stored_count(&petition).await, 2, "nothing changed");

    let hour = review["hours"][0]["key"]
        .as_str()
        .expect("an hour")
        .to_owned();
    let (status, decided) =
        decide(json!({"decision": "accept", "hour": hour, "reason": "a school's computer room"}))
            .await;
    assert_eq!(
        (status, decided["change"].clone()),
        (200, json!(2)),
        "{decided}"
    );
    assert_eq!(app.stored_count(&petition).await, 4);
    let (_, decided) =
        decide(json!({"decision": "invalidate", "client": client, "reason": "a bot after all"}))
            .await;
    assert_eq!(decided["change"], -4, "{decided}");
    assert_eq!(app.stored_count(&petition).await, 0);

    let (_, review) = body(get(&app, ADMIN_TOKEN, "/petitions/p/review").await).await;
    assert_eq!(
        review["corrections"].as_array().map(Vec::len),
        Some(2),
        "{review}"
    );
    let (_, audit) = body(get(&app, ADMIN_TOKEN, "/audit").await).await;
    assert_eq!(audit[0]["action"], "review.decided");
    assert!(
        audit[0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("count -4")),
        "{audit}"
    );
    assert!(
        audit[1]["detail"]
            .as_str()
            .is_some_and(|d| d.contains(&format!("hour {hour}, count +2"))),
        "{audit}"
    );

    app.other_organisation(OTHER).await;
    assert_eq!(get(&app, OTHER, "/petitions/p/review").await.status(), 404);
    add_token(
        &*app.store,
        app.organisation_id().await,
        COUNTS_ONLY,
        &[Scope::ReadCounts],
    )
    .await;
    assert_eq!(
        get(&app, COUNTS_ONLY, "/petitions/p/review").await.status(),
        403
    );
}
