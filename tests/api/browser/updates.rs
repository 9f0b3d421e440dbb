//! The updates feed in headless Chromium, on a partner page from another
//! origin: it lists, filters, loads more, follows the language, shows
//! pictures through Chorus only, and takes in a new item posted meanwhile.

use chorus::storage::FeedRecord;
use chorus::updates::item::{ItemDraft, check};
use fantoccini::Locator;
use fantoccini::elements::ShadowRoot;
use serde_json::Value;

use super::driver::{Browser, PartnerSite};
use super::{assert_no_page_errors, partner_page};
use crate::helpers::{ADMIN_TOKEN, TestApp};
use crate::picture_host::PictureHost;
use crate::updates::feed;

const WIDGET: &str = "[data-chorus=updates]";

/// Posts an update published `hours_ago`.
async fn post(app: &TestApp, feed: &FeedRecord, draft: ItemDraft, hours_ago: i64) {
    let when = chorus::storage::rfc3339(chorus::storage::now_millis() - hours_ago * 3_600_000);
    let content = check(&ItemDraft {
        publish_at: when,
        ..draft
    })
    .expect("valid update");
    app.store
        .post_item(feed.id, &content)
        .await
        .expect("posted");
}

fn draft(title: &str, lang: &str, tags: &str) -> ItemDraft {
    ItemDraft {
        title: title.into(),
        summary: format!("Summary of {title}."),
        link: Some(format!("https://harbour.example/news/{}", title.len())),
        tags: tags.into(),
        lang: lang.into(),
        ..ItemDraft::default()
    }
}

/// The titles of the items a widget shows, in order, as sighted readers
/// see them (without words only for screen readers).
async fn titles(browser: &Browser, widget: usize) -> Vec<String> {
    let value = browser
        .eval(
            "const root = document.querySelectorAll('[data-chorus=updates]')[arguments[0]].shadowRoot; \
             return root ? [...root.querySelectorAll('.item-title')].map(h => { \
               const seen = h.cloneNode(true); \
               seen.querySelectorAll('.visually-hidden').forEach(e => e.remove()); \
               return seen.textContent.trim(); }) : [];",
            vec![Value::from(widget)],
        )
        .await;
    serde_json::from_value(value).unwrap_or_default()
}

/// Clicks the button whose text is `text`.
async fn press(root: &ShadowRoot, text: &str) {
    for button in root
        .find_all(Locator::Css("button"))
        .await
        .expect("buttons")
    {
        if button.text().await.unwrap_or_default().trim() == text {
            button.click().await.expect("button clicked");
            return;
        }
    }
    panic!("no button reads {text:?}");
}

