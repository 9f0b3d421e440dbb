//! The emails of local events, and the words of their pages, in English,
//! French and Spanish (other languages read English): the receipt an RSVP
//! with an email gets (with a private address, if the host kept one), the
//! reminder the day before, and the host's news of the organiser's
//! decision.

use chorus_wire::text::fill_with;

use super::event::wall_clock;
use crate::mail::Letter;
use crate::storage::{EventRecord, EventText};

/// One language's words. `{name}`, `{title}`, `{when}`, `{where}`,
/// `{people}`, `{link}` are filled in.
#[derive(Debug)]
pub struct Words {
    pub lang: &'static str,
    pub receipt_subject: &'static str,
    pub receipt_body: &'static str,
    pub reminder_subject: &'static str,
    pub reminder_body: &'static str,
    pub approved_subject: &'static str,
    pub approved_body: &'static str,
    pub rejected_subject: &'static str,
    pub rejected_body: &'static str,
    /// Closes the receipt and the reminder.
    pub cancel_footer: &'static str,
    pub people_one: &'static str,
    pub people_many: &'static str,
    pub online: &'static str,
    pub hello: &'static str,
    // The pages.
    pub going_heading: &'static str,
    pub cancel_button: &'static str,
    pub cancelled: &'static str,
    pub invalid_link: &'static str,
    pub rsvp_heading: &'static str,
    pub rsvp_guests: &'static str,
    pub rsvp_email_required: &'static str,
    pub rsvp_name: &'static str,
    pub rsvp_button: &'static str,
    pub rsvp_thanks: &'static str,
    pub rsvp_full: &'static str,
    pub rsvp_closed: &'static str,
    pub address_on_rsvp: &'static str,
    pub add_to_calendar: &'static str,
    pub fix_fields: &'static str,
    pub when_label: &'static str,
    pub where_label: &'static str,
    pub online_label: &'static str,
    pub access_label: &'static str,
    pub host_label: &'static str,
    pub going_label: &'static str,
    pub cancelled_label: &'static str,
    /// `{going}` people coming.
    pub going_count: &'static str,
    /// `{going}` of `{capacity}` places taken.
    pub going_of: &'static str,
    /// The names of `chorus_wire::events::KINDS`, in its order.
    pub kinds: [&'static str; 8],
}

impl Words {
    pub fn kind_name(&self, kind: &str) -> &'static str {
        chorus_wire::events::KINDS
            .iter()
            .position(|k| *k == kind)
            .map_or(self.kinds[7], |i| self.kinds[i])
    }
}

const EN: Words = Words {
    lang: "en",
    receipt_subject: "You're coming: {title}",
    receipt_body: "{hello}\n\nThank you for saying you'll come to \"{title}\" ({people}).\n\nWhen: {when}\nWhere: {where}\n\nWe will remind you the day before.",
    reminder_subject: "Tomorrow: {title}",
    reminder_body: "{hello}\n\nA reminder: \"{title}\" is tomorrow, and you said you'd come ({people}).\n\nWhen: {when}\nWhere: {where}",
    approved_subject: "Your event is listed: {title}",
    approved_body: "{hello}\n\nThe organisers approved \"{title}\". It is listed now, and people can say they will come:\n\n{link}",
    rejected_subject: "Your event was not listed: {title}",
    rejected_body: "{hello}\n\nThe organisers decided not to list \"{title}\". If you think this is a mistake, please reply to the organisers who invited you.",
    cancel_footer: "If you cannot come after all, please free your place:\n\n{link}",
    people_one: "1 person",
    people_many: "{people} people",
    online: "online",
    hello: "Hello {name},",
    going_heading: "You're coming",
    cancel_button: "I can't come after all",
    cancelled: "Your place is free again, and your details are deleted. Thank you for telling us.",
    invalid_link: "This link does not work any more.",
    rsvp_heading: "I'll come",
    rsvp_guests: "Guests coming with me",
    rsvp_email_required: "Email (for the address and a reminder)",
    rsvp_name: "Name (optional)",
    rsvp_button: "I'll come",
    rsvp_thanks: "Thank you: see you there.",
    rsvp_full: "This event is full.",
    rsvp_closed: "This event takes no more answers.",
    address_on_rsvp: "The address is sent to people who say they will come and leave an email.",
    add_to_calendar: "Add to my calendar",
    fix_fields: "Please check the fields marked below.",
    when_label: "When",
    where_label: "Where",
    online_label: "Join online",
    access_label: "Access",
    host_label: "Hosted by",
    going_label: "Coming",
    cancelled_label: "Cancelled",
    going_count: "{going} people coming",
    going_of: "{going} of {capacity} places taken",
    kinds: [
        "Rally",
        "March",
        "Vigil",
        "Gathering",
        "Potluck",
        "Press event",
        "Online",
        "Other",
    ],
};

