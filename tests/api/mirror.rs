//! Mirroring organisations' own feeds, served by a local stand-in site: each
//! format shaped like real feeds, then broken sources, which must leave the
//! last good copy in place and say what went wrong.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chorus::ident::{Lang, Slug};
use chorus::storage::{FeedRecord, ItemRecord, NewFeed};
use chorus::updates::mirror::Mirror;

use crate::helpers::TestApp;

pub(crate) const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Harbour Rights news</title>
  <link>https://harbour.example/</link>
  <language>en-gb</language>
  <item>
    <guid isPermaLink="false">rss-1</guid>
    <title>Country review: &lt;Chile&gt;</title>
    <link>https://harbour.example/news/chile</link>
    <description><![CDATA[<p>Read <a href="/reports/chile">the report</a>.</p>
      <img src="/img/chile.jpg" alt="The hearing room"><script>alert(1)</script>]]></description>
    <pubDate>Tue, 03 Nov 2026 10:00:00 +0100</pubDate>
    <category>Americas</category>
    <category>Treaty Bodies</category>
  </item>
  <item>
    <guid>rss-2</guid>
    <title>Action day on 18 December</title>
    <description>Join us.</description>
    <pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate>
    <enclosure url="https://harbour.example/media/poster.jpg" length="1234" type="image/jpeg"/>
  </item>
  <item>
    <description>An item without a title is left out.</description>
  </item>
</channel>
</rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="fr">
  <title>Nouvelles</title>
  <id>urn:uuid:feed</id>
  <updated>2026-11-04T09:00:00Z</updated>
  <entry>
    <id>urn:uuid:atom-1</id>
    <title type="html">Session du &lt;em&gt;Comité&lt;/em&gt;</title>
    <link rel="alternate" href="https://nouvelles.example/comite"/>
    <updated>2026-11-04T09:00:00Z</updated>
    <published>2026-11-04T08:30:00+01:00</published>
    <category term="afrique"/>
    <media:thumbnail url="https://nouvelles.example/vignette.png"/>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Le <strong>Comité</strong> siège.</p><svg onload="alert(1)"><circle/></svg></div></content>
  </entry>
</feed>"#;

const JSON_FEED: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Noticias",
  "language": "es",
  "items": [
    {
      "id": "json-1",
      "title": "Audiencia en Ginebra",
      "url": "https://noticias.example/ginebra",
      "content_html": "<p>La audiencia <b>comienza</b>.</p><a href=\"javascript:alert(1)\">x</a>",
      "date_published": "2026-11-05T12:00:00-03:00",
      "tags": ["Américas", "ginebra"],
      "attachments": [{"url": "https://noticias.example/foto.png", "mime_type": "image/png"}]
    }
  ]
}"#;

/// What the stand-in site serves at `/feed` right now.
#[derive(Debug, Clone)]
struct Fixture {
    body: String,
    content_type: &'static str,
    delay: Duration,
    /// Sends an ETag; many servers send none, so every fetch is in full.
    validators: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Site {
    fixture: Arc<Mutex<Option<Fixture>>>,
    /// `If-None-Match` values received.
    conditional: Arc<Mutex<Vec<String>>>,
}

impl Site {
    pub(crate) async fn start() -> (Self, String) {
        Self::start_on("127.0.0.1").await
    }

