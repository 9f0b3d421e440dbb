//! The petition widget's words, one file per language, like the counter's.

mod en;
mod es;
mod fr;

use chorus_wire::signing::Problem;

/// The version of the consent wording below, stored with every signature so
/// an organiser can show what a signer agreed to. Change it whenever the
/// consent or opt-in sentences change in any language.
pub const CONSENT_VERSION: &str = "2026-12";

#[derive(Debug, PartialEq, Eq)]
pub struct Messages {
    pub read_more: &'static str,
    pub form_title: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: &'static str,
    pub country: &'static str,
    pub choose_country: &'static str,
    pub comment: &'static str,
    pub optional: &'static str,
    /// "I agree to the " + link + "." around the privacy notice link.
    pub privacy_before: &'static str,
    pub privacy_link: &'static str,
    pub privacy_after: &'static str,
    pub opt_in_organiser: &'static str,
    /// `{partner}`: the partner's name.
    pub opt_in_partner: &'static str,
    /// Asks to be named on the wall of signatories, and says how.
    pub listed: &'static str,
    /// The city shown beside a listed name.
    pub city: &'static str,
    pub sign: &'static str,
    pub sending: &'static str,
    /// Offline or failing: the signature waits on the device and is retried.
    pub saved_on_device: &'static str,
    pub refused: &'static str,
    /// The organiser paused signing: the signature waits on the device.
    pub paused: &'static str,
    /// The petition has closed: the signature cannot be sent.
    pub closed: &'static str,
    pub fix_errors: &'static str,
    pub required: &'static str,
    pub too_long: &'static str,
    pub not_a_name: &'static str,
    pub invalid_email: &'static str,
    pub unknown_country: &'static str,
    pub consent_required: &'static str,
    pub invalid: &'static str,
    pub thanks_title: &'static str,
    pub thanks_body: &'static str,
    /// Instead of `thanks_body` when the signature counts once confirmed.
    pub thanks_confirm: &'static str,
    pub share_heading: &'static str,
    pub share_email: &'static str,
    pub copy_link: &'static str,
    pub link_copied: &'static str,
    pub share_native: &'static str,
    pub mastodon_server: &'static str,
    pub mastodon_share: &'static str,
    /// The choice between the petition's two asks.
    #[cfg(feature = "pledge")]
    pub signing_as: &'static str,
    #[cfg(feature = "pledge")]
    pub as_person: &'static str,
    #[cfg(feature = "pledge")]
    pub as_organisation: &'static str,
    #[cfg(feature = "pledge")]
    pub organisation_title: &'static str,
    #[cfg(feature = "pledge")]
    pub organisation: &'static str,
    #[cfg(feature = "pledge")]
    pub organisation_url: &'static str,
    #[cfg(feature = "pledge")]
    pub organisation_country: &'static str,
    #[cfg(feature = "pledge")]
    pub kind: &'static str,
    #[cfg(feature = "pledge")]
    pub choose_kind: &'static str,
    /// The names of [`chorus_wire::endorsements::KINDS`], in their order.
    #[cfg(feature = "pledge")]
    pub kinds: [&'static str; 6],
    #[cfg(feature = "pledge")]
    pub statement: &'static str,
    #[cfg(feature = "pledge")]
    pub logo_url: &'static str,
    #[cfg(feature = "pledge")]
    pub logo_upload: &'static str,
    /// Counted, never named: for an organisation at risk.
    #[cfg(feature = "pledge")]
    pub unnamed: &'static str,
    #[cfg(feature = "pledge")]
    pub signer_name: &'static str,
    #[cfg(feature = "pledge")]
    pub signer_role: &'static str,
    /// The signer's address, and why one at the organisation's domain helps.
    #[cfg(feature = "pledge")]
    pub work_email: &'static str,
    #[cfg(feature = "pledge")]
    pub organisation_sign: &'static str,
    /// After an organisation's signature: confirm, then the organisers review.
    #[cfg(feature = "pledge")]
    pub thanks_organisation: &'static str,
}

impl Messages {
    /// The message for a field problem.
    pub fn problem(&self, problem: Problem) -> &'static str {
        match problem {
            Problem::Required => self.required,
            Problem::TooLong => self.too_long,
            Problem::NotAName => self.not_a_name,
            Problem::InvalidEmail => self.invalid_email,
            Problem::UnknownCountry => self.unknown_country,
            Problem::ConsentRequired => self.consent_required,
            Problem::Invalid => self.invalid,
        }
    }
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
        assert_eq!(for_tag("fr-CA").sign, fr::MESSAGES.sign);
        assert_eq!(for_tag("es").sign, es::MESSAGES.sign);
        assert_eq!(for_tag("de").sign, en::MESSAGES.sign);
    }

    #[test]
    fn every_language_names_the_partner_in_its_opt_in() {
        for messages in [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES] {
            assert!(messages.opt_in_partner.contains("{partner}"));
        }
    }
}
