//! Signing in headless Chromium, inline and in a frame, on partner pages.

use fantoccini::elements::ShadowRoot;
use serde_json::Value;

use super::driver::{Browser, PartnerSite, click, labelled, text_of, type_into};
use super::{assert_no_page_errors, partner_page, partner_page_with, shadow_texts};
use crate::helpers::TestApp;

/// Records the widget's events as the partner page sees them.
const EVENT_LOG: &str = r#"<script>window.events = [];
for (const name of ["chorus:signed", "chorus:shared"])
  addEventListener(name, (e) => events.push([name, JSON.stringify(e.detail)]));</script>"#;

async fn events(browser: &Browser) -> Vec<(String, String)> {
    serde_json::from_value(browser.eval("return window.events;", vec![]).await).unwrap_or_default()
}

/// Fills the form as a supporter would: typing, picking, ticking.
async fn fill_form(root: &ShadowRoot, email: &str) {
    type_into(root, "First name", "Zoë").await;
    type_into(root, "Last name", "O'Connor-Ndiaye").await;
    type_into(root, "Email", email).await;
    click(root, "#country option[value=\"SN\"]").await;
    labelled(root, "I agree to the")
        .await
        .click()
        .await
        .expect("ticked");
}

/// Fills the form and presses "Sign".
async fn sign(form: &ShadowRoot, email: &str) {
    fill_form(form, email).await;
    click(form, "button.submit").await;
}

/// Waits until the form's status line begins with `prefix`.
async fn wait_for_status(browser: &Browser, form: &ShadowRoot, prefix: &str) {
    browser
        .wait_for(
            || async { text_of(form, ".status").await },
            |t| t.as_deref().is_some_and(|t| t.starts_with(prefix)),
        )
        .await;
}

