//! The donate widget's words, one file per language, like the petition's.

mod en;
mod es;
mod fr;

#[derive(Debug, PartialEq, Eq)]
pub struct Messages {
    pub donate: &'static str,
    /// `{raised}` and `{goal}`: formatted amounts.
    pub raised_of_goal: &'static str,
    /// `{raised}`: without a goal.
    pub raised: &'static str,
    /// The progress bar's name, for screen readers.
    pub goal_bar: &'static str,
    /// `{count}`: people who gave, by the language's plural rules.
    pub donors_one: &'static str,
    pub donors_other: &'static str,
    pub no_donors_yet: &'static str,
    pub close: &'static str,
    pub frequency: &'static str,
    pub monthly: &'static str,
    pub once: &'static str,
    pub yearly: &'static str,
    pub amount: &'static str,
    pub other_amount: &'static str,
    /// `{min}` and `{max}`: formatted amounts.
    pub limits: &'static str,
    pub invalid_amount: &'static str,
    /// `{min}`.
    pub too_small: &'static str,
    /// `{max}`.
    pub too_large: &'static str,
    pub continue_to_payment: &'static str,
    pub sending: &'static str,
    pub secure_note: &'static str,
    pub failed: &'static str,
    pub closed: &'static str,
    pub thanks: &'static str,
    pub cancelled: &'static str,
    pub unknown_campaign: &'static str,
    pub loading: &'static str,
    /// Suffix for a monthly amount: "/month".
    pub per_month: &'static str,
    pub per_year: &'static str,
    /// On the donate page without a partner page to come back to (the
    /// server's only: no widget shows it).
    #[cfg(not(target_arch = "wasm32"))]
    pub opened_elsewhere: &'static str,
}

/// The messages for a language tag's primary subtag; English otherwise.
pub fn for_tag(tag: &str) -> &'static Messages {
    crate::i18n::by_language(tag, [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_pick_their_messages() {
        assert_eq!(for_tag("fr-BE").donate, fr::MESSAGES.donate);
        assert_eq!(for_tag("es-MX").donate, es::MESSAGES.donate);
        assert_eq!(for_tag("pt").donate, en::MESSAGES.donate);
    }

    #[test]
    fn every_language_keeps_every_placeholder() {
        for m in [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES] {
            assert!(m.raised_of_goal.contains("{raised}") && m.raised_of_goal.contains("{goal}"));
            assert!(m.raised.contains("{raised}"));
            assert!(m.donors_one.contains("{count}") && m.donors_other.contains("{count}"));
            assert!(m.limits.contains("{min}") && m.limits.contains("{max}"));
            assert!(m.too_small.contains("{min}") && m.too_large.contains("{max}"));
        }
    }
}
