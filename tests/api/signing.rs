//! Signing: stored once, answered the same, refused when it should be.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::{TestApp, body, form};

const PARTNER: &str = "https://partner.example";
const KEY: &str = "6f1c0a52-3d0e-4c1b-9a57-0d7e1f6b2a10";

/// The per-field problem codes of a 422.
fn field_problems(body: &Value) -> BTreeMap<String, String> {
    serde_json::from_value(body["error"]["fields"].clone()).unwrap_or_default()
}

#[tokio::test]
async fn a_signature_from_a_partner_page_is_stored_attributed_and_counted() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, true).await;

    let response = app
        .sign("p", Some(PARTNER), &form("aicha@example.org", KEY))
        .await;
    assert_eq!(response.headers()["access-control-allow-origin"], PARTNER);
    let (status, receipt) = body(response).await;
    assert_eq!((status, receipt), (200, json!({"status": "received"})));

    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.partner.as_deref(), Some("Harbour"));
    assert_eq!(app.details(row).first_name, "Aïcha");
    assert_eq!(row.country, "SN");
    assert_eq!(row.lang, "fr");
    assert_eq!(row.consent_version, "2026-11");
    assert!(row.opt_in_organiser && row.opt_in_partner);

    let (_, count) = body(app.get("/api/v1/petitions/p/count").await).await;
    assert_eq!(count["count"], 1, "the signature counts at once");
}

#[tokio::test]
async fn a_repeat_signature_gets_the_same_answer_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;

    let first = app
        .sign("p", Some(PARTNER), &form("Ana.Lopez@gmail.com", KEY))
        .await;
    let first = (first.status(), first.text().await.expect("body"));
    // Another submission (new key) with an alias of the same Gmail mailbox.
    let again = app
        .sign(
            "p",
            Some(PARTNER),
            &form(
                "analopez+petition@googlemail.com",
                "a0bb3d0e-4c1b-4a57-9d7e-1f6b2a10aaaa",
            ),
        )
        .await;
    let again = (again.status(), again.text().await.expect("body"));
    assert_eq!(first, again, "a repeat must be indistinguishable");
    assert_eq!(app.signed_rows(&petition).await.len(), 1);
}

#[tokio::test]
async fn fifty_concurrent_retries_of_one_submission_store_one_signature() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;

    let submission = form("retry@example.org", KEY);
    let answers = futures_util::future::join_all((0..50).map(|_| async {
        let response = app.sign("p", Some(PARTNER), &submission).await;
        (
            response.status().as_u16(),
            response.text().await.expect("body"),
        )
    }))
    .await;
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, 200);
    assert_eq!(app.signed_rows(&petition).await.len(), 1);
}

#[tokio::test]
async fn a_burst_of_signatures_is_written_in_fewer_transactions() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    let before = app.signatures.commits();

    let answers = futures_util::future::join_all((0..200).map(|n| {
        let submission = form(
            &format!("burst{n}@example.org"),
            &format!("burst-key-{n:08}-0000"),
        );
        let app = &app;
        async move { app.sign("p", Some(PARTNER), &submission).await.status() }
    }))
    .await;
    assert!(answers.iter().all(|status| *status == 200), "{answers:?}");
    assert_eq!(app.signed_rows(&petition).await.len(), 200);
    // Group commit: signatures that arrive during a commit share the next one.
    let commits = app.signatures.commits() - before;
    assert!(commits < 200, "{commits} transactions for 200 signatures");
}

