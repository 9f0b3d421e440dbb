//! Confirmed signatures: a real SMTP server on loopback receives the emails,
//! and the tests follow their links as a signer would.

use serde_json::json;

use crate::helpers::{TestApp, body, form};
use crate::smtp::{Mail, SmtpServer};

const PARTNER: &str = "https://harbour.example";

/// A petition `p` that counts confirmed signatures only.
pub(crate) async fn confirming_petition(app: &TestApp) -> chorus::storage::PetitionRecord {
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    app.store
        .set_confirm_by_email(petition.id, true)
        .await
        .expect("set");
    petition
}

/// Follows a mailed link: the page, then its button.
async fn follow(app: &TestApp, link: &str) -> (u16, String) {
    let page = app.client.get(link).send().await.expect("page");
    assert_eq!(page.status(), 200, "{link}");
    let html = page.text().await.expect("page text");
    assert!(html.contains("<form method=\"post\">"), "{html}");
    let done = app.client.post(link).send().await.expect("posted");
    (
        done.status().as_u16(),
        done.text().await.expect("page text"),
    )
}

#[tokio::test]
async fn a_signature_counts_once_its_address_confirms_in_the_signers_language() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = confirming_petition(&app).await;

    let (status, receipt) = body(
        app.sign(
            "p",
            Some(PARTNER),
            &form("zoe@example.org", "k-aaaaaaaaaaaaaaaa"),
        )
        .await,
    )
    .await;
    assert_eq!((status, &receipt), (200, &json!({"status": "received"})));
    assert_eq!(
        app.stored_count(&petition).await,
        0,
        "not counted before confirming"
    );
    assert_eq!(app.signed_rows(&petition).await[0].status, "unconfirmed");

    let mails = smtp.wait_for(1).await;
    let mail = &mails[0];
    assert!(mail.to.contains("zoe@example.org"), "{mail:?}");
    assert_eq!(mail.subject, "Merci de confirmer votre signature");
    assert!(mail.body.contains("Bonjour Aïcha"), "{}", mail.body);
    assert!(
        mail.body.contains("« p titre »"),
        "the title in French: {}",
        mail.body
    );
    let confirm = mail.link("/confirm/");
    assert!(confirm.starts_with(&app.origin), "{confirm}");

    // Opening the link (as a mail scanner would) changes nothing.
    let page = app.client.get(&confirm).send().await.expect("page");
    assert!(
        page.text()
            .await
            .expect("text")
            .contains("Confirmer ma signature")
    );
    assert_eq!(app.stored_count(&petition).await, 0);

    let (status, page) = follow(&app, &confirm).await;
    assert_eq!(status, 200);
    assert!(page.contains("votre signature compte"), "{page}");
    assert_eq!(app.stored_count(&petition).await, 1);
    assert_eq!(app.signed_rows(&petition).await[0].status, "counted");
    let (_, again) = follow(&app, &confirm).await;
    assert!(again.contains("votre signature compte"));
    assert_eq!(app.stored_count(&petition).await, 1, "counted once");

    let forged = format!("{}/confirm/{}", app.origin, "A".repeat(43));
    assert_eq!(
        app.client
            .post(&forged)
            .send()
            .await
            .expect("posted")
            .status(),
        404
    );
}

#[tokio::test]
async fn it_wasnt_me_removes_the_signature_and_corrects_the_count() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = confirming_petition(&app).await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &form("zoe@example.org", "k-aaaaaaaaaaaaaaaa"),
    )
    .await;
    let mail = smtp.wait_for(1).await.remove(0);
    follow(&app, &mail.link("/confirm/")).await;
    assert_eq!(app.stored_count(&petition).await, 1);

    let (status, page) = follow(&app, &mail.link("/withdraw/")).await;
    assert_eq!(status, 200);
    assert!(page.contains("retirée"), "{page}");
    assert_eq!(
        app.stored_count(&petition).await,
        0,
        "the count is corrected"
    );
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows[0].sealed, None, "the details are gone");
    assert_eq!(rows[0].status, "withdrawn");
    // Every link of that signer is now dead.
    let (status, _) = (
        app.client
            .post(mail.link("/confirm/"))
            .send()
            .await
            .expect("posted")
            .status(),
        (),
    );
    assert_eq!(status, 404);
    assert_eq!(app.stored_count(&petition).await, 0);
}