const FR: Words = Words {
    lang: "fr",
    receipt_subject: "Vous venez : {title}",
    receipt_body: "{hello}\n\nMerci d'avoir annoncé votre venue à « {title} » ({people}).\n\nQuand : {when}\nOù : {where}\n\nNous vous le rappellerons la veille.",
    reminder_subject: "Demain : {title}",
    reminder_body: "{hello}\n\nPetit rappel : « {title} » a lieu demain, et vous avez annoncé votre venue ({people}).\n\nQuand : {when}\nOù : {where}",
    approved_subject: "Votre événement est publié : {title}",
    approved_body: "{hello}\n\nLes organisateurs ont approuvé « {title} ». Il est publié, et chacun peut annoncer sa venue :\n\n{link}",
    rejected_subject: "Votre événement n'a pas été publié : {title}",
    rejected_body: "{hello}\n\nLes organisateurs ont décidé de ne pas publier « {title} ». Si c'est une erreur selon vous, répondez aux organisateurs qui vous ont invité.",
    cancel_footer: "Si vous ne pouvez finalement pas venir, libérez votre place :\n\n{link}",
    people_one: "1 personne",
    people_many: "{people} personnes",
    online: "en ligne",
    hello: "Bonjour {name},",
    going_heading: "Vous venez",
    cancel_button: "Finalement, je ne peux pas venir",
    cancelled: "Votre place est libérée et vos coordonnées supprimées. Merci de nous avoir prévenus.",
    invalid_link: "Ce lien ne fonctionne plus.",
    rsvp_heading: "Je viens",
    rsvp_guests: "Personnes qui m'accompagnent",
    rsvp_email_required: "E-mail (pour l'adresse et un rappel)",
    rsvp_name: "Nom (facultatif)",
    rsvp_button: "Je viens",
    rsvp_thanks: "Merci : à bientôt sur place.",
    rsvp_full: "Cet événement est complet.",
    rsvp_closed: "Cet événement ne prend plus de réponses.",
    address_on_rsvp: "L'adresse est envoyée aux personnes qui annoncent leur venue et laissent un e-mail.",
    add_to_calendar: "Ajouter à mon agenda",
    fix_fields: "Merci de vérifier les champs signalés ci-dessous.",
    when_label: "Quand",
    where_label: "Où",
    online_label: "Rejoindre en ligne",
    access_label: "Accessibilité",
    host_label: "Organisé par",
    going_label: "Participants",
    cancelled_label: "Annulé",
    going_count: "{going} personnes viennent",
    going_of: "{going} places prises sur {capacity}",
    kinds: [
        "Rassemblement",
        "Marche",
        "Veillée",
        "Rencontre",
        "Repas partagé",
        "Conférence de presse",
        "En ligne",
        "Autre",
    ],
};

