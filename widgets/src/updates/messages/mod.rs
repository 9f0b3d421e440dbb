//! The updates widget's words, one file per language, like the others'.

mod en;
mod es;
mod fr;

#[derive(Debug, PartialEq, Eq)]
pub struct Messages {
    pub loading: &'static str,
    /// Shown where a placeholder names a feed Chorus does not have.
    pub unknown_feed: &'static str,
    pub failed: &'static str,
    pub empty: &'static str,
    /// While only items in the widget's language are shown.
    pub empty_in_language: &'static str,
    /// The label of the topic filters.
    pub topics: &'static str,
    pub all_topics: &'static str,
    pub every_language: &'static str,
    /// Names the widget's own language: "only in English".
    pub only_language: &'static str,
    pub load_more: &'static str,
    pub read_more: &'static str,
    /// After a link that opens a new tab, for screen readers.
    pub new_tab: &'static str,
    /// Announced when updates arrive live: `{count}`.
    pub arrived_one: &'static str,
    pub arrived_other: &'static str,
}

/// The messages for a language tag's primary subtag; English otherwise.
pub fn for_tag(tag: &str) -> &'static Messages {
    crate::i18n::by_language(tag, [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES])
}
