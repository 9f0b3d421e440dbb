//! The storm widget and the toolkit box in headless Chromium, on a partner
//! page from another origin: the countdown on the reader's clock in a zone
//! the test sets, "on now" arriving live at the instant, each share
//! button's page and text, the Mastodon server asked once and kept on the
//! device, and a feed's files in the supporter's language with their
//! alternates, in the toolkit box and under the feed's item.

use fantoccini::Locator;
use serde_json::{Value, json};

use super::driver::{Browser, PartnerSite, click};
use super::{assert_no_page_errors, partner_page_with};
use crate::attachments::with_flyers;
use crate::helpers::TestApp;
use crate::storm::{LINK, MINUTE, START, app_at, create, plan};

const WIDGET: &str = "[data-chorus=storm]";

/// `window.open` kept, not followed: the test reads where a share went.
const KEEP_OPENED: &str = "<script>window.opened = []; \
     window.open = (url) => { window.opened.push(url); return null; };</script>";

async fn storm_page(app: &TestApp, lang: &str) -> PartnerSite {
    let site = PartnerSite::serve(partner_page_with(
        &app.origin,
        KEEP_OPENED,
        &format!(r#"<div data-chorus="storm" data-storm="migrants-day" data-lang="{lang}"></div>"#),
    ))
    .await;
    let origin = chorus::ident::Origin::parse(&site.origin).expect("an origin");
    app.store
        .add_partner("Harbour Rights", &origin)
        .await
        .expect("partner added");
    site
}

/// What the storm shows, as a sighted reader sees it.
async fn shown(browser: &Browser) -> Value {
    browser
        .eval(
            "const root = document.querySelector('[data-chorus=storm]').shadowRoot; \
             const text = (s) => root.querySelector(s)?.textContent.trim() ?? null; \
             return { when: text('.when'), countdown: text('.countdown'), \
               on: !!root.querySelector('.when.on'), post: text('.post'), \
               shares: text('.shares'), status: text('[role=status]'), \
               lengths: [...root.querySelectorAll('.lengths li')].map(l => l.textContent.trim()), \
               links: Object.fromEntries([...root.querySelectorAll('a.share')] \
                 .map(a => [a.dataset.platform, a.getAttribute('href')])), \
               problem: text('.problem'), form: !!root.querySelector('form.mastodon'), \
               ready: root.host.hasAttribute('data-chorus-ready') };",
            vec![],
        )
        .await
}

async fn launch_in(zone: &str) -> Browser {
    let browser = Browser::launch().await;
    browser
        .devtools(
            "Emulation.setTimezoneOverride",
            json!({ "timezoneId": zone }),
        )
        .await;
    browser
}

/// `text` as `encodeURIComponent` writes it, as platforms read it.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn link(platform: &str) -> String {
    format!("{LINK}?utm_source={platform}&utm_medium=social&utm_campaign=migrants-day")
}

#[tokio::test]
async fn the_countdown_reads_on_the_readers_clock_and_on_now_arrives_live_at_the_instant() {
    // Two days and three hours before 17:00 UTC, read from Tokyo (UTC+9),
    // where the storm starts at two in the morning the next day.
    let app = app_at(START - (2 * 24 * 60 + 3 * 60) * MINUTE).await;
    let (status, made) = create(&app, &plan()).await;
    assert_eq!(status, 201, "{made}");
    let site = storm_page(&app, "en").await;
    let browser = launch_in("Asia/Tokyo").await;
    browser.goto(&site.origin).await;
    browser.widget(WIDGET, ".countdown").await;
    let before = browser
        .wait_for(|| shown(&browser), |s| s["ready"] == true)
        .await;
    let when = before["when"].as_str().unwrap_or_default();
    assert!(
        when.starts_with("Starts Saturday, December 19 at 2:00") && when.ends_with("your time"),
        "{before:#}"
    );
    assert_eq!(before["countdown"], "in 2 days", "{before:#}");
    assert_eq!(before["on"], false);
    assert_eq!(before["shares"], Value::Null, "no count before the start");

    // The server's clock reaches the instant: the page's live connection
    // says so, days before the device's own timer would.
    app.clock.set(START + 1_000);
    let during = browser
        .wait_for(|| shown(&browser), |s| s["on"] == true)
        .await;
    let on = during["when"].as_str().unwrap_or_default();
    assert!(on.starts_with("It's on now! Post until 3:00"), "{during:#}");
    assert_eq!(during["status"], "It's on now!", "read to screen readers");
    assert_eq!(during["shares"], "0 shares so far");
    assert_no_page_errors(&browser).await;
}