const ES: Words = Words {
    lang: "es",
    receipt_subject: "Vienes: {title}",
    receipt_body: "{hello}\n\nGracias por avisar que vendrás a «{title}» ({people}).\n\nCuándo: {when}\nDónde: {where}\n\nTe lo recordaremos el día antes.",
    reminder_subject: "Mañana: {title}",
    reminder_body: "{hello}\n\nUn recordatorio: «{title}» es mañana, y avisaste que vendrías ({people}).\n\nCuándo: {when}\nDónde: {where}",
    approved_subject: "Tu evento está publicado: {title}",
    approved_body: "{hello}\n\nLa organización aprobó «{title}». Ya está publicado y la gente puede avisar que irá:\n\n{link}",
    rejected_subject: "Tu evento no se publicó: {title}",
    rejected_body: "{hello}\n\nLa organización decidió no publicar «{title}». Si crees que es un error, responde a quienes te invitaron.",
    cancel_footer: "Si al final no puedes venir, libera tu lugar:\n\n{link}",
    people_one: "1 persona",
    people_many: "{people} personas",
    online: "en línea",
    hello: "Hola, {name}:",
    going_heading: "Vienes",
    cancel_button: "Al final no puedo ir",
    cancelled: "Tu lugar quedó libre y tus datos se borraron. Gracias por avisar.",
    invalid_link: "Este enlace ya no funciona.",
    rsvp_heading: "Iré",
    rsvp_guests: "Personas que vienen conmigo",
    rsvp_email_required: "Correo (para la dirección y un recordatorio)",
    rsvp_name: "Nombre (opcional)",
    rsvp_button: "Iré",
    rsvp_thanks: "Gracias: nos vemos allí.",
    rsvp_full: "Este evento está completo.",
    rsvp_closed: "Este evento ya no acepta respuestas.",
    address_on_rsvp: "La dirección se envía a quienes avisan que irán y dejan su correo.",
    add_to_calendar: "Añadir a mi calendario",
    fix_fields: "Revisa los campos marcados abajo.",
    when_label: "Cuándo",
    where_label: "Dónde",
    online_label: "Unirse en línea",
    access_label: "Accesibilidad",
    host_label: "Organiza",
    going_label: "Asistentes",
    cancelled_label: "Cancelado",
    going_count: "{going} personas vienen",
    going_of: "{going} de {capacity} lugares ocupados",
    kinds: [
        "Concentración",
        "Marcha",
        "Vigilia",
        "Encuentro",
        "Comida compartida",
        "Rueda de prensa",
        "En línea",
        "Otro",
    ],
};

/// The words for a language tag; English for any other.
pub fn words(lang: &str) -> &'static Words {
    crate::ident::in_language(lang, &EN, &FR, &ES)
}

/// Who an email goes to, and how it greets them.
#[derive(Debug, Clone, Copy)]
pub struct To<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub lang: &'a str,
}

/// What the receipt or reminder of an RSVP is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    Receipt,
    Reminder,
}

/// The receipt or reminder for an RSVP of `people` to `event`, with the
/// address whether or not it is private, and the cancel link.
pub fn rsvp_letter(
    note: Note,
    to: To<'_>,
    event: &EventRecord,
    people: u32,
    cancel_url: &str,
) -> Letter {
    let words = words(to.lang);
    let text = text_for(event, to.lang);
    let (subject, body) = match note {
        Note::Receipt => (words.receipt_subject, words.receipt_body),
        Note::Reminder => (words.reminder_subject, words.reminder_body),
    };
    let people = if people == 1 {
        words.people_one.to_owned()
    } else {
        fill_with(words.people_many, &[("people", &people.to_string())])
    };
    let values = [
        ("hello", hello(words, to.name)),
        ("title", text.title.clone()),
        ("when", when(event)),
        ("where", place(event, words)),
        ("people", people),
    ];
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let footer = fill_with(words.cancel_footer, &[("link", cancel_url)]);
    Letter {
        to: to.email.to_owned(),
        subject: fill_with(subject, &values),
        body: format!("{}\n\n{footer}", fill_with(body, &values)),
    }
}

/// The host's news: approved (with the event's page) or not.
pub fn decision_letter(to: To<'_>, event: &EventRecord, approved: bool, page_url: &str) -> Letter {
    let words = words(to.lang);
    let text = text_for(event, to.lang);
    let (subject, body) = if approved {
        (words.approved_subject, words.approved_body)
    } else {
        (words.rejected_subject, words.rejected_body)
    };
    let greeting = hello(words, to.name);
    let values = [
        ("hello", greeting.as_str()),
        ("title", text.title.as_str()),
        ("link", page_url),
    ];
    Letter {
        to: to.email.to_owned(),
        subject: fill_with(subject, &values),
        body: fill_with(body, &values),
    }
}

fn hello(words: &Words, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        // "Hello," rather than "Hello ,".
        fill_with(words.hello, &[("name", "")])
            .replace(" ,", ",")
            .replace(", :", ":")
    } else {
        fill_with(words.hello, &[("name", name)])
    }
}

