//! The downloads' words, one file per language.

mod en;
mod es;
mod fr;

#[derive(Debug, PartialEq, Eq)]
pub struct Messages {
    /// The list's name, for screen readers.
    pub downloads: &'static str,
    /// Before the links to the same file in other languages.
    pub also_in: &'static str,
    /// Before a file's SHA-256.
    pub checksum: &'static str,
    /// `{n}`: whole kilobytes.
    pub kilobytes: &'static str,
    /// `{whole}` and `{tenth}` of megabytes.
    pub megabytes: &'static str,
}

/// The messages for a language tag's primary subtag; English otherwise.
pub fn for_tag(tag: &str) -> &'static Messages {
    crate::i18n::by_language(tag, [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES])
}