#[tokio::test]
async fn an_inline_petition_checks_fields_signs_and_moves_another_pages_counter() {
    let app = TestApp::spawn_as_deployed(None).await;
    let petition = app.create_petition("p", None).await;
    let body = format!(
        r#"{EVENT_LOG}<div data-chorus="petition" data-campaign="p" data-mode="inline"></div>"#
    );
    let site = PartnerSite::serve(partner_page(&app.origin, &body)).await;
    app.add_partner(&petition, "Harbour", &site.origin, true)
        .await;
    let watcher_site = PartnerSite::serve(partner_page(
        &app.origin,
        r#"<div data-chorus="counter" data-campaign="p"></div>"#,
    ))
    .await;
    let (browser, watcher) = tokio::join!(Browser::launch(), Browser::launch());
    watcher.goto(&watcher_site.origin).await;
    browser.goto(&site.origin).await;
    let form = browser.widget("[data-chorus=petition]", "form.sign").await;

    // Sending an empty form: each field says what it needs, focus goes to
    // the first, and nothing is stored.
    click(&form, "button.submit").await;
    let first_error = browser
        .wait_for(
            || async { text_of(&form, "#first-name-error").await },
            |t| t.as_deref().is_some_and(|t| !t.is_empty()),
        )
        .await;
    assert_eq!(first_error.as_deref(), Some("Please fill this in."));
    assert_eq!(
        text_of(&form, "#privacy-consent-error").await.as_deref(),
        Some("Please agree to the privacy notice to sign.")
    );
    let focused = browser
        .eval(
            "return document.querySelector('[data-chorus=petition]').shadowRoot.activeElement?.id;",
            vec![],
        )
        .await;
    assert_eq!(focused, Value::from("first-name"));
    let invalid = labelled(&form, "First name")
        .await
        .attr("aria-invalid")
        .await;
    assert_eq!(invalid.ok().flatten().as_deref(), Some("true"));

    // A bad address is named as such; fixing it clears the message.
    sign(&form, "zoe@").await;
    let email_error = browser
        .wait_for(
            || async { text_of(&form, "#email-error").await },
            |t| t.as_deref().is_some_and(|t| t.contains("valid email")),
        )
        .await;
    assert!(email_error.is_some());
    type_into(&form, "Email", "example.org").await;
    browser
        .wait_for(
            || async { text_of(&form, "#email-error").await },
            |t| t.as_deref().is_none_or(str::is_empty),
        )
        .await;
    assert!(app.signed_rows(&petition).await.is_empty());

    click(&form, "button.submit").await;
    let thanks = browser
        .wait_for(
            || async { shadow_texts(&browser, ".thanks h3").await },
            |t| t.first().is_some_and(Option::is_some),
        )
        .await;
    assert_eq!(thanks[0].as_deref(), Some("Thank you for signing!"));
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].status, "counted",
        "a person never sees the honeypot"
    );
    let details = app.details(&rows[0]);
    assert_eq!(details.email, "zoe@example.org");
    assert_eq!(details.first_name, "Zoë");
    assert_eq!(rows[0].partner.as_deref(), Some("Harbour"));
    assert_eq!(
        events(&browser).await,
        [("chorus:signed".to_owned(), r#"{"petition":"p"}"#.to_owned())]
    );

    // The share step speaks the petition's message, hashtags and UTM tags.
    let links: Vec<String> = serde_json::from_value(
        browser
            .eval(
                "return [...document.querySelector('[data-chorus=petition]').shadowRoot \
                 .querySelectorAll('.share a')].map(a => a.href);",
                vec![],
            )
            .await,
    )
    .expect("links");
    assert_eq!(links.len(), 6, "{links:?}");
    let x = links
        .iter()
        .find(|l| l.starts_with("https://x.com/"))
        .expect("an X link");
    assert!(x.contains("hashtags=HumanRights"), "{x}");
    assert!(x.contains("utm_source%3Dx"), "{x}");
    assert!(x.contains("text=p%20title%3A%20sign%20with%20me"), "{x}");
    assert!(
        links
            .iter()
            .any(|l| l.starts_with("mailto:?subject=p%20title")),
        "{links:?}"
    );

    // The other partner page's counter moves without a reload.
    watcher
        .wait_for(
            || async { shadow_texts(&watcher, ".number").await },
            |t| t.first().is_some_and(|t| t.as_deref() == Some("1")),
        )
        .await;
    assert_no_page_errors(&browser).await;
    assert_no_page_errors(&watcher).await;
}

#[tokio::test]
async fn a_framed_petition_signs_on_a_page_that_forbids_webassembly() {
    let app = TestApp::spawn_as_deployed(None).await;
    let petition = app.create_petition("p", None).await;
    // No 'wasm-unsafe-eval': this page could not run the widget itself.
    let csp = format!(
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'unsafe-inline' {chorus}; connect-src {chorus}; frame-src {chorus}; style-src 'unsafe-inline'">"#,
        chorus = app.origin
    );
    let body = format!(r#"{EVENT_LOG}<div data-chorus="petition" data-campaign="p"></div>"#);
    let site = PartnerSite::serve(partner_page_with(&app.origin, &csp, &body)).await;
    app.add_partner(&petition, "Harbour", &site.origin, false)
        .await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;

    let host = browser.widget("[data-chorus=petition]", "iframe").await;
    browser.enter_frame(&host, "iframe").await;
    let form = browser.widget("[data-chorus=petition]", "form.sign").await;
    sign(&form, "framed@example.org").await;
    browser.widget("[data-chorus=petition]", ".thanks h3").await;
    // The frame page carries the stylesheet (one request less before the
    // form shows) and the widget, taking over, keeps it.
    let styled = browser
        .eval(
            "const root = document.querySelector('[data-chorus=petition]').shadowRoot;              return [getComputedStyle(root.querySelector('.chorus')).lineHeight,                performance.getEntriesByType('resource')                  .filter(e => e.name.includes('widgets.css')).length];",
            vec![],
        )
        .await;
    assert_eq!(
        styled,
        serde_json::json!(["23.2px", 0]),
        "line height, stylesheet requests"
    );
    browser.leave_frame().await;

    let signed = browser
        .wait_for(|| async { events(&browser).await }, |e| !e.is_empty())
        .await;
    assert_eq!(
        signed,
        [("chorus:signed".to_owned(), r#"{"petition":"p"}"#.to_owned())]
    );
    // The frame grew to its content: no inner scroll bar on a phone.
    let height = browser
        .eval(
            "return document.querySelector('[data-chorus=petition]').shadowRoot \
             .querySelector('iframe').getBoundingClientRect().height;",
            vec![],
        )
        .await;
    assert!(
        height.as_f64().is_some_and(|h| h > 300.0),
        "frame height {height}"
    );
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].partner.as_deref(), Some("Harbour"));
    assert_no_page_errors(&browser).await;
}

/// Spoils the proof of work of the page's first signature, as if its
/// challenge had expired on the way, and counts the challenges asked for.
const SPOILED_FIRST_PROOF: &str = r#"<script>const realFetch = window.fetch.bind(window);
window.challenges = 0;
let spoiled = false;
// The widget fetches with a Request object (gloo-net's way).
window.fetch = async (input, init) => {
  const request = new Request(input, init);
  if (request.url.endsWith("/challenge")) window.challenges += 1;
  if (request.method === "POST" && !spoiled) {
    spoiled = true;
    const form = JSON.parse(await request.text());
    form.proof.number += 1;
    return realFetch(new Request(request.url, {
      method: "POST", credentials: request.credentials,
      headers: request.headers, body: JSON.stringify(form),
    }));
  }
  return realFetch(request);
};</script>"#;

#[tokio::test]
async fn a_refused_proof_of_work_is_solved_again_and_the_signature_arrives() {
    let app = TestApp::spawn_as_deployed(None).await;
    let petition = app.create_petition("p", None).await;
    let body = format!(
        r#"{SPOILED_FIRST_PROOF}<div data-chorus="petition" data-campaign="p" data-mode="inline"></div>"#
    );
    let site = PartnerSite::serve(partner_page(&app.origin, &body)).await;
    app.add_partner(&petition, "Harbour", &site.origin, false)
        .await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    let form = browser.widget("[data-chorus=petition]", "form.sign").await;
    sign(&form, "again@example.org").await;
    browser.widget("[data-chorus=petition]", ".thanks h3").await;

    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, "counted");
    let challenges = browser.eval("return window.challenges;", vec![]).await;
    assert_eq!(challenges, Value::from(2), "one spoiled, one sent");
    // Each solve is measured where DevTools (and the benchmark) see it.
    let measures = browser
        .eval(
            "return performance.getEntriesByType('measure').map(m => m.name);",
            vec![],
        )
        .await;
    let work = chorus::guard::proof::NORMAL_WORK;
    assert_eq!(
        measures,
        serde_json::json!([
            format!("chorus:proof:{work}"),
            format!("chorus:proof:{work}")
        ])
    );
    assert_no_page_errors(&browser).await;
}

#[tokio::test]
async fn a_signature_sent_while_signing_is_paused_waits_and_a_closed_petition_says_so() {
    let app = TestApp::spawn_as_deployed(None).await;
    let petition = app.create_petition("p", None).await;
    let closed = app.create_petition("q", None).await;
    let mut sites = Vec::new();
    for (record, slug, name) in [(&petition, "p", "Harbour"), (&closed, "q", "Quay")] {
        let body = format!(
            r#"<div data-chorus="petition" data-campaign="{slug}" data-mode="inline"></div>"#
        );
        let site = PartnerSite::serve(partner_page(&app.origin, &body)).await;
        app.add_partner(record, name, &site.origin, false).await;
        sites.push(site);
    }
    app.store
        .set_paused(petition.id, true)
        .await
        .expect("paused");
    app.store
        .set_petition_closed(closed.id, Some(chorus::storage::now_millis()))
        .await
        .expect("closed");
    let browser = Browser::launch().await;

    browser.goto(&sites[0].origin).await;
    let form = browser.widget("[data-chorus=petition]", "form.sign").await;
    sign(&form, "patient@example.org").await;
    wait_for_status(&browser, &form, "Signing is paused").await;
    assert!(app.signed_rows(&petition).await.is_empty());
    // Signing reopens: the widget, still waiting, sends the signature once
    // Chorus's few-second copy of the petition has expired.
    app.store
        .set_paused(petition.id, false)
        .await
        .expect("reopened");
    let started = std::time::Instant::now();
    while shadow_texts(&browser, ".thanks h3").await.first()
        != Some(&Some("Thank you for signing!".into()))
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(40),
            "never sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(app.details(&rows[0]).email, "patient@example.org");

    browser.goto(&sites[1].origin).await;
    let form = browser.widget("[data-chorus=petition]", "form.sign").await;
    sign(&form, "late@example.org").await;
    wait_for_status(&browser, &form, "This petition has closed").await;
    let pending = browser
        .eval("return localStorage.getItem('chorus:pending:q');", vec![])
        .await;
    assert_eq!(pending, Value::Null, "nothing left to send");
    assert!(app.signed_rows(&closed).await.is_empty());
    assert_no_page_errors(&browser).await;
}

/// Makes the page's network fail for POSTs while `sessionStorage.offline`
/// is "yes", as a phone in a tunnel would; it survives reloads.
const FLAKY_NETWORK: &str = r#"<script>const realFetch = window.fetch.bind(window);
window.fetch = (input, init) => {
  const request = new Request(input, init);
  return sessionStorage.getItem("offline") === "yes" && request.method === "POST"
    ? Promise.reject(new TypeError("Failed to fetch"))
    : realFetch(request);
};</script>"#;

/// Everything the page's origin keeps: local and session storage, every
/// IndexedDB store (keys described, not their bytes, which no one can
/// read), cookies.
const EVERYTHING_STORED: &str = r#"
const out = { local: {}, session: {}, idb: [], cookie: document.cookie };
for (const [store, into] of [[localStorage, out.local], [sessionStorage, out.session]]) {
  for (let i = 0; i < store.length; i++) into[store.key(i)] = store.getItem(store.key(i));
}
const opened = (name) => new Promise((ok, fail) => {
  const request = indexedDB.open(name);
  request.onsuccess = () => ok(request.result);
  request.onerror = () => fail(request.error);
});
for (const info of await indexedDB.databases()) {
  const db = await opened(info.name);
  for (const name of db.objectStoreNames) {
    const values = await new Promise((ok) => {
      const request = db.transaction(name).objectStore(name).getAll();
      request.onsuccess = () => ok(request.result);
    });
    for (const value of values) {
      out.idb.push(value instanceof CryptoKey
        ? { key: value.algorithm.name, extractable: value.extractable }
        : value);
    }
  }
  db.close();
}
return JSON.stringify(out);
"#;

/// The signature waits on the device, but nothing there reveals `secrets`:
/// not as typed, nor lower-cased, URL-encoded, hex or base64.
async fn assert_device_keeps_it_sealed(browser: &Browser, secrets: &[&str]) {
    use base64::Engine;
    let script = format!("return (async () => {{ {EVERYTHING_STORED} }})();");
    let stored = browser.eval(&script, vec![]).await;
    let stored = stored.as_str().expect("a JSON string").to_owned();
    let parsed: Value = serde_json::from_str(&stored).expect("JSON");
    assert!(
        parsed["local"]["chorus:pending:p"].is_string(),
        "the signature is kept: {stored}"
    );
    assert!(
        parsed["idb"]
            .as_array()
            .is_some_and(|keys| keys.iter().any(|k| k["extractable"] == false)),
        "under a key no one can read out: {stored}"
    );
    let stored_lower = stored.to_lowercase();
    for secret in secrets {
        let bytes = secret.as_bytes();
        let mut forms = vec![
            secret.to_lowercase(),
            url::form_urlencoded::byte_serialize(bytes)
                .collect::<String>()
                .to_lowercase(),
            hex::encode(bytes),
        ];
        // Base64 of the secret at each of the three alignments it could have.
        for skip in 0..3.min(bytes.len()) {
            let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes[skip..]);
            forms.push(encoded[..encoded.len().saturating_sub(2)].to_lowercase());
        }
        for form in forms.iter().filter(|f| f.len() >= 4) {
            assert!(
                !stored_lower.contains(form.as_str()),
                "{secret} stored as {form}: {stored}"
            );
        }
    }
}

