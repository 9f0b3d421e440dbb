//! The names the wall shows, built by the server from what a signer typed,
//! never the raw input: the first name as written (trimmed, its spaces
//! collapsed), and the last name's first letter only. The rest of the name
//! stays sealed to the organisation.

use crate::storage::{WallName, WallSettings};

/// The parts of a listed name, from the signing form.
pub fn wall_name(first_name: &str, last_name: &str, country: &str, city: &str) -> WallName {
    use crypto_box::aead::rand_core::RngCore;
    let first_name = first_name.split_whitespace().collect::<Vec<_>>().join(" ");
    let initial = last_name
        .trim()
        .chars()
        .find(|c| c.is_alphabetic())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    WallName {
        first_name,
        initial,
        country: country.to_owned(),
        city: city.split_whitespace().collect::<Vec<_>>().join(" "),
        shuffle: i64::from(crypto_box::aead::OsRng.next_u32()),
    }
}

/// The name as a petition's wall shows it: "Ana L.", or "Ana" when the
/// organiser chose first names only (or the signer gave no last name);
/// with ", Lyon" after it when the organiser shows cities and the signer
/// gave one.
pub fn shown(first_name: &str, initial: &str, city: &str, settings: &WallSettings) -> String {
    let name = if settings.first_name_only || initial.is_empty() {
        first_name.to_owned()
    } else {
        format!("{first_name} {initial}.")
    };
    if settings.show_city && !city.is_empty() {
        format!("{name}, {city}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_name_and_an_initial_are_kept() {
        let name = wall_name("  Ana   María ", " de la Cruz", "MX", " Ciudad   Juárez ");
        assert_eq!(
            (
                name.first_name.as_str(),
                name.initial.as_str(),
                name.city.as_str()
            ),
            ("Ana María", "D", "Ciudad Juárez")
        );
        let mut settings = WallSettings::default();
        let show =
            |settings: &WallSettings| shown(&name.first_name, &name.initial, &name.city, settings);
        assert_eq!(show(&settings), "Ana María D.");
        settings.show_city = true;
        assert_eq!(show(&settings), "Ana María D., Ciudad Juárez");
        settings.first_name_only = true;
        assert_eq!(show(&settings), "Ana María, Ciudad Juárez");
        let name = wall_name("Zoë", "'ölund", "SE", "");
        assert_eq!(
            name.initial, "Ö",
            "punctuation is skipped, the letter upper-cased"
        );
        assert_eq!(shown("Zoë", "", "", &settings), "Zoë");
    }
}
