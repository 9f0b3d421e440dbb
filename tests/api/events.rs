//! Local events through their public interfaces: the organisers' API, the
//! public list and pages, RSVPs with and without an email (mail through
//! the real test SMTP server), proposals and their approval, calendars
//! read by a real iCalendar library, and the live attendance.

use std::time::Duration;

use chorus_wire::events::{Attendance, EventCard, EventsPage};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, ORGANISATION, TestApp, body};
use crate::smtp::SmtpServer;

const PARTNER: &str = "https://lighthouse.example";
pub(crate) const DAY: &str = "migrants-day";

/// A day `DAYS_AHEAD` days from now, so every event of the tests is to
/// come and its reminder not yet due.
const DAYS_AHEAD: i64 = 3;
const HOUR: i64 = 60 * 60 * 1000;

pub(crate) fn day_date() -> String {
    let day = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * DAYS_AHEAD);
    day.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%d")
        .to_string()
}

pub(crate) async fn admin(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let response = app
        .client
        .request(method, format!("{}/api/v1/admin{path}", app.origin))
        .bearer_auth(ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .expect("request sent");
    crate::helpers::body(response).await
}

/// The action day, and `PARTNER` known as a partner.
pub(crate) async fn with_day(app: &TestApp) {
    let (status, answer) = admin(
        app,
        reqwest::Method::POST,
        "/days",
        json!({"slug": DAY, "day": day_date(), "lang": "en", "name": "International Migrants Day", "organisation": ORGANISATION}),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    let origin = chorus::ident::Origin::parse(PARTNER).expect("origin");
    app.store
        .add_partner("Lighthouse", &origin)
        .await
        .expect("partner added");
}

/// An event of the day, as an organiser creates it, with `extra` fields.
pub(crate) fn event(extra: Value) -> Value {
    let date = day_date();
    let mut event = json!({
        "day": DAY,
        "kind": "vigil",
        "lang": "en",
        "title": "Candles for the missing",
        "description": "We gather in silence.\n\nBring a candle.",
        "starts": format!("{date}T18:00"),
        "ends": format!("{date}T19:30"),
        "time_zone": "Europe/Paris",
        "venue": "Place des Terreaux",
        "address": "Place des Terreaux, 69001",
        "city": "Lyon",
        "country": "FR",
        "host": "Lyon Solidarité",
    });
    for (key, value) in extra.as_object().expect("an object") {
        event[key] = value.clone();
    }
    event
}

pub(crate) async fn create(app: &TestApp, extra: Value) -> Value {
    let (status, created) = admin(app, reqwest::Method::POST, "/events", event(extra)).await;
    assert_eq!(status, 201, "{created}");
    created
}

async fn list(app: &TestApp, query: &str) -> EventsPage {
    let response = app.get(&format!("/api/v1/events?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.expect("a page of events")
}

fn ids(page: &EventsPage) -> Vec<String> {
    page.embedded
        .events
        .iter()
        .map(|e| e.title.clone())
        .collect()
}

async fn rsvp(app: &TestApp, id: &str, form: Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/events/{id}/rsvps", app.origin))
        .header("origin", PARTNER)
        .json(&form)
        .send()
        .await
        .expect("sent");
    body(response).await
}

fn answer(key: &str, guests: u32, email: &str) -> Value {
    json!({"idempotency_key": key, "guests": guests, "email": email, "name": "Sam", "lang": "fr"})
}

#[tokio::test]
async fn events_are_listed_by_start_with_their_local_times_and_filters() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    let date = day_date();
    create(&app, json!({})).await;
    create(
        &app,
        json!({"title": "March to the port", "kind": "march", "city": "São Paulo", "country": "BR",
               "time_zone": "America/Sao_Paulo", "starts": format!("{date}T15:00"), "ends": format!("{date}T17:00")}),
    )
    .await;
    create(
        &app,
        json!({"title": "Teach-in", "kind": "online", "city": "Nairobi", "country": "KE", "time_zone": "Africa/Nairobi",
               "online_url": "https://meet.example/teach-in", "starts": format!("{date}T09:00"), "ends": format!("{date}T10:00")}),
    )
    .await;

    let page = list(&app, &format!("day={DAY}")).await;
    // 09:00 in Nairobi (06:00 UTC), 18:00 in Paris (17:00), 15:00 in São Paulo (18:00).
    assert_eq!(
        ids(&page),
        ["Teach-in", "Candles for the missing", "March to the port"]
    );
    let lyon = &page.embedded.events[1];
    assert_eq!(lyon.local_start, format!("{date}T18:00"));
    assert_eq!(lyon.utc_offset, "+01:00");
    assert_eq!(lyon.start_date, format!("{date}T17:00:00Z"));
    assert_eq!(lyon.location.address_lines, ["Place des Terreaux, 69001"]);
    assert_eq!(lyon.status, "confirmed");
    assert_eq!(lyon.identifiers, [format!("chorus:{}", lyon.id)]);

    assert_eq!(ids(&list(&app, "country=BR").await), ["March to the port"]);
    assert_eq!(ids(&list(&app, "kind=online").await), ["Teach-in"]);
    // A city search ignores case and accents.
    assert_eq!(
        ids(&list(&app, "city=sao%20PAU").await),
        ["March to the port"]
    );
    assert!(ids(&list(&app, "city=paris").await).is_empty());

    // Pages follow the cursor to the end, each event once, and a full
    // last page says no more follow.
    let whole = list(&app, &format!("day={DAY}&per_page=3")).await;
    assert_eq!(ids(&whole).len(), 3);
    assert!(whole.next_cursor.is_none() && whole.links.next.is_none());
    let first = list(&app, &format!("day={DAY}&per_page=2")).await;
    assert_eq!(ids(&first), ["Teach-in", "Candles for the missing"]);
    let cursor = first.next_cursor.clone().expect("a second page");
    let next = first.links.next.expect("a next link").href;
    assert!(
        next.contains(&cursor) && next.contains("per_page=2") && next.contains(DAY),
        "{next}"
    );
    let rest = list(&app, &format!("day={DAY}&per_page=2&cursor={cursor}")).await;
    assert_eq!(ids(&rest), ["March to the port"]);
    assert!(rest.next_cursor.is_none());

    for bad in [
        "kind=party",
        "country=XX",
        "cursor=nonsense",
        "day=Not%20A%20Slug",
    ] {
        let response = app.get(&format!("/api/v1/events?{bad}")).await;
        assert_eq!(response.status(), 400, "{bad}");
    }
    assert_eq!(
        app.get("/api/v1/events?day=no-such-day").await.status(),
        404
    );
}

/// The date `days` after the day's, as `YYYY-MM-DD`.
fn date_after(days: i64) -> String {
    let day: jiff::civil::Date = day_date().parse().expect("a date");
    (day + jiff::Span::new().days(days)).to_string()
}

#[tokio::test]
async fn a_date_filter_reads_each_events_own_date_and_a_first_page_names_its_day_and_countries() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    let date = day_date();
    // 08:00 in Auckland (+13:00) is the evening before in UTC.
    create(
        &app,
        json!({"title": "Dawn vigil", "city": "Auckland", "country": "NZ", "time_zone": "Pacific/Auckland",
               "starts": format!("{date}T08:00"), "ends": format!("{date}T09:00")}),
    )
    .await;
    // The next evening in Los Angeles (-08:00) is the morning after in UTC.
    let next = date_after(1);
    create(
        &app,
        json!({"day": "", "organisation": ORGANISATION, "title": "Evening rally", "kind": "rally", "city": "Los Angeles", "country": "US",
               "time_zone": "America/Los_Angeles", "starts": format!("{next}T20:00"), "ends": format!("{next}T21:30")}),
    )
    .await;
    create(&app, json!({})).await;

    assert_eq!(
        ids(&list(&app, &format!("date={date}")).await),
        ["Dawn vigil", "Candles for the missing"]
    );
    assert_eq!(
        ids(&list(&app, &format!("date={next}")).await),
        ["Evening rally"]
    );
    assert!(ids(&list(&app, &format!("date={}", date_after(-1))).await).is_empty());
    // Pages of one still reach every event of the date, none twice.
    let first = list(&app, &format!("date={date}&per_page=1")).await;
    assert_eq!(ids(&first), ["Dawn vigil"]);
    let cursor = first.next_cursor.expect("a second page");
    let second = list(&app, &format!("date={date}&per_page=1&cursor={cursor}")).await;
    assert_eq!(ids(&second), ["Candles for the missing"]);
    assert!(second.next_cursor.is_none(), "{:?}", second.next_cursor);

    // A first page names its day in the language asked, and the countries
    // with events, for the widget's filter; later pages carry neither.
    let page = list(&app, &format!("day={DAY}&lang=en&per_page=1")).await;
    let day = page.day.clone().expect("the day");
    assert_eq!((day.slug.as_str(), day.date.as_str()), (DAY, date.as_str()));
    assert_eq!(day.name, "International Migrants Day");
    assert_eq!(page.countries, ["FR", "NZ"]);
    assert_eq!(list(&app, "").await.countries, ["FR", "NZ", "US"]);
    let cursor = page.next_cursor.expect("a second page");
    let later = list(&app, &format!("day={DAY}&per_page=1&cursor={cursor}")).await;
    assert!(later.day.is_none() && later.countries.is_empty());

    for bad in ["date=tomorrow", "date=2026-02-30"] {
        let response = app.get(&format!("/api/v1/events?{bad}")).await;
        assert_eq!(response.status(), 400, "{bad}");
    }
}

#[tokio::test]
async fn the_events_widget_arrives_rendered_with_its_first_page_and_no_private_address() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    create(
        &app,
        json!({"address": "14 Harehills Lane", "address_private": true}),
    )
    .await;
    let answer: Value = app
        .get(&format!(
            "/api/v1/embed?w=events:{DAY}:fr&w=events:no-such-day:en&w=events::es"
        ))
        .await
        .json()
        .await
        .expect("JSON");
    let widgets = answer["widgets"].as_array().expect("widgets");
    let (html, data) = (
        widgets[0]["html"].as_str().unwrap_or_default(),
        &widgets[0]["data"],
    );
    assert!(html.contains("Candles for the missing"), "{html}");
    assert!(html.contains("Adresse envoyée aux personnes"), "{html}");
    assert!(html.contains("#rsvp"), "the link to the plain form: {html}");
    // The widget takes over with the same page, day and countries.
    assert_eq!(data["day"]["slug"], DAY);
    assert_eq!(data["countries"], json!(["FR"]));
    assert_eq!(
        data["_embedded"]["osdi:events"][0]["title"],
        "Candles for the missing"
    );
    for widget in widgets {
        let all = widget.to_string();
        assert!(!all.contains("Harehills"), "{all}");
    }
    let missing = widgets[1]["html"].as_str().unwrap_or_default();
    assert!(missing.contains("could not be found"), "{missing}");
    assert!(widgets[1]["data"].is_null());
    // No day: every upcoming event, in Spanish.
    let every = widgets[2]["html"].as_str().unwrap_or_default();
    assert!(
        every.contains("Eventos cerca de ti") && every.contains("Candles"),
        "{every}"
    );
}

#[tokio::test]
async fn organisers_input_is_checked_field_by_field_and_needs_a_token() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    let (status, refused) = admin(
        &app,
        reqwest::Method::POST,
        "/events",
        event(json!({"time_zone": "Europe/Atlantis", "kind": "party", "ends": "2020-01-01T00:00"})),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    let fields = &refused["error"]["fields"];
    assert_eq!(fields["time_zone"], "invalid");
    assert_eq!(fields["kind"], "invalid");
    let unauthorised = app
        .client
        .post(format!("{}/api/v1/admin/events", app.origin))
        .json(&event(json!({})))
        .send()
        .await
        .expect("sent");
    assert_eq!(unauthorised.status(), 401);
    let (status, _) = admin(
        &app,
        reqwest::Method::POST,
        "/days",
        json!({"slug": "all", "day": "2026-12-18", "lang": "en", "name": "All", "organisation": ORGANISATION}),
    )
    .await;
    assert_eq!(status, 422, "`all` is the live stream's word for every day");
}

#[tokio::test]
async fn a_private_address_reaches_only_the_people_who_rsvp_with_an_email() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    with_day(&app).await;
    let secret = "12 rue Haute, 3e étage";
    let created = create(
        &app,
        json!({"kind": "potluck", "title": "Potluck at Karim's", "venue": "Chez Karim", "address": secret, "address_private": true}),
    )
    .await;
    let id = created["id"].as_str().expect("an id");
    assert_eq!(created["address"], secret, "organisers see it");

    let public = [
        format!("/api/v1/events?day={DAY}"),
        format!("/api/v1/events/{id}"),
        format!("/events/{id}"),
        format!("/events/{id}.ics"),
        format!("/days/{DAY}.ics"),
    ];
    for path in &public {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let text = response.text().await.expect("text");
        assert!(
            !text.contains("rue Haute"),
            "{path} shows the private address: {text}"
        );
        assert!(text.contains("Chez Karim"), "{path} still names the venue");
    }

    let (status, receipt) =
        rsvp(&app, id, answer("k-private-aaaaaaaa", 1, "sam@example.org")).await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(receipt, json!({"total_accepted": 2, "emailed": true}));
    let mail = smtp.wait_for(1).await.remove(0);
    assert!(mail.to.contains("sam@example.org"));
    assert_eq!(mail.subject, "Vous venez : Potluck at Karim's");
    assert!(mail.body.contains(secret), "{}", mail.body);
    assert!(mail.body.contains("2 personnes"), "{}", mail.body);

    // Still nowhere public once someone has it.
    let card: EventCard = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .expect("card");
    assert!(card.location.address_lines.is_empty() && card.location.address_private);
}

