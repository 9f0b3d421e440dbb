//! The server's rendering of the widgets, before any WebAssembly: read in
//! full with the WebAssembly blocked, and taken over by the widget without
//! losing what the supporter did or shifting the page.

use serde_json::{Value, json};

use super::driver::{Browser, GatedChorus, PartnerSite, click, labelled, type_into};
use super::{assert_no_page_errors, partner_page, partner_page_with};
use crate::helpers::TestApp;
use chorus::ident::Lang;
use chorus::storage::{PetitionRecord, PetitionText};

/// Gives the petition's English text a body, which the widget shows
/// folded under "Read the full text".
async fn with_full_text(app: &TestApp, petition: &PetitionRecord) {
    let text = PetitionText {
        lang: Lang::parse("en").expect("valid"),
        title: "p title".into(),
        summary: "Summary in English.".into(),
        body: "The first paragraph.\n\nThe second paragraph.".into(),
        share_message: "Sign with me".into(),
        hashtags: Vec::new(),
    };
    app.store
        .put_petition_text(petition.id, &text)
        .await
        .expect("text stored");
}

/// A counter and an inline petition in each language.
const SIX_WIDGETS: &str = r#"
<div data-chorus="counter" data-campaign="p" data-lang="en"></div>
<div data-chorus="counter" data-campaign="p" data-lang="fr"></div>
<div data-chorus="counter" data-campaign="p" data-lang="es"></div>
<div data-chorus="petition" data-campaign="p" data-mode="inline" data-lang="en"></div>
<div data-chorus="petition" data-campaign="p" data-mode="inline" data-lang="fr"></div>
<div data-chorus="petition" data-campaign="p" data-mode="inline" data-lang="es"></div>"#;

/// A donate button and an updates feed in each language.
const GIVING_AND_NEWS: &str = r#"
<div data-chorus="donate" data-campaign="migrants-day" data-lang="en"></div>
<div data-chorus="donate" data-campaign="migrants-day" data-lang="fr"></div>
<div data-chorus="donate" data-campaign="migrants-day" data-lang="es"></div>
<div data-chorus="updates" data-feed="defenders-news" data-lang="en" data-limit="2"></div>
<div data-chorus="updates" data-feed="defenders-news" data-lang="fr"></div>
<div data-chorus="updates" data-feed="defenders-news" data-lang="es" data-layout="compact"></div>"#;

/// A donation campaign with the partner at `site` and a feed with an update
/// in each language, for [`GIVING_AND_NEWS`].
async fn giving_and_news(app: &TestApp, site: &str) {
    crate::donations::campaign_with_partner(
        app,
        "migrants-day",
        chorus::storage::Provider::Link {
            template: "https://pay.example/give?amount={amount}&back={return_url}".into(),
        },
        site,
    )
    .await;
    let feed = crate::updates::feed(app).await;
    for (minutes, title, lang, tags) in [
        (30, "Hearing in Nairobi", "en", "africa"),
        (20, "Examen du Sénégal", "fr", "africa"),
        (10, "Audiencia en Lima", "es", "americas"),
        (5, "Vigil in Geneva", "en", "europe"),
    ] {
        crate::updates::post(app, &feed, title, lang, tags, minutes).await;
    }
}

/// What each donate and updates placeholder shows.
const GIVING_SHOWN: &str = "return [...document.querySelectorAll('[data-chorus]')].map(el => {
  const root = el.shadowRoot;
  const text = (s) => root?.querySelector(s)?.textContent ?? null;
  const all = (s) => [...(root?.querySelectorAll(s) ?? [])].map((e) => e.textContent);
  return { title: text('.title'), raised: text('.raised'), donors: text('.donors'),
           button: text('.donate-button'), href: root?.querySelector('.donate-button')?.href ?? null,
           items: all('.item-title'), topics: all('.topic'), language: text('button.language'),
           summaries: all('.summary').length, ready: el.hasAttribute('data-chorus-ready') };
});";