#[tokio::test]
async fn a_signature_made_offline_survives_a_reload_and_is_stored_once() {
    let app = TestApp::spawn_as_deployed(None).await;
    let petition = app.create_petition("p", None).await;
    let body = format!(
        r#"{FLAKY_NETWORK}<div data-chorus="petition" data-campaign="p" data-mode="inline"></div>"#
    );
    let site = PartnerSite::serve(partner_page(&app.origin, &body)).await;
    app.add_partner(&petition, "Harbour", &site.origin, false)
        .await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    browser
        .eval("sessionStorage.setItem('offline', 'yes');", vec![])
        .await;

    let form = browser.widget("[data-chorus=petition]", "form.sign").await;
    sign(&form, "tunnel@example.org").await;
    let saved = "Your signature is saved on this device";
    wait_for_status(&browser, &form, saved).await;
    assert!(app.signed_rows(&petition).await.is_empty());
    assert_device_keeps_it_sealed(&browser, &["tunnel@example.org", "Zoë", "O'Connor-Ndiaye"])
        .await;

    // The supporter reloads while still offline: the signature is still
    // waiting, not lost.
    browser.goto(&site.origin).await;
    let form = browser.widget("[data-chorus=petition]", "form.sign").await;
    wait_for_status(&browser, &form, saved).await;

    browser
        .eval("sessionStorage.setItem('offline', 'no');", vec![])
        .await;
    browser.widget("[data-chorus=petition]", ".thanks h3").await;
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(app.details(&rows[0]).email, "tunnel@example.org");
    let pending = browser
        .eval("return localStorage.getItem('chorus:pending:p');", vec![])
        .await;
    assert_eq!(pending, Value::Null, "the device keeps nothing once sent");
    assert_no_page_errors(&browser).await;
}