#[tokio::test]
async fn rsvps_count_once_each_and_a_full_event_says_so() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    let created = create(&app, json!({"capacity": 3})).await;
    let id = created["id"].as_str().expect("an id");

    let (status, first) = rsvp(&app, id, answer("k-first-aaaaaaaaaa", 1, "")).await;
    assert_eq!(
        (status, &first),
        (200, &json!({"total_accepted": 2, "emailed": false}))
    );
    // A retry of the same submission is not a second RSVP.
    let (status, again) = rsvp(&app, id, answer("k-first-aaaaaaaaaa", 1, "")).await;
    assert_eq!((status, again["total_accepted"].as_u64()), (200, Some(2)));
    // Two more people do not fit; one does.
    let (status, full) = rsvp(&app, id, answer("k-second-aaaaaaaaa", 1, "")).await;
    assert_eq!(
        (status, full["error"]["code"].as_str()),
        (409, Some("event_full"))
    );
    let (status, last) = rsvp(&app, id, answer("k-third-aaaaaaaaaa", 0, "")).await;
    assert_eq!((status, last["total_accepted"].as_u64()), (200, Some(3)));
    let card: EventCard = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .expect("card");
    assert_eq!((card.total_accepted, card.capacity), (3, Some(3)));
    assert!(card.is_full());

    // Bad input is named field by field, and nothing counts.
    let (status, refused) = rsvp(
        &app,
        id,
        json!({"idempotency_key": "short", "guests": 40, "email": "not an address", "lang": "fr"}),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    for field in ["guests", "email", "idempotency_key"] {
        assert!(
            refused["error"]["fields"][field].is_string(),
            "{field}: {refused}"
        );
    }
    // Only a partner's page (or Chorus's own) may send one.
    let stranger = app
        .client
        .post(format!("{}/api/v1/events/{id}/rsvps", app.origin))
        .header("origin", "https://stranger.example")
        .json(&answer("k-stranger-aaaaaaa", 0, ""))
        .send()
        .await
        .expect("sent");
    assert_eq!(stranger.status(), 403);
    assert_eq!(
        rsvp(&app, "nosuchevent", answer("k-none-aaaaaaaaaa", 0, ""))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn capacity_holds_when_many_answer_at_once() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    let created = create(&app, json!({"capacity": 10})).await;
    let id = created["id"].as_str().expect("an id").to_owned();
    let answers = (0..30).map(|n| {
        let app = &app;
        let id = id.clone();
        async move {
            rsvp(app, &id, answer(&format!("k-crowd-{n:012}"), 0, ""))
                .await
                .0
        }
    });
    let statuses = futures_util::future::join_all(answers).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        10,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        20,
        "{statuses:?}"
    );
    let card: EventCard = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .expect("card");
    assert_eq!(card.total_accepted, 10);
}

