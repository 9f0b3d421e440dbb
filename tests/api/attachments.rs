//! Files attached to updates: uploaded through the organisers' API and the
//! CLI, their type read from their bytes, capped, served by every instance
//! with safe headers, and carried by the widgets' JSON, Atom and JSON Feed
//! (read back by a real feed reader, Python's feedparser).

use serde_json::Value;

use crate::cli::{chorus, text};
use crate::helpers::{ADMIN_TOKEN, TestApp, body};
use crate::updates::{feed, post};

/// A small PDF of our own making: what `%PDF-` files start with, one page.
fn flyer(words: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
         2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
         3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n\
         % {words}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

async fn upload(app: &TestApp, item: i64, query: &str, bytes: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(format!(
            "{}/api/v1/admin/items/{item}/attachments?{query}",
            app.origin
        ))
        .bearer_auth(ADMIN_TOKEN)
        // What the uploader says is ignored: the bytes say what it is.
        .header("content-type", "application/pdf")
        .body(bytes)
        .send()
        .await
        .expect("sent");
    body(response).await
}

/// An update with a flyer in English and its Spanish alternate.
pub(crate) async fn with_flyers(app: &TestApp) -> (i64, Value, Value) {
    let feed = feed(app).await;
    let item = post(app, &feed, "Day of action toolkit", "en", "", 1).await;
    let (status, english) = upload(app, item, "title=Flyer%20(English)&lang=en", flyer("en")).await;
    assert_eq!(status, 201, "{english}");
    let (status, spanish) = upload(
        app,
        item,
        &format!(
            "title=Volante%20(espa%C3%B1ol)&lang=es&alternate_of={}",
            english["id"]
        ),
        flyer("es"),
    )
    .await;
    assert_eq!(status, 201, "{spanish}");
    (item, english, spanish)
}

#[tokio::test]
async fn a_flyer_and_its_alternate_are_kept_and_served_by_every_instance() {
    let app = TestApp::spawn().await;
    let (_, english, spanish) = with_flyers(&app).await;
    assert_eq!(spanish["group"], english["id"]);
    assert_eq!(english["media_type"], "application/pdf");
    assert_eq!(english["length"], flyer("en").len());
    let sha256 = english["sha256"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        sha256,
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(flyer("en")))
    );

    let (status, page) = body(app.get("/api/v1/feeds/defenders-news/items").await).await;
    assert_eq!(status, 200);
    let attached = &page["items"][0]["attachments"];
    assert_eq!(attached.as_array().map(Vec::len), Some(2), "{page}");
    assert_eq!(attached[1]["title"], "Volante (español)");
    assert_eq!(attached[1]["lang"], "es");

    let url = english["url"].as_str().unwrap_or_default().to_owned();
    let path = url.strip_prefix(&app.origin).expect("on Chorus's origin");
    assert!(
        path.ends_with(&format!("/files/{sha256}/flyer-english.pdf")),
        "{path}"
    );
    for instance in [&app, &app.second_instance().await] {
        let response = instance.get(path).await;
        assert_eq!(response.status(), 200);
        let header = |name: &str| {
            response.headers()[name]
                .to_str()
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("content-type"), "application/pdf");
        assert_eq!(
            header("content-disposition"),
            "attachment; filename=\"flyer-english.pdf\""
        );
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert!(
            header("content-security-policy").starts_with("sandbox;"),
            "a file opened in a tab runs nothing"
        );
        assert!(header("cache-control").contains("immutable"));
        assert_eq!(header("etag"), format!("\"{sha256}\""));
        assert_eq!(response.bytes().await.expect("bytes").to_vec(), flyer("en"));
    }
    // A name in the address cannot make the header say anything else.
    let evil = format!("/api/v1/files/{sha256}/x%22%3B%20filename%3Devil.html");
    let response = app.get(&evil).await;
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"x-filename-evil.pdf\""
    );
    for missing in [
        format!("/api/v1/files/{}/flyer.pdf", "0".repeat(64)),
        "/api/v1/files/not-a-digest/flyer.pdf".to_owned(),
    ] {
        assert_eq!(app.get(&missing).await.status(), 404, "{missing}");
    }
}

