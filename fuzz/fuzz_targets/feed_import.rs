//! Any bytes a mirrored source may send, through parsing and sanitising:
//! nothing panics, and whatever comes out is already clean (sanitising it
//! again changes nothing) and carries no script.

#![no_main]

use chorus::ident::Lang;
use chorus::updates::{mirror, sanitise};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let lang = Lang::parse("en").expect("a language");
    let Ok(entries) = mirror::read_feed(bytes, "https://source.example/feed.xml", &lang) else {
        return;
    };
    for content in entries.into_iter().filter_map(|entry| entry.content) {
        let body = &content.body_html;
        assert_eq!(&sanitise::clean(body, None), body, "a stored body is clean");
        for tag in tags(body) {
            let tag = tag.to_ascii_lowercase();
            let name = tag.split_whitespace().next().unwrap_or_default();
            assert!(
                !["script", "svg", "math", "iframe", "style", "img"].contains(&name),
                "<{tag}> in {body}"
            );
            for (attribute, value) in attributes(&tag) {
                assert!(!attribute.starts_with("on"), "<{tag}> in {body}");
                if attribute == "href" {
                    assert!(
                        value.starts_with("http://") || value.starts_with("https://"),
                        "<{tag}> in {body}"
                    );
                }
            }
        }
        assert!(!content.title.is_empty());
    }
});

/// A serialised tag's attributes: the serialiser writes each as
/// `name="value"` and escapes quotes inside values.
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let mut rest = tag.split_once(' ').map_or("", |(_, attributes)| attributes);
    let mut found = Vec::new();
    while let Some((name, after)) = rest.trim_start().split_once("=\"") {
        let Some((value, next)) = after.split_once('"') else {
            break;
        };
        found.push((name.trim(), value));
        rest = next;
    }
    found
}

/// The inside of every tag in serialised HTML. Text escapes `<`, so outside
/// quoted attribute values every `<` opens a tag the sanitiser let through.
fn tags(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let (mut start, mut quoted) = (None, false);
    for (at, byte) in html.bytes().enumerate() {
        match (byte, start) {
            (b'<', None) => start = Some(at + 1),
            (b'"', Some(_)) => quoted = !quoted,
            (b'>', Some(from)) if !quoted => {
                found.push(&html[from..at]);
                start = None;
            }
            _ => {}
        }
    }
    found
}
