//! The storm widget's words, one file per language, like the others'.

mod en;
mod es;
mod fr;

#[derive(Debug, PartialEq, Eq)]
pub struct Messages {
    pub loading: &'static str,
    /// Shown where a placeholder names a storm Chorus does not have.
    pub unknown_storm: &'static str,
    pub failed: &'static str,
    /// `{when}`: the start, with its zone (the server's rendering: UTC).
    pub starts: &'static str,
    /// `{when}`: the start on the reader's own clock.
    pub starts_yours: &'static str,
    /// `{time}`: the end on the reader's clock.
    pub on_now: &'static str,
    /// Read to screen readers at the start.
    pub started: &'static str,
    pub over: &'static str,
    /// `{count}` shares so far, while it is on; after, a thank-you.
    pub shares_one: &'static str,
    pub shares_other: &'static str,
    pub shared_one: &'static str,
    pub shared_other: &'static str,
    pub hashtags: &'static str,
    /// The message's heading.
    pub your_message: &'static str,
    pub another: &'static str,
    /// `{platform}`: over that platform's limit.
    pub too_long: &'static str,
    /// The buttons' group, for screen readers.
    pub share_on: &'static str,
    pub email: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    /// The device's own share sheet.
    pub more: &'static str,
    pub calendar: &'static str,
    pub mastodon_server: &'static str,
    pub mastodon_hint: &'static str,
    pub mastodon_post: &'static str,
    pub mastodon_invalid: &'static str,
    /// `{server}`: the one remembered.
    pub mastodon_change: &'static str,
    /// After a link that opens a new tab, for screen readers.
    pub new_tab: &'static str,
}

/// The messages for a language tag's primary subtag; English otherwise.
pub fn for_tag(tag: &str) -> &'static Messages {
    crate::i18n::by_language(tag, [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_keeps_every_placeholder() {
        for messages in [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES] {
            assert!(messages.starts.contains("{when}"));
            assert!(messages.starts_yours.contains("{when}"));
            assert!(messages.on_now.contains("{time}"));
            for counted in [
                messages.shares_one,
                messages.shares_other,
                messages.shared_one,
                messages.shared_other,
            ] {
                assert!(counted.contains("{count}"), "{counted}");
            }
            assert!(messages.too_long.contains("{platform}"));
            assert!(messages.mastodon_change.contains("{server}"));
        }
    }
}