#[tokio::test]
async fn each_share_button_opens_its_platform_with_the_message_and_another_changes_it() {
    let app = app_at(START + 5 * MINUTE).await;
    create(&app, &plan()).await;
    let site = storm_page(&app, "en").await;
    let browser = launch_in("Europe/Paris").await;
    browser.goto(&site.origin).await;
    let root = browser.widget(WIDGET, ".post").await;
    let first = shown(&browser).await;
    let variants = [
        "Every worker has rights. #MigrantsDay #RatifyNow",
        "Ratify the convention now. #MigrantsDay #RatifyNow",
    ];
    let text = first["post"].as_str().unwrap_or_default().to_owned();
    assert!(variants.contains(&text.as_str()), "{first:#}");

    click(&root, "button.another").await;
    let second = browser
        .wait_for(|| shown(&browser), |s| s["post"] != first["post"])
        .await;
    let text = second["post"].as_str().unwrap_or_default().to_owned();
    assert!(variants.contains(&text.as_str()), "{second:#}");
    let links = &second["links"];
    assert_eq!(
        links["x"],
        format!(
            "https://x.com/intent/post?text={}&url={}",
            encoded(&text),
            encoded(&link("x"))
        )
    );
    assert_eq!(
        links["bluesky"],
        format!(
            "https://bsky.app/intent/compose?text={}",
            encoded(&format!("{text} {}", link("bluesky")))
        )
    );
    // Facebook and LinkedIn take the link alone, as their rules require.
    assert_eq!(
        links["facebook"],
        format!(
            "https://www.facebook.com/sharer/sharer.php?u={}",
            encoded(&link("facebook"))
        )
    );
    assert_eq!(
        links["linkedin"],
        format!(
            "https://www.linkedin.com/sharing/share-offsite/?url={}",
            encoded(&link("linkedin"))
        )
    );
    assert_eq!(
        links["whatsapp"],
        format!(
            "https://wa.me/?text={}",
            encoded(&format!("{text} {}", link("whatsapp")))
        )
    );
    assert_eq!(
        links["telegram"],
        format!(
            "https://t.me/share/url?url={}&text={}",
            encoded(&link("telegram")),
            encoded(&text)
        )
    );
    assert!(
        links["threads"]
            .as_str()
            .is_some_and(|l| l.starts_with("https://www.threads.net/intent/post?text=")),
        "{links:#}"
    );
    assert!(
        links["email"]
            .as_str()
            .is_some_and(|l| l.starts_with("mailto:?subject=Migrants%20Day%20storm&body=")),
        "{links:#}"
    );
    // Lengths as each platform counts them: X counts the link as 23.
    let x = (text.chars().count() + 1 + 23).to_string();
    assert!(
        second["lengths"]
            .as_array()
            .is_some_and(|all| all.iter().any(|l| l == &json!(format!("X {x}/280")))),
        "{second:#}"
    );
    assert_no_page_errors(&browser).await;
}