#[tokio::test]
async fn signing_again_mails_the_address_instead_of_counting_twice_and_answers_the_same() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = confirming_petition(&app).await;
    let first = app
        .sign(
            "p",
            Some(PARTNER),
            &form("ana.lopez@gmail.com", "k-1111111111111111"),
        )
        .await;
    let first_answer = (first.status(), first.bytes().await.expect("body"));
    let mail = smtp.wait_for(1).await.remove(0);
    follow(&app, &mail.link("/confirm/")).await;

    // The same mailbox, spelled another way, from another submission.
    let again = app
        .sign(
            "p",
            Some(PARTNER),
            &form("AnaLopez+x@googlemail.com", "k-2222222222222222"),
        )
        .await;
    assert_eq!(
        (again.status(), again.bytes().await.expect("body")),
        first_answer
    );
    let mails = smtp.wait_for(2).await;
    let notice: &Mail = &mails[1];
    assert_eq!(notice.subject, "Vous avez déjà signé");
    assert!(notice.body.contains("/withdraw/"), "{}", notice.body);
    assert!(!notice.body.contains("/confirm/"), "{}", notice.body);
    assert_eq!(app.stored_count(&petition).await, 1);

    // Within the hour, more repeats mail no one.
    let third = app
        .sign(
            "p",
            Some(PARTNER),
            &form("ana.lopez@gmail.com", "k-3333333333333333"),
        )
        .await;
    assert_eq!(third.status(), 200);
    // The repeat is handled after the answer; once that work is done and
    // nothing waits in the outbox, no notice can still come.
    app.later.settled().await;
    assert_eq!(app.store.mail_waiting().await.expect("outbox"), 0);
    assert_eq!(smtp.delivered().len(), 2, "one notice an hour at most");
}

#[tokio::test]
async fn a_mail_server_outage_delays_email_and_loses_none_and_the_outbox_names_no_one() {
    let mut smtp = SmtpServer::reserve();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = confirming_petition(&app).await;
    let mut submission = form("Distinctive.Mailbox@example.org", "k-aaaaaaaaaaaaaaaa");
    submission["first_name"] = json!("Quillonette");
    let (status, _) = body(app.sign("p", Some(PARTNER), &submission).await).await;
    assert_eq!(status, 200, "the signature is taken while mail is down");

    // Several attempts fail while nothing listens.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while app.store.mail_failures().await.expect("outbox") < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the outbox never tried"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.store.mail_waiting().await.expect("outbox"), 1);
    let stored = crate::personal::everything_stored(&app).await;
    for secret in [
        "Quillonette",
        "Distinctive",
        "distinctive",
        "mailbox@example.org",
    ] {
        assert!(!stored.contains(secret), "{secret} is stored readably");
    }

    smtp.listen();
    let mail = smtp.wait_for(1).await.remove(0);
    assert!(
        mail.to.contains("Distinctive.Mailbox@example.org"),
        "{mail:?}"
    );
    follow(&app, &mail.link("/confirm/")).await;
    assert_eq!(app.stored_count(&petition).await, 1);
    // Sent, then forgotten.
    assert_eq!(app.store.mail_waiting().await.expect("outbox"), 0);
}

#[tokio::test]
async fn erasing_a_person_deletes_their_waiting_email() {
    let app = TestApp::spawn_with_mail(None).await;
    confirming_petition(&app).await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &form("rosa@example.org", "k-aaaaaaaaaaaaaaaa"),
    )
    .await;
    assert_eq!(app.store.mail_waiting().await.expect("outbox"), 1);
    let keys = chorus::personal::ServerKeys::new(
        &crate::helpers::SECRET_KEY.parse().expect("valid secret"),
    );
    let erasure = chorus::personal::erase::erase(&*app.store, &keys, "Rosa@example.org")
        .await
        .expect("erased");
    assert_eq!(erasure.mail, 1);
    assert!(
        erasure
            .to_string()
            .contains("outbox: 1 waiting email(s) deleted")
    );
    assert_eq!(app.store.mail_waiting().await.expect("outbox"), 0);
}

#[tokio::test]
async fn signers_who_never_confirm_are_deleted_with_their_email() {
    let app = TestApp::spawn_with_mail(None).await;
    let petition = confirming_petition(&app).await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &form("rosa@example.org", "k-aaaaaaaaaaaaaaaa"),
    )
    .await;
    let kept = chorus::personal::retention::forget_unconfirmed(&*app.store)
        .await
        .expect("runs");
    assert_eq!(kept, 0, "within the 14 days, the signer waits");
    assert_eq!(app.signed_rows(&petition).await.len(), 1);

    let later = chorus::storage::now_millis() + 1;
    let gone = app.store.forget_unconfirmed(later).await.expect("runs");
    assert_eq!(gone, 1);
    assert!(app.signed_rows(&petition).await.is_empty());
    assert_eq!(app.store.mail_waiting().await.expect("outbox"), 0);
    assert_eq!(app.stored_count(&petition).await, 0);
}
