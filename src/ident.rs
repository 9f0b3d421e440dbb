//! Identifiers that arrive from outside (URLs, flags) parsed into types once,
//! at the edge, so the rest of the server never sees an unchecked string.

use std::fmt;

/// A petition or campaign slug: `a-z`, `0-9` and inner hyphens, 1 to 64 long.
/// It appears in URLs and in partners' HTML, so it stays boring on purpose.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let valid_chars = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if raw.is_empty() || raw.len() > Self::MAX_LEN {
            return Err(format!(
                "a slug has 1 to {} characters; got {}",
                Self::MAX_LEN,
                raw.len()
            ));
        }
        if !valid_chars || raw.starts_with('-') || raw.ends_with('-') {
            return Err(format!(
                "{raw:?} is not a slug: use lowercase letters, digits and inner hyphens"
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A language as Chorus stores texts: a lowercase BCP 47 primary subtag
/// (`en`, `fr`, `es`, `ar`). Regional variants fall back to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lang(String);

impl Lang {
    pub fn parse(raw: &str) -> Result<Self, String> {
        chorus_wire::lang::primary_subtag(raw)
            .map(Self)
            .ok_or_else(|| format!("{raw:?} is not a language tag such as en, fr or es-MX"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Something written in one language: a petition's or a campaign's text.
pub trait Written {
    fn lang(&self) -> &Lang;
}

/// The text in the wanted language, else the default language, else any.
pub fn pick_text<'a, T: Written>(
    texts: &'a [T],
    wanted: Option<&Lang>,
    default: &Lang,
) -> Option<&'a T> {
    let find = |lang: &Lang| texts.iter().find(|t| t.lang() == lang);
    wanted
        .and_then(find)
        .or_else(|| find(default))
        .or_else(|| texts.first())
}

/// A web origin (`https://partner.example`), as browsers send it in `Origin`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin(String);

impl Origin {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = url::Url::parse(raw).map_err(|e| format!("{raw:?} is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(format!("{raw:?} is not an http(s) origin"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "{raw:?} has a path; an origin is scheme, host and port only"
            ));
        }
        Ok(Self(url.origin().ascii_serialization()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text as searches compare it, whatever its case and accents: `São Paulo`
/// and `sao paulo` fold alike (compatibility-decomposed, combining marks
/// dropped, lower case).
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;

    text.trim()
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// Of the words Chorus writes in English, French and Spanish, those for
/// a language tag (`fr`, `fr-CA`): English for any other language.
pub fn in_language<'a, T>(tag: &str, english: &'a T, french: &'a T, spanish: &'a T) -> &'a T {
    match chorus_wire::lang::primary_subtag(tag).as_deref() {
        Some("fr") => french,
        Some("es") => spanish,
        _ => english,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_lowercase_digits_and_inner_hyphens() {
        assert!(Slug::parse("protect-defenders-2026").is_ok());
        for bad in ["", "-x", "x-", "Upper", "a b", "a/b", "é", &"a".repeat(65)] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn languages_reduce_to_their_primary_subtag() {
        assert_eq!(Lang::parse("es-MX").map(|l| l.0), Ok("es".into()));
        assert_eq!(Lang::parse("FR").map(|l| l.0), Ok("fr".into()));
        assert!(Lang::parse("english").is_err());
        assert!(Lang::parse("").is_err());
    }

    #[test]
    fn origins_are_normalised_and_paths_refused() {
        assert_eq!(
            Origin::parse("HTTPS://Partner.Example:443").map(|o| o.0),
            Ok("https://partner.example".into())
        );
        assert_eq!(
            Origin::parse("http://127.0.0.1:8081").map(|o| o.0),
            Ok("http://127.0.0.1:8081".into())
        );
        assert!(Origin::parse("https://partner.example/page").is_err());
        assert!(Origin::parse("javascript:alert(1)").is_err());
        assert!(Origin::parse("partner.example").is_err());
    }
}