#[tokio::test]
async fn the_reminder_goes_the_day_before_in_the_supporters_language_and_the_place_can_be_freed() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    with_day(&app).await;
    let created = create(&app, json!({})).await;
    let id = created["id"].as_str().expect("an id");
    let event = app
        .store
        .event_by_public_id(id)
        .await
        .expect("reads")
        .expect("stored");
    let starts = event.details.starts_at;

    let (status, _) = rsvp(&app, id, answer("k-remind-aaaaaaaaa", 0, "ana@example.org")).await;
    assert_eq!(status, 200);
    let receipt = smtp.wait_for(1).await.remove(0);
    let cancel = receipt.link("/rsvp/");

    // Two days before, nothing is due; within the day before, one reminder,
    // once, however often the clock is read.
    assert_eq!(
        app.reminders
            .queue_due(starts - 48 * HOUR)
            .await
            .expect("queued"),
        0
    );
    assert_eq!(
        app.reminders
            .queue_due(starts - 23 * HOUR)
            .await
            .expect("queued"),
        1
    );
    assert_eq!(
        app.reminders
            .queue_due(starts - 22 * HOUR)
            .await
            .expect("queued"),
        0
    );
    let mails = smtp.wait_for(2).await;
    let reminder = &mails[1];
    assert_eq!(reminder.subject, "Demain : Candles for the missing");
    assert!(
        reminder.body.contains("Place des Terreaux, 69001"),
        "{}",
        reminder.body
    );
    assert_eq!(
        reminder.link("/rsvp/"),
        cancel,
        "the same link frees the place"
    );

    // The link's page acts only on its button.
    let page = app.client.get(&cancel).send().await.expect("page");
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .expect("html")
            .contains("<form method=\"post\">")
    );
    let card: EventCard = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .expect("card");
    assert_eq!(card.total_accepted, 1);
    let freed = app.client.post(&cancel).send().await.expect("posted");
    assert_eq!(freed.status(), 200);
    assert!(
        freed
            .text()
            .await
            .expect("html")
            .contains("Votre place est libérée")
    );
    let card: EventCard = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .expect("card");
    assert_eq!(card.total_accepted, 0);
    // A second click changes nothing; a made-up token opens nothing.
    assert_eq!(
        app.client
            .post(&cancel)
            .send()
            .await
            .expect("posted")
            .status(),
        200
    );
    let card: EventCard = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .expect("card");
    assert_eq!(card.total_accepted, 0);
    let bogus = format!("{}/rsvp/{}", app.origin, "A".repeat(43));
    assert_eq!(
        app.client
            .post(&bogus)
            .send()
            .await
            .expect("posted")
            .status(),
        404
    );

    // The host's list shows the cancelled answer without its details.
    let rows = app.store.attendees(event.id).await.expect("reads");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].cancelled && rows[0].sealed.is_none());
}

