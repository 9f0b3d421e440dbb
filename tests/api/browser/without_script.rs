//! The framed petition with JavaScript switched off: a plain HTML form that
//! signs, whose signature waits for its address to confirm.

use fantoccini::Locator;

use super::driver::{Browser, PartnerSite, click, labelled, text_of, type_into};
use crate::helpers::TestApp;
use crate::smtp::SmtpServer;

#[tokio::test]
async fn the_framed_petition_signs_with_script_off_and_counts_once_the_address_confirms() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    // The petition itself counts signatures at once: without script there
    // is no proof of work, so this one must confirm all the same.
    let petition = app.create_petition("p", None).await;
    // What a partner may put in its page for supporters without script.
    let site = PartnerSite::serve(format!(
        r#"<!doctype html><html lang="fr"><head><meta charset="utf-8"></head><body>
<script type="module" src="{chorus}/embed.js" async></script>
<noscript><iframe src="{chorus}/frame/petition/p?lang=fr" title="Pétition"
  style="width:100%;height:60em;border:0"></iframe></noscript></body></html>"#,
        chorus = app.origin
    ))
    .await;
    app.add_partner(&petition, "Harbour", &site.origin, false)
        .await;
    let browser = Browser::launch_without_script().await;
    browser.goto(&site.origin).await;
    browser.enter_page_frame("iframe").await;

    // A mistake first: the same page comes back, in French, input kept.
    let form = browser.shadow("[data-chorus=petition]", "form.sign").await;
    type_into(&form, "Prénom", "Zoë").await;
    type_into(&form, "Adresse e-mail", "pas-une-adresse").await;
    click(&form, "#country option[value=\"SN\"]").await;
    labelled(&form, "J'accepte")
        .await
        .click()
        .await
        .expect("ticked");
    click(&form, "button.submit").await;
    let form = browser
        .shadow("[data-chorus=petition]", "#email-error:not(:empty)")
        .await;
    assert_eq!(
        text_of(&form, "#email-error").await.as_deref(),
        Some("Veuillez saisir une adresse e-mail valide, comme nom@exemple.org.")
    );
    let kept = |id: &'static str| {
        let form = form.clone();
        async move {
            form.find(Locator::Css(&format!("#{id}")))
                .await
                .expect("the field")
                .prop("value")
                .await
                .expect("its value")
        }
    };
    assert_eq!(kept("first-name").await.as_deref(), Some("Zoë"));
    assert_eq!(kept("country").await.as_deref(), Some("SN"));
    assert!(app.signed_rows(&petition).await.is_empty());

    // Corrected and sent: a thank-you page, and a signature waiting.
    let email = labelled(&form, "Adresse e-mail").await;
    email.clear().await.expect("cleared");
    email.send_keys("zoe@example.org").await.expect("typed");
    click(&form, "button.submit").await;
    let thanks = browser.shadow("[data-chorus=petition]", ".thanks h3").await;
    assert_eq!(
        text_of(&thanks, ".thanks h3").await.as_deref(),
        Some("Merci d'avoir signé !")
    );
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, "unconfirmed");
    assert_eq!(app.stored_count(&petition).await, 0);

    // The address confirms, still without script: then it counts.
    let mails = smtp.wait_for(1).await;
    assert!(mails[0].to.contains("zoe@example.org"), "{:?}", mails[0]);
    browser.leave_frame().await;
    browser.goto(&mails[0].link("/confirm/")).await;
    browser.find_and_click("button[type=submit]").await;
    browser
        .wait_for(
            || async { app.stored_count(&petition).await },
            |count| *count == 1,
        )
        .await;
    assert_eq!(app.signed_rows(&petition).await[0].status, "counted");
}
