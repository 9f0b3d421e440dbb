//! Message catalogs and locale-aware formatting.
//!
//! Every word a supporter reads comes from a [`Catalog`]; each language is one
//! file, and the compiler refuses a catalog with a missing message. Numbers,
//! plurals, relative times, money and country names are formatted by the
//! browser's `Intl` in the widget (`intl.rs`) and by ICU4X on the server
//! (`icu4x.rs`), so the HTML the server renders reads as the widget would.

mod en;
mod es;
mod fr;

#[cfg(not(target_arch = "wasm32"))]
mod icu4x;
#[cfg(target_arch = "wasm32")]
mod intl;

#[cfg(not(target_arch = "wasm32"))]
use icu4x as formats;
#[cfg(target_arch = "wasm32")]
use intl as formats;

/// The messages of one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Catalog {
    /// After a count of exactly one (in the language's plural rules).
    pub signatures_one: &'static str,
    pub signatures_other: &'static str,
    /// After a count of organisations, as for signatures.
    pub organisations_one: &'static str,
    pub organisations_other: &'static str,
    /// `{goal}` is replaced by the formatted goal.
    pub goal: &'static str,
    /// Read by screen readers on the progress bar: `{count}` and `{goal}`.
    pub progress: &'static str,
    /// The progress bar's name, for screen readers.
    pub goal_bar: &'static str,
    /// `{ago}` is replaced by a relative time such as "5 minutes ago".
    pub last_signature: &'static str,
    pub loading: &'static str,
    /// Shown where a placeholder names a petition Chorus does not have.
    pub unknown_petition: &'static str,
}

/// A supporter's language: the catalog and the tag `Intl` formats with.
#[derive(Debug, Clone, PartialEq)]
pub struct Locale {
    /// A BCP 47 tag whose primary subtag has a catalog (`fr-CA`, `es`).
    pub tag: String,
    pub catalog: &'static Catalog,
}

/// The units of a relative time ("5 minutes ago", "yesterday").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Minute,
    Hour,
    Day,
}

/// `tag` in canonical form (`fr_ca` → `fr-CA`), or `None` when it is not a
/// well-formed language tag: `Intl` would refuse to format with it.
fn canonical(tag: &str) -> Option<String> {
    formats::canonical(&tag.trim().replace('_', "-"))
}

