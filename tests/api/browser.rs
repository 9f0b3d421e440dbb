//! The widgets in headless Chromium, on a partner page served from another
//! origin, embedded with the snippet exactly as partners paste it.

mod coalition;
mod donate;
mod driver;
mod events;
mod rendered;
mod signing;
mod storm;
mod updates;
mod without_script;

use serde_json::Value;

use crate::helpers::TestApp;
use driver::{Browser, PartnerSite};

/// Styles a careless or hostile host page might carry.
const HOSTILE_CSS: &str = "* { color: rgb(255, 0, 0) !important; font-size: 40px !important; \
     line-height: 5 !important; font-family: serif !important; letter-spacing: 9px !important } \
     button, div { background: lime !important; border: 5px solid blue !important }";

pub(crate) fn partner_page(chorus: &str, body: &str) -> String {
    partner_page_with(chorus, "", body)
}

/// A partner page with extra `<head>` content, such as a CSP.
pub(crate) fn partner_page_with(chorus: &str, head: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">{head}
<style>{HOSTILE_CSS}</style>
<script>window.errors = [];
addEventListener("error", (e) => errors.push(String(e.message)));
addEventListener("unhandledrejection", (e) => errors.push(String(e.reason)));
const logError = console.error;
console.error = (...args) => {{ errors.push(args.map(String).join(" ")); logError(...args); }};</script>
<script type="module" src="{chorus}/embed.js" async></script></head>
<body>{body}</body></html>"#
    )
}

/// The text of the element matching `selector` in each placeholder's shadow root.
const SHADOW_TEXTS: &str = "return [...document.querySelectorAll('[data-chorus]')].map(el => { \
     const found = el.shadowRoot && el.shadowRoot.querySelector(arguments[0]); \
     return found ? found.textContent : null; });";

pub(crate) async fn shadow_texts(browser: &Browser, selector: &str) -> Vec<Option<String>> {
    let value = browser
        .eval(SHADOW_TEXTS, vec![Value::from(selector)])
        .await;
    serde_json::from_value(value).unwrap_or_default()
}

#[tokio::test]
async fn counters_on_a_partner_page_show_the_count_resist_host_css_and_move_live() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("protect-defenders", None).await;
    app.sign_elsewhere(&petition, 1233).await;
    let site = PartnerSite::serve(partner_page(
        &app.origin,
        r#"<div data-chorus="counter" data-campaign="protect-defenders"></div>
           <div data-chorus="counter" data-campaign="protect-defenders" data-lang="fr"></div>"#,
    ))
    .await;
    assert_ne!(
        site.origin, app.origin,
        "the partner page needs its own origin"
    );
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;

    let shown = browser
        .wait_for(
            || async { shadow_texts(&browser, ".number").await },
            |texts| {
                texts
                    .iter()
                    .all(|t| t.as_deref().is_some_and(|t| t.contains("233")))
            },
        )
        .await;
    // English groups with a comma, French with a narrow no-break space.
    assert_eq!(shown[0].as_deref(), Some("1,233"));
    assert_eq!(shown[1].as_deref(), Some("1\u{202f}233"));
    let words = shadow_texts(&browser, ".goal").await;
    assert_eq!(words[0].as_deref(), Some("Goal: 2,000"));
    assert_eq!(words[1].as_deref(), Some("Objectif\u{202f}: 2\u{202f}000"));

    let style: Vec<Value> = serde_json::from_value(
        browser
            .eval(
                "return [...document.querySelectorAll('[data-chorus]')].map(el => { \
                 const s = getComputedStyle(el.shadowRoot.querySelector('.word')); \
                 return [s.color, s.fontSize, s.letterSpacing]; });",
                vec![],
            )
            .await,
    )
    .expect("styles");
    for computed in style {
        assert_ne!(
            computed[0], "rgb(255, 0, 0)",
            "host colour leaked in: {computed}"
        );
        assert_eq!(computed[1], "16px", "host font size leaked in: {computed}");
        assert_ne!(
            computed[2], "9px",
            "host letter spacing leaked in: {computed}"
        );
    }

    app.sign_elsewhere(&petition, 2).await;
    let moved = browser
        .wait_for(
            || async { shadow_texts(&browser, ".number").await },
            |texts| {
                texts
                    .iter()
                    .all(|t| t.as_deref().is_some_and(|t| t.contains("235")))
            },
        )
        .await;
    assert_eq!(moved[0].as_deref(), Some("1,235"));
    assert_eq!(moved[1].as_deref(), Some("1\u{202f}235"));
    assert_no_page_errors(&browser).await;
}