#[tokio::test]
async fn each_rule_is_reported_on_its_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;

    let cases: [(&str, Value, &str); 10] = [
        ("first_name", json!(""), "required"),
        (
            "first_name",
            json!("=HYPERLINK(\"http://x\")"),
            "not_a_name",
        ),
        ("last_name", json!("see evil.com"), "not_a_name"),
        ("first_name", json!("x".repeat(81)), "too_long"),
        ("email", json!("not-an-address"), "invalid_email"),
        ("email", json!("ana..lopez@example.org"), "invalid_email"),
        ("country", json!("XX"), "unknown_country"),
        ("comment", json!("ring\u{7}"), "invalid"),
        ("comment", json!("x".repeat(1001)), "too_long"),
        ("privacy_consent", json!(false), "consent_required"),
    ];
    for (field, value, code) in cases {
        let mut submission = form("rules@example.org", KEY);
        submission[field] = value;
        let (status, error) = body(app.sign("p", Some(PARTNER), &submission).await).await;
        assert_eq!(status, 422, "{field}: {error}");
        assert_eq!(error["error"]["code"], "invalid_fields");
        assert_eq!(
            field_problems(&error).get(field).map(String::as_str),
            Some(code),
            "{field}: {error}"
        );
    }

    // Missing fields are reported one by one, not as a parse failure.
    let (status, error) = body(app.sign("p", Some(PARTNER), &json!({})).await).await;
    assert_eq!(status, 422);
    let problems = field_problems(&error);
    for field in [
        "first_name",
        "email",
        "country",
        "privacy_consent",
        "idempotency_key",
    ] {
        assert!(
            problems.contains_key(field),
            "{field} missing from {problems:?}"
        );
    }
    assert!(app.signed_rows(&petition).await.is_empty());
}

#[tokio::test]
async fn unreadable_bodies_get_clear_errors() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    let url = format!("{}/api/v1/petitions/p/signatures", app.origin);
    let post = |body: Vec<u8>, content_type: &'static str| {
        app.client
            .post(&url)
            .header("origin", PARTNER)
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    let cases = [
        (
            b"{\"first_name\":".to_vec(),
            "application/json",
            400,
            "invalid_json",
        ),
        (
            b"{\"email\": 5}".to_vec(),
            "application/json",
            400,
            "invalid_json",
        ),
        (
            b"first_name=x".to_vec(),
            "application/x-www-form-urlencoded",
            415,
            "unsupported_media_type",
        ),
        (
            vec![b' '; 20 * 1024],
            "application/json",
            413,
            "body_too_large",
        ),
    ];
    for (payload, content_type, status, code) in cases {
        let response = post(payload, content_type).await.expect("request sent");
        let (got, error) = body(response).await;
        assert_eq!((got, error["error"]["code"].as_str()), (status, Some(code)));
    }
    assert!(app.signed_rows(&petition).await.is_empty());
}

#[tokio::test]
async fn signatures_from_other_origins_are_refused() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    let other = app.create_petition("other", None).await;
    app.add_partner(&other, "Elsewhere", "https://elsewhere.example", false)
        .await;

    for origin in [
        None,
        Some("https://attacker.example"),
        Some("https://elsewhere.example"),
    ] {
        let (status, error) = body(app.sign("p", origin, &form("o@example.org", KEY)).await).await;
        assert_eq!(status, 403, "{origin:?}");
        assert_eq!(error["error"]["code"], "forbidden_origin");
    }
    assert!(app.signed_rows(&petition).await.is_empty());
}

#[tokio::test]
async fn only_partners_get_a_preflight_for_signing() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/api/v1/petitions/p/signatures", app.origin),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let granted = preflight(PARTNER).await.expect("request sent");
    assert_eq!(granted.headers()["access-control-allow-origin"], PARTNER);
    assert!(
        granted.headers()["vary"]
            .to_str()
            .unwrap_or("")
            .contains("origin")
    );
    let refused = preflight("https://attacker.example")
        .await
        .expect("request sent");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn the_frame_page_signs_for_the_partner_that_framed_it() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    let mut submission = form("frame@example.org", KEY);
    submission["partner"] = json!(PARTNER);

    // Chorus's own page: the Origin is the host the request went to.
    app.sign_accepted("p", Some(&app.origin), &submission).await;
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows[0].partner.as_deref(), Some("Harbour"));
    // The partner asks no question of its own, so a ticked box counts for nothing.
    assert!(!rows[0].opt_in_partner);
}

