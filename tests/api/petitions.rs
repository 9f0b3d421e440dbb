//! Reading petitions and counts, and how bad requests are answered.

use chorus_wire::{ErrorBody, Petition, PetitionCount};

use crate::helpers::TestApp;

#[tokio::test]
async fn a_petition_is_read_in_the_language_asked_for() {
    let app = TestApp::spawn().await;
    app.create_petition("protect-defenders", None).await;

    let petition: Petition = app
        .get("/api/v1/petitions/protect-defenders?lang=fr-CA")
        .await
        .json()
        .await
        .expect("petition JSON");

    assert_eq!(petition.lang, "fr");
    assert_eq!(petition.title, "protect-defenders titre");
    assert_eq!(petition.languages, ["en", "fr"]);
}

#[tokio::test]
async fn a_language_without_text_falls_back_to_the_default() {
    let app = TestApp::spawn().await;
    app.create_petition("protect-defenders", None).await;

    let petition: Petition = app
        .get("/api/v1/petitions/protect-defenders?lang=es")
        .await
        .json()
        .await
        .expect("petition JSON");

    assert_eq!(petition.lang, "en");
}

#[tokio::test]
async fn the_count_includes_every_signature_and_may_be_cached() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("protect-defenders", Some(500)).await;
    app.sign_elsewhere(&petition, 7).await;
    // The count may be served from memory; give the engine its poll interval.
    let mut count = PetitionCount {
        petition: String::new(),
        count: 0,
        goal: None,
        last_signed_at: None,
        organisations: 0,
        listed: 0,
    };
    for _ in 0..40 {
        let response = app.get("/api/v1/petitions/protect-defenders/count").await;
        let cache = response.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            cache.contains("public") && cache.contains("max-age="),
            "{cache}"
        );
        count = response.json().await.expect("count JSON");
        if count.count == 7 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(count.count, 7);
    assert_eq!(count.goal, Some(500));
    assert!(count.last_signed_at.is_some_and(|t| t.ends_with('Z')));
}

async fn error_of(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: ErrorBody = response.json().await.expect("error JSON");
    assert!(!body.error.message.is_empty());
    body.error.code
}

#[tokio::test]
async fn an_unknown_petition_is_a_404_in_the_error_shape() {
    let app = TestApp::spawn().await;
    let code = error_of(app.get("/api/v1/petitions/no-such-thing/count").await, 404).await;
    assert_eq!(code, "not_found");
    let code = error_of(app.get("/api/v1/petitions/no-such-thing").await, 404).await;
    assert_eq!(code, "not_found");
}

#[tokio::test]
async fn malformed_input_is_a_400_never_a_500() {
    let app = TestApp::spawn().await;
    app.create_petition("protect-defenders", None).await;
    for path in [
        "/api/v1/petitions/Not%20A%20Slug/count",
        "/api/v1/petitions/%3Cscript%3E",
        "/api/v1/petitions/protect-defenders?lang=%00%00",
        "/api/v1/live?petitions=UPPER",
        "/api/v1/live",
    ] {
        let status = app.get(path).await.status();
        assert_eq!(status, 400, "{path}");
    }
    let too_long = "a".repeat(65);
    let code = error_of(
        app.get(&format!("/api/v1/petitions/{too_long}/count"))
            .await,
        400,
    )
    .await;
    assert_eq!(code, "invalid_slug");
}

#[tokio::test]
async fn an_oversize_body_is_refused_before_it_is_read() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(format!("{}/api/v1/petitions/x/count", app.origin))
        .body(vec![b'x'; chorus::bodies::MAX_BODY_BYTES + 1])
        .send()
        .await
        .expect("request sent");
    let code = error_of(response, 413).await;
    assert_eq!(code, "body_too_large");
}

#[tokio::test]
async fn unknown_endpoints_and_methods_answer_in_the_error_shape() {
    let app = TestApp::spawn().await;
    let code = error_of(app.get("/api/v1/nothing-here").await, 404).await;
    assert_eq!(code, "not_found");
    let response = app
        .client
        .delete(format!("{}/api/v1/petitions/x/count", app.origin))
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 405);
}

#[tokio::test]
async fn probes_say_the_process_is_up_and_the_database_reachable() {
    let app = TestApp::spawn().await;
    for (path, body) in [("/healthz", "ok\n"), ("/readyz", "ready\n")] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert_eq!(response.text().await.expect("body"), body);
    }
}
