//! Chorus's donate page: the donate button's link, before any WebAssembly
//! or without script. A plain form with the campaign's choices that hands
//! the donor to the provider the way the widget does.

use chorus::storage::Provider;

use crate::donations::{PARTNER, campaign};
use crate::helpers::TestApp;

const BACK: &str = "https://partner.example/give";

fn link_provider() -> Provider {
    Provider::Link {
        template: "https://pay.example/give?amount={amount}&every={frequency}&back={return_url}"
            .into(),
    }
}

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn give(app: &TestApp, fields: &[(&str, &str)]) -> (u16, String, String) {
    let answer = client()
        .post(format!("{}/donate/migrants-day", app.origin))
        .form(fields)
        .send()
        .await
        .expect("posted");
    let status = answer.status().as_u16();
    let location = answer
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, location, answer.text().await.expect("a body"))
}

fn fields<'a>(gift: &'a str, other: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("idempotency_key", "plain-gift-000000001"),
        ("lang", "fr"),
        ("return", BACK),
        ("gift", gift),
        ("other", other),
    ]
}

#[tokio::test]
async fn the_donate_page_offers_every_choice_as_a_plain_form_in_the_donors_language() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", link_provider()).await;

    let answer = app
        .get(&format!(
            "/donate/migrants-day?lang=fr&return={}",
            url::form_urlencoded::byte_serialize(format!("{BACK}?ref=letter").as_bytes())
                .collect::<String>()
        ))
        .await;
    assert_eq!(answer.status(), 200);
    let policy = answer.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    let html = answer.text().await.expect("html");
    assert!(html.contains("Journée des migrants"), "{html}");
    assert!(html.contains(r#"<form method="post""#), "{html}");
    // Each frequency has its own amounts; the first is chosen.
    for choice in [
        "monthly:500",
        "monthly:1000",
        "monthly:other",
        "once:2500",
        "once:other",
    ] {
        assert!(
            html.contains(&format!(r#"value="{choice}""#)),
            "{choice} in {html}"
        );
    }
    assert!(html.contains(r#"value="monthly:500" checked"#), "{html}");
    assert!(html.contains("Tous les mois"), "{html}");
    // The donor comes back to the partner's page without its query.
    assert!(
        html.contains(&format!(r#"name="return" value="{BACK}""#)),
        "{html}"
    );
    assert!(html.contains(r#"name="idempotency_key" value=""#), "{html}");
}

#[tokio::test]
async fn a_posted_gift_goes_to_the_provider_and_a_wrong_amount_comes_back_with_the_problem() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", link_provider()).await;

    let (status, location, _) = give(&app, &fields("once:2500", "")).await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("https://pay.example/give?amount=25.00&every=once&back="),
        "{location}"
    );

    let (status, location, _) = give(&app, &fields("monthly:other", "7,50")).await;
    assert_eq!(status, 303);
    assert!(location.contains("amount=7.50&every=monthly"), "{location}");

    // Too little: the same page, in French, with what was typed.
    let (status, _, html) = give(&app, &fields("monthly:other", "1")).await;
    assert_eq!(status, 422);
    assert!(html.contains("Le don minimum est de 2\u{a0}€."), "{html}");
    assert!(html.contains(r#"value="monthly:other" checked"#), "{html}");
    assert!(
        html.contains(r#"name="other""#) && html.contains(r#"value="1""#),
        "{html}"
    );
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");

    let (status, _, html) = give(&app, &fields("monthly:other", "beaucoup")).await;
    assert_eq!(status, 422);
    assert!(html.contains("Saisissez un montant"), "{html}");
}

#[tokio::test]
async fn the_donate_page_hands_off_only_for_a_partners_page() {
    let app = TestApp::spawn().await;
    campaign(&app, "migrants-day", link_provider()).await;
    assert!(BACK.starts_with(PARTNER));

    let answer = app
        .get("/donate/migrants-day?lang=es&return=https%3A%2F%2Felsewhere.example%2Fgive")
        .await;
    assert_eq!(answer.status(), 400);
    let html = answer.text().await.expect("html");
    assert!(
        html.contains("Abra esta página desde el botón de donación"),
        "{html}"
    );
    assert!(!html.contains("<form"), "{html}");

    let mut elsewhere = fields("once:2500", "");
    elsewhere[2] = ("return", "https://elsewhere.example/give");
    let (status, location, _) = give(&app, &elsewhere).await;
    assert_eq!((status, location.as_str()), (400, ""));

    let answer = app.get("/donate/no-such-campaign?lang=en").await;
    assert_eq!(answer.status(), 404);
}
