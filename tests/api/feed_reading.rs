//! Mirrored feeds read like their source. Feeds shaped like real ones
//! (`feeds/`): Chorus's reading against a mature feed reader's (Python's
//! feedparser; JSON Feed by its own fields, which feedparser does not
//! read), then each way a reading went wrong before, one by one.

use chorus::ident::Lang;
use chorus::storage::ItemContent;
use chorus::updates::mirror::{SourceEntry, read_feed};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::mirror::{Site, items, mirror, mirrored_feed};

const FIXTURES: [&str; 6] = [
    "dates.xml",
    "titles.xml",
    "bodies.xml",
    "latin1.xml",
    "pictures.json",
    "pictures-1.0.json",
];

fn path(name: &str) -> String {
    format!("{}/tests/api/feeds/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> Vec<SourceEntry> {
    let bytes = std::fs::read(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let lang = Lang::parse("en").expect("a language");
    read_feed(&bytes, "https://source.example/feed", &lang)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The entries of `name` that have content, by position.
fn contents(name: &str) -> Vec<ItemContent> {
    read(name).into_iter().filter_map(|e| e.content).collect()
}

/// What the reference reader makes of each fixture (`feeds/read.py`).
fn reference() -> Value {
    let python = std::env::var("CHORUS_TEST_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let names = FIXTURES;
    let output = std::process::Command::new(&python)
        .arg(path("read.py"))
        .args(names.iter().map(|n| path(n)))
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {python} ({e}); `cargo xtask test` installs feedparser")
        });
    assert!(
        output.status.success(),
        "read.py: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let by_path: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let mut by_name = serde_json::Map::new();
    for name in names {
        by_name.insert(name.to_owned(), by_path[path(name)].clone());
    }
    Value::Object(by_name)
}

#[test]
fn every_fixture_reads_as_a_mature_feed_reader_reads_it() {
    let reference = reference();
    for (name, theirs) in reference.as_object().expect("an object") {
        let ours = read(name);
        let theirs = theirs.as_array().expect("entries");
        assert_eq!(ours.len(), theirs.len(), "{name}: how many entries");
        for (ours, theirs) in ours.iter().zip(theirs) {
            let content = ours
                .content
                .as_ref()
                .expect("every fixture entry has a title");
            assert_eq!(
                content.title,
                theirs["title"].as_str().expect("a title"),
                "{name}"
            );
            let link = theirs["link"]
                .as_str()
                .map(|l| url::Url::parse(l).expect("a URL").to_string());
            assert_eq!(content.link, link, "{name}: {}", content.title);
            match theirs["date"].as_i64() {
                Some(seconds) => {
                    assert!(ours.dated, "{name}: {} is dated", content.title);
                    assert_eq!(
                        content.published_at / 1000,
                        seconds,
                        "{name}: {}",
                        content.title
                    );
                }
                None => assert!(!ours.dated, "{name}: {} has no date", content.title),
            }
        }
    }
}

#[tokio::test]
async fn an_unchanged_feed_fetched_again_changes_nothing_and_undated_items_keep_their_time() {
    let app = TestApp::spawn().await;
    let (site, url) = Site::start().await;
    let bytes = std::fs::read_to_string(path("dates.xml")).expect("the fixture");
    // No ETag: every fetch reads the whole feed again, as from many servers.
    site.serve_in_full(&bytes, "application/rss+xml");
    let feed = mirrored_feed(&app, &url).await;
    let first = mirror()
        .fetch(&*app.store, &feed)
        .await
        .expect("first fetch");
    assert_eq!(first.map(|f| f.added), Some(6));
    let before = items(&app, &feed).await;

    let again = mirror()
        .fetch(&*app.store, &feed)
        .await
        .expect("second fetch")
        .expect("a mirror");
    assert!(!again.not_modified, "fetched in full");
    assert_eq!((again.added, again.changed), (0, 0));
    assert_eq!(
        items(&app, &feed).await,
        before,
        "the same items, at the same times"
    );
}

#[test]
fn titles_are_plain_text_with_every_entity_decoded() {
    let titles: Vec<String> = contents("titles.xml")
        .into_iter()
        .map(|c| c.title)
        .collect();
    assert_eq!(
        titles,
        [
            "States raise ₹4,000 crore for shelters",
            "Hearing – déjà vu … €5 million",
            "Country review: <Chile>",
        ]
    );
}

#[test]
fn summaries_keep_words_apart_where_the_layout_had_blocks() {
    let summary = &contents("bodies.xml")[0].summary;
    assert_eq!(
        summary,
        "Ukraine Sources: the monitoring mission for testers. iOS too 2016 $1,199 one two"
    );
}

#[test]
fn pictures_the_source_chose_come_first_and_pixels_never() {
    let bodies = contents("bodies.xml");
    assert_eq!(
        bodies[1].image_url.as_deref(),
        Some("https://cdn.notes.example/march.jpg?w=800&h=600"),
        "Media RSS before the text's pictures, its address decoded"
    );
    assert_eq!(
        (bodies[2].image_url.as_deref(), bodies[2].image_alt.as_str()),
        (
            Some("https://notes.example/in-text.jpg?a=1&b=2"),
            "The hearing room"
        ),
        "the tracking pixel before it is passed over"
    );
    let journal = contents("pictures.json");
    let pictures: Vec<Option<&str>> = journal.iter().map(|c| c.image_url.as_deref()).collect();
    assert_eq!(
        pictures,
        [
            Some("https://journal.example/banner.jpg"),
            Some("https://journal.example/image.jpg"),
            None
        ]
    );
    let older = &contents("pictures-1.0.json")[0];
    assert_eq!(
        (older.image_url.as_deref(), older.image_alt.as_str()),
        (Some("https://old.example/poster.png"), "The poster")
    );
}

#[test]
fn a_link_around_a_picture_keeps_something_to_read() {
    let body = &contents("bodies.xml")[1].body_html;
    assert!(
        body.contains(r#"rel="noopener noreferrer">Marchers at the bridge</a>"#),
        "{body}"
    );
    assert!(!body.contains("\"></a>"), "an empty link in {body}");
    assert!(
        !body.contains("march/2"),
        "a link with nothing to read in {body}"
    );
}

#[test]
fn a_tag_is_kept_once_whatever_its_case_or_accents() {
    assert_eq!(contents("bodies.xml")[0].tags, ["nokia", "human-rights"]);
    let latin = &contents("latin1.xml")[0];
    assert_eq!(latin.tags, ["migracion"]);
    assert_eq!(latin.title, "Jornada de acción: España y México");
}