    /// The site on another loopback address (`127.0.0.2`).
    pub(crate) async fn start_on(ip: &str) -> (Self, String) {
        let site = Self::default();
        let app = axum::Router::new()
            .route("/feed", axum::routing::get(serve))
            .with_state(site.clone());
        let listener = tokio::net::TcpListener::bind((ip, 0)).await.expect("port");
        let url = format!("http://{}/feed", listener.local_addr().expect("bound"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        (site, url)
    }

    pub(crate) fn serve(&self, body: &str, content_type: &'static str) {
        *self.fixture.lock().expect("lock") = Some(Fixture {
            body: body.to_owned(),
            content_type,
            delay: Duration::ZERO,
            validators: true,
        });
    }

    /// As [`Site::serve`], from a server that sends no validators.
    pub(crate) fn serve_in_full(&self, body: &str, content_type: &'static str) {
        self.serve(body, content_type);
        if let Some(fixture) = self.fixture.lock().expect("lock").as_mut() {
            fixture.validators = false;
        }
    }
}

async fn serve(
    axum::extract::State(site): axum::extract::State<Site>,
    headers: HeaderMap,
) -> Response {
    let Some(fixture) = site.fixture.lock().expect("lock").clone() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    tokio::time::sleep(fixture.delay).await;
    // The ETag names the body, as real servers' do.
    let etag = format!("\"{}\"", fixture.body.len());
    if let Some(sent) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        site.conditional.lock().expect("lock").push(sent.to_owned());
        if sent == etag {
            return StatusCode::NOT_MODIFIED.into_response();
        }
    }
    let mut response =
        ([(header::CONTENT_TYPE, fixture.content_type)], fixture.body).into_response();
    if fixture.validators {
        response.headers_mut().insert(
            header::ETAG,
            etag.parse().expect("an ETag is a header value"),
        );
    }
    response
}

pub(crate) async fn mirrored_feed(app: &TestApp, url: &str) -> FeedRecord {
    mirrored_feed_at(app, "harbour-news", url).await
}

/// A feed `slug` mirroring `url`.
pub(crate) async fn mirrored_feed_at(app: &TestApp, slug: &str, url: &str) -> FeedRecord {
    app.store
        .create_feed(&NewFeed {
            organisation_id: app.organisation_id().await,
            slug: Slug::parse(slug).expect("slug"),
            title: "Harbour news".into(),
            default_lang: Lang::parse("en").expect("lang"),
            source_url: Some(url.to_owned()),
        })
        .await
        .expect("feed created")
}

pub(crate) async fn items(app: &TestApp, feed: &FeedRecord) -> Vec<ItemRecord> {
    app.store.all_items(feed.id).await.expect("items")
}

/// Test sources are on loopback, which only an intranet setting allows.
pub(crate) fn mirror() -> Mirror {
    Mirror::new(
        chorus::outbound::FetchConfig {
            allow_private_fetch: true,
            ..Default::default()
        },
        Duration::from_secs(1),
    )
}

#[tokio::test]
async fn rss_is_mirrored_with_links_resolved_images_found_and_html_sanitised() {
    let app = TestApp::spawn().await;
    let (site, url) = Site::start().await;
    site.serve(RSS, "application/rss+xml; charset=utf-8");
    let feed = mirrored_feed(&app, &url).await;

    let fetched = mirror()
        .fetch(&*app.store, &feed)
        .await
        .expect("fetched")
        .expect("a mirror");

    assert_eq!((fetched.added, fetched.skipped), (2, 1));
    let stored = items(&app, &feed).await;
    let chile = stored
        .iter()
        .find(|i| i.content.title == "Country review: <Chile>")
        .expect("item 1");
    let origin = url.trim_end_matches("/feed");
    assert!(
        chile
            .content
            .body_html
            .contains(&format!("href=\"{origin}/reports/chile\"")),
        "{}",
        chile.content.body_html
    );
    assert!(
        !chile.content.body_html.contains("script") && !chile.content.body_html.contains("<img")
    );
    assert_eq!(
        chile.content.image_url.as_deref(),
        Some(format!("{origin}/img/chile.jpg").as_str())
    );
    assert_eq!(chile.content.image_alt, "The hearing room");
    assert_eq!(
        chile.content.link.as_deref(),
        Some("https://harbour.example/news/chile")
    );
    assert_eq!(chile.content.tags, ["americas", "treaty-bodies"]);
    assert_eq!(chile.content.lang.as_str(), "en");
    // 10:00 at +01:00 is 09:00 UTC.
    assert_eq!(
        chorus::storage::rfc3339(chile.content.published_at).as_deref(),
        Some("2026-11-03T09:00:00Z")
    );
    let poster = stored
        .iter()
        .find(|i| i.content.title.starts_with("Action day"))
        .expect("item 2");
    assert_eq!(
        poster.content.image_url.as_deref(),
        Some("https://harbour.example/media/poster.jpg")
    );
}

#[tokio::test]
async fn atom_and_json_feed_are_mirrored_in_their_own_languages() {
    let app = TestApp::spawn().await;
    let (site, url) = Site::start().await;
    let feed = mirrored_feed(&app, &url).await;

    site.serve(ATOM, "application/atom+xml");
    mirror()
        .fetch(&*app.store, &feed)
        .await
        .expect("Atom fetched");
    site.serve(JSON_FEED, "application/feed+json");
    mirror()
        .fetch(&*app.store, &feed)
        .await
        .expect("JSON Feed fetched");

    let stored = items(&app, &feed).await;
    let comite = stored
        .iter()
        .find(|i| i.content.link.as_deref() == Some("https://nouvelles.example/comite"))
        .expect("Atom entry");
    assert_eq!(comite.content.title, "Session du Comité");
    assert_eq!(comite.content.lang.as_str(), "fr");
    assert!(
        comite.content.body_html.contains("<strong>Comité</strong>"),
        "{}",
        comite.content.body_html
    );
    assert!(
        !comite.content.body_html.contains("svg") && !comite.content.body_html.contains("onload")
    );
    assert_eq!(
        comite.content.image_url.as_deref(),
        Some("https://nouvelles.example/vignette.png")
    );
    assert_eq!(comite.content.tags, ["afrique"]);

    let ginebra = stored
        .iter()
        .find(|i| i.content.title == "Audiencia en Ginebra")
        .expect("JSON item");
    assert_eq!(ginebra.content.lang.as_str(), "es");
    assert!(!ginebra.content.body_html.contains("javascript"));
    assert_eq!(
        ginebra.content.image_url.as_deref(),
        Some("https://noticias.example/foto.png")
    );
    assert_eq!(
        chorus::storage::rfc3339(ginebra.content.published_at).as_deref(),
        Some("2026-11-05T15:00:00Z")
    );
}

#[tokio::test]
async fn a_second_fetch_is_conditional_and_an_edit_at_the_source_updates_the_item() {
    let app = TestApp::spawn().await;
    let (site, url) = Site::start().await;
    site.serve(RSS, "application/rss+xml");
    let feed = mirrored_feed(&app, &url).await;

    mirror()
        .fetch(&*app.store, &feed)
        .await
        .expect("first fetch");
    let again = mirror()
        .fetch(&*app.store, &feed)
        .await
        .expect("second fetch")
        .expect("a mirror");
    assert!(again.not_modified);
    assert_eq!(
        site.conditional.lock().expect("lock").len(),
        1,
        "the second request was conditional"
    );

    site.serve(
        &RSS.replace("Join us.", "Join us in the square."),
        "application/rss+xml",
    );
    let edited = mirror()
        .fetch(&*app.store, &feed)
        .await
        .expect("third fetch")
        .expect("a mirror");
    assert_eq!((edited.added, edited.changed), (0, 1));
    assert_eq!(items(&app, &feed).await.len(), 2, "no duplicate items");
}

#[tokio::test]
async fn broken_sources_keep_the_last_good_copy_and_say_why() {
    let app = TestApp::spawn().await;
    let (site, url) = Site::start().await;
    site.serve(RSS, "application/rss+xml");
    let feed = mirrored_feed(&app, &url).await;
    mirror()
        .fetch(&*app.store, &feed)
        .await
        .expect("a good first fetch");
    let good = items(&app, &feed).await;

    let huge = format!(
        "<rss><channel>{}</channel></rss>",
        "<!-- padding -->".repeat(200_000)
    );
    let cases: [(String, &'static str, Duration, &str); 5] = [
        (
            "<rss><channel><item><title>cut".into(),
            "application/rss+xml",
            Duration::ZERO,
            "not a valid feed",
        ),
        (
            "<!doctype html><p>Moved</p>".into(),
            "text/html",
            Duration::ZERO,
            "not a feed",
        ),
        (
            "{\"version\": \"nope\"}".into(),
            "application/json",
            Duration::ZERO,
            "not a valid feed",
        ),
        (huge, "application/xml", Duration::ZERO, "larger than"),
        (
            RSS.into(),
            "application/rss+xml",
            Duration::from_secs(3),
            "in time",
        ),
    ];
    for (body, content_type, delay, says) in cases {
        *site.fixture.lock().expect("lock") = Some(Fixture {
            body,
            content_type,
            delay,
            validators: true,
        });
        let error = mirror()
            .fetch(&*app.store, &feed)
            .await
            .expect_err("refused");
        assert!(
            error.to_string().contains(says),
            "{error} should say {says:?}"
        );
        let source = app
            .store
            .feed_source(feed.id)
            .await
            .expect("read")
            .expect("a mirror");
        assert!(
            source.error.as_deref().is_some_and(|e| e.contains(says)),
            "{source:?}"
        );
        assert_eq!(items(&app, &feed).await, good, "the last good copy stays");
    }
    let unreachable = "http://127.0.0.1:9/feed";
    let other = app
        .store
        .create_feed(&NewFeed {
            organisation_id: app.organisation_id().await,
            slug: Slug::parse("gone").expect("slug"),
            title: "Gone".into(),
            default_lang: Lang::parse("en").expect("lang"),
            source_url: Some(unreachable.into()),
        })
        .await
        .expect("feed");
    let error = mirror()
        .fetch(&*app.store, &other)
        .await
        .expect_err("unreachable");
    assert!(
        error.to_string().contains("could not be reached"),
        "{error}"
    );

    site.serve(RSS, "application/rss+xml");
    mirror()
        .fetch(&*app.store, &feed)
        .await
        .expect("the source is back");
    let source = app
        .store
        .feed_source(feed.id)
        .await
        .expect("read")
        .expect("a mirror");
    assert_eq!(
        source.error, None,
        "the error clears once the source is good again"
    );
}

#[tokio::test]
async fn mirrored_items_are_held_to_the_limits_of_organisers_items() {
    let app = TestApp::spawn().await;
    let (site, url) = Site::start().await;
    let rss = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Long</title>
        <item><guid>long-1</guid><title>{}</title><description><![CDATA[<p>{}</p>]]></description>
        {}</item></channel></rss>"#,
        "Overlong title ".repeat(100),
        "A very long body. ".repeat(5_000),
        (0..20)
            .map(|n| format!("<category>topic-{n}</category>"))
            .collect::<String>(),
    );
    site.serve(&rss, "application/rss+xml");
    let feed = mirrored_feed(&app, &url).await;
    mirror().fetch(&*app.store, &feed).await.expect("fetched");
    let stored = items(&app, &feed).await;
    let item = &stored[0].content;
    assert!(item.title.chars().count() <= 201, "{}", item.title.len());
    assert!(item.summary.chars().count() <= 601);
    assert!(item.body_html.len() <= 50_100, "{}", item.body_html.len());
    assert_eq!(item.tags.len(), 8);
}
