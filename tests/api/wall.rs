//! The wall of signatories (`GET /api/v1/petitions/{slug}/signers`): only
//! people who opted in and confirmed by email, by the name the server
//! builds; batches in random order with no time to read; hidden countries;
//! small counts held back; organisations approved and named, searchable and
//! paged; the unlist link; erasure.

use std::time::Duration;

use chorus::storage::WallSettings;
use chorus_wire::wall::Wall;
use serde_json::{Value, json};

use crate::helpers::{TestApp, body, form};
use crate::smtp::SmtpServer;

const PARTNER: &str = "https://harbour.example";

use crate::endorsements::coalition_petition as wall_petition;

/// The token a mailed link carries, as storage keeps it.
pub(crate) fn token_of(link: &str) -> chorus::storage::TokenHash {
    link.rsplit('/')
        .next()
        .and_then(|t| t.split('?').next())
        .and_then(chorus::signing::confirm::token_hash)
        .expect("a token")
}

fn listed_form(first: &str, last: &str, country: &str, email: &str, key: &str) -> Value {
    let mut form = form(email, key);
    form["first_name"] = json!(first);
    form["last_name"] = json!(last);
    form["country"] = json!(country);
    form["listed"] = json!(true);
    form
}

async fn wall(app: &TestApp, query: &str) -> Value {
    let (status, wall) = body(
        app.get(&format!("/api/v1/petitions/p/signers{query}"))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{wall}");
    wall
}

/// The wall once it lists `n` people: batches close within seconds here.
async fn until_listed(app: &TestApp, n: usize) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let wall = wall(app, "").await;
        if wall["people"].as_array().map_or(0, Vec::len) >= n {
            return wall;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{n} people never listed: {wall}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn names(wall: &Value) -> Vec<String> {
    wall["people"]
        .as_array()
        .expect("people")
        .iter()
        .map(|p| p["name"].as_str().expect("a name").to_owned())
        .collect()
}

#[tokio::test]
async fn only_people_who_opt_in_and_confirm_are_listed_by_the_name_the_server_builds() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = wall_petition(&app).await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &listed_form(
            "  Ana   María ",
            "de la Cruz",
            "MX",
            "ana@example.org",
            "k-wall-000000001",
        ),
    )
    .await;
    // Not opted in: counted at once, never listed.
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &form("bo@example.org", "k-wall-000000002"),
    )
    .await;
    assert_eq!(
        app.stored_count(&petition).await,
        1,
        "a listed name waits for its email"
    );

    let mails = smtp.wait_for(1).await;
    assert!(mails[0].to.contains("ana@example.org"), "{mails:?}");
    assert!(
        mails[0].body.contains("mur des signataires"),
        "{}",
        mails[0].body
    );
    let unlist = mails[0].link("/unlist/");
    let confirm = mails[0].link("/confirm/");
    let before = chorus::storage::now_millis();
    let done = app.client.post(&confirm).send().await.expect("confirmed");
    assert_eq!(done.status(), 200);
    let early = wall(&app, "").await;
    let batch_end = chorus::wall::WallConfig { wall_batch_secs: 2 }.listed_from(before);
    if chorus::storage::now_millis() < batch_end {
        assert_eq!(
            early["people"],
            json!([]),
            "shown before its batch closed: {early}"
        );
    }

    let listed = until_listed(&app, 1).await;
    assert_eq!(
        listed["people"],
        json!([{"name": "Ana María D.", "country": "MX"}])
    );
    let raw = listed.to_string();
    for private in ["Cruz", "example.org", "Aïcha", "Ndiaye", "signed", "_at"] {
        assert!(!raw.contains(private), "{private} in {raw}");
    }
    assert_eq!(app.stored_count(&petition).await, 2);

    // The organiser's choices: first names only, then no one named from Mexico.
    let set = crate::cli::chorus(&app, &["petition", "wall", "p", "--first-names-only"], None);
    assert!(set.status.success(), "{}", crate::cli::text(&set.stderr));
    assert_eq!(names(&wall(&app, "").await), ["Ana María"]);
    let refused = crate::cli::chorus(
        &app,
        &["petition", "wall", "p", "--hide-countries", "MX,Mexico"],
        None,
    );
    assert!(!refused.status.success());
    assert!(
        crate::cli::text(&refused.stderr).contains("MEXICO is not"),
        "{}",
        crate::cli::text(&refused.stderr)
    );
    app.store
        .set_wall_settings(
            petition.id,
            &WallSettings {
                first_name_only: true,
                hidden_countries: vec!["BR".into(), "MX".into()],
                show_city: false,
            },
        )
        .await
        .expect("set");
    let hidden = wall(&app, "").await;
    assert_eq!(hidden["people"], json!([]), "{hidden}");
    assert_eq!(
        hidden["countries"],
        json!([
            {"country": "MX", "organisations": null, "people": null},
            {"country": "SN", "organisations": null, "people": null},
        ]),
        "counts below ten are held back"
    );
    app.store
        .set_wall_settings(petition.id, &WallSettings::default())
        .await
        .expect("set");

    // The signer takes their name off; the signature still counts.
    let page = app.client.get(&unlist).send().await.expect("page");
    assert!(
        page.text()
            .await
            .expect("text")
            .contains("<form method=\"post\">")
    );
    assert_eq!(
        names(&wall(&app, "").await),
        ["Ana María D."],
        "opening the link does nothing"
    );
    let done = app.client.post(&unlist).send().await.expect("unlisted");
    assert_eq!(done.status(), 200);
    assert_eq!(wall(&app, "").await["people"], json!([]));
    assert_eq!(app.stored_count(&petition).await, 2);
}