#[tokio::test]
async fn donate_buttons_and_updates_feeds_read_in_full_in_three_languages_with_their_webassembly_blocked()
 {
    let app = TestApp::spawn().await;
    let site = PartnerSite::serve(partner_page(&app.origin, GIVING_AND_NEWS)).await;
    giving_and_news(&app, &site.origin).await;
    let browser = Browser::launch().await;
    browser.block(&["*.wasm"]).await;
    browser.goto(&format!("{}/?ref=letter", site.origin)).await;

    let shown = browser
        .wait_for(
            || async { browser.eval(GIVING_SHOWN, vec![]).await },
            |shown| {
                shown.as_array().is_some_and(|all| {
                    all[..3].iter().all(|w| w["button"].is_string())
                        && all[3..].iter().all(|w| w["language"].is_string())
                })
            },
        )
        .await;
    let at = |i: usize, key: &str| shown[i][key].clone();
    assert_eq!(at(0, "title"), "Migrants Day");
    assert_eq!(at(1, "title"), "Journée des migrants");
    assert_eq!(at(0, "raised"), "€0 raised of €20,000");
    assert_eq!(
        at(1, "raised"),
        "0\u{a0}€ collectés sur 20\u{202f}000\u{a0}€"
    );
    assert_eq!(at(2, "raised"), "0\u{a0}€ recaudados de 20.000\u{a0}€");
    assert_eq!(at(0, "button"), "Donate");
    assert_eq!(at(1, "button"), "Faire un don");
    assert_eq!(at(2, "button"), "Donar");
    // Before the WebAssembly, the button is a link to Chorus's donate page,
    // coming back to this page without its query.
    let back: String =
        url::form_urlencoded::byte_serialize(format!("{}/", site.origin).as_bytes()).collect();
    assert_eq!(
        at(1, "href"),
        format!("{}/donate/migrants-day?lang=fr&return={back}", app.origin)
    );
    for i in 0..3 {
        assert!(
            at(i, "donors").as_str().is_some_and(|d| !d.is_empty()),
            "{shown:#}"
        );
    }

    // Each feed in its language, its topics as chips; the limit and the
    // compact layout as the partner set them.
    assert_eq!(at(3, "title"), "Defenders news");
    assert_eq!(
        at(3, "items"),
        json!(["Vigil in Geneva", "Hearing in Nairobi"])
    );
    assert_eq!(at(3, "topics"), json!(["All", "africa", "europe"]));
    assert_eq!(at(3, "language"), "Show updates in every language");
    assert_eq!(at(4, "items"), json!(["Examen du Sénégal"]));
    assert_eq!(
        at(4, "language"),
        "Voir les actualités dans toutes les langues"
    );
    assert_eq!(at(5, "items"), json!(["Audiencia en Lima"]));
    assert_eq!(at(5, "language"), "Ver noticias en todos los idiomas");
    assert_eq!(at(5, "summaries"), 0);
    assert_eq!(at(4, "summaries"), 1);
    assert!(
        shown
            .as_array()
            .expect("a list")
            .iter()
            .all(|w| w["ready"] == false),
        "{shown:#}"
    );
}

/// What each placeholder shows: the count, the title, the first field's
/// label, the button, and how many countries the form offers.
const SHOWN: &str = "return [...document.querySelectorAll('[data-chorus]')].map(el => {
  const root = el.shadowRoot;
  const text = (s) => root?.querySelector(s)?.textContent ?? null;
  return { number: text('.number'), title: text('.title'), first: text('label[for=first-name]'),
           sign: text('button.submit'), countries: root?.querySelectorAll('#country option').length ?? 0,
           ready: el.hasAttribute('data-chorus-ready') };
});";

