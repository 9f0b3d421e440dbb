//! The events widget in headless Chromium, on a partner page from another
//! origin: grouped and filtered, RSVPs by count and with an email (the
//! private address arriving by real SMTP), a second page's count moving
//! without a reload, a full event saying so, and a supporter's proposal
//! shown only once an organiser approves it.

use fantoccini::Locator;
use fantoccini::elements::{Element, ShadowRoot};
use serde_json::{Value, json};

use super::driver::{Browser, PartnerSite};
use super::{assert_no_page_errors, partner_page};
use crate::events::{DAY, admin, create, day_date, with_day};
use crate::helpers::TestApp;
use crate::smtp::SmtpServer;

const WIDGET: &str = "[data-chorus=events]";

async fn partner(app: &TestApp, origin: &str) {
    let origin = chorus::ident::Origin::parse(origin).expect("an origin");
    app.store
        .add_partner("Harbour Rights", &origin)
        .await
        .expect("partner added");
}

/// Types into the control matching `selector`, as a keyboard would.
async fn type_in(root: &ShadowRoot, selector: &str, text: &str) {
    root.find(Locator::Css(selector))
        .await
        .unwrap_or_else(|_| panic!("nothing matches {selector}"))
        .send_keys(text)
        .await
        .expect("typing works");
}