#[tokio::test]
async fn a_batch_shows_in_an_order_that_does_not_follow_the_signing_and_no_time() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    wall_petition(&app).await;
    let people: Vec<String> = [
        "Ana", "Bea", "Cai", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jon", "Kai", "Lou",
    ]
    .map(str::to_owned)
    .to_vec();
    for (i, first) in people.iter().enumerate() {
        app.sign_accepted(
            "p",
            Some(PARTNER),
            &listed_form(
                first,
                "Z",
                "FR",
                &format!("p{i}@example.org"),
                &format!("k-wall-batch-{i:04}"),
            ),
        )
        .await;
    }
    // Each confirmation in signing order, all in one batch that has closed.
    let mails = smtp.wait_for(12).await;
    let now = chorus::storage::now_millis();
    for first in &people {
        let mail = mails
            .iter()
            .find(|m| m.body.contains(&format!("Bonjour {first}")))
            .expect("each signer mailed");
        let token = token_of(&mail.link("/confirm/"));
        app.store
            .confirm_signer(&token, now, now - 1)
            .await
            .expect("confirmed")
            .expect("a signer");
    }
    let listed = wall(&app, "").await;
    let shown: Vec<String> = names(&listed)
        .iter()
        .map(|n| n.trim_end_matches(" Z.").to_owned())
        .collect();
    assert_eq!(shown.len(), 12);
    let mut sorted = shown.clone();
    sorted.sort();
    assert_eq!(sorted, people, "every name once");
    let reversed: Vec<String> = people.iter().rev().cloned().collect();
    assert!(
        shown != people && shown != reversed,
        "the wall follows the signing order: {shown:?}"
    );
    assert_eq!(
        listed["countries"],
        json!([{"country": "FR", "organisations": null, "people": 12}])
    );

    // Erasing a person takes their name off the wall.
    let keys = chorus::personal::ServerKeys::new(
        &crate::helpers::SECRET_KEY.parse().expect("valid secret"),
    );
    chorus::personal::erase::erase(&*app.store, &keys, "p0@example.org")
        .await
        .expect("erased");
    let after = names(&wall(&app, "").await);
    assert_eq!(after.len(), 11);
    assert!(!after.contains(&"Ana Z.".to_owned()), "{after:?}");
}

