//! Social-media storms: planned through the organisers' API and the CLI,
//! read by the widget before, during and after their hour by a clock the
//! test sets, messages counted the way each platform counts, and share
//! clicks counted with nothing about who clicked.

use chorus::clock::Clock;
use serde_json::{Value, json};

use crate::cli::{chorus, text};
use crate::events::admin;
use crate::helpers::{Options, TestApp, body};

pub(crate) const PARTNER: &str = "https://harbour.example";
/// 2026-12-18T17:00:00Z.
pub(crate) const START: i64 = 1_797_613_200_000;
pub(crate) const MINUTE: i64 = 60_000;
pub(crate) const LINK: &str = "https://coalition.example/ratify";

pub(crate) async fn app_at(at: i64) -> TestApp {
    TestApp::spawn_with(Options {
        clock: Clock::fixed(at),
        ..Options::default()
    })
    .await
}

pub(crate) fn plan() -> Value {
    json!({
        "starts_at": "2026-12-18T17:00:00Z",
        "minutes": 60,
        "lang": "en",
        "hashtags": ["MigrantsDay", "RatifyNow"],
        "link": LINK,
        "texts": [
            {"lang": "en", "title": "Migrants Day storm", "messages": [
                {"text": "Every worker has rights. #MigrantsDay"},
                {"text": "Ratify the convention now."},
                {"platform": "mastodon", "text": "Fediverse: ratify the convention."},
            ]},
            {"lang": "es", "title": "Tormenta del Día del Migrante", "messages": [
                {"text": "Todo trabajador tiene derechos."},
            ]},
            {"lang": "fr", "title": "Tempête de la Journée des migrants", "messages": [
                {"text": "Chaque travailleur a des droits."},
            ]},
        ],
    })
}

