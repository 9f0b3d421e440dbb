//! Where each share button sends a supporter: the platform's own page for
//! a new post, with the message and link filled in. Nothing goes through a
//! server Chorus does not control but the platform the supporter chose
//! (for Mastodon, their own server).

use chorus_wire::storm::Platform;

use crate::client::encode;

/// The buttons a storm offers, in the order shown. The device's share
/// sheet is added where the browser has one.
pub const SHOWN: [Platform; 10] = [
    Platform::X,
    Platform::Bluesky,
    Platform::Threads,
    Platform::Mastodon,
    Platform::Facebook,
    Platform::Linkedin,
    Platform::Whatsapp,
    Platform::Telegram,
    Platform::Email,
    Platform::Copy,
];

/// The page that starts a post of `text` and `link` on `platform`; `None`
/// for what is no page (copy, the share sheet) and for Mastodon without
/// the supporter's server. `title` is an email's subject.
pub fn intent(
    platform: Platform,
    text: &str,
    link: &str,
    title: &str,
    mastodon: Option<&str>,
) -> Option<String> {
    let both = encode(&format!("{text} {link}"));
    let (text, link) = (encode(text), encode(link));
    Some(match platform {
        Platform::X => format!("https://x.com/intent/post?text={text}&url={link}"),
        Platform::Bluesky => format!("https://bsky.app/intent/compose?text={both}"),
        Platform::Threads => format!("https://www.threads.net/intent/post?text={both}"),
        Platform::Mastodon => format!("https://{}/share?text={both}", mastodon?),
        // Facebook's and LinkedIn's rules: the link alone, no text.
        Platform::Facebook => format!("https://www.facebook.com/sharer/sharer.php?u={link}"),
        Platform::Linkedin => {
            format!("https://www.linkedin.com/sharing/share-offsite/?url={link}")
        }
        Platform::Whatsapp => format!("https://wa.me/?text={both}"),
        Platform::Telegram => format!("https://t.me/share/url?url={link}&text={text}"),
        Platform::Email => format!("mailto:?subject={}&body={both}", encode(title)),
        Platform::Copy | Platform::Native => return None,
    })
}

/// A Mastodon server's host name as a supporter may type it
/// (`mastodon.social`, `https://mastodon.social/`, `@me@mastodon.social`),
/// or `None` when it is no host name.
pub fn mastodon_server(typed: &str) -> Option<String> {
    // Host names are ASCII (an international one in its xn-- form): no
    // Unicode case tables in the bundle.
    let typed = typed.trim().to_ascii_lowercase();
    let typed = typed
        .strip_prefix("https://")
        .or_else(|| typed.strip_prefix("http://"))
        .unwrap_or(&typed);
    let host = typed.split('/').next()?.rsplit('@').next()?;
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    (host.len() <= 253 && host.contains('.') && host.split('.').all(label_ok))
        .then(|| host.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_is_read_however_the_supporter_types_it() {
        for typed in [
            "mastodon.social",
            " https://Mastodon.Social/ ",
            "@ana@mastodon.social",
            "mastodon.social/@ana",
        ] {
            assert_eq!(
                mastodon_server(typed).as_deref(),
                Some("mastodon.social"),
                "{typed}"
            );
        }
        // Only the host is kept: a path or query typed after it goes.
        assert_eq!(
            mastodon_server("social.example/x?y").as_deref(),
            Some("social.example")
        );
        assert_eq!(mastodon_server("localhost"), None);
        assert_eq!(mastodon_server("a b.example"), None);
        assert_eq!(mastodon_server("-a.example"), None);
        assert_eq!(mastodon_server(""), None);
    }

    #[test]
    fn each_platform_gets_its_own_page_and_facebook_the_link_alone() {
        let post = |p| {
            intent(
                p,
                "Stand with us #Migrants",
                "https://x.org/?a=1",
                "Storm",
                None,
            )
        };
        assert_eq!(
            post(Platform::X).as_deref(),
            Some(
                "https://x.com/intent/post?text=Stand%20with%20us%20%23Migrants&url=https%3A%2F%2Fx.org%2F%3Fa%3D1"
            )
        );
        let facebook = post(Platform::Facebook).expect("a page");
        assert!(!facebook.contains("Stand"), "{facebook}");
        assert_eq!(post(Platform::Mastodon), None);
        assert_eq!(
            intent(
                Platform::Mastodon,
                "Hi",
                "https://x.org",
                "",
                Some("social.example")
            )
            .as_deref(),
            Some("https://social.example/share?text=Hi%20https%3A%2F%2Fx.org")
        );
        assert_eq!(post(Platform::Copy), None);
    }
}