#[tokio::test]
async fn a_file_is_refused_by_what_its_bytes_are_and_by_its_size() {
    let app = TestApp::spawn().await;
    let feed = feed(&app).await;
    let item = post(&app, &feed, "Toolkit", "en", "", 1).await;
    let (status, answer) = upload(
        &app,
        item,
        "title=Page&lang=en",
        b"<html>%PDF-1.4</html>".to_vec(),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("not a PDF, PNG, JPEG or WebP"),
        "{answer}"
    );
    let (status, _) = upload(
        &app,
        item,
        "title=Animation&lang=en",
        b"GIF89a\x01\0\x01\0".to_vec(),
    )
    .await;
    assert_eq!(status, 400);
    let mut huge = flyer("big");
    huge.resize(chorus::updates::attachments::MAX_BYTES + 1, b' ');
    let (status, _) = upload(&app, item, "title=Huge&lang=en", huge).await;
    assert_eq!(status, 413);
    let (status, _) = upload(&app, item, "title=&lang=en", flyer("x")).await;
    assert_eq!(status, 400);
    let (status, _) = upload(&app, item + 1000, "title=Flyer&lang=en", flyer("x")).await;
    assert_eq!(status, 404);
    // An alternate of another item's attachment is not one of this item's.
    let other = post(&app, &feed, "Another", "en", "", 2).await;
    let (_, theirs) = upload(&app, other, "title=Theirs&lang=en", flyer("t")).await;
    let (status, _) = upload(
        &app,
        item,
        &format!("title=Mine&lang=es&alternate_of={}", theirs["id"]),
        flyer("m"),
    )
    .await;
    assert_eq!(status, 404);
    // PNG, read from its bytes whatever the name or the declared type.
    let png = std::fs::read(format!(
        "{}/tests/api/photo.png",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("photo");
    let (status, poster) = upload(&app, item, "title=Poster&lang=en&name=poster.pdf", png).await;
    assert_eq!(status, 201, "{poster}");
    assert_eq!(poster["media_type"], "image/png");
    assert!(
        poster["url"]
            .as_str()
            .unwrap_or_default()
            .ends_with("/poster.png")
    );
    let unauthorised = app
        .client
        .post(format!(
            "{}/api/v1/admin/items/{item}/attachments?title=a&lang=en",
            app.origin
        ))
        .body(flyer("x"))
        .send()
        .await
        .expect("sent");
    assert_eq!(unauthorised.status(), 401);
}

/// What feedparser reads of an Atom feed's enclosures.
fn feedparser_enclosures(atom: &str) -> Value {
    let python = std::env::var("CHORUS_TEST_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let script = "import json, sys, feedparser\n\
        feed = feedparser.parse(sys.stdin.read())\n\
        print(json.dumps([[{'href': l.get('href'), 'type': l.get('type'), 'length': l.get('length'), \
        'hreflang': l.get('hreflang'), 'title': l.get('title')} for l in e.get('links', []) \
        if l.get('rel') == 'enclosure'] for e in feed.entries]))";
    use std::io::Write;
    let mut child = std::process::Command::new(&python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run {python} ({e}); `cargo xtask test` installs feedparser")
        });
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(atom.as_bytes())
        .expect("written");
    let output = child.wait_with_output().expect("feedparser ran");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[tokio::test]
async fn feeds_carry_attachments_as_enclosures_and_json_feed_attachments() {
    let app = TestApp::spawn().await;
    let (_, english, spanish) = with_flyers(&app).await;
    let atom = app
        .get("/feeds/defenders-news.atom")
        .await
        .text()
        .await
        .expect("Atom");
    let read = feedparser_enclosures(&atom);
    let length = flyer("en").len().to_string();
    assert_eq!(
        read[0],
        serde_json::json!([
            {"href": english["url"], "type": "application/pdf", "length": length,
             "hreflang": "en", "title": "Flyer (English)"},
            {"href": spanish["url"], "type": "application/pdf", "length": length,
             "hreflang": "es", "title": "Volante (español)"},
        ])
    );
    let (status, json) = body(app.get("/feeds/defenders-news.json").await).await;
    assert_eq!(status, 200);
    // Alternates share a title, as JSON Feed 1.1 marks them.
    assert_eq!(
        json["items"][0]["attachments"],
        serde_json::json!([
            {"url": english["url"], "mime_type": "application/pdf",
             "title": "Flyer (English)", "size_in_bytes": flyer("en").len()},
            {"url": spanish["url"], "mime_type": "application/pdf",
             "title": "Flyer (English)", "size_in_bytes": flyer("es").len()},
        ])
    );
}

#[tokio::test]
async fn an_organiser_attaches_a_file_with_the_cli() {
    let app = TestApp::spawn().await;
    let feed = feed(&app).await;
    let item = post(&app, &feed, "Toolkit", "en", "", 1).await;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("Tip sheet (FR).pdf");
    std::fs::write(&path, flyer("fr")).expect("written");
    let path = path.to_string_lossy().into_owned();
    let item = item.to_string();
    let attached = chorus(
        &app,
        &[
            "update",
            "attach",
            &item,
            &path,
            "--title",
            "Fiche pratique",
            "--lang",
            "fr",
        ],
        None,
    );
    assert!(attached.status.success(), "{}", text(&attached.stderr));
    let said = text(&attached.stdout);
    assert!(said.contains("tip-sheet-fr.pdf (application/pdf"), "{said}");
    let not_a_file = dir.path().join("notes.pdf");
    std::fs::write(&not_a_file, "just text").expect("written");
    let refused = chorus(
        &app,
        &[
            "update",
            "attach",
            &item,
            &not_a_file.to_string_lossy(),
            "--title",
            "Notes",
            "--lang",
            "en",
        ],
        None,
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("not a PDF"),
        "{}",
        text(&refused.stderr)
    );
    let (_, page) = body(app.get("/api/v1/feeds/defenders-news/items").await).await;
    assert_eq!(
        page["items"][0]["attachments"][0]["title"],
        "Fiche pratique"
    );
}

const ENCLOSING_ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>tag:harbour.example,2026:news</id>
  <title>Harbour news</title>
  <updated>2026-12-01T10:00:00Z</updated>
  <entry>
    <id>tag:harbour.example,2026:toolkit</id>
    <title>The day of action toolkit</title>
    <updated>2026-12-01T10:00:00Z</updated>
    <link href="https://harbour.example/toolkit"/>
    <link rel="enclosure" href="https://harbour.example/files/flyer-en.pdf" type="application/pdf" length="245760" hreflang="en" title="Flyer (English)"/>
    <link rel="enclosure" href="https://harbour.example/files/volante-es.pdf" type="application/pdf" length="250000" hreflang="es" title="Volante (español)"/>
    <link rel="enclosure" href="https://harbour.example/files/song.mp3" type="audio/mpeg" length="4000000"/>
    <link rel="enclosure" href="javascript:alert(1)" type="application/pdf"/>
    <summary>Everything for the 18th.</summary>
  </entry>
</feed>"#;

const ENCLOSING_RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Harbour news</title><link>https://harbour.example/</link><description>News</description>
  <item>
    <guid>tip-sheet</guid>
    <title>Tip sheet for organisers</title>
    <link>https://harbour.example/tips</link>
    <enclosure url="https://harbour.example/files/tips.pdf" length="120000" type="application/pdf"/>
  </item>
</channel></rss>"#;

#[tokio::test]
async fn a_mirrored_feeds_enclosures_are_kept_as_links_to_their_source() {
    use crate::mirror::{Site, mirror, mirrored_feed};

    let app = TestApp::spawn().await;
    let (site, url) = Site::start().await;
    site.serve(ENCLOSING_ATOM, "application/atom+xml");
    let feed = mirrored_feed(&app, &url).await;
    mirror().fetch(&*app.store, &feed).await.expect("fetched");
    let (_, page) = body(app.get("/api/v1/feeds/harbour-news/items").await).await;
    let attached = page["items"][0]["attachments"].clone();
    // Documents and pictures only, at web addresses; nothing fetched.
    assert_eq!(
        attached,
        serde_json::json!([
            {"id": attached[0]["id"], "group": attached[0]["id"], "title": "Flyer (English)", "lang": "en",
             "media_type": "application/pdf", "length": 245760,
             "url": "https://harbour.example/files/flyer-en.pdf", "sha256": null},
            {"id": attached[1]["id"], "group": attached[1]["id"], "title": "Volante (español)", "lang": "es",
             "media_type": "application/pdf", "length": 250000,
             "url": "https://harbour.example/files/volante-es.pdf", "sha256": null},
        ])
    );
    // Fetched again unchanged: the same attachments, not new ones.
    mirror().fetch(&*app.store, &feed).await.expect("fetched");
    let (_, again) = body(app.get("/api/v1/feeds/harbour-news/items").await).await;
    assert_eq!(again["items"][0]["attachments"], attached);

    site.serve(ENCLOSING_RSS, "application/rss+xml");
    let rss = crate::mirror::mirrored_feed_at(&app, "harbour-rss", &url).await;
    mirror().fetch(&*app.store, &rss).await.expect("fetched");
    let (_, page) = body(app.get("/api/v1/feeds/harbour-rss/items").await).await;
    let tips = &page["items"][0]["attachments"][0];
    assert_eq!(tips["url"], "https://harbour.example/files/tips.pdf");
    assert_eq!(tips["title"], "Tip sheet for organisers");
    assert_eq!(tips["length"], 120000);
}

#[tokio::test]
async fn the_demo_seeds_a_toolkit_with_a_flyer_in_english_and_spanish_and_a_tip_sheet() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let (status, page) = body(
        app.get("/api/v1/feeds/defenders-news/items?tag=toolkit")
            .await,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let files = page["items"][0]["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(files.len(), 3, "{page}");
    let (english, spanish, tips) = (&files[0], &files[1], &files[2]);
    assert_eq!(
        (english["lang"].as_str(), spanish["lang"].as_str()),
        (Some("en"), Some("es"))
    );
    assert_eq!(
        english["group"], spanish["group"],
        "the Spanish flyer is an alternate"
    );
    assert_ne!(tips["group"], english["group"]);
    for file in &files {
        assert_eq!(file["media_type"], "application/pdf");
        let served = app
            .client
            .get(file["url"].as_str().unwrap_or_default())
            .send()
            .await
            .expect("served");
        assert_eq!(served.status(), 200);
        assert!(served.bytes().await.expect("bytes").starts_with(b"%PDF-"));
    }
    // The toolkit box renders them, in the reader's language first.
    let (_, embed) = body(app.get("/api/v1/embed?w=resources:defenders-news:es").await).await;
    let html = embed["widgets"][0]["html"].as_str().unwrap_or_default();
    assert!(html.contains("Materiales"), "{html}");
    let spanish_at = html.find("Volante").expect("the Spanish flyer");
    let english_at = html.find("inglés (PDF").expect("its English alternate");
    assert!(spanish_at < english_at, "{html}");
}