#[tokio::test]
async fn every_widget_reads_in_full_in_three_languages_with_its_webassembly_blocked() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.sign_elsewhere(&petition, 1233).await;
    let site = PartnerSite::serve(partner_page(&app.origin, SIX_WIDGETS)).await;
    let browser = Browser::launch().await;
    browser.block(&["*.wasm"]).await;
    browser.goto(&site.origin).await;

    let shown = browser
        .wait_for(
            || async { browser.eval(SHOWN, vec![]).await },
            |shown| {
                shown.as_array().is_some_and(|all| {
                    all[..3].iter().all(|w| w["number"].is_string())
                        && all[3..].iter().all(|w| w["sign"].is_string())
                })
            },
        )
        .await;
    let number = |i: usize| shown[i]["number"].clone();
    assert_eq!(number(0), "1,233");
    assert_eq!(number(1), "1\u{202f}233");
    assert_eq!(number(2), "1233");
    let petition = |i: usize, key: &str| shown[i + 3][key].clone();
    assert_eq!(petition(0, "title"), "p title");
    assert_eq!(petition(1, "title"), "p titre");
    assert_eq!(petition(0, "first"), "First name");
    assert_eq!(petition(1, "first"), "Prénom");
    assert_eq!(petition(2, "first"), "Nombre");
    assert_eq!(petition(0, "sign"), "Sign the petition");
    assert_eq!(petition(1, "sign"), "Signer la pétition");
    assert_eq!(petition(2, "sign"), "Firmar la petición");
    for i in 0..3 {
        assert!(petition(i, "countries").as_u64() > Some(200), "{shown:#}");
        assert_eq!(petition(i, "number"), number(i), "{shown:#}");
    }
    // No widget ran: all of it is the server's.
    assert!(
        shown
            .as_array()
            .expect("a list")
            .iter()
            .all(|w| w["ready"] == false),
        "{shown:#}"
    );
}

/// Each widget's elements as a tree: tag, attributes and own text; comments
/// and the whitespace between elements left out.
const SHAPES: &str = "const shape = (node) => ({
  tag: node.tagName,
  attributes: [...node.attributes]
    .map((a) => `${a.name}=${a.name === 'style' ? node.style.cssText : a.value}`).sort(),
  text: [...node.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('').trim(),
  children: [...node.children].map(shape),
});
return [...document.querySelectorAll('[data-chorus]')].map((el) => {
  const container = el.shadowRoot?.querySelector('.chorus-root');
  return container ? [...container.children].map(shape) : null;
});";

/// Where two shapes first differ, as a path, with both sides there.
fn first_difference(server: &Value, widget: &Value, at: &str) -> Option<String> {
    match (server, widget) {
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                if let Some(found) = first_difference(x, y, &format!("{at}[{i}]")) {
                    return Some(found);
                }
            }
            (a.len() != b.len()).then(|| format!("{at}: {} children, then {}", a.len(), b.len()))
        }
        (Value::Object(a), Value::Object(b)) => {
            let tag = a.get("tag").and_then(Value::as_str).unwrap_or("?");
            for key in ["tag", "attributes", "text"] {
                if a.get(key) != b.get(key) {
                    return Some(format!(
                        "{at} {tag} {key}: {:?}, then {:?}",
                        a.get(key),
                        b.get(key)
                    ));
                }
            }
            first_difference(&a["children"], &b["children"], &format!("{at} {tag}>"))
        }
        _ => (server != widget).then(|| format!("{at}: {server}, then {widget}")),
    }
}

/// Sums the page's layout shifts, from when the test marks the page on.
const SHIFT_WATCH: &str = "<script>window.shifts = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) shifts.push([e.startTime, e.value]); })
  .observe({ type: 'layout-shift', buffered: true });</script>";