#[tokio::test]
async fn a_petition_counting_confirmed_signatures_asks_for_the_email_and_counts_after_the_button() {
    let smtp = crate::smtp::SmtpServer::start();
    let app = TestApp::spawn_as_deployed(Some(smtp.url())).await;
    let petition = app.create_petition("p", None).await;
    app.store
        .set_confirm_by_email(petition.id, true)
        .await
        .expect("set");
    let body = r#"<div data-chorus="petition" data-campaign="p" data-mode="inline"></div>
        <div data-chorus="counter" data-campaign="p"></div>"#;
    let site = PartnerSite::serve(partner_page(&app.origin, body)).await;
    app.add_partner(&petition, "Harbour", &site.origin, false)
        .await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    let form = browser.widget("[data-chorus=petition]", "form.sign").await;
    sign(&form, "zoe@example.org").await;
    let said = browser
        .wait_for(
            || async { shadow_texts(&browser, ".thanks p").await },
            |t| t.first().is_some_and(Option::is_some),
        )
        .await;
    assert_eq!(
        said[0].as_deref(),
        Some(
            "One more step: we have sent you an email. Your signature counts once you confirm it from there."
        )
    );
    assert_eq!(app.stored_count(&petition).await, 0);

    let mail = smtp.wait_for(1).await.remove(0);
    assert_eq!(mail.subject, "Please confirm your signature");
    browser.goto(&mail.link("/confirm/")).await;
    let heading = browser
        .eval("return document.querySelector('h1').textContent;", vec![])
        .await;
    assert_eq!(heading, Value::from("Confirm your signature"));
    assert_eq!(
        app.stored_count(&petition).await,
        0,
        "opening the link is not confirming"
    );
    browser
        .eval("document.querySelector('form button').click();", vec![])
        .await;
    let done = browser
        .wait_for(
            || async {
                browser
                    .eval("return document.querySelector('h1')?.textContent;", vec![])
                    .await
            },
            |h| h.as_str().is_some_and(|h| h.contains("counts now")),
        )
        .await;
    assert_eq!(done, Value::from("Thank you: your signature counts now."));
    assert_eq!(app.stored_count(&petition).await, 1);

    // Back on the partner's page, the counter shows it.
    browser.goto(&site.origin).await;
    let count = browser
        .wait_for(
            || async { shadow_texts(&browser, ".number").await },
            |t| t.get(1).is_some_and(|n| n.as_deref() == Some("1")),
        )
        .await;
    assert_eq!(count[1].as_deref(), Some("1"));
}