fn text_for<'a>(event: &'a EventRecord, lang: &str) -> std::borrow::Cow<'a, EventText> {
    let wanted = crate::ident::Lang::parse(lang).ok();
    crate::ident::pick_text(&event.texts, wanted.as_ref(), &event.default_lang).map_or_else(
        || {
            std::borrow::Cow::Owned(EventText {
                lang: event.default_lang.clone(),
                title: event.public_id.clone(),
                description: String::new(),
            })
        },
        std::borrow::Cow::Borrowed,
    )
}

/// `2026-12-18 18:00–19:30 (Europe/Paris, UTC+01:00)`: the wall clock at
/// the event, which is what a person going there needs.
fn when(event: &EventRecord) -> String {
    let details = &event.details;
    let (start, offset) = wall_clock(details.starts_at, &details.time_zone);
    let (end, _) = wall_clock(details.ends_at, &details.time_zone);
    let end = match (start.split_once('T'), end.split_once('T')) {
        (Some((start_day, _)), Some((end_day, end_time))) if start_day == end_day => {
            end_time.to_owned()
        }
        _ => end.replace('T', " "),
    };
    format!(
        "{}–{end} ({}, UTC{offset})",
        start.replace('T', " "),
        details.time_zone
    )
}

/// The whole place, private address included: only people who answered
/// get these emails.
fn place(event: &EventRecord, words: &Words) -> String {
    let place = &event.details.place;
    let mut parts: Vec<&str> = [
        place.venue.as_str(),
        place.address.as_str(),
        place.city.as_str(),
    ]
    .into_iter()
    .filter(|p| !p.is_empty())
    .collect();
    let online;
    if let Some(link) = &place.online_url {
        online = format!("{} {link}", words.online);
        parts.push(&online);
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::Lang;
    use crate::storage::{EventDetails, EventPlace, EventStatus};

    fn event() -> EventRecord {
        EventRecord {
            id: 1,
            public_id: "abcdefghjk".into(),
            organisation_id: 1,
            default_lang: Lang::parse("en").expect("lang"),
            details: EventDetails {
                day_id: None,
                kind: "potluck".into(),
                // 2026-12-18T17:00Z, 18:00 in Paris.
                starts_at: 1_797_613_200_000,
                ends_at: 1_797_613_200_000 + 2 * 3_600_000,
                time_zone: "Europe/Paris".into(),
                place: EventPlace {
                    venue: "Chez Karim".into(),
                    address: "12 rue Haute".into(),
                    address_private: true,
                    city: "Lyon".into(),
                    country: "FR".into(),
                    online_url: None,
                },
                accessibility: String::new(),
                capacity: Some(12),
                host: "Lyon Solidarité".into(),
                host_partner_id: None,
            },
            texts: vec![
                EventText {
                    lang: Lang::parse("en").expect("lang"),
                    title: "Potluck for Migrants Day".into(),
                    description: String::new(),
                },
                EventText {
                    lang: Lang::parse("fr").expect("lang"),
                    title: "Repas partagé".into(),
                    description: String::new(),
                },
            ],
            status: EventStatus::Approved,
            going: 3,
            host_waiting: false,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn a_receipt_carries_the_private_address_the_local_time_and_the_cancel_link() {
        let to = To {
            email: "sam@example.org",
            name: "Sam",
            lang: "fr",
        };
        let letter = rsvp_letter(Note::Receipt, to, &event(), 3, "https://c.example/x");
        assert_eq!(letter.subject, "Vous venez : Repas partagé");
        for part in [
            "Bonjour Sam,",
            "12 rue Haute",
            "2026-12-18 18:00–20:00 (Europe/Paris, UTC+01:00)",
            "3 personnes",
            "https://c.example/x",
        ] {
            assert!(letter.body.contains(part), "{part} in {}", letter.body);
        }
    }

    #[test]
    fn every_language_fills_every_part_and_greets_without_a_name() {
        for lang in ["en", "fr", "es"] {
            let to = To {
                email: "a@example.org",
                name: "",
                lang,
            };
            let reminder = rsvp_letter(Note::Reminder, to, &event(), 1, "LINK");
            assert!(!reminder.body.contains('{'), "{lang}: {}", reminder.body);
            assert!(reminder.body.contains("LINK"));
            assert!(!reminder.body.contains(" ,"), "{lang}: {}", reminder.body);
            let decision = decision_letter(to, &event(), true, "PAGE");
            assert!(decision.body.contains("PAGE") && !decision.body.contains('{'));
        }
    }
}
