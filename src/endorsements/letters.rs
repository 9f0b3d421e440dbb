//! The words of organisations' signatures, in English, French and Spanish
//! (other languages read English): the email asking the person who signed
//! for an organisation to confirm, the one a second signature gets, and the
//! confirmation link's page.

use chorus_wire::text::fill_with;

use crate::mail::Letter;

/// One language's words. `{name}`, `{organisation}`, `{title}` and
/// `{link}` are filled in.
#[derive(Debug)]
pub struct Words {
    pub lang: &'static str,
    pub confirm_subject: &'static str,
    pub confirm_body: &'static str,
    pub repeat_subject: &'static str,
    pub repeat_body: &'static str,
    pub confirm_heading: &'static str,
    pub confirm_text: &'static str,
    pub confirm_button: &'static str,
    pub confirmed: &'static str,
    pub invalid_link: &'static str,
}

const EN: Words = Words {
    lang: "en",
    confirm_subject: "Please confirm {organisation}'s signature",
    confirm_body: "Hello {name},\n\nThank you for signing \"{title}\" on behalf of {organisation}. Please confirm that you speak for it here:\n\n{link}\n\nOnce you confirm, the organisers review the signature before {organisation} is counted and listed. Your own name and address are never published.\n\nIf you do nothing, the signature and your details are deleted in 14 days.",
    repeat_subject: "{organisation} has signed already",
    repeat_body: "Hello {name},\n\nSomeone, perhaps you, tried to sign \"{title}\" on behalf of {organisation}, whose website has signed it already. Nothing more is needed, and nothing was changed.\n\nIf you think the signature already made is wrong, please reply to the organisers of the petition.",
    confirm_heading: "Confirm your organisation's signature",
    confirm_text: "The organisers review it next; the organisation is counted and listed once they approve it.",
    confirm_button: "Confirm the signature",
    confirmed: "Thank you: the signature is confirmed. The organisers will review it soon.",
    invalid_link: "This link does not work any more.",
};

const FR: Words = Words {
    lang: "fr",
    confirm_subject: "Merci de confirmer la signature de {organisation}",
    confirm_body: "Bonjour {name},\n\nMerci d'avoir signé « {title} » au nom de {organisation}. Confirmez ici que vous parlez en son nom :\n\n{link}\n\nUne fois la signature confirmée, les organisateurs l'examinent avant que {organisation} soit comptée et affichée. Votre nom et votre adresse ne sont jamais publiés.\n\nSans confirmation, la signature et vos coordonnées seront supprimées dans 14 jours.",
    repeat_subject: "{organisation} a déjà signé",
    repeat_body: "Bonjour {name},\n\nQuelqu'un, peut-être vous, a voulu signer « {title} » au nom de {organisation}, dont le site a déjà signé. Rien d'autre n'est nécessaire, et rien n'a été modifié.\n\nSi la signature déjà faite vous semble erronée, répondez aux organisateurs de la pétition.",
    confirm_heading: "Confirmez la signature de votre organisation",
    confirm_text: "Les organisateurs l'examinent ensuite ; l'organisation est comptée et affichée dès qu'ils l'approuvent.",
    confirm_button: "Confirmer la signature",
    confirmed: "Merci : la signature est confirmée. Les organisateurs l'examineront bientôt.",
    invalid_link: "Ce lien ne fonctionne plus.",
};

const ES: Words = Words {
    lang: "es",
    confirm_subject: "Confirma la firma de {organisation}, por favor",
    confirm_body: "Hola, {name}:\n\nGracias por firmar «{title}» en nombre de {organisation}. Confirma aquí que hablas en su nombre:\n\n{link}\n\nUna vez confirmada, el equipo organizador revisa la firma antes de contar y mostrar a {organisation}. Tu nombre y tu dirección nunca se publican.\n\nSi no haces nada, la firma y tus datos se borrarán dentro de 14 días.",
    repeat_subject: "{organisation} ya ha firmado",
    repeat_body: "Hola, {name}:\n\nAlguien, quizá tú, intentó firmar «{title}» en nombre de {organisation}, cuyo sitio web ya la ha firmado. No hace falta nada más y no se ha cambiado nada.\n\nSi crees que la firma ya hecha es un error, responde al equipo organizador de la petición.",
    confirm_heading: "Confirma la firma de tu organización",
    confirm_text: "Después la revisa el equipo organizador; la organización se cuenta y se muestra en cuanto la aprueban.",
    confirm_button: "Confirmar la firma",
    confirmed: "Gracias: la firma está confirmada. El equipo organizador la revisará pronto.",
    invalid_link: "Este enlace ya no funciona.",
};

/// The words for a language tag; English for any language without its own.
pub fn words(lang: &str) -> &'static Words {
    crate::ident::in_language(lang, &EN, &FR, &ES)
}

/// Who is written to, and about what.
#[derive(Debug)]
pub struct To<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub lang: &'a str,
    pub organisation: &'a str,
    pub petition_title: &'a str,
}

/// "Confirm your organisation's signature", with its link.
pub fn confirm_letter(to: &To<'_>, link: &str) -> Letter {
    let words = words(to.lang);
    letter(to, words.confirm_subject, words.confirm_body, link)
}

/// "Your organisation has signed already".
pub fn repeat_letter(to: &To<'_>) -> Letter {
    let words = words(to.lang);
    letter(to, words.repeat_subject, words.repeat_body, "")
}

fn letter(to: &To<'_>, subject: &str, body: &str, link: &str) -> Letter {
    let values = [
        ("name", to.name.trim()),
        ("organisation", to.organisation.trim()),
        ("title", to.petition_title),
        ("link", link),
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
        for lang in ["en", "fr-CA", "es", "pt"] {
            let to = To {
                email: " ana@sindicato.example ",
                name: "Ana",
                lang,
                organisation: "Sindicato Unido",
                petition_title: "Ratify the convention",
            };
            for letter in [
                confirm_letter(&to, "https://chorus.example/endorsement/abc"),
                repeat_letter(&to),
            ] {
                assert_eq!(letter.to, "ana@sindicato.example");
                let text = format!("{} {}", letter.subject, letter.body);
                assert!(!text.contains('{'), "{lang}: {text}");
                assert!(text.contains("Sindicato Unido"), "{lang}: {text}");
            }
            assert!(
                confirm_letter(&to, "https://chorus.example/endorsement/abc")
                    .body
                    .contains("https://chorus.example/endorsement/abc")
            );
        }
    }
}
