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

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `Intl.getCanonicalLocales`, which throws a `RangeError` on a malformed
    /// tag: caught here, where js-sys's binding would let it unwind through
    /// the WebAssembly.
    #[wasm_bindgen(catch, js_namespace = Intl, js_name = getCanonicalLocales)]
    fn canonical_locales(tag: &str) -> Result<Array, JsValue>;
}

/// `tag` as `Intl` writes it (`fr-ca` → `fr-CA`), or `None` when `Intl`
/// would refuse it (`en-`, `x`, `@@`): every `Intl` constructor would throw.
fn canonical(tag: &str) -> Option<String> {
    canonical_locales(&tag.trim().replace('_', "-"))
        .ok()?
        .get(0)
        .as_string()
}

impl Locale {
    /// The first of `candidates` that is a well-formed tag with a catalog,
    /// else English.
    pub fn negotiate<'a>(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        Self::negotiate_with(candidates, canonical)
    }

    /// [`Self::negotiate`] with tags put in canonical form by `canonical`.
    fn negotiate_with<'a>(
        candidates: impl IntoIterator<Item = &'a str>,
        canonical: impl Fn(&str) -> Option<String>,
    ) -> Self {
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

    /// What `Intl.getCanonicalLocales` does to these tests' tags (the
    /// browser tests run the real one).
    fn canonical(tag: &str) -> Option<String> {
        let tag = tag.replace('_', "-");
        let well_formed = !tag.is_empty()
            && tag.split('-').all(|part| (1..=8).contains(&part.len()))
            && chorus_wire::lang::primary_subtag(&tag).is_some();
        well_formed.then_some(tag)
    }

    fn negotiate<'a>(candidates: impl IntoIterator<Item = &'a str>) -> Locale {
        Locale::negotiate_with(candidates, canonical)
    }

    #[test]
    fn the_first_language_with_a_catalog_wins() {
        assert_eq!(negotiate(["de", "fr-CA", "es"]).tag, "fr-CA");
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
