//! Coalition sign-on in headless Chromium: an organisation signs through
//! the petition widget on one partner's page and appears, once approved,
//! on another partner's wall without a reload; an individual who did not
//! ask to be listed is counted and never named; and someone joins the
//! coalition's list from the bottom of a page, confirming by email.

use super::driver::{Browser, PartnerSite, click, labelled, text_of, type_into};
use super::{assert_no_page_errors, partner_page};
use crate::endorsements::{coalition_petition, confirm, review};
use crate::helpers::TestApp;
use crate::smtp::SmtpServer;

#[tokio::test]
async fn an_organisation_signs_is_approved_and_shows_on_another_pages_wall_live() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_as_deployed(Some(smtp.url())).await;
    let petition = coalition_petition(&app).await;
    let signing_site = PartnerSite::serve(partner_page(
        &app.origin,
        r#"<div data-chorus="petition" data-campaign="p" data-mode="inline"></div>"#,
    ))
    .await;
    app.add_partner(&petition, "Lighthouse", &signing_site.origin, false)
        .await;
    let wall_site = PartnerSite::serve(partner_page(
        &app.origin,
        r#"<div data-chorus="signers" data-campaign="p"></div>"#,
    ))
    .await;
    let (browser, watcher) = tokio::join!(Browser::launch(), Browser::launch());
    watcher.goto(&wall_site.origin).await;
    let wall = watcher
        .widget("[data-chorus=signers]", ".organisations")
        .await;
    assert_eq!(
        text_of(&wall, ".notice").await.as_deref(),
        Some("No organisation is listed yet.")
    );

    // An individual signs without ticking "show my name".
    browser.goto(&signing_site.origin).await;
    let form = browser.widget("[data-chorus=petition]", "form.sign").await;
    type_into(&form, "First name", "Zoë").await;
    type_into(&form, "Last name", "Ndiaye").await;
    type_into(&form, "Email", "zoe@example.org").await;
    click(&form, "#country option[value=\"SN\"]").await;
    labelled(&form, "I agree to the")
        .await
        .click()
        .await
        .expect("ticked");
    click(&form, "button.submit").await;
    browser
        .wait_for(
            || async { text_of(&form, ".thanks h3").await },
            |t| t.is_some(),
        )
        .await;

    // Then, on a fresh page, for an organisation.
    browser.goto(&signing_site.origin).await;
    let form = browser.widget("[data-chorus=petition]", "form.sign").await;
    click(&form, "#as-organisation").await;
    let form = browser
        .widget("[data-chorus=petition]", "form.organisation")
        .await;
    type_into(&form, "Organisation name", "Red de Apoyo Migrante").await;
    type_into(&form, "Website", "https://apoyo-migrante.org.mx").await;
    click(&form, "#country option[value=\"MX\"]").await;
    click(&form, "#kind option[value=\"network\"]").await;
    type_into(
        &form,
        "Why your organisation signs",
        "Los derechos no tienen fronteras.",
    )
    .await;
    type_into(&form, "Your name", "Lucía Ramírez").await;
    type_into(&form, "Your email", "lucia@apoyo-migrante.org.mx").await;
    labelled(&form, "I agree to the")
        .await
        .click()
        .await
        .expect("ticked");
    click(&form, "button.submit").await;
    // An organisation is told what happens next.
    browser
        .wait_for(
            || async { text_of(&form, ".thanks p").await },
            |t| {
                t.as_deref()
                    .is_some_and(|t| t.contains("the organisers review"))
            },
        )
        .await;

    // The signer confirms from the email, and an organiser approves.
    let mails = smtp.wait_for(1).await;
    confirm(&app, &mails[0].link("/endorsement/")).await;
    let stored = app
        .store
        .endorsements(petition.id, None)
        .await
        .expect("reads");
    assert!(stored[0].domain_verified, "{stored:?}");
    let (ok, said) = review(&app, &["--approve-organisation", &stored[0].id.to_string()]);
    assert!(ok, "{said}");

    // The other page's wall shows it without a reload; the individual is
    // counted there, and not named.
    watcher
        .wait_for(
            || async { text_of(&wall, ".organisations li .name").await },
            |t| {
                t.as_deref()
                    .is_some_and(|t| t.contains("Red de Apoyo Migrante"))
            },
        )
        .await;
    assert_eq!(
        text_of(&wall, ".organisations .statement").await.as_deref(),
        Some("Los derechos no tienen fronteras.")
    );
    watcher
        .wait_for(
            || async { text_of(&wall, ".totals").await },
            |t| t.as_deref() == Some("1 organisation · 1 signature"),
        )
        .await;
    assert_eq!(
        text_of(&wall, ".people + .notice").await.as_deref(),
        Some("No one is listed yet.")
    );
    assert_no_page_errors(&browser).await;
    assert_no_page_errors(&watcher).await;
}

#[tokio::test]
async fn a_sign_up_at_the_bottom_of_a_partners_page_confirms_by_email() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_as_deployed(Some(smtp.url())).await;
    let petition = app.create_petition("p", None).await;
    let site = PartnerSite::serve(partner_page(
        &app.origin,
        r#"<footer><div data-chorus="signup" data-list="news" data-lang="fr"></div></footer>"#,
    ))
    .await;
    app.add_partner(&petition, "Lighthouse", &site.origin, false)
        .await;
    let made = crate::cli::chorus(
        &app,
        &[
            "signup",
            "create",
            "news",
            "--name",
            "Coalition news",
            "--org",
            crate::helpers::ORGANISATION,
        ],
        None,
    );
    assert!(made.status.success(), "{}", crate::cli::text(&made.stderr));

    let browser = Browser::launch().await;
    browser.goto(&site.origin).await;
    let form = browser.widget("[data-chorus=signup]", "form.join").await;
    // Sent empty, each field says what it needs and nothing goes out.
    click(&form, "button.submit").await;
    browser
        .wait_for(
            || async { text_of(&form, "#consent-error").await },
            |t| {
                t.as_deref()
                    == Some("Veuillez accepter de recevoir les e-mails pour vous inscrire.")
            },
        )
        .await;
    type_into(&form, "Prénom", "Amara").await;
    type_into(&form, "E-mail", "amara@example.org").await;
    click(&form, "#country option[value=\"SN\"]").await;
    let consent = labelled(&form, "J'accepte de recevoir").await;
    consent.click().await.expect("ticked");
    click(&form, "button.submit").await;
    browser
        .wait_for(
            || async { text_of(&form, ".thanks h3").await },
            |t| t.as_deref() == Some("Presque fini\u{202f}!"),
        )
        .await;

    let mail = &smtp.wait_for(1).await[0];
    assert_eq!(mail.to, "amara@example.org");
    assert!(mail.subject.contains("Coalition news"), "{}", mail.subject);
    confirm(&app, &mail.link("/signup/")).await;
    let list: serde_json::Value = app
        .get("/api/v1/signups/news")
        .await
        .json()
        .await
        .expect("the list");
    assert_eq!(list["count"], 1);
    let news = chorus::ident::Slug::parse("news").expect("slug");
    let news = app
        .store
        .signup_list_by_slug(&news)
        .await
        .expect("read")
        .expect("made");
    let people = app.store.signups(news.id).await.expect("read");
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].lang, "fr");
    assert_eq!(
        people[0].consent,
        chorus_wire::signup::consent("fr", "Coalition news"),
        "the sentence shown is the one stored"
    );
    assert_no_page_errors(&browser).await;
}