#[tokio::test]
async fn mastodon_asks_for_the_server_once_keeps_it_on_the_device_and_counts_the_share() {
    let app = app_at(START + 5 * MINUTE).await;
    create(&app, &plan()).await;
    let site = storm_page(&app, "en").await;
    let browser = launch_in("UTC").await;
    browser.goto(&site.origin).await;
    let root = browser
        .widget(WIDGET, "button[data-platform=mastodon]")
        .await;
    assert_eq!(shown(&browser).await["shares"], "0 shares so far");

    click(&root, "button[data-platform=mastodon]").await;
    let field = root
        .find(Locator::Css("#mastodon-server"))
        .await
        .expect("the widget asks for the server");
    field.send_keys("not a server").await.expect("typed");
    click(&root, "form.mastodon button[type=submit]").await;
    let refused = browser
        .wait_for(|| shown(&browser), |s| !s["problem"].is_null())
        .await;
    assert_eq!(
        refused["problem"], "Enter your server's name, like mastodon.social.",
        "{refused:#}"
    );

    field.clear().await.expect("cleared");
    field.send_keys("@ana@Social.Example").await.expect("typed");
    click(&root, "form.mastodon button[type=submit]").await;
    let sent = browser
        .wait_for(|| shown(&browser), |s| !s["links"]["mastodon"].is_null())
        .await;
    // The platform's own message, straight to the supporter's server.
    let expected = format!(
        "https://social.example/share?text={}",
        encoded(&format!(
            "Fediverse: ratify the convention. #MigrantsDay #RatifyNow {}",
            link("mastodon")
        ))
    );
    assert_eq!(sent["links"]["mastodon"], expected.as_str());
    assert_eq!(sent["form"], false);
    let opened = browser.eval("return window.opened;", vec![]).await;
    assert_eq!(opened, json!([expected]));
    let kept = browser
        .eval(
            "return localStorage.getItem('chorus.mastodon-server');",
            vec![],
        )
        .await;
    assert_eq!(kept, "social.example", "kept on the device");

    // The click is counted (which platform only) and the count arrives live.
    let counted = browser
        .wait_for(|| shown(&browser), |s| s["shares"] == "1 share so far")
        .await;
    assert_eq!(counted["shares"], "1 share so far");

    // Next visit, the device remembers: Mastodon is a link at once.
    browser.goto(&site.origin).await;
    browser.widget(WIDGET, "a[data-platform=mastodon]").await;
    assert_no_page_errors(&browser).await;
}

#[tokio::test]
async fn the_toolkit_and_the_feed_show_each_file_in_the_supporters_language_with_its_alternate() {
    let app = TestApp::spawn().await;
    let (_, english, spanish) = with_flyers(&app).await;
    let site = PartnerSite::serve(partner_page_with(
        &app.origin,
        "",
        r#"<div data-chorus="resources" data-feed="defenders-news" data-lang="es"></div>
           <div data-chorus="updates" data-feed="defenders-news"></div>"#,
    ))
    .await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    browser.until_ready(2).await;
    let files = |selector: &'static str| {
        let browser = &browser;
        async move {
            browser
                .eval(
                    "return [...document.querySelector(arguments[0]).shadowRoot \
                       .querySelectorAll('.download')].map(d => ({ \
                       file: d.querySelector('.file').textContent.trim(), \
                       href: d.querySelector('.file').getAttribute('href'), \
                       about: d.querySelector('.about').textContent.trim(), \
                       alternates: [...d.querySelectorAll('.alternates a')] \
                         .map(a => [a.textContent.trim(), a.getAttribute('hreflang'), a.getAttribute('href')]), \
                       checksum: d.querySelector('.checksum code')?.textContent ?? null }));",
                    vec![Value::from(selector)],
                )
                .await
        }
    };
    let toolkit = files("[data-chorus=resources]").await;
    assert_eq!(toolkit.as_array().map(Vec::len), Some(1), "{toolkit:#}");
    let line = &toolkit[0];
    assert_eq!(line["file"], "Volante (español)");
    assert_eq!(line["href"], spanish["url"]);
    assert!(
        line["about"]
            .as_str()
            .is_some_and(|a| a.starts_with("— PDF, ") && a.ends_with(" KB, español")),
        "{line:#}"
    );
    let alternate = &line["alternates"][0];
    assert!(
        alternate[0]
            .as_str()
            .is_some_and(|a| a.starts_with("inglés (PDF, ")),
        "{line:#}"
    );
    assert_eq!(alternate[1], "en");
    assert_eq!(alternate[2], english["url"]);
    assert_eq!(
        line["checksum"], spanish["sha256"],
        "the toolkit shows the hash"
    );

    // The feed, on the English page, offers the English flyer first.
    let feed = files("[data-chorus=updates]").await;
    assert_eq!(feed[0]["file"], "Flyer (English)", "{feed:#}");
    assert!(
        feed[0]["alternates"][0][0]
            .as_str()
            .is_some_and(|a| a.starts_with("Spanish (PDF, ")),
        "{feed:#}"
    );
    assert_eq!(
        feed[0]["checksum"],
        Value::Null,
        "a feed item keeps to its reading"
    );

    let download = app
        .client
        .get(line["href"].as_str().unwrap_or_default())
        .send()
        .await
        .expect("the file is served");
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_no_page_errors(&browser).await;
}