#[tokio::test]
async fn the_feed_lists_filters_loads_more_and_takes_in_a_new_item_live() {
    let app = TestApp::spawn().await;
    let feed = feed(&app).await;
    let pictures = PictureHost::serve().await;
    post(
        &app,
        &feed,
        ItemDraft {
            image_url: Some(format!("{}/photo.png", pictures.origin)),
            image_alt: "Defenders outside the Palais Wilson".into(),
            ..draft("Treaty body session opens", "en", "geneva")
        },
        1,
    )
    .await;
    post(
        &app,
        &feed,
        draft("Country review: Chile", "en", "americas"),
        2,
    )
    .await;
    post(
        &app,
        &feed,
        draft("Action day on 18 December", "en", "geneva"),
        3,
    )
    .await;
    post(
        &app,
        &feed,
        draft("Report on coastal detention", "en", "africa"),
        4,
    )
    .await;
    post(&app, &feed, draft("Examen du Sénégal", "fr", "africa"), 5).await;
    post(&app, &feed, draft("Hearing in Nairobi", "en", "africa"), 30).await;
    post(
        &app,
        &feed,
        draft("حماية المدافعين عن حقوق الإنسان", "ar", "geneva"),
        31,
    )
    .await;
    post(
        &app,
        &feed,
        draft("Coalition founded", "en", "geneva"),
        24 * 40,
    )
    .await;

    let site = PartnerSite::serve(partner_page(
        &app.origin,
        r#"<div data-chorus="updates" data-feed="defenders-news" data-limit="3"></div>
           <div data-chorus="updates" data-feed="defenders-news" data-layout="compact" data-lang="fr"></div>"#,
    ))
    .await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    let widget = browser.widget(WIDGET, ".items .item").await;

    // The newest three in the widget's language, as a list of headed items.
    let first = [
        "Treaty body session opens",
        "Country review: Chile",
        "Action day on 18 December",
    ];
    assert_eq!(titles(&browser, 0).await, first);
    let shape = browser
        .eval(
            "const root = document.querySelector('[data-chorus=updates]').shadowRoot; \
             const item = root.querySelector('ul.items > li.item'); \
             const img = item.querySelector('img'); \
             const frame = item.querySelector('.picture').getBoundingClientRect(); \
             const link = item.querySelector('a.read-more'); \
             return { heading: root.querySelector('h2').textContent, \
                      itemHeading: item.querySelector('h3') !== null, \
                      src: img.getAttribute('src'), alt: img.alt, \
                      ratio: frame.width / frame.height, \
                      time: item.querySelector('time').textContent, \
                      datetime: item.querySelector('time').getAttribute('datetime'), \
                      target: link.target, rel: link.rel, href: link.href };",
            vec![],
        )
        .await;
    assert_eq!(shape["heading"], "Defenders news");
    assert_eq!(shape["itemHeading"], true);
    assert_eq!(shape["alt"], "Defenders outside the Palais Wilson");
    // The picture comes from Chorus, never from the organisation's host.
    let src = shape["src"].as_str().unwrap_or_default();
    assert!(
        src.starts_with(&format!(
            "{}/api/v1/feeds/defenders-news/items/",
            app.origin
        )),
        "{src}"
    );
    // Its frame has the picture's shape before it loads: no layout shift.
    let ratio = shape["ratio"].as_f64().unwrap_or_default();
    assert!((ratio - 16.0 / 9.0).abs() < 0.02, "frame ratio {ratio}");
    assert_eq!(shape["time"], "1 hour ago");
    assert!(shape["datetime"].as_str().is_some_and(|d| d.ends_with('Z')));
    assert_eq!(shape["target"], "_blank");
    assert_eq!(shape["rel"], "noopener noreferrer");
    assert!(
        shape["href"]
            .as_str()
            .is_some_and(|h| h.starts_with("https://harbour.example/"))
    );
    let loaded = browser
        .wait_for(
            || async {
                browser
                    .eval(
                        "return document.querySelector('[data-chorus=updates]').shadowRoot \
                         .querySelector('img').naturalWidth;",
                        vec![],
                    )
                    .await
            },
            |width| width.as_u64() == Some(16),
        )
        .await;
    assert_eq!(loaded, 16);

    // The compact French widget: titles as links and dates, French only.
    let compact = browser
        .wait_for(|| async { titles(&browser, 1).await }, |t| !t.is_empty())
        .await;
    assert_eq!(compact, ["Examen du Sénégal"]);
    let compact_shape = browser
        .eval(
            "const root = document.querySelectorAll('[data-chorus=updates]')[1].shadowRoot; \
             return { summaries: root.querySelectorAll('.summary').length, \
                      linked: root.querySelector('.item-title a') !== null, \
                      language: root.querySelector('button.language').textContent };",
            vec![],
        )
        .await;
    assert_eq!(compact_shape["summaries"], 0);
    assert_eq!(compact_shape["linked"], true);
    assert_eq!(
        compact_shape["language"],
        "Voir les actualités dans toutes les langues"
    );

    // More: the next three, focus on the first of them for keyboard users.
    press(&widget, "More updates").await;
    let more = browser
        .wait_for(|| async { titles(&browser, 0).await }, |t| t.len() == 6)
        .await;
    assert_eq!(
        more[3..],
        [
            "Report on coastal detention",
            "Hearing in Nairobi",
            "Coalition founded"
        ]
    );
    let focused = browser
        .wait_for(
            || async {
                browser
                    .eval(
                        "const root = document.querySelector('[data-chorus=updates]').shadowRoot; \
                         const active = root.activeElement; \
                         return active ? active.querySelector('h3').textContent : null;",
                        vec![],
                    )
                    .await
            },
            |f| !f.is_null(),
        )
        .await;
    assert_eq!(focused, "Report on coastal detention");
    // An old item shows its date, not "40 days ago".
    let old_date = browser
        .eval(
            "const times = document.querySelector('[data-chorus=updates]').shadowRoot \
             .querySelectorAll('time'); return times[times.length - 1].textContent;",
            vec![],
        )
        .await;
    assert!(
        !old_date.as_str().unwrap_or_default().contains("ago"),
        "{old_date}"
    );
    // Six shown, none left: no more button.
    assert!(widget.find(Locator::Css("button.more")).await.is_err());

    // A topic: only its items; the chosen chip is pressed.
    press(&widget, "africa").await;
    let africa = browser
        .wait_for(|| async { titles(&browser, 0).await }, |t| t.len() == 2)
        .await;
    assert_eq!(
        africa,
        ["Report on coastal detention", "Hearing in Nairobi"]
    );
    let pressed = browser
        .eval(
            "return [...document.querySelector('[data-chorus=updates]').shadowRoot \
             .querySelectorAll('.topic[aria-pressed=true]')].map(b => b.textContent);",
            vec![],
        )
        .await;
    assert_eq!(pressed, serde_json::json!(["africa"]));
    press(&widget, "All").await;
    browser
        .wait_for(|| async { titles(&browser, 0).await }, |t| t[..] == first)
        .await;

    // Every language: the French and Arabic items join, the Arabic one laid
    // out right to left.
    press(&widget, "Show updates in every language").await;
    browser.widget(WIDGET, "button.more").await;
    // Two more pages, as a supporter would press for them.
    let mut every = Vec::new();
    for _ in 0..75 {
        every = titles(&browser, 0).await;
        if every.len() >= 7 {
            break;
        }
        if let Ok(more) = widget
            .find(Locator::Css("button.more:not([disabled])"))
            .await
        {
            more.click().await.expect("more clicked");
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(every.len() >= 7, "{every:?}");
    assert_eq!(every[4], "Examen du Sénégal");
    assert_eq!(every[6], "حماية المدافعين عن حقوق الإنسان");
    let direction = browser
        .eval(
            "const items = document.querySelector('[data-chorus=updates]').shadowRoot              .querySelectorAll('.item');              return getComputedStyle([...items].find(i => i.lang === 'ar')).direction;",
            vec![],
        )
        .await;
    assert_eq!(direction, "rtl");
    press(&widget, "Show only updates in English").await;
    browser
        .wait_for(|| async { titles(&browser, 0).await }, |t| t[..] == first)
        .await;

    // Posted by an organiser while the page is open: it arrives on its own,
    // and screen readers hear of it.
    let posted = app
        .client
        .post(format!(
            "{}/api/v1/admin/feeds/defenders-news/items",
            app.origin
        ))
        .bearer_auth(ADMIN_TOKEN)
        .json(&serde_json::json!({
            "title": "Urgent: defender detained",
            "summary": "Write to the authorities today.",
            "tags": ["africa"],
            "lang": "en"
        }))
        .send()
        .await
        .expect("posted");
    assert_eq!(posted.status(), 201);
    let live = browser
        .wait_for(
            || async { titles(&browser, 0).await },
            |t| t.first().map(String::as_str) == Some("Urgent: defender detained"),
        )
        .await;
    assert_eq!(live[1..], first[..2]);
    let announced = browser
        .eval(
            "return document.querySelector('[data-chorus=updates]').shadowRoot \
             .querySelector('[role=status]').textContent;",
            vec![],
        )
        .await;
    assert_eq!(announced, "1 new update");

    // The supporter's browser asked no one but the partner and Chorus.
    let origins = browser
        .eval(
            "return [...new Set(performance.getEntriesByType('resource') \
             .map(e => new URL(e.name).origin))];",
            vec![],
        )
        .await;
    for origin in origins.as_array().into_iter().flatten() {
        assert!(
            origin == app.origin.as_str() || origin == site.origin.as_str(),
            "the page asked {origin}"
        );
    }
    assert_eq!(pictures.hits(), 1, "Chorus fetched the picture once");
    assert_no_page_errors(&browser).await;
}

/// Keeps the live connections the page holds open.
const CONNECTION_LOG: &str = r#"<script>window.live = new Set();
window.EventSource = class extends EventSource {
  constructor(url, options) { super(url, options); live.add(this); }
  close() { live.delete(this); super.close(); }
};</script>"#;

#[tokio::test]
async fn a_page_with_several_kinds_of_widget_runs_one_bundle_and_one_connection() {
    let app = TestApp::spawn().await;
    let feed = feed(&app).await;
    post(
        &app,
        &feed,
        draft("Treaty body session opens", "en", "geneva"),
        1,
    )
    .await;
    let body = format!(
        r#"{CONNECTION_LOG}<div data-chorus="donate" data-campaign="migrants-day"></div>
           <div data-chorus="updates" data-feed="defenders-news"></div>"#
    );
    let site = PartnerSite::serve(partner_page(&app.origin, &body)).await;
    crate::donations::campaign_with_partner(
        &app,
        "migrants-day",
        chorus::storage::Provider::Stripe,
        &site.origin,
    )
    .await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    browser.widget(WIDGET, ".items .item").await;
    browser
        .widget("[data-chorus=donate]", "a.donate-button")
        .await;

    // One connection open, naming both the campaign and the feed.
    let open = browser
        .wait_for(
            || async {
                browser
                    .eval("return [...window.live].map(s => s.url);", vec![])
                    .await
            },
            |open| {
                open.as_array().is_some_and(|o| {
                    o.iter().any(|url| {
                        let url = url.as_str().unwrap_or_default();
                        url.contains("campaigns=migrants-day")
                            && url.contains("feeds=defenders-news")
                    })
                })
            },
        )
        .await;
    assert_eq!(open.as_array().map(Vec::len), Some(1), "{open}");
    let modules = browser
        .eval(
            "return performance.getEntriesByType('resource').map(e => e.name) \
             .filter(n => n.endsWith('.wasm')).map(n => new URL(n).pathname);",
            vec![],
        )
        .await;
    // Without events on the page, the bundle without their bytes.
    assert_eq!(modules, serde_json::json!(["/chorus-campaign_bg.wasm"]));
    assert_no_page_errors(&browser).await;
}