#[tokio::test]
async fn an_rsvp_within_the_day_before_gets_no_second_reminder() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    with_day(&app).await;
    // Tomorrow's event belongs to no day.
    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(5);
    let local = |t: jiff::Timestamp| {
        t.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .strftime("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let created = create(
        &app,
        json!({"day": "", "organisation": ORGANISATION, "time_zone": "UTC",
               "starts": local(soon), "ends": local(soon + jiff::SignedDuration::from_hours(1))}),
    )
    .await;
    let id = created["id"].as_str().expect("an id");
    assert_eq!(
        rsvp(&app, id, answer("k-soon-aaaaaaaaaaa", 0, "bo@example.org"))
            .await
            .0,
        200
    );
    smtp.wait_for(1).await;
    assert_eq!(
        app.reminders
            .queue_due(chorus::storage::now_millis())
            .await
            .expect("queued"),
        0,
        "the receipt was the reminder"
    );
}

#[tokio::test]
async fn a_proposal_waits_unseen_until_approved_and_its_host_hears_of_it() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    with_day(&app).await;
    let mut proposal = event(json!({
        "title": "Vigil at the harbour",
        "contact_name": "Noor",
        "contact_email": "noor@example.org",
        "idempotency_key": "k-proposal-aaaaaaa",
    }));
    proposal["lang"] = "es".into();
    let send = |proposal: Value| {
        let app = &app;
        async move {
            let response = app
                .client
                .post(format!("{}/api/v1/events/proposals", app.origin))
                .header("origin", PARTNER)
                .json(&proposal)
                .send()
                .await
                .expect("sent");
            body(response).await
        }
    };
    let (status, answer) = send(proposal.clone()).await;
    assert_eq!((status, &answer), (202, &json!({"status": "pending"})));
    // A retry stores nothing new.
    assert_eq!(send(proposal.clone()).await.0, 202);
    assert!(
        ids(&list(&app, &format!("day={DAY}")).await).is_empty(),
        "unseen while pending"
    );

    let (_, pending) = admin(
        &app,
        reqwest::Method::GET,
        "/events?status=pending",
        json!({}),
    )
    .await;
    let pending = pending.as_array().expect("a list");
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0]["host_waiting"], true);
    let id = pending[0]["id"].as_str().expect("an id");
    // Its page is not public either.
    assert_eq!(app.get(&format!("/events/{id}")).await.status(), 404);
    // The host's contact is sealed to the organisation.
    let stored = app
        .store
        .event_by_public_id(id)
        .await
        .expect("reads")
        .expect("stored");
    assert!(stored.host_waiting);

    let (status, approved) = admin(
        &app,
        reqwest::Method::POST,
        &format!("/events/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["state"], "approved");
    assert_eq!(
        approved["host_waiting"], false,
        "the host's address is forgotten"
    );
    let mail = smtp.wait_for(1).await.remove(0);
    assert!(mail.to.contains("noor@example.org"));
    assert_eq!(
        mail.subject,
        "Tu evento está publicado: Vigil at the harbour"
    );
    assert!(
        mail.body.contains(&format!("/events/{id}")),
        "{}",
        mail.body
    );
    assert_eq!(
        ids(&list(&app, &format!("day={DAY}")).await),
        ["Vigil at the harbour"]
    );

    // A proposal must give its host's contact, from a partner's page.
    let mut anonymous = proposal.clone();
    anonymous["contact_email"] = "".into();
    anonymous["idempotency_key"] = "k-proposal-bbbbbbb".into();
    let (status, refused) = send(anonymous).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["fields"]["contact_email"], "required");
}