#[tokio::test]
async fn the_widget_takes_over_the_same_structure_the_server_rendered_without_shifting_the_page() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", Some(5_000)).await;
    with_full_text(&app, &petition).await;
    app.sign_elsewhere(&petition, 321).await;
    let gate = GatedChorus::serve(&app.origin).await;
    let site = PartnerSite::serve(partner_page_with(
        &gate.origin,
        SHIFT_WATCH,
        &format!("{SIX_WIDGETS}{GIVING_AND_NEWS}<p>Text below the widgets.</p>"),
    ))
    .await;
    giving_and_news(&app, &site.origin).await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;

    let rendered = browser
        .wait_for(
            || async { browser.eval(SHAPES, vec![]).await },
            |shapes| {
                shapes
                    .as_array()
                    .is_some_and(|all| all.iter().all(Value::is_array))
            },
        )
        .await;
    let since = browser.eval("return performance.now();", vec![]).await;
    gate.open();
    browser.until_ready(12).await;
    // The widget links to Chorus at the address `embed.js` came from, the
    // gate here; the server at its public address.
    let taken_over: Value = serde_json::from_str(
        &browser
            .eval(SHAPES, vec![])
            .await
            .to_string()
            .replace(&gate.origin, &app.origin),
    )
    .expect("JSON");
    for (i, (server, widget)) in rendered
        .as_array()
        .expect("a list")
        .iter()
        .zip(taken_over.as_array().expect("a list"))
        .enumerate()
    {
        if let Some(difference) = first_difference(server, widget, "") {
            panic!("widget {i} differs at {difference}");
        }
    }
    let shifts = browser.eval("return window.shifts;", vec![]).await;
    let shifted: f64 = shifts
        .as_array()
        .expect("a list")
        .iter()
        .filter(|entry| entry[0].as_f64() > since.as_f64())
        .filter_map(|entry| entry[1].as_f64())
        .sum();
    assert!(
        shifted < 0.01,
        "layout shifted by {shifted} on take-over: {shifts}"
    );
    assert_no_page_errors(&browser).await;
}

/// The state of the petition's form, in whichever rendering is showing.
const FORM_STATE: &str = "const root = document.querySelector('[data-chorus=petition]').shadowRoot;
const value = (id) => root.getElementById(id)?.value;
return { first: value('first-name'), last: value('last-name'), email: value('email'),
  country: value('country'), consent: root.getElementById('privacy-consent')?.checked,
  open: root.querySelector('details')?.open, focused: root.activeElement?.id,
  caret: root.activeElement?.selectionStart,
  server: root.querySelector('.chorus-root')?.dataset.server === 'yes',
  ready: root.host.hasAttribute('data-chorus-ready') };";

/// Types a name and address, picks a country and agrees, in whichever
/// rendering is showing.
async fn fill_in(form: &fantoccini::elements::ShadowRoot, first_name: &str, email: &str) {
    type_into(form, "First name", first_name).await;
    type_into(form, "Email", email).await;
    click(form, "#country option[value=\"SN\"]").await;
    labelled(form, "I agree to the")
        .await
        .click()
        .await
        .expect("ticked");
}

/// A page with an inline petition whose WebAssembly waits behind a gate.
async fn gated_petition(app: &TestApp) -> (GatedChorus, PartnerSite, PetitionRecord) {
    let petition = app.create_petition("p", None).await;
    with_full_text(app, &petition).await;
    let gate = GatedChorus::serve(&app.origin).await;
    let site = PartnerSite::serve(partner_page(
        &gate.origin,
        r#"<div data-chorus="petition" data-campaign="p" data-mode="inline"></div>"#,
    ))
    .await;
    app.add_partner(&petition, "Harbour", &site.origin, true)
        .await;
    (gate, site, petition)
}