async fn storm(app: &TestApp, lang: &str) -> Value {
    let (status, storm) = body(
        app.get(&format!("/api/v1/storms/migrants-day?lang={lang}"))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{storm}");
    storm
}

pub(crate) async fn create(app: &TestApp, plan: &Value) -> (u16, Value) {
    admin(
        app,
        reqwest::Method::POST,
        "/storms/migrants-day",
        plan.clone(),
    )
    .await
}

#[tokio::test]
async fn a_storm_is_upcoming_then_on_then_over_by_the_clock() {
    let app = app_at(START - 2 * 24 * 60 * MINUTE).await;
    let (status, made) = create(&app, &plan()).await;
    assert_eq!(status, 201, "{made}");

    let before = storm(&app, "fr").await;
    assert_eq!(before["state"], "upcoming");
    assert_eq!(before["starts_at"], "2026-12-18T17:00:00Z");
    assert_eq!(before["ends_at"], "2026-12-18T18:00:00Z");
    assert_eq!(before["now"], "2026-12-16T17:00:00Z");
    assert_eq!(before["lang"], "fr");
    assert_eq!(before["title"], "Tempête de la Journée des migrants");
    // The hashtags a message lacks are added; one it carries is not doubled.
    assert_eq!(
        before["messages"][0]["text"],
        "Chaque travailleur a des droits. #MigrantsDay #RatifyNow"
    );
    let english = storm(&app, "en").await;
    assert_eq!(
        english["messages"][0]["text"],
        "Every worker has rights. #MigrantsDay #RatifyNow"
    );
    assert_eq!(english["messages"][2]["platform"], "mastodon");
    // A language the storm has no words in reads the default's.
    assert_eq!(storm(&app, "de").await["lang"], "en");

    app.clock.set(START);
    assert_eq!(storm(&app, "en").await["state"], "on");
    app.clock.set(START + 60 * MINUTE - 1);
    assert_eq!(storm(&app, "en").await["state"], "on");
    app.clock.set(START + 60 * MINUTE);
    assert_eq!(storm(&app, "en").await["state"], "over");

    let (status, missing) = body(app.get("/api/v1/storms/no-such-storm").await).await;
    assert_eq!(status, 404, "{missing}");
}

#[tokio::test]
async fn each_platform_gets_its_link_and_its_own_count() {
    let app = app_at(START).await;
    let mut with_campaign = plan();
    with_campaign["link"] = json!(format!("{LINK}?utm_campaign=coalition"));
    assert_eq!(create(&app, &with_campaign).await.0, 201);
    let english = storm(&app, "en").await;
    let link = |platform: &str| {
        english["links"]
            .as_array()
            .expect("links")
            .iter()
            .find(|l| l["platform"] == platform)
            .map(|l| l["url"].as_str().unwrap_or_default().to_owned())
            .unwrap_or_default()
    };
    // The organiser's own campaign tag stays; source and medium are added.
    assert_eq!(
        link("bluesky"),
        format!("{LINK}?utm_campaign=coalition&utm_source=bluesky&utm_medium=social")
    );
    assert!(link("x").contains("utm_source=x"), "{}", link("x"));

    let lengths = |message: usize| -> Vec<(String, u64, u64)> {
        english["messages"][message]["lengths"]
            .as_array()
            .expect("lengths")
            .iter()
            .map(|l| {
                (
                    l["platform"].as_str().unwrap_or_default().to_owned(),
                    l["length"].as_u64().unwrap_or(0),
                    l["limit"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    };
    let text = "Every worker has rights. #MigrantsDay #RatifyNow";
    let graphemes = text.chars().count() as u64;
    let bluesky_link = link("bluesky").chars().count() as u64;
    let threads_link = link("threads").chars().count() as u64;
    assert_eq!(
        lengths(0),
        [
            // X and Mastodon count the link as 23, the others as written.
            ("x".to_owned(), graphemes + 1 + 23, 280),
            ("bluesky".to_owned(), graphemes + 1 + bluesky_link, 300),
            ("threads".to_owned(), graphemes + 1 + threads_link, 500),
            ("mastodon".to_owned(), graphemes + 1 + 23, 500),
        ]
    );
    // A message for one platform is counted for it alone.
    let mastodon = lengths(2);
    assert_eq!(mastodon.len(), 1);
    assert_eq!(mastodon[0].0, "mastodon");
}

#[tokio::test]
async fn a_message_too_long_where_it_is_posted_is_refused_as_that_platform_counts() {
    let app = app_at(START).await;
    let with_message = |platform: Option<&str>, text: String| {
        let mut plan = plan();
        plan["hashtags"] = json!([]);
        plan["texts"][0]["messages"] = json!([
            {"text": "A message for every platform."},
            {"platform": platform, "text": text},
        ]);
        plan
    };
    // X: 256 letters, a space and a link of 23 make 280.
    let fits_x = "a".repeat(256);
    let (status, answer) = create(&app, &with_message(Some("x"), fits_x.clone())).await;
    assert_eq!(status, 201, "{answer}");
    let (status, answer) = admin(
        &app,
        reqwest::Method::PUT,
        "/storms/migrants-day",
        with_message(Some("x"), format!("{fits_x}a")),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    let said = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(said.contains("281 long on x"), "{said}");
    // Wide characters weigh 2 on X: 128 of them and the link make 280.
    let wide = "移".repeat(128);
    let (status, answer) = admin(
        &app,
        reqwest::Method::PUT,
        "/storms/migrants-day",
        with_message(Some("x"), wide.clone()),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    // For every platform, the same words must also fit X.
    let (status, answer) = admin(
        &app,
        reqwest::Method::PUT,
        "/storms/migrants-day",
        with_message(None, format!("{wide}移")),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    // Mastodon counts graphemes: 476 emoji and the link fit its 500.
    let emoji = "✊🏽".repeat(476);
    let (status, answer) = admin(
        &app,
        reqwest::Method::PUT,
        "/storms/migrants-day",
        with_message(Some("mastodon"), emoji.clone()),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = admin(
        &app,
        reqwest::Method::PUT,
        "/storms/migrants-day",
        with_message(Some("mastodon"), format!("{emoji}✊🏽")),
    )
    .await;
    assert_eq!(status, 400);
    // Facebook takes the link alone: a message for it is a mistake.
    let (status, answer) = admin(
        &app,
        reqwest::Method::PUT,
        "/storms/migrants-day",
        with_message(Some("facebook"), "Share this".into()),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    // Nothing refused was kept.
    let stored = storm(&app, "en").await;
    assert_eq!(stored["messages"][1]["text"], emoji);
}

#[tokio::test]
async fn a_plan_with_mistakes_is_refused_with_each_one_said() {
    let app = app_at(START).await;
    let mut mistaken = plan();
    mistaken["starts_at"] = json!("18/12/2026 17:00");
    mistaken["minutes"] = json!(0);
    mistaken["hashtags"] = json!(["Migrants Day"]);
    mistaken["link"] = json!("javascript:alert(1)");
    mistaken["texts"][1]["messages"] = json!([]);
    let (status, answer) = create(&app, &mistaken).await;
    assert_eq!(status, 400, "{answer}");
    let said = answer["error"]["message"].as_str().unwrap_or_default();
    for problem in ["starts_at", "minutes", "hashtags", "link", "messages (es)"] {
        assert!(said.contains(problem), "{problem} not said in {said}");
    }
    let (status, _) = body(app.get("/api/v1/storms/migrants-day").await).await;
    assert_eq!(status, 404);
    let (status, _) = admin(&app, reqwest::Method::GET, "/storms", json!(null)).await;
    assert_eq!(status, 200);
    let unauthorised = app
        .client
        .post(format!("{}/api/v1/admin/storms/migrants-day", app.origin))
        .json(&plan())
        .send()
        .await
        .expect("sent");
    assert_eq!(unauthorised.status(), 401);
}

async fn share(app: &TestApp, origin: &str, platform: &str) -> u16 {
    app.client
        .post(format!("{}/api/v1/storms/migrants-day/shares", app.origin))
        .header("origin", origin)
        .json(&json!({"platform": platform}))
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

#[tokio::test]
async fn share_clicks_are_counted_per_platform_and_nothing_about_who() {
    let app = app_at(START).await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    assert_eq!(create(&app, &plan()).await.0, 201);

    assert_eq!(share(&app, PARTNER, "x").await, 204);
    // The same network clicking again in the hour does not count again,
    // and is answered the same.
    assert_eq!(share(&app, PARTNER, "x").await, 204);
    assert_eq!(share(&app, PARTNER, "bluesky").await, 204);
    assert_eq!(share(&app, "https://stranger.example", "x").await, 403);
    assert_eq!(share(&app, PARTNER, "myspace").await, 400);
    assert_eq!(storm(&app, "en").await["shares"], 2);
    // The next hour, the same network counts again.
    app.clock.set(START + 60 * MINUTE);
    assert_eq!(share(&app, PARTNER, "x").await, 204);

    let (_, storms) = admin(&app, reqwest::Method::GET, "/storms", json!(null)).await;
    assert_eq!(
        storms[0]["shares"],
        json!([{"platform": "bluesky", "shares": 1}, {"platform": "x", "shares": 2}])
    );
    // A second instance reads the same counts.
    let other = app.second_instance().await;
    assert_eq!(storm(&other, "en").await["shares"], 3);
    // What is kept of a click: which storm, which platform, how many.
    let stored = crate::personal::everything_stored(&app).await;
    assert!(!stored.contains("127.0.0.1"), "an address is stored");
}

#[tokio::test]
async fn a_storm_goes_in_the_supporters_calendar_with_its_message() {
    let app = app_at(START).await;
    assert_eq!(create(&app, &plan()).await.0, 201);
    let response = app
        .get("/api/v1/storms/migrants-day/calendar.ics?lang=es")
        .await;
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(kind.starts_with("text/calendar"), "{kind}");
    let ics = response.text().await.expect("text").replace("\r\n ", "");
    assert!(ics.contains("DTSTART:20261218T170000Z"), "{ics}");
    assert!(ics.contains("DTEND:20261218T180000Z"), "{ics}");
    assert!(
        ics.contains("SUMMARY:Tormenta del Día del Migrante"),
        "{ics}"
    );
    assert!(
        ics.contains("Todo trabajador tiene derechos. #MigrantsDay #RatifyNow"),
        "{ics}"
    );
}

#[tokio::test]
async fn storms_are_planned_edited_and_listed_with_the_cli() {
    let app = TestApp::spawn().await;
    let made = chorus(
        &app,
        &[
            "storm",
            "create",
            "migrants-day",
            "--org",
            crate::helpers::ORGANISATION,
            "--starts",
            "2026-12-18T18:00:00+01:00",
            "--minutes",
            "90",
            "--lang",
            "en",
            "--title",
            "Migrants Day storm",
            "--hashtag",
            "MigrantsDay",
            "--link",
            LINK,
            "--message",
            "Every worker has rights.",
            "--message",
            "Ratify the convention.",
            "--message-on",
            "bluesky=Bluesky: ratify now.",
        ],
        None,
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(text(&made.stdout).contains("2026-12-18T17:00:00Z for 90 minutes"));
    let edited = chorus(
        &app,
        &[
            "storm",
            "edit",
            "migrants-day",
            "--lang",
            "fr",
            "--title",
            "Tempête",
            "--message",
            "Chaque travailleur a des droits.",
        ],
        None,
    );
    assert!(edited.status.success(), "{}", text(&edited.stderr));
    let french = storm(&app, "fr").await;
    assert_eq!(french["title"], "Tempête");
    assert_eq!(
        french["messages"][0]["text"],
        "Chaque travailleur a des droits. #MigrantsDay"
    );
    let english = storm(&app, "en").await;
    assert_eq!(english["messages"].as_array().map(Vec::len), Some(3));
    assert_eq!(english["messages"][2]["platform"], "bluesky");

    let refused = chorus(
        &app,
        &["storm", "edit", "migrants-day", "--minutes", "0"],
        None,
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("minutes: from 1 to 1440"),
        "{}",
        text(&refused.stderr)
    );
    let listed = chorus(&app, &["storm", "list"], None);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let listed = text(&listed.stdout);
    assert!(
        listed.contains("migrants-day\t2026-12-18T17:00:00Z for 90 minutes\ten,fr\t0 shares"),
        "{listed}"
    );
}

#[tokio::test]
async fn the_switch_to_on_now_and_the_shares_arrive_on_the_live_connection() {
    use std::time::Duration;

    let app = app_at(START - MINUTE).await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    assert_eq!(create(&app, &plan()).await.0, 201);
    let response = app.get("/api/v1/live?storms=migrants-day").await;
    assert_eq!(response.status(), 200);
    let mut live = crate::helpers::EventReader::from_response(response);
    let mut last = Value::Null;
    // The next change: a value may come twice (the opening one, and the
    // watch's first read of a new storm).
    let mut next = async || {
        loop {
            let event = live
                .next_within(Duration::from_secs(10))
                .await
                .expect("a storm event");
            assert_eq!(event.event, "storm");
            let storm: Value = serde_json::from_str(&event.data).expect("JSON");
            if storm != last {
                last = storm.clone();
                return storm;
            }
        }
    };
    assert_eq!(
        next().await,
        json!({"storm": "migrants-day", "state": "upcoming", "shares": 0})
    );
    app.clock.set(START);
    assert_eq!(
        next().await,
        json!({"storm": "migrants-day", "state": "on", "shares": 0})
    );
    assert_eq!(share(&app, PARTNER, "telegram").await, 204);
    assert_eq!(
        next().await,
        json!({"storm": "migrants-day", "state": "on", "shares": 1})
    );
    let (status, _) = body(app.get("/api/v1/live?storms=no-such-storm").await).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_demo_seeds_its_migrants_day_storm_in_three_languages_once() {
    let app = TestApp::spawn().await;
    for _ in 0..2 {
        app.seed_demo().await;
    }
    for (lang, words) in [("en", "ratify"), ("fr", "ratifi"), ("es", "ratif")] {
        let (status, storm) = body(
            app.get(&format!("/api/v1/storms/migrants-day-2026?lang={lang}"))
                .await,
        )
        .await;
        assert_eq!(status, 200, "{storm}");
        assert_eq!(storm["lang"], lang);
        assert_eq!(storm["state"], "upcoming");
        let starts = storm["starts_at"].as_str().unwrap_or_default();
        assert!(starts.ends_with("-12-18T17:00:00Z"), "{starts}");
        let messages = storm["messages"].as_array().cloned().unwrap_or_default();
        assert!(messages.len() >= 3, "{storm}");
        for message in messages {
            let text = message["text"].as_str().unwrap_or_default().to_lowercase();
            assert!(text.contains(words), "{text}");
            assert!(text.contains("#migrantsday"), "{text}");
        }
    }
}

#[tokio::test]
async fn the_embed_renders_the_storm_in_the_readers_language_with_its_start_in_utc() {
    // Some minutes over three hours: the wait is counted down from the
    // storm's `now` by the time that passes while rendering, and exactly
    // three hours would read "2 hours" a millisecond later.
    let app = app_at(START - 3 * 60 * MINUTE - 5 * MINUTE).await;
    create(&app, &plan()).await;
    let (status, answer) = body(
        app.get("/api/v1/embed?w=storm:migrants-day:es:&w=storm:no-such-storm:en")
            .await,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let storm = &answer["widgets"][0];
    let html = storm["html"].as_str().unwrap_or_default();
    assert!(html.contains("Tormenta del Día del Migrante"), "{html}");
    // The server cannot know the reader's zone: it names UTC, and the
    // widget says it on the reader's own clock once it runs.
    assert!(
        html.contains("Empieza viernes, 18 de diciembre, 17:00 UTC"),
        "{html}"
    );
    assert!(html.contains("dentro de 3 horas"), "{html}");
    assert!(html.contains("https://x.com/intent/post?text="), "{html}");
    assert_eq!(storm["data"]["storm"], "migrants-day");
    assert_eq!(storm["data"]["lang"], "es");
    let missing = answer["widgets"][1]["html"].as_str().unwrap_or_default();
    assert!(missing.contains("could not be found"), "{missing}");
}