#[tokio::test]
async fn a_cancelled_event_stays_listed_as_cancelled_and_takes_no_answers() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    let created = create(&app, json!({})).await;
    let id = created["id"].as_str().expect("an id");
    let (status, cancelled) = admin(
        &app,
        reqwest::Method::POST,
        &format!("/events/{id}/cancel"),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, cancelled["state"].as_str()),
        (200, Some("cancelled"))
    );
    let page = list(&app, &format!("day={DAY}")).await;
    assert_eq!(page.embedded.events[0].status, "cancelled");
    let (status, refused) = rsvp(&app, id, answer("k-late-aaaaaaaaaaa", 0, "")).await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (409, Some("event_closed"))
    );
    let ics = app
        .get(&format!("/events/{id}.ics"))
        .await
        .text()
        .await
        .expect("ics");
    assert!(ics.contains("STATUS:CANCELLED"), "{ics}");
}

/// Reads a calendar with Python's `icalendar`, as a calendar app would,
/// and returns its events' fields.
fn read_calendar(ics: &str) -> Value {
    let python = std::env::var("CHORUS_TEST_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let script = r#"
import json, sys
from icalendar import Calendar
calendar = Calendar.from_ical(sys.stdin.read())
events = []
for e in calendar.walk("VEVENT"):
    events.append({
        "uid": str(e.get("uid")),
        "summary": str(e.get("summary")),
        "description": str(e.get("description")),
        "location": str(e.get("location")),
        "url": str(e.get("url")),
        "status": str(e.get("status")),
        "start": e.decoded("dtstart").isoformat(),
        "end": e.decoded("dtend").isoformat(),
        "stamp": e.decoded("dtstamp").isoformat(),
    })
print(json.dumps({"name": str(calendar.get("name") or calendar.get("x-wr-calname")), "events": events}))
"#;
    let mut child = std::process::Command::new(&python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run {python} ({e}); `cargo xtask test` installs icalendar")
        });
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(ics.as_bytes())
        .expect("written");
    let output = child.wait_with_output().expect("python ends");
    assert!(
        output.status.success(),
        "icalendar refused the file: {}\n{ics}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON from the reader")
}