#[tokio::test]
async fn what_a_supporter_typed_before_the_webassembly_arrived_is_kept_and_signed_once() {
    let app = TestApp::spawn_as_deployed(None).await;
    let (gate, site, petition) = gated_petition(&app).await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;

    let form = browser.shadow("[data-chorus=petition]", "form.sign").await;
    browser
        .eval(
            "document.querySelector('[data-chorus=petition]').shadowRoot \
             .querySelector('.chorus-root').dataset.server = 'yes';",
            vec![],
        )
        .await;
    fill_in(&form, "Zoë", "zoe@example.org").await;
    click(&form, "details summary").await;
    // The caret back in the first name, after its first letter.
    labelled(&form, "First name")
        .await
        .click()
        .await
        .expect("focused");
    browser
        .eval(
            "document.querySelector('[data-chorus=petition]').shadowRoot \
             .getElementById('first-name').setSelectionRange(1, 1);",
            vec![],
        )
        .await;
    let before = browser.eval(FORM_STATE, vec![]).await;
    assert_eq!(before["server"], true, "{before}");
    assert_eq!(before["ready"], false, "{before}");

    gate.open();
    let after = browser
        .wait_for(
            || async { browser.eval(FORM_STATE, vec![]).await },
            |state| state["ready"] == true,
        )
        .await;
    assert_eq!(
        after["server"], false,
        "the widget's own rendering: {after}"
    );
    for kept in [
        "first", "email", "country", "consent", "open", "focused", "caret",
    ] {
        assert_eq!(after[kept], before[kept], "{kept}: {before} then {after}");
    }
    assert_eq!(after["focused"], "first-name");
    assert_eq!(after["caret"], 1);

    // Typing goes on where the caret was (keys to the focused field, as a
    // keyboard sends them), and the widget sends what is shown.
    browser
        .devtools("Input.insertText", json!({ "text": "x" }))
        .await;
    let form = browser.widget("[data-chorus=petition]", "form.sign").await;
    click(&form, "button.submit").await;
    browser.widget("[data-chorus=petition]", ".thanks h3").await;
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(app.details(&rows[0]).first_name, "Zxoë");
    assert_no_page_errors(&browser).await;
}

#[tokio::test]
async fn a_petition_sent_before_its_webassembly_ran_is_sent_once_when_it_runs() {
    let app = TestApp::spawn_as_deployed(None).await;
    let (gate, site, petition) = gated_petition(&app).await;
    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;

    let form = browser.shadow("[data-chorus=petition]", "form.sign").await;
    fill_in(&form, "Amadou", "amadou@example.org").await;
    click(&form, "button.submit").await;
    // The page stayed where it was: nothing was sent without the widget.
    assert!(app.signed_rows(&petition).await.is_empty());
    assert_eq!(browser.eval("return location.pathname;", vec![]).await, "/");

    gate.open();
    browser.widget("[data-chorus=petition]", ".thanks h3").await;
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(app.details(&rows[0]).first_name, "Amadou");
    assert_no_page_errors(&browser).await;
}

#[tokio::test]
async fn a_donor_who_clicks_before_the_webassembly_reaches_the_provider_through_the_donate_page() {
    let app = TestApp::spawn().await;
    let site = PartnerSite::serve(partner_page(
        &app.origin,
        r#"<div data-chorus="donate" data-campaign="migrants-day" data-lang="fr"></div>"#,
    ))
    .await;
    crate::donations::campaign_with_partner(
        &app,
        "migrants-day",
        chorus::storage::Provider::Link {
            // The partner's own page stands in for the provider's.
            template: format!("{}/?paid={{amount}}&every={{frequency}}", site.origin),
        },
        &site.origin,
    )
    .await;
    let browser = Browser::launch().await;
    browser.block(&["*.wasm"]).await;
    browser.goto(&site.origin).await;

    let widget = browser
        .shadow("[data-chorus=donate]", "a.donate-button")
        .await;
    click(&widget, "a.donate-button").await;
    // Chorus's donate page: the same choices, as a plain form.
    let form = browser.shadow("[data-chorus=donate]", "form.gift").await;
    assert_eq!(
        browser.eval("return location.origin;", vec![]).await,
        app.origin.as_str()
    );
    click(&form, "input[value=\"once:other\"]").await;
    type_into(&form, "Autre montant (EUR)", "12,50").await;
    click(&form, "button.pay").await;
    let landed = browser
        .wait_for(
            || async { browser.eval("return location.href;", vec![]).await },
            |url| url.as_str().is_some_and(|u| u.contains("paid=")),
        )
        .await;
    assert_eq!(
        landed.as_str(),
        Some(format!("{}/?paid=12.50&every=once", site.origin).as_str())
    );
}
