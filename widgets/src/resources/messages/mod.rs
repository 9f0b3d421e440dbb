//! The resources box's words, one file per language.

mod en;
mod es;
mod fr;

#[derive(Debug, PartialEq, Eq)]
pub struct Messages {
    /// The box's heading.
    pub toolkit: &'static str,
    pub loading: &'static str,
    /// Shown where a placeholder names a feed Chorus does not have.
    pub unknown_feed: &'static str,
    pub failed: &'static str,
    pub empty: &'static str,
}

/// The messages for a language tag's primary subtag; English otherwise.
pub fn for_tag(tag: &str) -> &'static Messages {
    crate::i18n::by_language(tag, [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES])
}
