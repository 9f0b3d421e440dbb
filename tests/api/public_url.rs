//! Every absolute link Chorus writes starts with its configured public URL,
//! whatever `Host` or `X-Forwarded-Host` a request names: anyone can send
//! those, and a link in a coalition's own email must never lead elsewhere.

use std::process::Command;

use crate::helpers::{Options, SECRET_KEY, TestApp, form};
use crate::smtp::SmtpServer;

const PUBLIC_URL: &str = "https://chorus.coalition.example";
const PARTNER: &str = "https://harbour.example";
const FORGED_HOST: &str = "evil.example";

async fn app_behind_public_url(smtp_url: Option<String>) -> TestApp {
    TestApp::spawn_with(Options {
        smtp_url,
        public_url: Some(PUBLIC_URL.into()),
        ..Options::default()
    })
    .await
}

/// Every `http://` or `https://` address in `text`.
fn links(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("http") {
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '\'' | ')'))
            .unwrap_or(candidate.len());
        let link = &candidate[..end];
        if link.starts_with("http://") || link.starts_with("https://") {
            found.push(link);
        }
        rest = &candidate[end.max(4)..];
    }
    found
}

async fn sign_with_forged_host(app: &TestApp, email: &str, key: &str) {
    let response = app
        .client
        .post(format!("{}/api/v1/petitions/p/signatures", app.origin))
        .header("origin", PARTNER)
        .header("host", FORGED_HOST)
        .header("x-forwarded-host", FORGED_HOST)
        .json(&form(email, key))
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
}

#[tokio::test]
async fn email_links_start_with_the_public_url_whatever_host_the_signature_named() {
    let smtp = SmtpServer::start();
    let app = app_behind_public_url(Some(smtp.url())).await;
    crate::confirmation::confirming_petition(&app).await;

    // A first signature (the confirmation email), then the same address
    // again (a fresh confirmation, since it has not confirmed).
    sign_with_forged_host(&app, "zoe@example.org", "k-aaaaaaaaaaaaaaaa").await;
    sign_with_forged_host(&app, "zoe@example.org", "k-bbbbbbbbbbbbbbbb").await;
    let mails = smtp.wait_for(2).await;
    for mail in &mails {
        let found = links(&mail.body);
        assert!(!found.is_empty(), "no links in {}", mail.body);
        for link in found {
            assert!(
                link.starts_with(&format!("{PUBLIC_URL}/")),
                "{link} in {}",
                mail.body
            );
        }
        assert!(!mail.body.contains(FORGED_HOST), "{}", mail.body);
    }
}

#[tokio::test]
async fn the_snippet_page_and_feeds_link_to_the_public_url_over_https() {
    let app = app_behind_public_url(None).await;
    app.create_petition("p", None).await;
    crate::updates::feed(&app).await;
    for path in [
        "/",
        "/feeds/defenders-news.atom",
        "/feeds/defenders-news.json",
    ] {
        let page = app
            .client
            .get(format!("{}{path}", app.origin))
            .header("host", FORGED_HOST)
            .header("x-forwarded-host", FORGED_HOST)
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("text");
        assert!(!page.contains(FORGED_HOST), "{path}: {page}");
        assert!(!page.contains("http://chorus"), "{path}: {page}");
        assert!(
            page.contains(&format!("{PUBLIC_URL}/")),
            "{path} links to the public URL: {page}"
        );
    }
    let snippets = app.get("/").await.text().await.expect("text");
    assert!(
        snippets.contains(&format!("src=\"{PUBLIC_URL}/embed.js\"")),
        "{snippets}"
    );
}

#[test]
fn chorus_serve_refuses_to_start_without_a_public_url() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env_remove("CHORUS_PUBLIC_URL")
        .env("CHORUS_SECRET_KEY", SECRET_KEY)
        .env("CHORUS_DATA_DIR", dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .expect("chorus runs");
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("CHORUS_PUBLIC_URL") && said.contains("--public-url"),
        "{said}"
    );
}