#[tokio::test]
async fn approved_organisations_are_listed_searchable_and_paged_and_the_unnamed_only_counted() {
    let app = TestApp::spawn().await;
    let petition = wall_petition(&app).await;
    let mut ids = Vec::new();
    for i in 0..55 {
        let country = if i % 11 == 0 { "RU" } else { "MX" };
        let id = crate::endorsements::approved(
            &app,
            &petition,
            &format!("Colectivo {i:02}"),
            &format!("https://colectivo{i:02}.org"),
            country,
            i == 3,
        )
        .await;
        ids.push(id);
    }
    // One waiting for approval is not listed.
    crate::endorsements::waiting(&app, &petition, "Pendiente", "https://pendiente.org").await;

    let first = wall(&app, "").await;
    let listed = first["organisations"].as_array().expect("organisations");
    assert_eq!(listed.len(), 50);
    assert_eq!(listed[0]["name"], json!("Colectivo 00"), "{first}");
    assert!(
        !first.to_string().contains("Colectivo 03"),
        "asked not to be named"
    );
    assert!(!first.to_string().contains("Pendiente"));
    assert_eq!(first["unnamed_organisations"], json!(1));
    let next = first["organisations_next"].as_str().expect("another page");
    let second = wall(&app, &format!("?organisations_after={next}")).await;
    let rest = second["organisations"].as_array().expect("organisations");
    assert_eq!(rest.len(), 4, "{second}");
    assert_eq!(second["organisations_next"], Value::Null);

    let found = wall(&app, "?q=colectivo%2042").await;
    assert_eq!(
        found["organisations"],
        json!([{
            "name": "Colectivo 42",
            "website": "https://colectivo42.org",
            "country": "MX",
            "kind": "network",
            "statement": "Los derechos no tienen fronteras.",
            "logo": null,
        }])
    );

    // Hiding Russia names none of its organisations; they are counted unnamed.
    app.store
        .set_wall_settings(
            petition.id,
            &WallSettings {
                first_name_only: false,
                hidden_countries: vec!["RU".into()],
                show_city: false,
            },
        )
        .await
        .expect("set");
    let hidden = wall(&app, "?q=colectivo%2011").await;
    assert_eq!(hidden["organisations"], json!([]), "{hidden}");
    assert_eq!(hidden["unnamed_organisations"], json!(1 + 5));
    assert_eq!(
        hidden["countries"],
        json!([
            {"country": "MX", "organisations": 50, "people": null},
            {"country": "RU", "organisations": null, "people": null},
        ])
    );

    let (status, _) = body(
        app.get("/api/v1/petitions/p/signers?organisations_after=x")
            .await,
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = body(
        app.get(&format!(
            "/api/v1/petitions/p/signers?q={}",
            "a".repeat(101)
        ))
        .await,
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_demo_seeds_the_convention_pledges_wall_once() {
    let app = TestApp::spawn().await;
    for _ in 0..2 {
        app.seed_demo().await;
    }
    app.counts.wake();
    let wall: Wall = app
        .get("/api/v1/petitions/ratify-the-convention/signers")
        .await
        .json()
        .await
        .expect("a wall");
    // One organisation waits for review and one is counted unnamed.
    assert_eq!(wall.unnamed_organisations, 1);
    assert_eq!(wall.organisations.len(), 30, "{:?}", wall.organisations);
    assert!(
        wall.organisations
            .iter()
            .all(|o| o.website.ends_with(".example/"))
    );
    assert_eq!(wall.people.len(), 12, "{:?}", wall.people);
    assert!(
        wall.people.iter().any(|p| p.name == "Amara D."),
        "{:?}",
        wall.people
    );
    let petition: serde_json::Value = app
        .get("/api/v1/petitions/ratify-the-convention")
        .await
        .json()
        .await
        .expect("a petition");
    assert_eq!(petition["signatories"], "both");
    let list: serde_json::Value = app
        .get("/api/v1/signups/coalition-news")
        .await
        .json()
        .await
        .expect("the demo's sign-up list");
    assert_eq!(list["count"], 0);
}

#[tokio::test]
async fn a_batch_of_names_reaches_the_live_count_so_walls_read_again() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    wall_petition(&app).await;
    let mut live = app.live("p").await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &listed_form(
            "Rosa",
            "Quispe",
            "PE",
            "rosa@example.org",
            "k-wall-000000031",
        ),
    )
    .await;
    let mails = smtp.wait_for(1).await;
    let done = app
        .client
        .post(mails[0].link("/confirm/"))
        .send()
        .await
        .expect("confirmed");
    assert_eq!(done.status(), 200);
    // The count moves first; the listed number once the batch closes, and
    // the wall then shows the name.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let listed = loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let count = live
            .next_count(left)
            .await
            .expect("the batch reached the live count");
        if count.listed == 1 {
            break count;
        }
    };
    assert_eq!(listed.count, 1);
    assert_eq!(names(&wall(&app, "").await), ["Rosa Q."]);
}