#[tokio::test]
async fn the_export_lists_signers_and_defuses_formulas() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, true).await;
    let mut submission = form("export@example.org", KEY);
    submission["comment"] = json!("=1+1 solidarity, \"always\"");
    app.sign_accepted("p", Some(PARTNER), &submission).await;

    let mut csv = Vec::new();
    let exported =
        chorus::signing::export::write_csv(&*app.store, &petition, &app.org_key, &mut csv)
            .await
            .expect("export runs");
    assert_eq!(exported.rows, 1);
    let csv = String::from_utf8(csv).expect("UTF-8");
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .expect("header")
            .starts_with("signed_at,first_name,last_name,email,country")
    );
    let row = lines.next().expect("one row");
    assert!(
        row.contains(",Aïcha,Ndiaye,export@example.org,SN,"),
        "{row}"
    );
    assert!(
        row.contains("\"'=1+1 solidarity, \"\"always\"\"\""),
        "{row}"
    );
    assert!(row.contains(",fr,Harbour,2026-11,yes,yes,"), "{row}");
    // An individual's row leaves the organisations' columns empty.
    assert!(row.ends_with(",counted,individual,,,,,,,"), "{row}");
}

#[tokio::test]
async fn the_frame_page_may_be_framed_only_by_the_petitions_partners() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", "https://harbour.example", false)
        .await;
    let csp_for = |partner: &str| {
        let app = &app;
        let partner = partner.to_owned();
        async move {
            let response = app
                .get(&format!("/frame/petition/p?partner={partner}&lang=fr"))
                .await;
            assert_eq!(response.status(), 200);
            response.headers()["content-security-policy"]
                .to_str()
                .unwrap_or_default()
                .to_owned()
        }
    };
    assert!(
        csp_for("https://harbour.example")
            .await
            .ends_with("frame-ancestors https://harbour.example")
    );
    assert!(
        csp_for("https://attacker.example")
            .await
            .ends_with("frame-ancestors https://harbour.example")
    );
    assert_eq!(app.get("/frame/petition/nope").await.status(), 404);
}

#[tokio::test]
async fn the_frame_page_credits_a_partner_only_inside_that_partners_frame() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", "https://harbour.example", false)
        .await;
    let credited = |dest: Option<&'static str>| {
        let app = &app;
        async move {
            let mut request = app.client.get(format!(
                "{}/frame/petition/p?partner=https://harbour.example",
                app.origin
            ));
            if let Some(dest) = dest {
                request = request.header("sec-fetch-dest", dest);
            }
            let page = request
                .send()
                .await
                .expect("page")
                .text()
                .await
                .expect("text");
            let start = page.find("data-frame-partner=\"").expect("the attribute") + 20;
            page[start..start + page[start..].find('"').expect("ends")].to_owned()
        }
    };
    assert_eq!(credited(Some("iframe")).await, "https://harbour.example");
    // Opened as a page of its own (a shared link), or by a browser that
    // does not say: nobody is credited.
    assert_eq!(credited(Some("document")).await, "");
    assert_eq!(credited(None).await, "");
}

#[tokio::test]
async fn a_paused_petition_refuses_signatures_until_signing_is_switched_back_on() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    app.store
        .set_paused(petition.id, true)
        .await
        .expect("paused");
    let (status, answer) = body(
        app.sign("p", Some(PARTNER), &form("a@example.org", KEY))
            .await,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(answer["error"]["code"], "signing_paused");
    assert!(app.signed_rows(&petition).await.is_empty());

    app.store.set_paused(petition.id, false).await.expect("on");
    // The directory keeps petitions for a few seconds; a new instance reads afresh.
    let fresh = app.second_instance().await;
    fresh
        .sign_accepted("p", Some(PARTNER), &form("a@example.org", KEY))
        .await;
    assert_eq!(app.signed_rows(&petition).await.len(), 1);
}
