//! `chorus petition hand-in`: the document a delegation hands in, run as
//! the real binary, its PDF read back with a real PDF reader (poppler's
//! `pdftotext`).

use std::process::Command;

use chorus::storage::Verdict;
use serde_json::json;

use crate::cli::{chorus, text};
use crate::helpers::{TestApp, form};
use crate::smtp::SmtpServer;

const PARTNER: &str = "https://harbour.example";

fn pdftotext(path: &std::path::Path) -> String {
    let reader =
        std::env::var("CHORUS_TEST_PDFTOTEXT").unwrap_or_else(|_| "/usr/bin/pdftotext".into());
    let output = Command::new(&reader)
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{reader} runs (apt install poppler-utils): {e}"));
    assert!(output.status.success(), "{}", text(&output.stderr));
    // The reader breaks lines where the page does; the words are what count.
    text(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn the_hand_in_carries_the_totals_and_the_named_organisations_only() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = crate::endorsements::coalition_petition(&app).await;
    crate::endorsements::approved(
        &app,
        &petition,
        "Red de Apoyo Migrante",
        "https://apoyo.org.mx",
        "MX",
        false,
    )
    .await;
    crate::endorsements::approved(
        &app,
        &petition,
        "<b>Bold</b> & Co",
        "https://bold-co.fr",
        "FR",
        false,
    )
    .await;
    crate::endorsements::approved(
        &app,
        &petition,
        "Colectivo en Riesgo",
        "https://riesgo.org",
        "MX",
        true,
    )
    .await;
    crate::endorsements::waiting(&app, &petition, "Pendiente", "https://pendiente.org").await;
    let rejected = crate::endorsements::stored(
        &app,
        &petition,
        "Rechazada",
        "https://rechazada.org",
        "MX",
        false,
    )
    .await;
    app.store
        .decide_endorsement(
            petition.id,
            rejected,
            Verdict::Reject,
            "test",
            "organiser",
            0,
        )
        .await
        .expect("decided");

    for i in 0..10 {
        let mut signer = form(
            &format!("fr{i}@example.org"),
            &format!("k-hand-in-fr-{i:04}"),
        );
        signer["country"] = json!("FR");
        app.sign_accepted("p", Some(PARTNER), &signer).await;
    }
    for i in 0..2 {
        let mut signer = form(
            &format!("mx{i}@example.org"),
            &format!("k-hand-in-mx-{i:04}"),
        );
        signer["country"] = json!("MX");
        app.sign_accepted("p", Some(PARTNER), &signer).await;
    }
    let mut listed = form("zoe@example.org", "k-hand-in-listed-1");
    listed["first_name"] = json!("Zoë");
    listed["last_name"] = json!("Quill");
    listed["country"] = json!("FR");
    listed["listed"] = json!(true);
    app.sign_accepted("p", Some(PARTNER), &listed).await;
    // The organisations' confirmations went out too: the signer's is the sixth.
    let confirm = smtp
        .wait_for(6)
        .await
        .iter()
        .find(|m| m.to.contains("zoe@example.org"))
        .expect("the listed signer is mailed")
        .link("/confirm/");
    let token = crate::wall::token_of(&confirm);
    // Confirmed in a batch that has closed.
    let now = chorus::storage::now_millis();
    app.store
        .confirm_signer(&token, now, now - 1)
        .await
        .expect("confirmed");

    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("UTF-8 path");
    let made = chorus(&app, &["petition", "hand-in", "p", "--out", out], None);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(
        text(&made.stdout).contains("13 individuals, 3 organisations"),
        "{}",
        text(&made.stdout)
    );

    let pdf = pdftotext(&dir.path().join("p-hand-in.pdf"));
    for shown in [
        "p title",
        "Summary in English.",
        "13 individuals",
        "3 organisations",
        "France",
        "Individuals: 11",
        "Zoë Q.",
        "Mexico",
        "Individuals: fewer than 10",
        "Red de Apoyo Migrante (Network)",
        "<b>Bold</b> & Co (Network)",
        "and 1 organisation that cannot be named",
    ] {
        assert!(pdf.contains(shown), "{shown:?} missing from the PDF: {pdf}");
    }
    for hidden in [
        "Colectivo en Riesgo",
        "Pendiente",
        "Rechazada",
        "Quill",
        "Aïcha",
        "Ndiaye",
        "@",
    ] {
        assert!(!pdf.contains(hidden), "{hidden:?} in the PDF: {pdf}");
    }

    let html = std::fs::read_to_string(dir.path().join("p-hand-in.html")).expect("the HTML");
    assert!(html.contains("<h1>p title</h1>"), "{html}");
    assert!(
        html.contains("&lt;b&gt;Bold&lt;/b&gt; &amp; Co"),
        "escaped: {html}"
    );
    assert!(html.contains("Zoë Q."));
    for hidden in [
        "Colectivo en Riesgo",
        "Pendiente",
        "Quill",
        "example.org",
        "<script",
        "http",
    ] {
        assert!(!html.contains(hidden), "{hidden:?} in the HTML");
    }
}