#[tokio::test]
async fn a_page_downloads_the_widgets_once_and_holds_one_live_connection() {
    let app = TestApp::spawn().await;
    app.create_petition("first", None).await;
    app.create_petition("second", Some(10)).await;
    let site = PartnerSite::serve(partner_page(
        &app.origin,
        r#"<div data-chorus="counter" data-campaign="first"></div>
           <div data-chorus="counter" data-campaign="second"></div>
           <div data-chorus="counter" data-campaign="first" data-theme="dark"></div>"#,
    ))
    .await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    browser.until_ready(3).await;

    let requests = |fragment: &'static str| {
        let browser = &browser;
        async move {
            browser
                .eval(
                    "return performance.getEntriesByType('resource') \
                     .filter(e => e.name.includes(arguments[0])).length;",
                    vec![Value::from(fragment)],
                )
                .await
        }
    };
    // Counters alone need only the counter bundle.
    assert_eq!(requests("chorus-counter_bg.wasm").await, 1);
    assert_eq!(requests("chorus-widgets_bg.wasm").await, 0);
    // One request for what the server renders, for every widget on the page;
    // the widgets take over from it without asking for their counts again.
    assert_eq!(requests("/api/v1/embed").await, 1);
    assert_eq!(requests("/widgets.css").await, 1);
    assert_eq!(requests("/count").await, 0);
    // A stream never completes, so the page's timeline cannot count it: the
    // server can.
    assert_eq!(app.live_connections(), 1);
    assert_no_page_errors(&browser).await;
}

pub(crate) async fn assert_no_page_errors(browser: &Browser) {
    let errors = browser.eval("return window.errors;", vec![]).await;
    assert_eq!(errors, Value::Array(vec![]), "the page reported errors");
}

#[tokio::test]
async fn placeholders_added_after_load_are_mounted_and_unknown_petitions_say_so() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("late", None).await;
    app.sign_elsewhere(&petition, 5).await;
    let site = PartnerSite::serve(partner_page(&app.origin, "<main id=app></main>")).await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    // A single-page app renders after the page has loaded, which waits for
    // embed.js to run (an async script delays the load event).
    browser
        .wait_for(
            || async { browser.eval("return document.readyState;", vec![]).await },
            |state| state == "complete",
        )
        .await;
    browser
        .eval(
            "document.getElementById('app').innerHTML = \
             '<div data-chorus=\"counter\" data-campaign=\"late\"></div>' + \
             '<div data-chorus=\"counter\" data-campaign=\"no-such-petition\"></div>';",
            vec![],
        )
        .await;

    let not_found = Some("This petition could not be found.");
    let shown = browser
        .wait_for(
            || async { shadow_texts(&browser, "p").await },
            |texts| texts.len() == 2 && texts[1].as_deref() == not_found,
        )
        .await;
    assert!(
        shown[0].as_deref().is_some_and(|t| t.starts_with('5')),
        "{shown:?}"
    );
    assert_no_page_errors(&browser).await;
}

#[tokio::test]
async fn a_page_pinning_the_script_with_integrity_runs_it_and_a_wrong_hash_blocks_it() {
    let app = TestApp::spawn().await;
    app.create_petition("p", None).await;
    let (path, integrity) = crate::site::pinned_snippet(&app).await;
    let unpinned = format!(
        r#"<script type="module" src="{}/embed.js" async></script>"#,
        app.origin
    );
    // Scripts the browser refused to run, as their `error` events say.
    let watch_refusals = "<script>window.refused = []; addEventListener('error', \
         (e) => { if (e.target && e.target.src) refused.push(e.target.src); }, true);</script>";
    let page_with = |integrity: &str| {
        partner_page_with(
            &app.origin,
            watch_refusals,
            r#"<div data-chorus="counter" data-campaign="p"></div>"#,
        )
        .replace(
            &unpinned,
            &format!(
                r#"<script type="module" src="{}{path}" integrity="{integrity}" crossorigin="anonymous" async></script>"#,
                app.origin
            ),
        )
    };
    let pinned = PartnerSite::serve(page_with(&integrity)).await;
    let browser = Browser::launch().await;
    browser.goto(&pinned.origin).await;
    browser.widget("[data-chorus=counter]", ".number").await;
    assert_no_page_errors(&browser).await;

    // A wrong hash: the browser refuses to run the script at all.
    let tampered = format!("sha384-{}", "A".repeat(64));
    let refused = PartnerSite::serve(page_with(&tampered)).await;
    browser.goto(&refused.origin).await;
    // The browser has decided once the script's error event has fired.
    let refusals = browser
        .wait_for(
            || async { browser.eval("return window.refused;", vec![]).await },
            |refused| refused.as_array().is_some_and(|r| !r.is_empty()),
        )
        .await;
    assert!(
        refusals[0]
            .as_str()
            .is_some_and(|src| src.contains("/embed/")),
        "{refusals}"
    );
    let mounted = browser
        .eval(
            "return document.querySelector('[data-chorus]').shadowRoot !== null;",
            vec![],
        )
        .await;
    assert_eq!(mounted, Value::Bool(false), "a script failing its hash ran");
}