fn page_with_events(chorus: &str) -> String {
    partner_page(
        chorus,
        &format!(r#"<div data-chorus="events" data-day="{DAY}"></div>"#),
    )
}

/// The day's events: a vigil in Lyon with three places, a march in São
/// Paulo, an online teach-in, and a potluck in Leeds at a private address.
async fn seed(app: &TestApp) {
    let date = day_date();
    create(app, json!({"capacity": 3})).await;
    create(
        app,
        json!({"title": "March to the port", "kind": "march", "city": "São Paulo", "country": "BR",
               "time_zone": "America/Sao_Paulo", "starts": format!("{date}T15:00"), "ends": format!("{date}T17:00")}),
    )
    .await;
    create(
        app,
        json!({"title": "Teach-in on the new law", "kind": "online", "city": "Nairobi", "country": "KE",
               "time_zone": "Africa/Nairobi", "online_url": "https://meet.example/teach-in",
               "starts": format!("{date}T09:00"), "ends": format!("{date}T10:00")}),
    )
    .await;
    create(
        app,
        json!({"title": "Potluck for newcomers", "kind": "potluck", "city": "Leeds", "country": "GB",
               "time_zone": "Europe/London", "venue": "Amal's home", "address": "14 Harehills Lane, LS8",
               "address_private": true, "starts": format!("{date}T19:00"), "ends": format!("{date}T21:00")}),
    )
    .await;
}

/// What the widget shows, as sighted readers see it: group headings, then
/// each event's title, count and reader's time, in order.
async fn shown(browser: &Browser) -> Value {
    browser
        .eval(
            "const root = document.querySelector('[data-chorus=events]').shadowRoot; \
             if (!root) return null; \
             return { \
               groups: [...root.querySelectorAll('.group > h3')].map(h => h.textContent.trim()), \
               events: [...root.querySelectorAll('.event')].map(e => ({ \
                 title: e.querySelector('.event-title').textContent.trim(), \
                 going: e.querySelector('.going').textContent.trim(), \
                 where: e.querySelector('.where')?.textContent.trim() ?? '', \
                 yours: e.querySelector('.yours').textContent.trim(), \
                 rsvp: !!e.querySelector('button.rsvp-open'), \
               })), \
               found: root.querySelector('[role=status].visually-hidden').textContent, \
             };",
            vec![],
        )
        .await
}

fn titles(shown: &Value) -> Vec<String> {
    shown["events"]
        .as_array()
        .map(|events| {
            events
                .iter()
                .filter_map(|e| e["title"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn event<'a>(shown: &'a Value, title: &str) -> &'a Value {
    shown["events"]
        .as_array()
        .and_then(|events| events.iter().find(|e| e["title"] == title))
        .unwrap_or_else(|| panic!("{title} is not shown: {shown:#}"))
}

/// The list element of the event titled `title`.
async fn card(root: &ShadowRoot, title: &str) -> Element {
    for card in root.find_all(Locator::Css(".event")).await.expect("events") {
        let heading = card
            .find(Locator::Css(".event-title"))
            .await
            .expect("a title");
        if heading.text().await.unwrap_or_default().trim() == title {
            return card;
        }
    }
    panic!("no event titled {title:?}");
}

/// Opens the RSVP form of `title`, brings `guests`, and leaves `email` (if
/// any), then sends it.
async fn answer(root: &ShadowRoot, title: &str, guests: &str, email: &str) {
    let card = card(root, title).await;
    let find = |selector: &'static str| {
        let card = card.clone();
        async move {
            card.find(Locator::Css(selector))
                .await
                .unwrap_or_else(|_| panic!("{selector} in {title}"))
        }
    };
    // A form left open (the event was full for that many) is used again.
    if let Ok(opener) = card.find(Locator::Css("button.rsvp-open")).await {
        opener.click().await.expect("opened");
    }
    find("select[name=guests]")
        .await
        .select_by_value(guests)
        .await
        .expect("chosen");
    if !email.is_empty() {
        find("input[name=email]")
            .await
            .send_keys(email)
            .await
            .expect("typed");
    }
    find("button.send").await.click().await.expect("sent");
}

async fn status_of(root: &ShadowRoot, title: &str) -> String {
    let card = card(root, title).await;
    match card.find(Locator::Css(".status")).await {
        Ok(status) => status.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn choose(root: &ShadowRoot, id: &str, value: &str) {
    root.find(Locator::Css(&format!("#{id}")))
        .await
        .expect("the filter")
        .select_by_value(value)
        .await
        .expect("chosen");
}

#[tokio::test]
async fn events_group_filter_take_rsvps_and_move_live_on_a_second_page() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    with_day(&app).await;
    seed(&app).await;
    let site = PartnerSite::serve(page_with_events(&app.origin)).await;
    partner(&app, &site.origin).await;
    let (browser, second) = (Browser::launch().await, Browser::launch().await);
    browser.goto(&site.origin).await;
    second.goto(&site.origin).await;
    let root = browser.widget(WIDGET, ".event").await;
    second.widget(WIDGET, ".event").await;

    // Online events apart, then countries in English order; times at the
    // event, and on the reader's clock where it differs.
    let all = shown(&browser).await;
    assert_eq!(
        all["groups"],
        json!(["Online", "Brazil", "France", "United Kingdom"]),
        "{all:#}"
    );
    assert_eq!(
        titles(&all),
        [
            "Teach-in on the new law",
            "March to the port",
            "Candles for the missing",
            "Potluck for newcomers"
        ]
    );
    let offset = browser
        .eval(
            "return -new Date(arguments[0] + 'T17:00:00Z').getTimezoneOffset();",
            vec![Value::from(day_date())],
        )
        .await;
    let lyon = event(&all, "Candles for the missing");
    assert_eq!(
        lyon["yours"].as_str().is_some_and(|t| !t.is_empty()),
        offset != json!(60),
        "{lyon}"
    );
    assert_eq!(lyon["going"], "0 of 3 places taken");
    // The private address stays private.
    let leeds = event(&all, "Potluck for newcomers");
    assert!(
        leeds["where"]
            .as_str()
            .is_some_and(|w| w.contains("Address sent to people who RSVP")),
        "{leeds}"
    );
    let html = browser
        .eval(
            "return document.querySelector('[data-chorus=events]').shadowRoot.innerHTML;",
            vec![],
        )
        .await;
    assert!(!html.to_string().contains("Harehills"), "{html}");

    // Filters: by country, then by kind, then a city typed and searched.
    choose(&root, "events-country", "FR").await;
    let only_france = browser
        .wait_for(
            || shown(&browser),
            |s| titles(s) == ["Candles for the missing"],
        )
        .await;
    assert_eq!(only_france["found"], "1 event found");
    choose(&root, "events-country", "").await;
    choose(&root, "events-kind", "march").await;
    browser
        .wait_for(|| shown(&browser), |s| titles(s) == ["March to the port"])
        .await;
    choose(&root, "events-kind", "").await;
    crate::browser::driver::type_into(&root, "City", "sao\n").await;
    browser
        .wait_for(|| shown(&browser), |s| titles(s) == ["March to the port"])
        .await;
    crate::browser::driver::labelled(&root, "City")
        .await
        .clear()
        .await
        .expect("cleared");
    crate::browser::driver::click(&root, "button.search").await;
    browser
        .wait_for(|| shown(&browser), |s| titles(s).len() == 4)
        .await;

    // An RSVP by count: two people; the other page's count moves too.
    answer(&root, "Candles for the missing", "1", "").await;
    browser
        .wait_for(
            || status_of(&root, "Candles for the missing"),
            |s| s.contains("You're on the list"),
        )
        .await;
    assert_eq!(
        event(&shown(&browser).await, "Candles for the missing")["going"],
        "2 of 3 places taken"
    );
    second
        .wait_for(
            || shown(&second),
            |s| {
                s["events"].as_array().is_some_and(|e| !e.is_empty())
                    && event(s, "Candles for the missing")["going"] == "2 of 3 places taken"
            },
        )
        .await;

    // Two more do not fit in one place: the second page hears it is full.
    let other = second.widget(WIDGET, ".event").await;
    answer(&other, "Candles for the missing", "1", "").await;
    second
        .wait_for(
            || status_of(&other, "Candles for the missing"),
            |s| s.contains("This event is full"),
        )
        .await;
    // One more does, and then the event is full on both pages.
    answer(&other, "Candles for the missing", "0", "").await;
    for page in [&browser, &second] {
        page.wait_for(
            || shown(page),
            |s| {
                let lyon = event(s, "Candles for the missing");
                lyon["going"] == "Full"
            },
        )
        .await;
    }

    // An RSVP with an email brings the private address by email.
    answer(&root, "Potluck for newcomers", "0", "sam@example.org").await;
    browser
        .wait_for(
            || status_of(&root, "Potluck for newcomers"),
            |s| s.contains("Check your email"),
        )
        .await;
    let mail = smtp.wait_for(1).await.remove(0);
    assert!(mail.to.contains("sam@example.org"), "{}", mail.to);
    assert!(mail.body.contains("14 Harehills Lane"), "{}", mail.body);
    assert_no_page_errors(&browser).await;
    assert_no_page_errors(&second).await;
}

#[tokio::test]
async fn a_supporters_event_appears_only_once_an_organiser_approves_it() {
    let app = TestApp::spawn().await;
    with_day(&app).await;
    create(&app, json!({})).await;
    let site = PartnerSite::serve(page_with_events(&app.origin)).await;
    partner(&app, &site.origin).await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    let root = browser.widget(WIDGET, ".event").await;

    crate::browser::driver::click(&root, "button.propose-open").await;
    // Sent empty, every required field says so and nothing is sent.
    crate::browser::driver::click(&root, "#propose button.send").await;
    let problems = browser
        .eval(
            "return [...document.querySelector('[data-chorus=events]').shadowRoot \
               .querySelectorAll('#propose [aria-invalid=true]')].map(e => e.name);",
            vec![],
        )
        .await;
    for field in [
        "title",
        "city",
        "country",
        "host",
        "contact_name",
        "contact_email",
    ] {
        assert!(
            problems
                .as_array()
                .is_some_and(|p| p.contains(&json!(field))),
            "{field} in {problems}"
        );
    }
    type_in(&root, "#propose-title", "Vigil at the harbour").await;
    let zone = root
        .find(Locator::Css("#propose-time_zone"))
        .await
        .expect("the zone");
    zone.clear().await.expect("cleared");
    zone.send_keys("Europe/Lisbon").await.expect("typed");
    type_in(&root, "#propose-city", "Lisbon").await;
    root.find(Locator::Css("#propose-country"))
        .await
        .expect("the country")
        .select_by_value("PT")
        .await
        .expect("chosen");
    type_in(&root, "#propose-host", "Casa do Brasil").await;
    type_in(&root, "#propose-contact_name", "Noor").await;
    type_in(&root, "#propose-contact_email", "noor@example.org").await;
    crate::browser::driver::click(&root, "#propose button.send").await;
    browser
        .wait_for(
            || crate::browser::driver::text_of(&root, "#propose-status"),
            |s| {
                s.as_deref()
                    .is_some_and(|s| s.contains("waits for the organisers"))
            },
        )
        .await;

    // Waiting for review, it is on no page.
    let (_, pending) = admin(
        &app,
        reqwest::Method::GET,
        "/events?status=pending",
        json!({}),
    )
    .await;
    let pending = pending.as_array().expect("a list").clone();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0]["title"], "Vigil at the harbour");
    browser.goto(&site.origin).await;
    browser.widget(WIDGET, ".event").await;
    assert_eq!(titles(&shown(&browser).await), ["Candles for the missing"]);

    let id = pending[0]["id"].as_str().expect("an id");
    let (status, _) = admin(
        &app,
        reqwest::Method::POST,
        &format!("/events/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    // Rendered lists are cached for seconds: a visitor sees the event
    // once the cache has refreshed.
    browser
        .wait_for(
            || async {
                browser.goto(&site.origin).await;
                browser.widget(WIDGET, ".event").await;
                shown(&browser).await
            },
            |s| titles(s).contains(&"Vigil at the harbour".to_owned()),
        )
        .await;
    assert_no_page_errors(&browser).await;
}