impl Locale {
    /// The first of `candidates` that is a well-formed tag with a catalog,
    /// else English.
    pub fn negotiate<'a>(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        candidates
            .into_iter()
            .find_map(|tag| {
                let tag = canonical(tag)?;
                let catalog = catalog_for(&chorus_wire::lang::primary_subtag(&tag)?)?;
                Some(Self { tag, catalog })
            })
            .unwrap_or(Self {
                tag: "en".into(),
                catalog: &en::CATALOG,
            })
    }

    /// `1234` as this locale writes it: `1,234`, `1 234`, `1.234`.
    pub fn number(&self, n: u64) -> String {
        formats::number(&self.tag, n)
    }

    /// Whether `n` takes the singular ("one") form in this language.
    pub fn is_one(&self, n: u64) -> bool {
        formats::is_one(&self.tag, n)
    }

    /// "signature" or "signatures", by this language's plural rules.
    pub fn signatures_word(&self, n: u64) -> &'static str {
        if self.is_one(n) {
            self.catalog.signatures_one
        } else {
            self.catalog.signatures_other
        }
    }

    /// "organisation" or "organisations", by this language's plural rules.
    pub fn organisations_word(&self, n: u64) -> &'static str {
        if self.is_one(n) {
            self.catalog.organisations_one
        } else {
            self.catalog.organisations_other
        }
    }

    /// "5 minutes ago", "yesterday", "hace 3 horas"...
    pub fn ago(&self, seconds: f64) -> String {
        let (value, unit) = match seconds.max(0.0) {
            s if s < 60.0 => (0.0, Unit::Minute),
            s if s < 3_600.0 => ((s / 60.0).floor(), Unit::Minute),
            s if s < 86_400.0 => ((s / 3_600.0).floor(), Unit::Hour),
            s => ((s / 86_400.0).floor(), Unit::Day),
        };
        formats::relative(&self.tag, -(value as i64), unit)
    }

    /// A day as this locale writes it: "Mar 12, 2026", "12 mars 2026".
    #[cfg(feature = "updates")]
    pub fn date(&self, millis: f64) -> String {
        formats::date(&self.tag, millis)
    }

    /// A language's name in this locale: "Spanish", "espagnol".
    #[cfg(feature = "feeds")]
    pub fn language_name(&self, code: &str) -> String {
        formats::language_name(&self.tag, code)
    }

    /// An amount of `currency` in minor units: "€5", "5,50 €".
    #[cfg(feature = "donate")]
    pub fn money(&self, amount: u64, currency: &str, minor_units: u8) -> String {
        formats::money(&self.tag, amount, currency, minor_units)
    }

    /// The country select's options: (code, name), named and sorted in this
    /// language, so the bundle carries codes only.
    #[cfg(any(feature = "petition", feature = "events", feature = "signup"))]
    pub fn countries(&self) -> Vec<(String, String)> {
        formats::regions(&self.tag, &chorus_wire::country_codes().collect::<Vec<_>>())
    }

    /// `codes` named and sorted in this language: (code, name).
    #[cfg(any(feature = "events", feature = "signers"))]
    pub fn countries_named(&self, codes: &[&str]) -> Vec<(String, String)> {
        formats::regions(&self.tag, codes)
    }

    /// The day of a wall-clock time (`2026-12-18T18:00`) as this locale
    /// writes it: "Friday, December 18", "vendredi 18 décembre".
    #[cfg(feature = "events")]
    pub fn wall_day(&self, local: &str) -> String {
        chorus_wire::events::parse_local_time(local)
            .map(|(y, m, d, _, _)| formats::wall_day(&self.tag, y, m, d))
            .unwrap_or_default()
    }

    /// The instant `millis` on the reader's own clock ("Friday, December
    /// 18 at 6:00 PM"), or its time alone; on the server, in UTC and named
    /// so, the reader's zone being the browser's to know.
    #[cfg(feature = "storm")]
    pub fn moment(&self, millis: f64, with_day: bool) -> String {
        formats::moment(&self.tag, millis, with_day)
    }

    /// How long until something `seconds` away: "in 3 days", "in 5
    /// hours", "in 25 minutes", in the largest unit that counts two.
    #[cfg(feature = "storm")]
    pub fn within(&self, seconds: f64) -> String {
        let seconds = seconds.max(0.0);
        let (value, unit) = match seconds {
            s if s >= 2.0 * 86_400.0 => ((s / 86_400.0).floor(), Unit::Day),
            s if s >= 2.0 * 3_600.0 => ((s / 3_600.0).floor(), Unit::Hour),
            s => ((s / 60.0).ceil(), Unit::Minute),
        };
        formats::relative(&self.tag, value as i64, unit)
    }

    /// The time of day of a wall-clock time: "6:00 PM", "18:00".
    #[cfg(feature = "events")]
    pub fn wall_time(&self, local: &str) -> String {
        chorus_wire::events::parse_local_time(local)
            .map(|(_, _, _, h, m)| formats::wall_time(&self.tag, h, m))
            .unwrap_or_default()
    }

    /// The instant `start_date` (RFC 3339) on the reader's own clock, with
    /// their zone's name ("7:00 PM GMT+1"), when their clock differs from
    /// the event's (`utc_offset`, `+01:00`); its weekday too when the day
    /// differs. Only the browser knows the reader's zone: the server shows
    /// nothing.
    #[cfg(feature = "events")]
    pub fn reader_time(&self, start_date: &str, utc_offset: &str, local: &str) -> Option<String> {
        formats::reader_time(&self.tag, start_date, utc_offset, local)
    }
}