#[tokio::test]
async fn calendars_read_in_a_real_icalendar_library_with_every_field() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    let date = day_date();
    let created = create(
        &app,
        json!({"accessibility": "Step-free; seats available."}),
    )
    .await;
    let id = created["id"].as_str().expect("an id");
    create(
        &app,
        json!({"title": "Teach-in", "kind": "online", "city": "Nairobi", "country": "KE", "time_zone": "Africa/Nairobi",
               "online_url": "https://meet.example/teach-in", "starts": format!("{date}T09:00"), "ends": format!("{date}T10:00")}),
    )
    .await;

    let response = app.get(&format!("/events/{id}.ics")).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/calendar")
    );
    let one = read_calendar(&response.text().await.expect("ics"));
    let event = &one["events"][0];
    assert_eq!(event["uid"], format!("{id}@chorus"));
    assert_eq!(event["summary"], "Candles for the missing");
    assert_eq!(event["start"], format!("{date}T17:00:00+00:00"));
    assert_eq!(event["end"], format!("{date}T18:30:00+00:00"));
    assert_eq!(
        event["location"],
        "Place des Terreaux, Place des Terreaux, 69001, Lyon, FR"
    );
    assert_eq!(event["url"], format!("{}/events/{id}", app.origin));
    assert_eq!(event["status"], "CONFIRMED");
    let description = event["description"].as_str().expect("text");
    for part in [
        "We gather in silence.",
        "Bring a candle.",
        "Access: Step-free",
        "Hosted by Lyon Solidarité",
    ] {
        assert!(description.contains(part), "{part} in {description}");
    }
    assert!(!event["stamp"].as_str().expect("a stamp").is_empty());

    let day = read_calendar(
        &app.get(&format!("/days/{DAY}.ics"))
            .await
            .text()
            .await
            .expect("ics"),
    );
    assert_eq!(day["name"], "International Migrants Day");
    let summaries: Vec<&str> = day["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["summary"].as_str().expect("a summary"))
        .collect();
    assert_eq!(summaries, ["Teach-in", "Candles for the missing"]);
    assert!(
        day["events"][0]["description"]
            .as_str()
            .expect("text")
            .contains("Online: https://meet.example/teach-in")
    );
}

#[tokio::test]
async fn the_event_page_carries_json_ld_and_a_form_that_works_without_script() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    with_day(&app).await;
    let created = create(
        &app,
        json!({"title": "Vigil </script><b>x</b>", "capacity": 50}),
    )
    .await;
    let id = created["id"].as_str().expect("an id");
    let page = app.get(&format!("/events/{id}?lang=es")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("<html lang=\"es\">"));
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let end = start + html[start..].find("</script>").expect("closed");
    let ld: Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "Event");
    assert_eq!(
        ld["name"], "Vigil </script><b>x</b>",
        "kept whole, unable to close the script"
    );
    assert_eq!(ld["location"]["address"]["addressLocality"], "Lyon");
    assert_eq!(ld["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(ld["maximumAttendeeCapacity"], 50);
    assert!(html.contains(&format!("action=\"/events/{id}/rsvp?lang=es\"")));
    let key = html
        .split("name=\"idempotency_key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a rendered key");

    let post = |form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/events/{id}/rsvp", app.origin))
                .header("origin", app.origin.clone())
                .form(&form)
                .send()
                .await
                .expect("posted")
        }
    };
    // Without an email, the page asks for one and keeps what was typed.
    let asked = post(vec![
        ("idempotency_key", key.to_owned()),
        ("guests", "2".into()),
        ("name", "Lucía".into()),
        ("lang", "es".into()),
    ])
    .await;
    assert_eq!(asked.status(), 422);
    let asked = asked.text().await.expect("html");
    assert!(
        asked.contains("aria-invalid=\"true\"") && asked.contains("value=\"Lucía\""),
        "{asked}"
    );

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let done = client
        .post(format!("{}/events/{id}/rsvp", app.origin))
        .header("origin", app.origin.clone())
        .form(&[
            ("idempotency_key", key),
            ("guests", "2"),
            ("email", "lucia@example.org"),
            ("name", "Lucía"),
            ("lang", "es"),
        ])
        .send()
        .await
        .expect("posted");
    assert_eq!(done.status(), 303);
    assert_eq!(
        done.headers()["location"],
        format!("/events/{id}?lang=es&rsvp=thanks")
    );
    assert_eq!(
        smtp.wait_for(1).await[0].subject,
        "Vienes: Vigil </script><b>x</b>"
    );
    let card: EventCard = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .expect("card");
    assert_eq!(card.total_accepted, 3);
    // From anywhere but its own page, the form is refused.
    let forged = app
        .client
        .post(format!("{}/events/{id}/rsvp", app.origin))
        .header("origin", PARTNER)
        .form(&[
            ("idempotency_key", "k-forged-aaaaaaaaa"),
            ("email", "x@example.org"),
            ("lang", "en"),
        ])
        .send()
        .await
        .expect("posted");
    assert_eq!(forged.status(), 403);
}

