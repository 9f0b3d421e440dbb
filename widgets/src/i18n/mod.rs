//! Message catalogs and locale-aware formatting.
//!
//! Every word a supporter reads comes from a [`Catalog`]; each language is one
//! file, and the compiler refuses a catalog with a missing message. Numbers,
//! plurals and relative times use the browser's `Intl`, which knows every
//! locale and costs the bundle nothing.

mod en;
mod es;
mod fr;

use js_sys::{Array, Intl, Object};
use wasm_bindgen::JsValue;

/// The messages of one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Catalog {
    /// After a count of exactly one (in the language's plural rules).
    pub signatures_one: &'static str,
    pub signatures_other: &'static str,
    /// `{goal}` is replaced by the formatted goal.
    pub goal: &'static str,
    /// Read by screen readers on the progress bar: `{count}` and `{goal}`.
    pub progress: &'static str,
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

impl Locale {
    /// The first of `candidates` that has a catalog, else English.
    pub fn negotiate<'a>(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        candidates
            .into_iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
                catalog_for(&primary).map(|catalog| Self {
                    tag: tag.replace('_', "-"),
                    catalog,
                })
            })
            .unwrap_or(Self {
                tag: "en".into(),
                catalog: &en::CATALOG,
            })
    }

    fn locales(&self) -> Array {
        Array::of1(&JsValue::from_str(&self.tag))
    }

    /// `1234` as this locale writes it: `1,234`, `1 234`, `1.234`.
    pub fn number(&self, n: u64) -> String {
        Intl::NumberFormat::new(&self.locales(), &Object::new())
            .format()
            .call1(&JsValue::NULL, &JsValue::from_f64(n as f64))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| n.to_string())
    }

    /// "signature" or "signatures", by this language's plural rules.
    pub fn signatures_word(&self, n: u64) -> &'static str {
        let rule = Intl::PluralRules::new(&self.locales(), &Object::new()).select(n as f64);
        if rule == "one" {
            self.catalog.signatures_one
        } else {
            self.catalog.signatures_other
        }
    }

    /// "5 minutes ago", "yesterday", "hace 3 horas"...
    pub fn ago(&self, seconds: f64) -> String {
        let (value, unit) = match seconds.max(0.0) {
            s if s < 60.0 => (0.0, "minute"),
            s if s < 3_600.0 => ((s / 60.0).floor(), "minute"),
            s if s < 86_400.0 => ((s / 3_600.0).floor(), "hour"),
            s => ((s / 86_400.0).floor(), "day"),
        };
        let options = Object::new();
        let _ = js_sys::Reflect::set(&options, &"numeric".into(), &"auto".into());
        Intl::RelativeTimeFormat::new(&self.locales(), &options)
            .format(-value, unit)
            .into()
    }

    /// A day as this locale writes it: "12 Mar 2026", "12 mars 2026".
    #[cfg(feature = "updates")]
    pub fn date(&self, millis: f64) -> String {
        let options = Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        Intl::DateTimeFormat::new(&self.locales(), &options)
            .format()
            .call1(&JsValue::NULL, &js_sys::Date::new(&millis.into()))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }
}

/// Of three things made per language (English, French, Spanish), the one
/// for a tag's primary subtag; English's for any other language.
#[cfg(any(feature = "petition", feature = "donate", feature = "updates"))]
pub fn by_language<T>(tag: &str, [en, fr, es]: [&'static T; 3]) -> &'static T {
    match tag.split(['-', '_']).next().unwrap_or_default() {
        "fr" => fr,
        "es" => es,
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
    values
        .iter()
        .fold(message.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_language_with_a_catalog_wins() {
        assert_eq!(Locale::negotiate(["de", "fr-CA", "es"]).tag, "fr-CA");
        assert_eq!(Locale::negotiate(["ES_mx"]).catalog.goal, es::CATALOG.goal);
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        let locale = Locale::negotiate(["de", "", "zz-ZZ"]);
        assert_eq!(locale.tag, "en");
        assert_eq!(locale.catalog.goal, en::CATALOG.goal);
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
