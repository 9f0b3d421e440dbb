//! Language tags as both sides read them: Chorus keeps texts per primary
//! language subtag (`fr` for `fr-CA`), and both pick words by it.

/// The primary subtag of a BCP 47 tag (`fr-CA` → `fr`, `ES_mx` → `es`), in
/// lower case: two or three letters, or nothing for anything else (`x`,
/// `@@`, an empty tag).
pub fn primary_subtag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?;
    ((2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| primary.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::primary_subtag;

    #[test]
    fn tags_reduce_to_their_primary_subtag() {
        assert_eq!(primary_subtag("fr-CA").as_deref(), Some("fr"));
        assert_eq!(primary_subtag("ES_mx").as_deref(), Some("es"));
        assert_eq!(primary_subtag("ast").as_deref(), Some("ast"));
        assert_eq!(primary_subtag("en-").as_deref(), Some("en"));
        for odd in ["", "x", "@@", "engl", "1a", "-fr"] {
            assert_eq!(primary_subtag(odd), None, "{odd:?}");
        }
    }
}
