//! How long a message is on each platform, counted the platform's way, so
//! an organiser learns at once that a message will not fit, and a
//! supporter never meets a post the platform refuses.
//!
//! - X: twitter-text's configuration v3. After NFC, a code point in
//!   U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F or U+2032–U+2037 weighs 1
//!   and any other weighs 2; an emoji sequence (a flag, a skin tone, a
//!   family joined by ZWJ, a keycap) weighs 2 however many code points it
//!   joins; a link weighs 23 whatever its length (t.co wraps it).
//! - Mastodon: graphemes, a link weighing 23 (the server's own rule).
//! - Bluesky and Threads: graphemes, a link counted as written (neither
//!   shortens a link in text shared from outside its apps).

use chorus_wire::storm::Platform;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// What X and Mastodon count a link as.
const LINK_WEIGHT: usize = 23;

/// `text`'s length on `platform`, or `None` where the platform sets no
/// limit a message could reach (a link-only share, a chat, an email).
pub fn length(platform: Platform, text: &str) -> Option<usize> {
    platform.limit()?;
    let graphemes = |text: &str| text.graphemes(true).count();
    Some(match platform {
        Platform::X => pieces(text)
            .iter()
            .map(|piece| match piece {
                Piece::Link => LINK_WEIGHT,
                Piece::Text(text) => x_weight(text),
            })
            .sum(),
        Platform::Mastodon => pieces(text)
            .iter()
            .map(|piece| match piece {
                Piece::Link => LINK_WEIGHT,
                Piece::Text(text) => graphemes(text),
            })
            .sum(),
        _ => graphemes(text),
    })
}

/// Whether `text` fits `platform`'s limit (always, where it sets none).
pub fn fits(platform: Platform, text: &str) -> bool {
    match (length(platform, text), platform.limit()) {
        (Some(length), Some(limit)) => length <= limit as usize,
        _ => true,
    }
}

/// A run of text, or a web link in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Link,
}

/// `text` cut at its links: a word that starts `http://` or `https://`
/// (after an opening bracket or quote), up to the punctuation a sentence
/// puts after it.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut text_from = 0;
    let mut word_from = None;
    let ends = text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')));
    for (at, c) in ends {
        match (word_from, c.is_whitespace()) {
            (None, false) => word_from = Some(at),
            (Some(from), true) => {
                word_from = None;
                let word = &text[from..at];
                let opened = word.trim_start_matches(['(', '[', '"', '\'', '«', '“']);
                if !is_link(opened) {
                    continue;
                }
                let link = opened.trim_end_matches([
                    '.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '»', '”',
                ]);
                let link_from = from + (word.len() - opened.len());
                pieces.push(Piece::Text(&text[text_from..link_from]));
                pieces.push(Piece::Link);
                text_from = link_from + link.len();
            }
            _ => {}
        }
    }
    pieces.push(Piece::Text(&text[text_from..]));
    pieces
}

/// A scheme and at least one character of host.
fn is_link(word: &str) -> bool {
    ["https://", "http://"].iter().any(|scheme| {
        word.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
            && word[scheme.len()..].starts_with(|c: char| c.is_alphanumeric())
    })
}

fn x_weight(text: &str) -> usize {
    let normal: String = text.nfc().collect();
    normal
        .graphemes(true)
        .map(|grapheme| {
            if is_emoji_sequence(grapheme) {
                2
            } else {
                grapheme.chars().map(x_char_weight).sum()
            }
        })
        .sum()
}

fn x_char_weight(c: char) -> usize {
    match u32::from(c) {
        0..=0x10FF | 0x2000..=0x200D | 0x2010..=0x201F | 0x2032..=0x2037 => 1,
        _ => 2,
    }
}

/// Several code points that show as one emoji: a keycap, or a pictograph
/// with its presentation selector, skin tone, joiner or tags, or a flag.
/// (A lone pictograph weighs 2 by its code point already.)
fn is_emoji_sequence(grapheme: &str) -> bool {
    let joins = |c: char| matches!(c, '\u{200D}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{1F1E6}'..='\u{1F1FF}' | '\u{E0020}'..='\u{E007F}');
    let mut chars = grapheme.chars();
    match chars.next() {
        None => false,
        Some(first) if grapheme.contains('\u{20E3}') => first.is_ascii() || first == '\u{FE0F}',
        // Scripts below U+2000 join letters with ZWJ too: those are text.
        Some(first) => {
            u32::from(first) >= 0x2000 && chars.any(joins)
                || ('\u{1F1E6}'..='\u{1F1FF}').contains(&first)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_counts_links_as_23_and_wide_scripts_double() {
        let link = "https://chorus.example/petitions/ratify-the-convention?utm_source=x";
        assert_eq!(length(Platform::X, link), Some(23));
        assert_eq!(
            length(Platform::X, &format!("Sign ({link}).")),
            Some(6 + 23 + 2)
        );
        assert_eq!(length(Platform::X, "Ratify now"), Some(10));
        // Latin with accents, typed decomposed, counts as composed.
        assert_eq!(length(Platform::X, "Ratifie\u{301}e"), Some(8));
        // CJK and other scripts past U+10FF weigh 2.
        assert_eq!(length(Platform::X, "移民"), Some(4));
        // Curly quotes and the ellipsis's neighbours weigh 1.
        assert_eq!(length(Platform::X, "“now”"), Some(5));
        // Emoji: 2 each, sequences included.
        assert_eq!(length(Platform::X, "✊"), Some(2));
        assert_eq!(length(Platform::X, "✊🏽"), Some(2));
        assert_eq!(length(Platform::X, "👩‍👩‍👧"), Some(2));
        assert_eq!(length(Platform::X, "🇲🇽🇵🇭"), Some(4));
        assert_eq!(length(Platform::X, "1\u{FE0F}\u{20E3}"), Some(2));
        // "https://" alone is text.
        assert_eq!(length(Platform::X, "https://"), Some(8));
    }

    #[test]
    fn mastodon_counts_graphemes_and_links_as_23() {
        assert_eq!(
            length(
                Platform::Mastodon,
                "👩‍👩‍👧 https://chorus.example/a/very/long/path/indeed"
            ),
            Some(1 + 1 + 23)
        );
        assert_eq!(length(Platform::Mastodon, "移民"), Some(2));
    }

    #[test]
    fn bluesky_and_threads_count_graphemes_links_as_written() {
        let text = "✊🏽 https://chorus.example/";
        assert_eq!(length(Platform::Bluesky, text), Some(1 + 1 + 23));
        assert_eq!(length(Platform::Threads, text), Some(1 + 1 + 23));
    }

    #[test]
    fn limits_are_the_platforms_own() {
        let x = "a".repeat(256) + " https://chorus.example/";
        assert!(fits(Platform::X, &x));
        assert!(!fits(Platform::X, &format!("a{x}")));
        assert!(fits(Platform::Bluesky, &"é".repeat(300)));
        assert!(!fits(Platform::Bluesky, &"é".repeat(301)));
        assert!(fits(Platform::Mastodon, &"✊🏽".repeat(500)));
        assert!(!fits(Platform::Threads, &"a".repeat(501)));
        // Link-only and chat shares have no limit a message reaches.
        assert_eq!(length(Platform::Facebook, &"a".repeat(5000)), None);
        assert!(fits(Platform::Whatsapp, &"a".repeat(5000)));
    }
}
