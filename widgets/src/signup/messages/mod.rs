//! The sign-up's words, one file per language, like the other widgets'.

mod en;
mod es;
mod fr;

use chorus_wire::signing::Problem;

#[derive(Debug, PartialEq, Eq)]
pub struct Messages {
    pub heading: &'static str,
    /// `{list}`: the list's name.
    pub intro: &'static str,
    /// `{count}` people and `{list}`, once some have joined.
    pub intro_count: &'static str,
    pub loading: &'static str,
    pub unknown_list: &'static str,
    pub first_name: &'static str,
    pub email: &'static str,
    pub country: &'static str,
    pub choose_country: &'static str,
    pub optional: &'static str,
    /// The language the emails come in.
    pub language: &'static str,
    pub privacy_link: &'static str,
    pub join: &'static str,
    pub sending: &'static str,
    pub saved_on_device: &'static str,
    pub refused: &'static str,
    pub fix_errors: &'static str,
    pub thanks_title: &'static str,
    pub thanks_body: &'static str,
    pub required: &'static str,
    pub too_long: &'static str,
    pub not_a_name: &'static str,
    pub invalid_email: &'static str,
    pub unknown_country: &'static str,
    pub consent_required: &'static str,
    pub invalid: &'static str,
}

impl Messages {
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

pub fn for_tag(tag: &str) -> &'static Messages {
    crate::i18n::by_language(tag, [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES])
}
