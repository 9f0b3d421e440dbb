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

#[tokio::test]
async fn a_donate_button_and_an_updates_feed_are_rendered_with_what_their_widgets_take_over() {
    use crate::donations::{PARTNER, campaign};
    use crate::updates::{feed, post};

    let app = TestApp::spawn().await;
    campaign(
        &app,
        "migrants-day",
        chorus::storage::Provider::Link {
            template: "https://pay.example/give?amount={amount}&back={return_url}".into(),
        },
    )
    .await;
    let news = feed(&app).await;
    for (n, lang, tags) in [
        (1, "fr", "africa"),
        (2, "fr", "asylum"),
        (3, "en", "asylum"),
    ] {
        post(&app, &news, &format!("update {n}"), lang, tags, 10 - n).await;
    }
    let page = "https://partner.example/give?ref=letter";
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("w", "donate:migrants-day:fr")
        .append_pair("w", "updates:defenders-news:fr::1:")
        .append_pair("w", "updates:defenders-news:en:dark::compact")
        .append_pair("partner", PARTNER)
        .append_pair("page", page)
        .finish();
    let (status, answer) = body(app.get(&format!("/api/v1/embed?{query}")).await).await;
    assert_eq!(status, 200, "{answer}");
    let widgets = answer["widgets"].as_array().expect("a list");

    // The totals, the donor line and the button: a link to the donate page,
    // coming back to the partner's page without its query.
    let donate = widgets[0]["html"].as_str().expect("html");
    assert!(donate.contains("Journée des migrants"), "{donate}");
    assert!(
        donate.contains("0\u{a0}€ collectés sur 20\u{202f}000\u{a0}€"),
        "{donate}"
    );
    assert!(donate.contains(r#"class="donors""#), "{donate}");
    let back =
        url::form_urlencoded::byte_serialize(b"https://partner.example/give").collect::<String>();
    assert!(
        donate.contains(&format!(
            r#"href="{}/donate/migrants-day?lang=fr&amp;return={back}""#,
            app.origin
        )),
        "{donate}"
    );
    assert_eq!(widgets[0]["data"]["currency"], "EUR");

    // The first page in French, one item, with the feed's topics as chips.
    let french = widgets[1]["html"].as_str().expect("html");
    assert!(
        french.contains("update 2") && !french.contains("update 1"),
        "{french}"
    );
    assert!(!french.contains("update 3"), "{french}");
    assert!(
        french.contains(r#"class="topic""#) && french.contains(">asylum<"),
        "{french}"
    );
    assert!(french.contains(r#"class="more""#), "{french}");
    assert_eq!(widgets[1]["data"]["items"][0]["title"], "update 2");
    // Compact, in English, dark.
    let english = widgets[2]["html"].as_str().expect("html");
    assert!(
        english.contains("update 3") && english.contains(r#"data-theme="dark""#),
        "{english}"
    );
    assert!(!english.contains(r#"class="summary""#), "{english}");
}
