//! Giving in headless Chromium: the donate widget on a partner page, through
//! the Stripe stand-in's checkout page, and back.

use fantoccini::Locator;
use fantoccini::elements::ShadowRoot;
use serde_json::Value;

use super::driver::{Browser, PartnerSite, click, text_of};
use super::{assert_no_page_errors, partner_page, shadow_texts};
use crate::donations::{campaign_with_partner, deliver, invoice_paid, now};
use crate::helpers::TestApp;
use crate::stripe_standin::WEBHOOK_SECRET;

/// Keeps the widget's events where a navigation cannot erase them.
const EVENT_LOG: &str = r#"<script>
for (const name of ["chorus:donate-start", "chorus:donated"])
  addEventListener(name, (e) => sessionStorage.setItem(name, JSON.stringify(e.detail)));</script>"#;

/// Clicks the amount chip whose text contains `text`.
async fn choose(root: &ShadowRoot, text: &str) {
    for chip in root.find_all(Locator::Css(".chip")).await.expect("chips") {
        if chip.text().await.unwrap_or_default().contains(text) {
            chip.click().await.expect("chip clicked");
            return;
        }
    }
    panic!("no chip shows {text:?}");
}

/// The class of the element focused inside the donate widget.
async fn focused(browser: &Browser) -> Value {
    browser
        .eval(
            "const root = document.querySelector('[data-chorus=donate]').shadowRoot; \
             return root.activeElement ? root.activeElement.className : null;",
            vec![],
        )
        .await
}

#[tokio::test]
async fn a_monthly_gift_goes_to_the_provider_and_the_goal_bar_moves_on_another_page() {
    let app = TestApp::spawn().await;
    let body =
        format!(r#"{EVENT_LOG}<div data-chorus="donate" data-campaign="migrants-day"></div>"#);
    let site = PartnerSite::serve(partner_page(&app.origin, &body)).await;
    campaign_with_partner(
        &app,
        "migrants-day",
        chorus::storage::Provider::Stripe,
        &site.origin,
    )
    .await;
    let watcher_site = PartnerSite::serve(partner_page(
        &app.origin,
        r#"<div data-chorus="donate" data-campaign="migrants-day" data-lang="fr"></div>"#,
    ))
    .await;
    let (browser, watcher) = tokio::join!(Browser::launch(), Browser::launch());
    watcher.goto(&watcher_site.origin).await;
    let opening = watcher
        .wait_for(
            || async { shadow_texts(&watcher, ".raised").await },
            |t| t[0].is_some(),
        )
        .await;
    assert_eq!(
        opening[0].as_deref(),
        Some("0\u{a0}€ collectés sur 20\u{202f}000\u{a0}€")
    );

    // Arrived from a newsletter: its tracking token and the reader's address
    // are in the page's address, and must not reach the payment provider.
    browser
        .goto(&format!(
            "{}/?newsletter=tok-9f8e7d&email=ana%40example.org#give",
            site.origin
        ))
        .await;
    let widget = browser
        .widget("[data-chorus=donate]", "a.donate-button")
        .await;
    // The panel is a dialog: Escape closes it and focus returns to the button.
    click(&widget, "a.donate-button").await;
    browser
        .widget("[data-chorus=donate]", ".panel[role=dialog]")
        .await;
    browser
        .eval(
            "document.querySelector('[data-chorus=donate]').shadowRoot.querySelector('.panel')\
             .dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));",
            vec![],
        )
        .await;
    browser
        .wait_for(
            || async { focused(&browser).await },
            |f| f == "donate-button",
        )
        .await;
    assert!(widget.find(Locator::Css(".panel")).await.is_err());

    click(&widget, "a.donate-button").await;
    let panel = browser.widget("[data-chorus=donate]", ".panel").await;
    // Monthly is the default; pick the second monthly ask.
    choose(&panel, "€10").await;
    assert_no_page_errors(&browser).await;
    click(&panel, "button.pay").await;

    let landed = browser
        .wait_for(
            || async { browser.eval("return location.href;", vec![]).await },
            |url| url.as_str().is_some_and(|u| u.contains("/c/pay/cs_test_")),
        )
        .await;
    assert!(
        landed
            .as_str()
            .is_some_and(|u| u.starts_with(&app.stripe.base))
    );
    let sent = app.stripe.requests();
    assert_eq!(sent.len(), 1);
    let form = |key: &str| sent[0].form.get(key).cloned().unwrap_or_default();
    assert_eq!(form("mode"), "subscription");
    assert_eq!(form("line_items[0][price_data][unit_amount]"), "1000");
    assert_eq!(
        form("line_items[0][price_data][recurring][interval]"),
        "month"
    );
    assert!(form("success_url").starts_with(&site.origin));
    for sent_on in ["success_url", "cancel_url"] {
        let url = form(sent_on);
        assert!(
            !url.contains("tok-9f8e7d") && !url.contains("ana") && !url.contains('#'),
            "{sent_on}: {url}"
        );
    }

    // Stripe confirms the first month; the other page's bar moves, unreloaded.
    let paid = invoice_paid("evt_browser", "in_browser", "sub_browser", 1000);
    assert_eq!(deliver(&app, &paid, WEBHOOK_SECRET, now()).await.0, 200);
    // textContent, not WebDriver's text, which turns no-break spaces into spaces.
    let moved = watcher
        .wait_for(
            || async { shadow_texts(&watcher, ".raised").await },
            |t| t[0].as_deref().is_some_and(|t| t.starts_with("10\u{a0}€")),
        )
        .await;
    assert_eq!(
        moved[0].as_deref(),
        Some("10\u{a0}€ collectés sur 20\u{202f}000\u{a0}€")
    );
    let bar = watcher
        .eval(
            "return document.querySelector('[data-chorus=donate]').shadowRoot\
             .querySelector('[role=progressbar]').getAttribute('aria-valuenow');",
            vec![],
        )
        .await;
    assert_eq!(bar, "1000");
    assert_eq!(
        shadow_texts(&watcher, ".donors").await[0].as_deref(),
        Some("1 personne a donné. Merci !")
    );

    // Back from the provider: thanks, and an event without personal data.
    browser.goto(&form("success_url")).await;
    let back = browser.widget("[data-chorus=donate]", ".thanks").await;
    assert!(
        text_of(&back, ".thanks")
            .await
            .is_some_and(|t| t.starts_with("Thank you"))
    );
    let events = browser
        .eval(
            "return [sessionStorage.getItem('chorus:donate-start'), \
             sessionStorage.getItem('chorus:donated')];",
            vec![],
        )
        .await;
    let start: Value =
        serde_json::from_str(events[0].as_str().expect("donate-start sent")).expect("JSON");
    assert_eq!(
        start,
        serde_json::json!({"campaign": "migrants-day", "frequency": "monthly",
            "amount": "1000", "currency": "EUR"})
    );
    assert_eq!(events[1], r#"{"campaign":"migrants-day"}"#);
    assert_no_page_errors(&browser).await;
    assert_no_page_errors(&watcher).await;
}
