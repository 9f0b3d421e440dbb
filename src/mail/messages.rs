//! The words of the emails and of the pages their links open, in English,
//! French and Spanish; other languages read English.

/// One language's words. `{name}`, `{title}`, `{link}` are filled in.
#[derive(Debug)]
pub struct Words {
    pub lang: &'static str,
    pub confirm_subject: &'static str,
    pub confirm_body: &'static str,
    pub repeat_subject: &'static str,
    pub repeat_body: &'static str,
    /// Closes every email: the link that removes the signature.
    pub withdraw_footer: &'static str,
    /// For a signer who asked to be on the wall: the link that takes the
    /// name off it.
    pub unlist_footer: &'static str,
    pub unlist_heading: &'static str,
    pub unlist_button: &'static str,
    pub unlisted: &'static str,
    pub confirm_heading: &'static str,
    pub confirm_button: &'static str,
    pub confirmed: &'static str,
    pub withdraw_heading: &'static str,
    pub withdraw_text: &'static str,
    pub withdraw_button: &'static str,
    pub withdrawn: &'static str,
    pub invalid_link: &'static str,
}

const EN: Words = Words {
    lang: "en",
    confirm_subject: "Please confirm your signature",
    confirm_body: "Hello {name},\n\nThank you for signing \"{title}\". Your signature counts once you confirm it here:\n\n{link}\n\nIf you do nothing, the signature and your details are deleted in 14 days.",
    repeat_subject: "You have already signed",
    repeat_body: "Hello {name},\n\nSomeone, probably you, tried to sign \"{title}\" again with this address. You had already signed, and your signature counts once.",
    withdraw_footer: "If you never signed this petition, someone used your address. Remove the signature and your details here:\n\n{link}",
    unlist_footer: "You asked to show your first name on the petition's wall of signatories, where it appears once you confirm. To take it off at any time:\n\n{link}",
    unlist_heading: "Take my name off the wall",
    unlist_button: "Take my name off",
    unlisted: "Your name is off the wall. Your signature still counts.",
    confirm_heading: "Confirm your signature",
    confirm_button: "Confirm my signature",
    confirmed: "Thank you: your signature counts now.",
    withdraw_heading: "Remove a signature",
    withdraw_text: "If you did not sign this petition, remove the signature made with your address. Your details are deleted.",
    withdraw_button: "Remove the signature",
    withdrawn: "The signature was removed and the details deleted.",
    invalid_link: "This link does not work any more: it was used already, or the signature was removed.",
};

const FR: Words = Words {
    lang: "fr",
    confirm_subject: "Merci de confirmer votre signature",
    confirm_body: "Bonjour {name},\n\nMerci d'avoir signé « {title} ». Votre signature comptera dès que vous l'aurez confirmée ici :\n\n{link}\n\nSans confirmation, la signature et vos coordonnées seront supprimées dans 14 jours.",
    repeat_subject: "Vous avez déjà signé",
    repeat_body: "Bonjour {name},\n\nQuelqu'un, sans doute vous, a voulu signer de nouveau « {title} » avec cette adresse. Vous aviez déjà signé, et votre signature compte une fois.",
    withdraw_footer: "Si vous n'avez jamais signé cette pétition, quelqu'un a utilisé votre adresse. Retirez la signature et vos coordonnées ici :\n\n{link}",
    unlist_footer: "Vous avez demandé que votre prénom figure sur le mur des signataires de la pétition, où il apparaîtra après votre confirmation. Pour le retirer à tout moment :\n\n{link}",
    unlist_heading: "Retirer mon nom du mur",
    unlist_button: "Retirer mon nom",
    unlisted: "Votre nom ne figure plus sur le mur. Votre signature compte toujours.",
    confirm_heading: "Confirmez votre signature",
    confirm_button: "Confirmer ma signature",
    confirmed: "Merci : votre signature compte désormais.",
    withdraw_heading: "Retirer une signature",
    withdraw_text: "Si vous n'avez pas signé cette pétition, retirez la signature faite avec votre adresse. Vos coordonnées seront supprimées.",
    withdraw_button: "Retirer la signature",
    withdrawn: "La signature a été retirée et les coordonnées supprimées.",
    invalid_link: "Ce lien ne fonctionne plus : il a déjà servi, ou la signature a été retirée.",
};

const ES: Words = Words {
    lang: "es",
    confirm_subject: "Confirma tu firma, por favor",
    confirm_body: "Hola, {name}:\n\nGracias por firmar «{title}». Tu firma contará en cuanto la confirmes aquí:\n\n{link}\n\nSi no haces nada, la firma y tus datos se borrarán dentro de 14 días.",
    repeat_subject: "Ya habías firmado",
    repeat_body: "Hola, {name}:\n\nAlguien, seguramente tú, intentó firmar de nuevo «{title}» con esta dirección. Ya habías firmado, y tu firma cuenta una vez.",
    withdraw_footer: "Si nunca firmaste esta petición, alguien usó tu dirección. Retira la firma y tus datos aquí:\n\n{link}",
    unlist_footer: "Pediste que tu nombre aparezca en el muro de firmantes de la petición, donde se mostrará cuando confirmes. Para quitarlo en cualquier momento:\n\n{link}",
    unlist_heading: "Quitar mi nombre del muro",
    unlist_button: "Quitar mi nombre",
    unlisted: "Tu nombre ya no está en el muro. Tu firma sigue contando.",
    confirm_heading: "Confirma tu firma",
    confirm_button: "Confirmar mi firma",
    confirmed: "Gracias: tu firma ya cuenta.",
    withdraw_heading: "Retirar una firma",
    withdraw_text: "Si no firmaste esta petición, retira la firma hecha con tu dirección. Tus datos se borrarán.",
    withdraw_button: "Retirar la firma",
    withdrawn: "La firma se retiró y los datos se borraron.",
    invalid_link: "Este enlace ya no funciona: ya se usó, o la firma se retiró.",
};

/// The words for a language tag (`fr`, `fr-CA`), English when there are none.
pub fn words(lang: &str) -> &'static Words {
    crate::ident::in_language(lang, &EN, &FR, &ES)
}

/// `template` with `{name}`, `{title}` and `{link}` filled in, in one pass:
/// a value is never read as a placeholder.
pub fn fill(template: &str, name: &str, title: &str, link: &str) -> String {
    chorus_wire::text::fill_with(
        template,
        &[("name", name), ("title", title), ("link", link)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_tags_find_their_language_and_others_read_english() {
        assert_eq!(words("fr-CA").lang, "fr");
        assert_eq!(words("ES").lang, "es");
        assert_eq!(words("sw").lang, "en");
        assert_eq!(words("").lang, "en");
    }

    #[test]
    fn every_language_fills_every_part() {
        for w in [&EN, &FR, &ES] {
            let body = fill(w.confirm_body, "Zoë", "Free them", "https://x.example/c");
            assert!(
                body.contains("Zoë")
                    && body.contains("Free them")
                    && body.contains("https://x.example/c"),
                "{}",
                w.lang
            );
            assert!(
                fill(w.withdraw_footer, "", "", "LINK").contains("LINK"),
                "{}",
                w.lang
            );
            assert!(
                fill(w.repeat_body, "Zoë", "T", "").contains("Zoë"),
                "{}",
                w.lang
            );
        }
    }

    #[test]
    fn a_value_is_never_read_as_a_placeholder() {
        assert_eq!(
            fill("{name}: {link} {x}", "{link}", "", "L"),
            "{link}: L {x}"
        );
    }
}