#[tokio::test]
async fn attendance_moves_live_on_every_instance() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    let created = create(&app, json!({"capacity": 20})).await;
    let id = created["id"].as_str().expect("an id");
    let second = app.second_instance().await;
    let response = second.get(&format!("/api/v1/live?days={DAY}")).await;
    assert_eq!(response.status(), 200);
    let mut live = crate::helpers::EventReader::from_response(response);
    let first = live
        .next_within(Duration::from_secs(5))
        .await
        .expect("the current attendance");
    assert_eq!(first.event, "attendance");
    let now: Attendance = serde_json::from_str(&first.data).expect("attendance JSON");
    assert_eq!(
        (now.event.as_str(), now.total_accepted, now.capacity),
        (id, 0, Some(20))
    );

    assert_eq!(
        rsvp(&app, id, answer("k-live-aaaaaaaaaaa", 3, "")).await.0,
        200
    );
    let moved = live
        .next_within(Duration::from_secs(5))
        .await
        .expect("a change");
    let moved: Attendance = serde_json::from_str(&moved.data).expect("attendance JSON");
    assert_eq!((moved.event.as_str(), moved.total_accepted), (id, 4));
    assert_eq!(
        second.get("/api/v1/live?days=no-such-day").await.status(),
        404
    );
}

#[tokio::test]
async fn erasing_a_person_removes_their_rsvps_and_host_contacts() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    let created = create(&app, json!({})).await;
    let id = created["id"].as_str().expect("an id");
    assert_eq!(
        rsvp(
            &app,
            id,
            answer("k-erase-aaaaaaaaaa", 0, "Gone@Example.org")
        )
        .await
        .0,
        200
    );
    let event = app
        .store
        .event_by_public_id(id)
        .await
        .expect("reads")
        .expect("stored");
    let rows = app.store.attendees(event.id).await.expect("reads");
    let details = app
        .org_key
        .open(rows[0].sealed.as_ref().expect("sealed"))
        .expect("opens");
    assert_eq!(details.email, "Gone@Example.org");

    let keys = chorus::personal::ServerKeys::new(
        &std::str::FromStr::from_str(crate::helpers::SECRET_KEY).expect("secret"),
    );
    let erased = chorus::personal::erase::erase(&*app.store, &keys, "gone@example.org")
        .await
        .expect("erased");
    assert_eq!(erased.events, 1);
    let rows = app.store.attendees(event.id).await.expect("reads");
    assert!(rows[0].sealed.is_none());
    let card: EventCard = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .expect("card");
    assert_eq!(card.total_accepted, 1, "the count stays");
}

#[tokio::test]
async fn the_demo_seeds_a_day_of_action_once() {
    let app = TestApp::spawn().await;
    for _ in 0..2 {
        app.seed_demo().await;
    }
    let day = chorus::demo::DAY_SLUG;
    let slug = chorus::ident::Slug::parse(day).expect("slug");
    let stored = app
        .store
        .action_day_by_slug(&slug)
        .await
        .expect("reads")
        .expect("seeded");
    assert_eq!(stored.day, "2026-12-18");
    let events = app
        .store
        .events(&chorus::storage::EventQuery {
            day_id: Some(stored.id),
            limit: 100,
            status: Some(chorus::storage::EventStatus::Approved),
            ..Default::default()
        })
        .await
        .expect("reads");
    assert!(events.len() >= 25, "{} events", events.len());
    let countries: std::collections::BTreeSet<&str> = events
        .iter()
        .map(|e| e.details.place.country.as_str())
        .collect();
    let languages: std::collections::BTreeSet<&str> =
        events.iter().map(|e| e.default_lang.as_str()).collect();
    assert!(countries.len() >= 12, "{countries:?}");
    assert_eq!(languages.len(), 3, "{languages:?}");
    assert_eq!(
        events
            .iter()
            .filter(|e| e.details.place.address_private)
            .count(),
        1
    );
    let pending = app
        .store
        .events(&chorus::storage::EventQuery {
            day_id: Some(stored.id),
            limit: 100,
            status: Some(chorus::storage::EventStatus::Pending),
            ..Default::default()
        })
        .await
        .expect("reads");
    assert_eq!(pending.len(), 1);
}

