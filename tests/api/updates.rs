//! The updates feed over HTTP: pages with cursors and filters for widgets,
//! Atom and JSON Feed for readers, and nothing unsafe in any of them.

use chorus::ident::{Lang, Slug};
use chorus::storage::{FeedRecord, NewFeed};
use chorus::updates::item::{ItemDraft, check};
use serde_json::Value;

use crate::helpers::{ADMIN_TOKEN, TestApp};
use crate::picture_host::{PHOTO, PictureHost};

/// The feed `defenders-news`, empty.
pub(crate) async fn feed(app: &TestApp) -> FeedRecord {
    app.store
        .create_feed(&NewFeed {
            organisation_id: app.organisation_id().await,
            slug: Slug::parse("defenders-news").expect("slug"),
            title: "Defenders news".into(),
            default_lang: Lang::parse("en").expect("lang"),
            source_url: None,
        })
        .await
        .expect("feed created")
}

/// Posts an update published `minutes_ago` (negative: in the future).
pub(crate) async fn post(
    app: &TestApp,
    feed: &FeedRecord,
    title: &str,
    lang: &str,
    tags: &str,
    minutes_ago: i64,
) -> i64 {
    let when = chorus::storage::rfc3339(chorus::storage::now_millis() - minutes_ago * 60_000);
    let content = check(&ItemDraft {
        title: title.into(),
        body_markdown: format!(
            "About **{title}**. <img src=x onerror=alert(1)> [more](javascript:alert(1))"
        ),
        tags: tags.into(),
        lang: lang.into(),
        publish_at: when,
        ..ItemDraft::default()
    })
    .expect("valid update");
    app.store
        .post_item(feed.id, &content)
        .await
        .expect("posted")
        .id
}

