//! The words of sign-ups, in English, French and Spanish (other languages
//! read English): the email asking to confirm, the one a second sign-up
//! gets, and the pages the links open.

use chorus_wire::text::fill_with;

use crate::mail::Letter;

/// One language's words. `{name}`, `{list}`, `{link}` and `{leave}` are
/// filled in.
#[derive(Debug)]
pub struct Words {
    pub lang: &'static str,
    pub confirm_subject: &'static str,
    pub confirm_body: &'static str,
    pub repeat_subject: &'static str,
    pub repeat_body: &'static str,
    pub confirm_heading: &'static str,
    pub confirm_button: &'static str,
    pub confirmed: &'static str,
    pub leave_heading: &'static str,
    pub leave_button: &'static str,
    pub left: &'static str,
    pub invalid_link: &'static str,
}

const EN: Words = Words {
    lang: "en",
    confirm_subject: "Please confirm you want news from {list}",
    confirm_body: "Hello {name},\n\nSomeone, probably you, asked to receive news from {list} at this address. Please confirm here:\n\n{link}\n\nIf you did not ask, do nothing: without confirmation your address is deleted in 14 days.\n\nTo leave the list at any time: {leave}",
    repeat_subject: "You are on the list for {list}",
    repeat_body: "Hello {name},\n\nSomeone, perhaps you, asked again to receive news from {list} at this address. You are on the list already; nothing was changed.",
    confirm_heading: "Confirm that you want to receive these emails",
    confirm_button: "Yes, send me the news",
    confirmed: "Thank you: you are on the list.",
    leave_heading: "Leave the list?",
    leave_button: "Leave the list",
    left: "You have left the list, and your address is deleted.",
    invalid_link: "This link does not work any more.",
};

const FR: Words = Words {
    lang: "fr",
    confirm_subject: "Confirmez que vous souhaitez recevoir les nouvelles de {list}",
    confirm_body: "Bonjour {name},\n\nQuelqu'un, sans doute vous, a demandé à recevoir les nouvelles de {list} à cette adresse. Confirmez ici :\n\n{link}\n\nSi vous n'avez rien demandé, ne faites rien : sans confirmation, votre adresse sera supprimée dans 14 jours.\n\nPour quitter la liste à tout moment : {leave}",
    repeat_subject: "Vous êtes inscrit·e à {list}",
    repeat_body: "Bonjour {name},\n\nQuelqu'un, peut-être vous, a de nouveau demandé à recevoir les nouvelles de {list} à cette adresse. Vous êtes déjà inscrit·e ; rien n'a été modifié.",
    confirm_heading: "Confirmez que vous souhaitez recevoir ces e-mails",
    confirm_button: "Oui, envoyez-moi les nouvelles",
    confirmed: "Merci : vous êtes inscrit·e.",
    leave_heading: "Quitter la liste ?",
    leave_button: "Quitter la liste",
    left: "Vous avez quitté la liste et votre adresse est supprimée.",
    invalid_link: "Ce lien ne fonctionne plus.",
};

const ES: Words = Words {
    lang: "es",
    confirm_subject: "Confirma que quieres recibir las novedades de {list}",
    confirm_body: "Hola, {name}:\n\nAlguien, probablemente tú, pidió recibir las novedades de {list} en esta dirección. Confírmalo aquí:\n\n{link}\n\nSi no lo pediste, no hagas nada: sin confirmación, tu dirección se borrará dentro de 14 días.\n\nPara salir de la lista cuando quieras: {leave}",
    repeat_subject: "Ya estás en la lista de {list}",
    repeat_body: "Hola, {name}:\n\nAlguien, quizá tú, volvió a pedir las novedades de {list} en esta dirección. Ya estás en la lista; no se ha cambiado nada.",
    confirm_heading: "Confirma que quieres recibir estos correos",
    confirm_button: "Sí, envíame las novedades",
    confirmed: "Gracias: ya estás en la lista.",
    leave_heading: "¿Salir de la lista?",
    leave_button: "Salir de la lista",
    left: "Has salido de la lista y tu dirección se ha borrado.",
    invalid_link: "Este enlace ya no funciona.",
};

/// The words for a language tag; English for any language without its own.
pub fn words(lang: &str) -> &'static Words {
    crate::ident::in_language(lang, &EN, &FR, &ES)
}

/// Who is written to, and about which list.
#[derive(Debug)]
pub struct To<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub lang: &'a str,
    pub list: &'a str,
}

/// "Please confirm", with the link that confirms and the one that leaves.
pub fn confirm_letter(to: &To<'_>, link: &str, leave: &str) -> Letter {
    let words = words(to.lang);
    letter(to, words.confirm_subject, words.confirm_body, link, leave)
}

/// "You are on the list already".
pub fn repeat_letter(to: &To<'_>) -> Letter {
    let words = words(to.lang);
    letter(to, words.repeat_subject, words.repeat_body, "", "")
}

fn letter(to: &To<'_>, subject: &str, body: &str, link: &str, leave: &str) -> Letter {
    let values = [
        ("name", to.name.trim()),
        ("list", to.list),
        ("link", link),
        ("leave", leave),
    ];
    Letter {
        to: to.email.trim().to_owned(),
        subject: fill_with(subject, &values),
        body: fill_with(body, &values),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_fills_every_placeholder() {
        for lang in ["en", "fr", "es-MX", "de"] {
            let to = To {
                email: " amara@example.org ",
                name: "Amara",
                lang,
                list: "Coalition news",
            };
            let confirm = confirm_letter(
                &to,
                "https://c.example/signup/abc",
                "https://c.example/leave/abc",
            );
            for letter in [&confirm, &repeat_letter(&to)] {
                assert_eq!(letter.to, "amara@example.org");
                let text = format!("{} {}", letter.subject, letter.body);
                assert!(
                    !text.contains('{') && text.contains("Coalition news"),
                    "{lang}: {text}"
                );
            }
            assert!(confirm.body.contains("https://c.example/signup/abc"));
            assert!(confirm.body.contains("https://c.example/leave/abc"));
        }
    }
}
