//! The events widget's words, one file per language, like the others'.

mod en;
mod es;
mod fr;

use chorus_wire::signing::Problem;

#[derive(Debug, PartialEq, Eq)]
pub struct Messages {
    /// The widget's heading without a day: "Events near you".
    pub title: &'static str,
    pub loading: &'static str,
    /// Shown where a placeholder names a day Chorus does not have.
    pub unknown_day: &'static str,
    pub failed: &'static str,
    pub empty: &'static str,
    /// The filters' group, for screen readers.
    pub filters: &'static str,
    pub country: &'static str,
    pub every_country: &'static str,
    pub kind: &'static str,
    pub every_kind: &'static str,
    pub date: &'static str,
    pub city: &'static str,
    pub search: &'static str,
    /// Announced when a filter has been applied: `{count}`.
    pub found_one: &'static str,
    pub found_other: &'static str,
    /// The heading of events that happen online.
    pub online: &'static str,
    pub load_more: &'static str,
    /// The kinds, in `chorus_wire::events::KINDS` order.
    pub kinds: [&'static str; 8],
    /// The time at the event and its zone: `{time}` (`{zone}`).
    pub at_event: &'static str,
    /// The same moment where the reader is: `{time}`.
    pub your_time: &'static str,
    /// Where a host keeps the address for people who RSVP with an email.
    pub address_private: &'static str,
    /// `{host}`.
    pub hosted_by: &'static str,
    pub accessibility: &'static str,
    pub more_about: &'static str,
    /// `{count}` people coming.
    pub going_one: &'static str,
    pub going_other: &'static str,
    /// `{count}` of `{capacity}` places taken.
    pub places: &'static str,
    pub full: &'static str,
    pub cancelled: &'static str,
    pub add_to_calendar: &'static str,
    pub event_page: &'static str,
    pub join_online: &'static str,
    /// After a link that opens a new tab, for screen readers.
    pub new_tab: &'static str,

    // The RSVP form.
    pub rsvp: &'static str,
    pub guests: &'static str,
    /// The guest counts' options: "Just me", "Me and {count} more".
    pub just_me: &'static str,
    pub me_and: &'static str,
    pub email_optional: &'static str,
    pub email_why: &'static str,
    pub name_optional: &'static str,
    pub send_rsvp: &'static str,
    pub sending: &'static str,
    /// Chorus could not be reached: the answer waits on this page.
    pub not_sent_yet: &'static str,
    pub rsvp_done: &'static str,
    pub rsvp_emailed: &'static str,
    pub event_full: &'static str,
    pub event_closed: &'static str,
    pub refused: &'static str,

    // The "submit your event" form.
    pub propose: &'static str,
    pub propose_intro: &'static str,
    pub event_title: &'static str,
    pub description: &'static str,
    pub starts: &'static str,
    pub ends: &'static str,
    pub time_zone: &'static str,
    pub venue: &'static str,
    pub address: &'static str,
    pub keep_private: &'static str,
    pub online_url: &'static str,
    pub capacity: &'static str,
    pub host: &'static str,
    pub contact_name: &'static str,
    pub contact_email: &'static str,
    pub contact_why: &'static str,
    pub send_proposal: &'static str,
    pub proposal_done: &'static str,
    pub fix_fields: &'static str,
    pub close: &'static str,

    // Problems with a field.
    pub required: &'static str,
    pub too_long: &'static str,
    pub not_a_name: &'static str,
    pub invalid_email: &'static str,
    pub unknown_country: &'static str,
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
            Problem::ConsentRequired | Problem::Invalid => self.invalid,
        }
    }

    /// A kind's name; the kind itself if it is one this bundle predates.
    pub fn kind_name(&self, kind: &str) -> String {
        chorus_wire::events::KINDS
            .iter()
            .position(|k| *k == kind)
            .map_or_else(|| kind.to_owned(), |at| self.kinds[at].to_owned())
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
    fn every_catalog_keeps_every_placeholder() {
        for m in [&en::MESSAGES, &fr::MESSAGES, &es::MESSAGES] {
            for (text, names) in [
                (m.found_one, &["{count}"][..]),
                (m.found_other, &["{count}"]),
                (m.at_event, &["{time}", "{zone}"]),
                (m.your_time, &["{time}"]),
                (m.hosted_by, &["{host}"]),
                (m.going_one, &["{count}"]),
                (m.going_other, &["{count}"]),
                (m.places, &["{count}", "{capacity}"]),
                (m.me_and, &["{count}"]),
            ] {
                for name in names {
                    assert!(text.contains(name), "{text:?} lacks {name}");
                }
            }
        }
    }
}
