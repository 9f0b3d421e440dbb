//! The wall's words, one file per language, like the other widgets'.

mod en;
mod es;
mod fr;

#[derive(Debug, PartialEq, Eq)]
pub struct Messages {
    pub heading: &'static str,
    pub loading: &'static str,
    pub failed: &'static str,
    pub organisations: &'static str,
    pub search: &'static str,
    pub search_button: &'static str,
    pub no_match: &'static str,
    pub no_organisations: &'static str,
    /// `{count}` organisations counted but not named.
    pub unnamed_one: &'static str,
    pub unnamed_other: &'static str,
    pub more_organisations: &'static str,
    pub people: &'static str,
    /// Says who is listed and why names arrive late.
    pub people_note: &'static str,
    pub no_people: &'static str,
    pub more_people: &'static str,
    pub by_country: &'static str,
    pub country: &'static str,
    /// A country's count held back because it is small.
    pub fewer_than_ten: &'static str,
    /// After a link that opens a new tab, for screen readers.
    pub new_tab: &'static str,
    /// Announced when a new batch of signatories arrives live.
    pub arrived: &'static str,
}

pub fn for_tag(tag: &str) -> &'static Messages {
    crate::i18n::by_language(tag, [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES])
}
