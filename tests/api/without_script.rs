//! The frame page's form posted as plain HTML, with no script: the same
//! rules, one signature per key, and confirmation by email whatever the
//! petition's setting.

use crate::helpers::TestApp;

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn post(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    client()
        .post(format!(
            "{}/frame/petition/p?lang=fr&theme=dark",
            app.origin
        ))
        .header("origin", &app.origin)
        .form(fields)
        .send()
        .await
        .expect("posted")
}

fn fields<'a>(key: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("idempotency_key", key),
        ("first_name", "Aïcha"),
        ("last_name", "Ndiaye"),
        ("email", email),
        ("country", "SN"),
        ("comment", ""),
        ("privacy_consent", "on"),
        ("website", ""),
        ("lang", "fr"),
        ("consent_version", "2026-11"),
        ("partner", ""),
    ]
}

#[tokio::test]
async fn a_posted_form_signs_once_per_key_and_waits_for_its_address_to_confirm() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;

    for _ in 0..2 {
        let answer = post(&app, &fields("plain-key-0000000001", "aicha@example.org")).await;
        assert_eq!(answer.status(), 303);
        let location = answer.headers()["location"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert_eq!(location, "/frame/petition/p/thanks?lang=fr&theme=dark");
    }
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows.len(), 1, "a double submit stores one signature");
    assert_eq!(rows[0].status, "unconfirmed");
    assert_eq!(app.stored_count(&petition).await, 0);

    let thanks = app.get("/frame/petition/p/thanks?lang=fr").await;
    assert_eq!(thanks.status(), 200);
    let page = thanks.text().await.expect("page");
    assert!(page.contains("Merci d'avoir signé"), "{page}");
    assert!(
        page.contains("https://wa.me/?text="),
        "plain share links: {page}"
    );
    assert!(!page.contains("<script"), "{page}");
}

#[tokio::test]
async fn a_posted_form_with_problems_comes_back_with_the_input_and_the_messages() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;

    let answer = post(&app, &fields("plain-key-0000000002", "pas-une-adresse")).await;
    assert_eq!(answer.status(), 422);
    let csp = answer.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(csp.contains("form-action 'self'"), "{csp}");
    let page = answer.text().await.expect("page");
    assert!(
        page.contains("Veuillez saisir une adresse e-mail valide"),
        "{page}"
    );
    assert!(page.contains(r#"value="Aïcha""#), "the name kept: {page}");
    assert!(
        page.contains(r#"value="pas-une-adresse""#),
        "the address kept: {page}"
    );
    assert!(
        page.contains(r#"<option value="SN" selected"#),
        "the country kept: {page}"
    );
    // The same key again, so the corrected form is still the one signature.
    assert!(page.contains(r#"value="plain-key-0000000002""#), "{page}");
    assert!(app.signed_rows(&petition).await.is_empty());
}

#[tokio::test]
async fn the_frame_page_posts_with_a_fresh_key_each_time_it_is_rendered() {
    let app = TestApp::spawn().await;
    app.create_petition("p", None).await;
    let key = |page: String| {
        let start = page.find(r#"data-frame-key=""#).expect("the key") + 16;
        page[start..start + 32].to_owned()
    };
    let first = key(app
        .get("/frame/petition/p")
        .await
        .text()
        .await
        .expect("page"));
    let second = key(app
        .get("/frame/petition/p")
        .await
        .text()
        .await
        .expect("page"));
    assert_ne!(first, second);
    let page = app
        .get("/frame/petition/p")
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains(r#"method="post""#), "{page}");
    assert!(page.contains(r#"name="email""#), "{page}");
}