async fn page(app: &TestApp, query: &str) -> (u16, Value) {
    let response = app
        .get(&format!("/api/v1/feeds/defenders-news/items{query}"))
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["title"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Twelve updates: ten out (one per minute, "u10" newest), one scheduled
/// for tomorrow, one unpublished.
async fn seeded(app: &TestApp) -> FeedRecord {
    let feed = feed(app).await;
    for n in 1..=10 {
        let (lang, tags) = if n % 3 == 0 {
            ("fr", "africa")
        } else {
            ("en", "geneva,treaty-bodies")
        };
        post(app, &feed, &format!("u{n}"), lang, tags, 60 - n).await;
    }
    post(app, &feed, "tomorrow", "en", "geneva", -24 * 60).await;
    let hidden = post(app, &feed, "withdrawn", "en", "geneva", 1).await;
    assert!(
        app.store
            .set_unpublished(hidden, true)
            .await
            .expect("unpublished")
    );
    feed
}

#[tokio::test]
async fn pages_run_newest_first_without_future_or_unpublished_items() {
    let app = TestApp::spawn().await;
    seeded(&app).await;

    let (status, first) = page(&app, "?limit=4").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(titles(&first), ["u10", "u9", "u8", "u7"]);
    let cursor = first["next"].as_str().expect("a next page");
    let (_, second) = page(&app, &format!("?limit=4&cursor={cursor}")).await;
    assert_eq!(titles(&second), ["u6", "u5", "u4", "u3"]);
    let cursor = second["next"].as_str().expect("a last page");
    let (_, last) = page(&app, &format!("?limit=4&cursor={cursor}")).await;
    assert_eq!(titles(&last), ["u2", "u1"]);
    assert!(last["next"].is_null());
    assert_eq!(first["title"], "Defenders news");
}

#[tokio::test]
async fn tags_and_languages_filter_the_items() {
    let app = TestApp::spawn().await;
    seeded(&app).await;

    let (_, africa) = page(&app, "?tag=africa").await;
    assert_eq!(titles(&africa), ["u9", "u6", "u3"]);
    let (_, french) = page(&app, "?lang=fr-CA").await;
    assert_eq!(titles(&french), ["u9", "u6", "u3"]);
    let (_, both) = page(&app, "?tag=geneva&lang=en&limit=2").await;
    assert_eq!(titles(&both), ["u10", "u8"]);
    // A tag is a whole word: "gene" is not "geneva".
    let (_, partial) = page(&app, "?tag=gene").await;
    assert!(titles(&partial).is_empty());
}

#[tokio::test]
async fn first_pages_name_the_topics_most_used_first() {
    let app = TestApp::spawn().await;
    seeded(&app).await;
    let topics = |page: &Value| page["tags"].clone();

    // Seven English items share two tags, three French ones a third; the
    // future and the unpublished items add nothing.
    let (_, first) = page(&app, "?limit=2").await;
    assert_eq!(
        topics(&first),
        serde_json::json!(["geneva", "treaty-bodies", "africa"])
    );
    // The widget keeps every topic on offer while one is chosen...
    let (_, chosen) = page(&app, "?tag=africa").await;
    assert_eq!(topics(&chosen), topics(&first));
    // ...but only those of the language shown.
    let (_, french) = page(&app, "?lang=fr").await;
    assert_eq!(topics(&french), serde_json::json!(["africa"]));
    let cursor = first["next"].as_str().expect("a next page");
    let (_, second) = page(&app, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(topics(&second), serde_json::json!([]));
}

/// Posts an update with a picture at `image_url`.
async fn post_with_picture(app: &TestApp, feed: &FeedRecord, image_url: &str) -> i64 {
    let content = check(&ItemDraft {
        title: "Action day".into(),
        image_url: Some(image_url.into()),
        image_alt: "Supporters outside the treaty body".into(),
        lang: "en".into(),
        ..ItemDraft::default()
    })
    .expect("valid update");
    app.store
        .post_item(feed.id, &content)
        .await
        .expect("posted")
        .id
}

async fn picture(app: &TestApp, id: i64) -> reqwest::Response {
    app.get(&format!("/api/v1/feeds/defenders-news/items/{id}/image"))
        .await
}

#[tokio::test]
async fn pictures_are_served_from_chorus_fetched_once_and_only_raster_images() {
    let app = TestApp::spawn().await;
    let feed = feed(&app).await;
    let host = PictureHost::serve().await;
    let photo = post_with_picture(&app, &feed, &format!("{}/photo.png", host.origin)).await;

    // Supporters opening the page at the same moment wait for one fetch.
    let together = futures_util::future::join_all((0..6).map(|_| picture(&app, photo))).await;
    assert!(together.iter().all(|r| r.status() == 200));
    assert_eq!(host.hits(), 1, "asked once, however many asked at once");
    for _ in 0..3 {
        let response = picture(&app, photo).await;
        assert_eq!(response.status(), 200);
        let header = |name: &str| {
            response.headers()[name]
                .to_str()
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("content-type"), "image/png");
        assert_eq!(header("cross-origin-resource-policy"), "cross-origin");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert!(header("cache-control").contains("max-age=86400"));
        assert_eq!(response.bytes().await.expect("body").as_ref(), PHOTO);
    }
    assert_eq!(host.hits(), 1, "the organisation's host is asked once");

    let drawing = post_with_picture(&app, &feed, &format!("{}/drawing.svg", host.origin)).await;
    let huge = post_with_picture(&app, &feed, &format!("{}/huge.png", host.origin)).await;
    let gone = post_with_picture(&app, &feed, &format!("{}/missing.png", host.origin)).await;
    for refused in [drawing, huge, gone] {
        let response = picture(&app, refused).await;
        assert_eq!(response.status(), 404);
        let body: Value = response.json().await.expect("an error body");
        assert_eq!(body["error"]["code"], "not_found");
    }

    // Only published items of this feed: no open proxy.
    assert!(
        app.store
            .set_unpublished(photo, true)
            .await
            .expect("unpublished")
    );
    assert_eq!(picture(&app, photo).await.status(), 404);
    let text_only = post(&app, &feed, "No picture", "en", "", 0).await;
    assert_eq!(picture(&app, text_only).await.status(), 404);
    assert_eq!(picture(&app, 9_999).await.status(), 404);
    app.store
        .create_feed(&NewFeed {
            organisation_id: app.organisation_id().await,
            slug: Slug::parse("other-news").expect("slug"),
            title: "Other news".into(),
            default_lang: Lang::parse("en").expect("lang"),
            source_url: None,
        })
        .await
        .expect("feed created");
    let photo_elsewhere =
        post_with_picture(&app, &feed, &format!("{}/photo.png", host.origin)).await;
    assert_eq!(picture(&app, photo_elsewhere).await.status(), 200);
    let other = app
        .get(&format!(
            "/api/v1/feeds/other-news/items/{photo_elsewhere}/image"
        ))
        .await;
    assert_eq!(other.status(), 404);
    assert_eq!(
        app.get("/api/v1/feeds/defenders-news/items/not-a-number/image")
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn bad_queries_get_clear_errors() {
    let app = TestApp::spawn().await;
    seeded(&app).await;
    for (query, code) in [
        ("?limit=0", "invalid_limit"),
        ("?limit=51", "invalid_limit"),
        ("?cursor=yesterday", "invalid_cursor"),
        ("?tag=Bad%20Tag%21", "invalid_tag"),
        ("?lang=english", "invalid_lang"),
        ("?limit=-1", "invalid_query"),
    ] {
        let (status, body) = page(&app, query).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some(code)),
            "{query}"
        );
    }
    assert_eq!(app.get("/api/v1/feeds/no-such/items").await.status(), 404);
    assert_eq!(app.get("/feeds/defenders-news.rss").await.status(), 404);
}

#[tokio::test]
async fn stored_updates_carry_no_script_and_only_web_links() {
    let app = TestApp::spawn().await;
    seeded(&app).await;
    let (_, first) = page(&app, "?limit=1").await;
    let body = first["items"][0]["body_html"].as_str().expect("a body");
    assert!(body.contains("<strong>u10</strong>"), "{body}");
    for forbidden in ["<img", "onerror", "javascript", "<script"] {
        assert!(!body.contains(forbidden), "{forbidden} in {body}");
    }
}

#[tokio::test]
async fn the_feed_is_published_as_atom_and_json_feed_that_readers_parse() {
    let app = TestApp::spawn().await;
    seeded(&app).await;

    let atom = app.get("/feeds/defenders-news.atom").await;
    assert_eq!(
        atom.headers()["content-type"].to_str().ok(),
        Some("application/atom+xml; charset=utf-8")
    );
    let atom = atom.text().await.expect("body");
    let parsed = feed_rs::parser::parse(atom.as_bytes()).expect("Atom that a reader parses");
    assert_eq!(parsed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(
        parsed.entries.len(),
        10,
        "future and unpublished items stay out"
    );
    assert_eq!(
        parsed.entries[0].title.as_ref().map(|t| t.content.as_str()),
        Some("u10")
    );
    assert!(
        parsed.entries[0]
            .id
            .starts_with("tag:chorus,2026:defenders-news/")
    );
    assert!(atom.contains("rel=\"self\""), "{atom}");

    let json = app.get("/feeds/defenders-news.json").await;
    assert_eq!(
        json.headers()["content-type"].to_str().ok(),
        Some("application/feed+json; charset=utf-8")
    );
    let json = json.text().await.expect("body");
    let document: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(document["version"], "https://jsonfeed.org/version/1.1");
    assert!(
        document["feed_url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/feeds/defenders-news.json"))
    );
    let items = document["items"].as_array().expect("items");
    assert_eq!(items.len(), 10);
    for item in items {
        // JSON Feed 1.1: every item has an id and content.
        assert!(
            item["id"].is_string() && item["content_html"].is_string(),
            "{item}"
        );
    }
    assert_eq!(
        items[0]["tags"],
        serde_json::json!(["geneva", "treaty-bodies"])
    );
    let parsed = feed_rs::parser::parse(json.as_bytes()).expect("a JSON Feed that a reader parses");
    assert_eq!(parsed.feed_type, feed_rs::model::FeedType::JSON);
    assert_eq!(parsed.entries.len(), 10);
}

async fn admin(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let mut request = app
        .client
        .request(method, format!("{}/api/v1/admin{path}", app.origin));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        response.json().await.unwrap_or(Value::Null),
        headers,
    )
}

#[tokio::test]
async fn the_organisers_api_needs_a_token_and_posts_edits_and_unpublishes() {
    let app = TestApp::spawn().await;
    feed(&app).await;
    let item = serde_json::json!({
        "title": "Country review: Chile",
        "body": "The committee asked about **detention**.",
        "tags": ["americas", "treaty-bodies"],
        "lang": "en"
    });
    let post = reqwest::Method::POST;

    let (status, body, headers) = admin(
        &app,
        post.clone(),
        "/feeds/defenders-news/items",
        None,
        Some(item.clone()),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );
    assert_eq!(headers["www-authenticate"], "Bearer");
    let (status, ..) = admin(
        &app,
        post.clone(),
        "/feeds/defenders-news/items",
        Some("guess"),
        Some(item.clone()),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        page(&app, "").await.1["items"],
        serde_json::json!([]),
        "nothing was posted"
    );

    let token = Some(ADMIN_TOKEN);
    let (status, posted, _) = admin(
        &app,
        post.clone(),
        "/feeds/defenders-news/items",
        token,
        Some(item),
    )
    .await;
    assert_eq!(status, 201, "{posted}");
    let id = posted["id"].as_i64().expect("an id");
    assert_eq!(titles(&page(&app, "").await.1), ["Country review: Chile"]);

    let edit = serde_json::json!({"title": "Country review: Chile (updated)", "body": "New text."});
    let (status, edited, _) = admin(
        &app,
        reqwest::Method::PUT,
        &format!("/items/{id}"),
        token,
        Some(edit),
    )
    .await;
    assert_eq!(
        (status, edited["title"].as_str()),
        (200, Some("Country review: Chile (updated)"))
    );

    for (bad, code) in [
        (serde_json::json!({"body": "no title"}), "invalid_update"),
        (
            serde_json::json!({"title": "t", "link": "javascript:alert(1)"}),
            "invalid_update",
        ),
        (
            serde_json::json!({"title": "t", "colour": "red"}),
            "invalid_json",
        ),
    ] {
        let (status, body, _) = admin(
            &app,
            post.clone(),
            "/feeds/defenders-news/items",
            token,
            Some(bad),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some(code)),
            "{body}"
        );
    }

    let (status, ..) = admin(
        &app,
        post.clone(),
        &format!("/items/{id}/unpublish"),
        token,
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert!(
        titles(&page(&app, "").await.1).is_empty(),
        "unpublished items leave the feed"
    );
    let (_, all, _) = admin(
        &app,
        reqwest::Method::GET,
        "/feeds/defenders-news/items",
        token,
        None,
    )
    .await;
    assert_eq!(all[0]["unpublished"], true);
    let (status, ..) = admin(
        &app,
        post.clone(),
        &format!("/items/{id}/publish"),
        token,
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(titles(&page(&app, "").await.1).len(), 1);
    let (status, ..) = admin(&app, post, "/items/999999/unpublish", token, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn new_and_scheduled_updates_reach_live_connections() {
    let app = TestApp::spawn().await;
    feed(&app).await;
    let response = app.get("/api/v1/live?feeds=defenders-news").await;
    assert_eq!(response.status(), 200);
    let mut live = crate::helpers::EventReader::from_response(response);
    let token = Some(ADMIN_TOKEN);
    let patience = std::time::Duration::from_secs(5);

    let now = serde_json::json!({"title": "Posted now"});
    admin(
        &app,
        reqwest::Method::POST,
        "/feeds/defenders-news/items",
        token,
        Some(now),
    )
    .await;
    let event = live.next_within(patience).await.expect("a feed event");
    assert_eq!(
        (event.event.as_str(), event.data.as_str()),
        ("feed", r#"{"feed":"defenders-news"}"#)
    );

    let due = chorus::storage::rfc3339(chorus::storage::now_millis() + 1_500).expect("a time");
    let later = serde_json::json!({"title": "Posted for later", "publish_at": due});
    admin(
        &app,
        reqwest::Method::POST,
        "/feeds/defenders-news/items",
        token,
        Some(later),
    )
    .await;
    assert!(
        live.next_within(std::time::Duration::from_millis(900))
            .await
            .is_none(),
        "a scheduled update is not news until it is due"
    );
    let event = live
        .next_within(patience)
        .await
        .expect("the scheduled item comes due");
    assert_eq!(event.event, "feed");
    assert_eq!(
        titles(&page(&app, "").await.1),
        ["Posted for later", "Posted now"]
    );
    assert_eq!(app.get("/api/v1/live?feeds=no-such").await.status(), 404);
}

#[tokio::test]
async fn the_organisers_list_comes_a_page_at_a_time_with_a_link_to_the_next() {
    let app = TestApp::spawn().await;
    let feed = feed(&app).await;
    for n in 0..5 {
        post(&app, &feed, &format!("Update {n}"), "en", "", n).await;
    }
    let mut seen = Vec::new();
    let mut next = Some("/feeds/defenders-news/items?limit=2".to_owned());
    while let Some(path) = next.take() {
        let (status, page, headers) = admin(
            &app,
            reqwest::Method::GET,
            &path,
            Some(crate::helpers::ADMIN_TOKEN),
            None,
        )
        .await;
        assert_eq!(status, 200, "{page}");
        let items = page.as_array().expect("an array, as before");
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .map(|i| i["title"].as_str().unwrap_or_default().to_owned()),
        );
        next = headers.get("link").and_then(|link| {
            let link = link.to_str().ok()?;
            let target = &link[link.find('<')? + 1..link.find('>')?];
            Some(target.trim_start_matches("/api/v1/admin").to_owned())
        });
        assert!(seen.len() <= 5, "the pages never end: {seen:?}");
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
    seen.dedup();
    assert_eq!(seen.len(), 5, "no item twice");
}