#[tokio::test]
async fn malformed_language_tags_fall_back_to_the_next_candidate_without_errors() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.sign_elsewhere(&petition, 1233).await;
    let page = partner_page(
        &app.origin,
        r#"<div data-chorus="counter" data-campaign="p" data-lang="en-"></div>
           <div data-chorus="counter" data-campaign="p" data-lang="x"></div>
           <div data-chorus="counter" data-campaign="p" data-lang="@@"></div>
           <div data-chorus="counter" data-campaign="p" data-lang="fr_FR"></div>"#,
    )
    // The page's own tag is malformed too: the browser's language is next.
    .replace(r#"<html lang="en">"#, r#"<html lang="es-">"#);
    let site = PartnerSite::serve(page).await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    let shown = browser
        .wait_for(
            || async { shadow_texts(&browser, ".goal").await },
            |texts| texts.len() == 4 && texts.iter().all(Option::is_some),
        )
        .await;
    for english in &shown[..3] {
        assert_eq!(english.as_deref(), Some("Goal: 2,000"), "{shown:?}");
    }
    assert_eq!(
        shown[3].as_deref(),
        Some("Objectif\u{202f}: 2\u{202f}000"),
        "fr_FR is a well-formed tag, written another way"
    );
    assert_no_page_errors(&browser).await;
}

/// axe-core's checks, run on the page as a partner shows it (`cargo xtask
/// test` installs axe-core from npm).
async fn accessibility_violations(browser: &Browser, rules: &[&str]) -> Value {
    let path = std::env::var("CHORUS_TEST_AXE").unwrap_or_else(|_| {
        format!(
            "{}/target/axe/node_modules/axe-core/axe.min.js",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let axe = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core at {path} (cargo xtask test installs it): {e}"));
    browser.eval(&axe, vec![]).await;
    browser
        .eval(
            "return axe.run(document, { runOnly: arguments[0] }).then((result) => \
             result.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.html) })));",
            vec![serde_json::json!(rules)],
        )
        .await
}

#[tokio::test]
async fn goal_bars_are_named_and_counters_stay_readable_on_a_dark_partner_element() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.sign_elsewhere(&petition, 12).await;
    let site = PartnerSite::serve(partner_page(
        &app.origin,
        r#"<header style="background: #14171c; color: #f3f4f6; padding: 1em">
             <div data-chorus="counter" data-campaign="p"></div>
           </header>
           <div data-chorus="counter" data-campaign="p" data-lang="fr"></div>
           <div data-chorus="petition" data-campaign="p" data-mode="inline"></div>
           <div data-chorus="donate" data-campaign="migrants-day"></div>"#,
    ))
    .await;
    crate::donations::campaign_with_partner(
        &app,
        "migrants-day",
        chorus::storage::Provider::Stripe,
        &site.origin,
    )
    .await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    // Every widget shows its goal bar.
    browser
        .wait_for(
            || async { shadow_texts(&browser, "[role=progressbar]").await },
            |bars| bars.len() == 4 && bars.iter().all(Option::is_some),
        )
        .await;
    let violations =
        accessibility_violations(&browser, &["aria-progressbar-name", "color-contrast"]).await;
    assert_eq!(
        violations,
        serde_json::json!([]),
        "axe-core found: {violations:#}"
    );
}
