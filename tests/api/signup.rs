//! "Join us": a sign-up list made with the CLI, joined from a partner's
//! page, confirmed through a real SMTP server, counted, exported with the
//! organisation's key, left, and erased with `chorus person erase`.

use serde_json::{Value, json};

use crate::cli::{chorus, chorus_with_env, text};
use crate::endorsements::confirm;
use crate::helpers::{ORGANISATION, TestApp, body};
use crate::smtp::SmtpServer;

const PARTNER: &str = "https://harbour.example";

/// A partner Chorus knows, and the list `news` of the tests' organisation.
async fn news_list(app: &TestApp) {
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    let made = chorus(
        app,
        &[
            "signup",
            "create",
            "news",
            "--name",
            "Coalition news",
            "--org",
            ORGANISATION,
        ],
        None,
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
}

fn sign_up(email: &str, key: &str) -> Value {
    json!({
        "idempotency_key": key,
        "first_name": "Amara",
        "email": email,
        "country": "SN",
        "lang": "fr",
        "consent": true,
        "consent_version": chorus_wire::signup::CONSENT_VERSION,
    })
}

async fn join(app: &TestApp, origin: &str, form: &Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/signups/news/join", app.origin))
        .header("origin", origin)
        .json(form)
        .send()
        .await
        .expect("request sent");
    body(response).await
}

async fn count(app: &TestApp) -> u64 {
    let (status, list) = body(app.get("/api/v1/signups/news").await).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["name"], "Coalition news");
    list["count"].as_u64().expect("a count")
}

fn export(app: &TestApp) -> String {
    let exported = chorus(
        app,
        &["signup", "export", "news", "--secret-key-file", "-"],
        Some(&app.org_key.to_text()),
    );
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    text(&exported.stdout)
}

#[tokio::test]
async fn a_sign_up_counts_once_confirmed_by_email_and_is_exported_left_and_erased() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    news_list(&app).await;

    let answer = join(
        &app,
        PARTNER,
        &sign_up("amara@example.org", "k-signup-0000001"),
    )
    .await;
    assert_eq!(answer, (200, json!({"status": "received"})));
    assert_eq!(
        count(&app).await,
        0,
        "nothing counts before the confirmation"
    );
    let mail = &smtp.wait_for(1).await[0];
    assert_eq!(mail.to, "amara@example.org");
    assert!(mail.subject.contains("Coalition news"), "{}", mail.subject);

    // A retry and a repeat get the same answer, and store nothing more.
    for key in ["k-signup-0000001", "k-signup-0000002"] {
        let again = join(&app, PARTNER, &sign_up("Amara@Example.org", key)).await;
        assert_eq!(again, (200, json!({"status": "received"})));
    }

    confirm(&app, &mail.link("/signup/")).await;
    assert_eq!(count(&app).await, 1);
    let csv = export(&app);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(
        rows[1].contains(",Amara,amara@example.org,SN,fr,Harbour,confirmed,"),
        "{csv}"
    );
    assert!(
        rows[1].contains("Coalition news"),
        "the consent is stored word for word: {csv}"
    );

    // Someone else joins, then leaves from their email.
    join(
        &app,
        PARTNER,
        &sign_up("joseph@example.org", "k-signup-0000003"),
    )
    .await;
    let mails = smtp.wait_for(2).await;
    let joseph = mails
        .iter()
        .find(|m| m.to == "joseph@example.org")
        .expect("mailed");
    confirm(&app, &joseph.link("/signup/")).await;
    assert_eq!(count(&app).await, 2);
    confirm(&app, &joseph.link("/leave/")).await;
    assert_eq!(count(&app).await, 1);
    assert!(!export(&app).contains("joseph"), "leaving deletes");

    let erased = chorus_with_env(
        &app,
        &["person", "erase"],
        Some("amara@example.org\n"),
        &[("CHORUS_SECRET_KEY", crate::helpers::SECRET_KEY)],
    );
    assert!(erased.status.success(), "{}", text(&erased.stderr));
    assert!(
        text(&erased.stdout).contains("sign-up lists: removed from 1 list(s)"),
        "{}",
        text(&erased.stdout)
    );
    assert_eq!(count(&app).await, 0);
    assert_eq!(export(&app).lines().count(), 1, "the header only");
}

#[tokio::test]
async fn a_sign_up_is_checked_field_by_field_and_taken_only_from_partners() {
    let app = TestApp::spawn().await;
    news_list(&app).await;
    let mut bad = sign_up("amara@", "k-signup-0000004");
    bad["first_name"] = json!("");
    bad["lang"] = json!("de");
    bad["consent"] = json!(false);
    let (status, answer) = join(&app, PARTNER, &bad).await;
    assert_eq!(status, 422, "{answer}");
    let fields = &answer["error"]["fields"];
    for field in ["first_name", "email", "lang", "consent"] {
        assert!(fields.get(field).is_some(), "{field} in {answer}");
    }

    let (status, _) = join(
        &app,
        "https://stranger.example",
        &sign_up("amara@example.org", "k-signup-0000005"),
    )
    .await;
    assert_eq!(status, 403);
    let preflight = |origin: &'static str| {
        app.client
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/api/v1/signups/news/join", app.origin),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight(PARTNER).await.expect("preflight");
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.as_bytes()),
        Some(PARTNER.as_bytes())
    );
    let refused = preflight("https://stranger.example")
        .await
        .expect("preflight");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    let (status, _) = body(app.get("/api/v1/signups/no-such-list").await).await;
    assert_eq!(status, 404);
    assert_eq!(count(&app).await, 0);
}