/// Of three things made per language (English, French, Spanish), the one
/// for a tag's primary subtag; English's for any other language.
#[cfg(feature = "beyond-counters")]
pub fn by_language<T>(tag: &str, [en, fr, es]: [&'static T; 3]) -> &'static T {
    match chorus_wire::lang::primary_subtag(tag).as_deref() {
        Some("fr") => fr,
        Some("es") => es,
        _ => en,
    }
}

fn catalog_for(primary: &str) -> Option<&'static Catalog> {
    match primary {
        "en" => Some(&en::CATALOG),
        "fr" => Some(&fr::CATALOG),
        "es" => Some(&es::CATALOG),
        _ => None,
    }
}

/// Fills `{name}` placeholders in a message.
pub fn fill(message: &str, values: &[(&str, &str)]) -> String {
    chorus_wire::text::fill_with(message, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negotiate<'a>(candidates: impl IntoIterator<Item = &'a str>) -> Locale {
        Locale::negotiate(candidates)
    }

    #[test]
    fn the_first_language_with_a_catalog_wins() {
        assert_eq!(negotiate(["de", "fr-ca", "es"]).tag, "fr-CA");
        assert_eq!(negotiate(["ES_mx"]).catalog.goal, es::CATALOG.goal);
    }

    #[test]
    fn a_malformed_tag_is_passed_over_for_the_next_candidate() {
        assert_eq!(negotiate(["en-", "x", "@@", "fr"]).tag, "fr");
        assert_eq!(negotiate(["es-"]).tag, "en");
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        let locale = negotiate(["de", "", "zz-ZZ"]);
        assert_eq!(locale.tag, "en");
        assert_eq!(locale.catalog.goal, en::CATALOG.goal);
    }

    #[test]
    fn the_server_writes_numbers_and_plurals_as_each_language_does() {
        let (en, fr, es) = (negotiate(["en"]), negotiate(["fr"]), negotiate(["es"]));
        assert_eq!(en.number(12_345), "12,345");
        // French groups with a narrow no-break space; Spanish only from five digits.
        assert_eq!(fr.number(12_345), "12\u{202f}345");
        assert_eq!(es.number(1_234), "1234");
        assert_eq!(es.number(12_345), "12.345");
        assert_eq!(en.signatures_word(1), "signature");
        assert_eq!(en.signatures_word(0), "signatures");
        // In French, zero takes the singular.
        assert_eq!(fr.signatures_word(0), fr::CATALOG.signatures_one);
    }

    #[test]
    fn the_server_writes_relative_times_as_each_language_does() {
        assert_eq!(negotiate(["en"]).ago(5.0), "this minute");
        assert_eq!(negotiate(["en"]).ago(300.0), "5 minutes ago");
        assert_eq!(negotiate(["fr"]).ago(7_200.0), "il y a 2 heures");
        assert_eq!(negotiate(["es"]).ago(86_400.0), "ayer");
    }

    #[test]
    fn the_server_writes_amounts_as_each_language_does_whole_ones_without_zeros() {
        let (en, fr, es) = (negotiate(["en"]), negotiate(["fr"]), negotiate(["es"]));
        assert_eq!(en.money(2_000_000, "EUR", 2), "€20,000");
        assert_eq!(en.money(750, "EUR", 2), "€7.50");
        assert_eq!(fr.money(2_000_000, "EUR", 2), "20\u{202f}000\u{a0}€");
        assert_eq!(fr.money(1_005, "EUR", 2), "10,05\u{a0}€");
        assert_eq!(es.money(2_000_000, "EUR", 2), "20.000\u{a0}€");
        assert_eq!(en.money(500, "JPY", 0), "¥500");
    }

    #[test]
    #[cfg(feature = "events")]
    fn the_server_writes_wall_clock_days_and_times_as_each_language_does() {
        let (en, fr, es) = (negotiate(["en"]), negotiate(["fr"]), negotiate(["es"]));
        assert_eq!(en.wall_day("2026-12-18T18:00"), "Friday, December 18");
        assert_eq!(fr.wall_day("2026-12-18T18:00"), "vendredi 18 décembre");
        assert_eq!(en.wall_time("2026-12-18T18:05"), "6:05\u{202f}PM");
        assert_eq!(fr.wall_time("2026-12-18T18:05"), "18:05");
        assert_eq!(es.wall_time("2026-12-18T21:30"), "21:30");
        assert_eq!(en.wall_time("not a time"), "");
        // The reader's zone is the browser's to know.
        assert_eq!(
            en.reader_time("2026-12-18T17:00:00Z", "+01:00", "2026-12-18T18:00"),
            None
        );
    }

    #[test]
    #[cfg(feature = "storm")]
    fn the_server_writes_a_storms_moment_in_utc_and_the_wait_in_words() {
        let (en, fr) = (negotiate(["en"]), negotiate(["fr"]));
        // 2026-12-18T17:00:00Z
        let at = 1_797_613_200_000.0;
        assert_eq!(
            en.moment(at, true),
            "Friday, December 18, 5:00\u{202f}PM UTC"
        );
        assert_eq!(fr.moment(at, false), "17:00 UTC");
        assert_eq!(en.within(3.0 * 86_400.0 + 7_200.0), "in 3 days");
        assert_eq!(en.within(5.5 * 3_600.0), "in 5 hours");
        assert_eq!(en.within(90.0 * 60.0), "in 90 minutes");
        assert_eq!(fr.within(30.0), "dans 1 minute");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("Goal: {goal}", &[("goal", "2,000")]), "Goal: 2,000");
    }

    #[test]
    fn every_catalog_keeps_every_placeholder() {
        for catalog in [&en::CATALOG, &fr::CATALOG, &es::CATALOG] {
            assert!(catalog.goal.contains("{goal}"));
            assert!(catalog.progress.contains("{count}") && catalog.progress.contains("{goal}"));
            assert!(catalog.last_signature.contains("{ago}"));
        }
    }
}