#[tokio::test]
async fn a_named_organisations_logo_is_served_by_chorus_raster_only_and_capped() {
    let app = TestApp::spawn().await;
    let petition = wall_petition(&app).await;
    let host = crate::picture_host::PictureHost::serve().await;
    let mut made = Vec::new();
    for (name, path, unnamed) in [
        ("Con logo", "/photo.png", false),
        ("Con dibujo", "/drawing.svg", false),
        ("Con logo enorme", "/big.png", false),
        ("Sin nombre", "/photo.png", true),
    ] {
        let website = format!("https://{}.org", name.to_lowercase().replace(' ', "-"));
        let id = crate::endorsements::stored_with_logo(
            &app,
            &petition,
            (name, &website, "MX"),
            unnamed,
            Some(&format!("{}{path}", host.origin)),
        )
        .await;
        let now = chorus::storage::now_millis();
        app.store
            .decide_endorsement(
                petition.id,
                id,
                chorus::storage::Verdict::Approve,
                "",
                "t",
                now,
            )
            .await
            .expect("approved");
        made.push(id);
    }
    let waiting = crate::endorsements::stored_with_logo(
        &app,
        &petition,
        ("Pendiente", "https://pendiente.org", "MX"),
        false,
        Some(&format!("{}/photo.png", host.origin)),
    )
    .await;

    let first = wall(&app, "").await;
    let logo = first["organisations"][0]["logo"]
        .as_str()
        .expect("a logo")
        .to_owned();
    assert!(
        logo.starts_with(&format!("{}/api/v1/", app.origin)),
        "{logo}"
    );
    let served = app.client.get(&logo).send().await.expect("served");
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(
        served.bytes().await.expect("bytes"),
        crate::picture_host::PHOTO
    );
    let hits = host.hits();
    app.client.get(&logo).send().await.expect("served again");
    assert_eq!(host.hits(), hits, "fetched once, then served from memory");

    let logo_of = |id: i64| format!("{}/api/v1/petitions/p/signers/{id}/logo", app.origin);
    for (id, why) in [
        (made[1], "SVG can carry script"),
        (made[2], "over the size cap"),
        (made[3], "asked not to be named"),
        (waiting, "not approved"),
    ] {
        let refused = app.client.get(logo_of(id)).send().await.expect("answered");
        assert_eq!(refused.status(), 404, "{why}");
    }
}

#[tokio::test]
async fn a_city_shows_beside_a_name_only_where_the_organiser_allows_and_is_kept_only_then() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    wall_petition(&app).await;
    let sign = |first: &'static str, email: &'static str, key: &'static str| {
        let mut form = listed_form(first, "Quispe", "PE", email, key);
        form["city"] = json!("  Lima ");
        form
    };
    // Before the organiser shows cities, the city typed is not kept.
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &sign("Rosa", "rosa@example.org", "k-wall-000000041"),
    )
    .await;
    let mails = smtp.wait_for(1).await;
    app.client
        .post(mails[0].link("/confirm/"))
        .send()
        .await
        .expect("confirmed");
    until_listed(&app, 1).await;

    let set = crate::cli::chorus(&app, &["petition", "wall", "p", "--show-city"], None);
    assert!(set.status.success(), "{}", crate::cli::text(&set.stderr));
    assert!(crate::cli::text(&set.stdout).contains("with their city"));
    // The directory reads the setting again within five seconds.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let petition: Value = app
            .get("/api/v1/petitions/p")
            .await
            .json()
            .await
            .expect("json");
        if petition["wall_city"] == json!(true) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{petition}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &sign("Inés", "ines@example.org", "k-wall-000000042"),
    )
    .await;
    let mails = smtp.wait_for(2).await;
    let ines = mails
        .iter()
        .find(|m| m.to.contains("ines@"))
        .expect("mailed");
    app.client
        .post(ines.link("/confirm/"))
        .send()
        .await
        .expect("confirmed");
    let shown = until_listed(&app, 2).await;
    let mut shown = names(&shown);
    shown.sort();
    assert_eq!(shown, ["Inés Q., Lima", "Rosa Q."]);
}
