//! `GET /api/v1/embed`: every placeholder's HTML in one cacheable request.

use crate::helpers::{TestApp, body};

#[tokio::test]
async fn every_placeholder_is_rendered_in_its_language_in_the_order_asked() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("protect-defenders", Some(20_000)).await;
    app.sign_elsewhere(&petition, 3).await;

    let response = app
        .get("/api/v1/embed?w=petition:protect-defenders:fr-CA,en:dark&w=counter:protect-defenders:es:&w=counter:protect-defenders")
        .await;
    let cache = response.headers()["cache-control"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        cache.contains("public") && cache.contains("max-age="),
        "{cache}"
    );
    let (status, answer) = body(response).await;
    assert_eq!(status, 200, "{answer}");
    let widgets = answer["widgets"].as_array().expect("a list");
    assert_eq!(widgets.len(), 3);

    let petition = &widgets[0];
    assert_eq!(petition["lang"], "fr-CA");
    let html = petition["html"].as_str().expect("html");
    assert!(html.contains("protect-defenders titre"), "{html}");
    assert!(html.contains(r#"data-theme="dark""#), "{html}");
    assert!(html.contains(r#"class="sign""#), "{html}");
    assert!(html.contains("Objectif"), "{html}");
    assert_eq!(petition["data"]["title"], "protect-defenders titre");
    assert_eq!(petition["data"]["goal"], 20_000);
    // The form's countries, named and sorted as the HTML shows them, for
    // the widget to show the same.
    let countries = petition["data"]["countries"].as_array().expect("countries");
    assert!(countries.len() > 200);
    assert!(html.contains(&format!(">{}<", countries[0][1].as_str().expect("a name"))));

    let spanish = widgets[1]["html"].as_str().expect("html");
    assert!(spanish.contains("Meta: 20.000"), "{spanish}");
    assert_eq!(widgets[1]["lang"], "es");
    assert_eq!(widgets[2]["lang"], "en");
    assert!(widgets[2]["data"]["count"].is_u64());
}

#[tokio::test]
async fn an_unknown_or_malformed_placeholder_spoils_none_of_the_others() {
    let app = TestApp::spawn().await;
    app.create_petition("protect-defenders", None).await;

    let (status, answer) = body(
        app.get("/api/v1/embed?w=counter:no-such-petition:en&w=counter:Not%20A%20Slug&w=nonsense&w=counter:protect-defenders:en")
            .await,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let widgets = answer["widgets"].as_array().expect("a list");
    let html = |i: usize| widgets[i]["html"].as_str().expect("html").to_owned();
    assert!(html(0).contains("could not be found"), "{}", html(0));
    assert!(widgets[0]["data"].is_null());
    assert!(html(1).contains("could not be found"), "{}", html(1));
    // Not even a kind and a slug: the widget renders itself.
    assert_eq!(html(2), "");
    assert!(html(3).contains("signatures"), "{}", html(3));
}

#[tokio::test]
async fn an_embed_request_names_between_one_and_a_bounded_number_of_widgets() {
    let app = TestApp::spawn().await;
    let (status, answer) = body(app.get("/api/v1/embed").await).await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["code"], "invalid_query");

    let many = vec!["w=counter:p"; 25].join("&");
    let (status, answer) = body(app.get(&format!("/api/v1/embed?{many}")).await).await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["code"], "too_many_widgets");
}