#[tokio::test]
async fn organisers_run_a_day_from_the_command_line() {
    use crate::cli::{chorus, text};
    let app = TestApp::spawn().await;
    let date = day_date();
    let made = chorus(
        &app,
        &[
            "event",
            "day",
            "cli-day",
            "--date",
            &date,
            "--name",
            "CLI day",
            "--organisation",
            ORGANISATION,
        ],
        None,
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let starts = format!("{date}T11:00");
    let ends = format!("{date}T13:00");
    let event_args = |zone: &'static str| {
        vec![
            "event",
            "create",
            "--day",
            "cli-day",
            "--kind",
            "rally",
            "--title",
            "Concentración",
            "--lang",
            "es",
            "--starts",
            &starts,
            "--ends",
            &ends,
            "--time-zone",
            zone,
            "--city",
            "Madrid",
            "--country",
            "es",
            "--host",
            "Regularización Ya",
            "--capacity",
            "5",
        ]
    };
    let refused = chorus(&app, &event_args("Mars/Olympus"), None);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("time_zone: invalid"),
        "{}",
        text(&refused.stderr)
    );
    let created = chorus(&app, &event_args("Europe/Madrid"), None);
    assert!(created.status.success(), "{}", text(&created.stderr));
    let line = text(&created.stdout);
    let id = line
        .strip_prefix("created event ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("an id in {line}"))
        .to_owned();
    assert!(
        line.contains(&format!("{date} 11:00 Europe/Madrid")),
        "{line}"
    );

    let partner = chorus::ident::Origin::parse(PARTNER).expect("origin");
    app.store
        .add_partner("Lighthouse", &partner)
        .await
        .expect("partner");
    assert_eq!(
        rsvp(
            &app,
            &id,
            answer("k-cli-aaaaaaaaaaaa", 1, "rosa@example.org")
        )
        .await
        .0,
        200
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let key_file = dir.path().join("coalition.key");
    std::fs::write(&key_file, app.org_key.to_text()).expect("key written");
    let key_path = key_file.to_str().expect("UTF-8");
    let listed = chorus(
        &app,
        &["event", "attendees", &id, "--secret-key-file", key_path],
        None,
    );
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let csv = text(&listed.stdout);
    assert!(
        csv.starts_with("answered_at,people,name,email,lang,status"),
        "{csv}"
    );
    assert!(csv.contains(",2,Sam,rosa@example.org,fr,coming"), "{csv}");
    // Another organisation's key opens nothing, and says so.
    let (_, stranger) = chorus::personal::sealed::keygen();
    std::fs::write(&key_file, stranger.to_text()).expect("key written");
    let wrong = chorus(
        &app,
        &["event", "attendees", &id, "--secret-key-file", key_path],
        None,
    );
    assert!(!wrong.status.success() && text(&wrong.stdout).is_empty());

    let review = chorus(&app, &["event", "review"], None);
    assert!(
        text(&review.stderr).contains("0 proposal(s) waiting"),
        "{}",
        text(&review.stderr)
    );
    assert!(
        chorus(&app, &["event", "cancel", &id], None)
            .status
            .success()
    );
    let cancelled = chorus(&app, &["event", "list", "--status", "cancelled"], None);
    assert!(
        text(&cancelled.stdout).contains(&id),
        "{}",
        text(&cancelled.stdout)
    );
}

#[tokio::test]
async fn an_organiser_edits_an_event_and_the_list_shows_the_change() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    let created = create(&app, json!({})).await;
    let id = created["id"].as_str().expect("an id");
    let date = day_date();
    let (status, edited) = admin(
        &app,
        reqwest::Method::PUT,
        &format!("/events/{id}"),
        event(json!({"city": "Villeurbanne", "starts": format!("{date}T19:00"), "ends": format!("{date}T20:00"), "capacity": 7})),
    )
    .await;
    assert_eq!(status, 200, "{edited}");
    let card: EventCard = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .expect("card");
    assert_eq!(card.location.locality, "Villeurbanne");
    assert_eq!(card.local_start, format!("{date}T19:00"));
    assert_eq!(card.capacity, Some(7));
    assert_eq!(
        ids(&list(&app, "city=villeur").await),
        ["Candles for the missing"]
    );
    let (status, _) = admin(
        &app,
        reqwest::Method::PUT,
        "/events/nosuchevent",
        event(json!({})),
    )
    .await;
    assert_eq!(status, 404);
}
