//! The demo's day of action: International Migrants Day with thirty local
//! events in a dozen countries and three languages, invented for Chorus.
//! One keeps its address for the people who RSVP; one is a proposal
//! waiting for the organiser's approval.

use chorus_wire::events::EventProposal;

use crate::admin::Acting;
use crate::events::admin::{self, DayInput, EventInput};
use crate::events::event::{Author, check, public_id};
use crate::ident::Slug;
use crate::storage::{EventStatus, NewEvent, Store};

pub const DAY_SLUG: &str = "migrants-day-2026";
const DATE: &str = "2026-12-18";

/// (kind, language, title, city, country, zone, start, hours, venue,
/// address, host, capacity).
type DemoEvent = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u8,
    &'static str,
    &'static str,
    &'static str,
    Option<u32>,
);

const EVENTS: &[DemoEvent] = &[
    (
        "vigil",
        "en",
        "Candles on the river steps",
        "London",
        "GB",
        "Europe/London",
        "17:30",
        1,
        "Southbank steps",
        "Queen's Walk",
        "Thames Solidarity Network",
        None,
    ),
    (
        "rally",
        "en",
        "Rally for the convention",
        "Manchester",
        "GB",
        "Europe/London",
        "12:00",
        2,
        "Piccadilly Gardens",
        "Piccadilly Gardens",
        "North West Migrant Forum",
        None,
    ),
    (
        "potluck",
        "en",
        "Migrants Day potluck",
        "Leeds",
        "GB",
        "Europe/London",
        "18:30",
        3,
        "A member's home",
        "14 Harehills Lane",
        "Leeds Welcome Table",
        Some(25),
    ),
    (
        "gathering",
        "fr",
        "Rencontre des collectifs de sans-papiers",
        "Paris",
        "FR",
        "Europe/Paris",
        "14:00",
        3,
        "Bourse du travail",
        "3 rue du Château-d'Eau",
        "Collectif Solidarité Paris",
        Some(300),
    ),
    (
        "march",
        "fr",
        "Marche des solidarités",
        "Marseille",
        "FR",
        "Europe/Paris",
        "15:00",
        2,
        "Vieux-Port",
        "Quai du Port",
        "Marseille Accueil",
        None,
    ),
    (
        "vigil",
        "fr",
        "Veillée pour les disparus en mer",
        "Lyon",
        "FR",
        "Europe/Paris",
        "18:00",
        1,
        "Place des Terreaux",
        "Place des Terreaux",
        "Lyon Solidarité",
        None,
    ),
    (
        "press",
        "fr",
        "Conférence de presse : ratifier la convention",
        "Bruxelles",
        "BE",
        "Europe/Brussels",
        "10:30",
        1,
        "Résidence Palace",
        "Rue de la Loi 155",
        "Coalition belge pour les droits des migrants",
        Some(60),
    ),
    (
        "gathering",
        "fr",
        "Café-débat : les droits des travailleurs saisonniers",
        "Montréal",
        "CA",
        "America/Toronto",
        "19:00",
        2,
        "Café l'Escale",
        "4380 rue Saint-Denis",
        "Réseau Solidarité Montréal",
        Some(40),
    ),
    (
        "vigil",
        "fr",
        "Veillée au port",
        "Dakar",
        "SN",
        "Africa/Dakar",
        "19:00",
        1,
        "Plage de Yoff",
        "Plage de Yoff",
        "Association Teranga Migrants",
        None,
    ),
    (
        "rally",
        "fr",
        "Rassemblement devant le ministère",
        "Rabat",
        "MA",
        "Africa/Casablanca",
        "11:00",
        2,
        "Avenue Mohammed V",
        "Avenue Mohammed V",
        "Plateforme Migrations Maroc",
        None,
    ),
    (
        "march",
        "es",
        "Marcha por la regularización",
        "Madrid",
        "ES",
        "Europe/Madrid",
        "18:00",
        2,
        "Plaza de Cibeles",
        "Plaza de Cibeles",
        "Regularización Ya Madrid",
        None,
    ),
    (
        "potluck",
        "es",
        "Comida compartida de las cuidadoras",
        "Barcelona",
        "ES",
        "Europe/Madrid",
        "14:00",
        3,
        "Casa de una vecina",
        "Carrer de la Cera 12, 2º",
        "Mujeres Cuidadoras en Red",
        Some(30),
    ),
    (
        "gathering",
        "es",
        "Encuentro de trabajadoras del hogar",
        "Ciudad de México",
        "MX",
        "America/Mexico_City",
        "17:00",
        2,
        "Casa del Migrante",
        "Calle Regina 45",
        "Red de Trabajadoras del Hogar",
        Some(80),
    ),
    (
        "vigil",
        "es",
        "Vigilia en la frontera",
        "Tijuana",
        "MX",
        "America/Tijuana",
        "18:30",
        1,
        "Playas de Tijuana",
        "Monumental Plaza",
        "Casa Amiga Tijuana",
        None,
    ),
    (
        "rally",
        "es",
        "Concentración frente al Congreso",
        "Buenos Aires",
        "AR",
        "America/Argentina/Buenos_Aires",
        "11:00",
        2,
        "Plaza del Congreso",
        "Av. Entre Ríos 50",
        "Colectiva Migrante Argentina",
        None,
    ),
    (
        "march",
        "es",
        "Caminata por los derechos de los migrantes",
        "Santiago",
        "CL",
        "America/Santiago",
        "19:00",
        2,
        "Plaza Italia",
        "Plaza Baquedano",
        "Movimiento Acción Migrante",
        None,
    ),
    (
        "press",
        "es",
        "Rueda de prensa de la coalición",
        "Bogotá",
        "CO",
        "America/Bogota",
        "09:30",
        1,
        "Centro de Memoria",
        "Carrera 19B 24-86",
        "Coalición Colombiana por las Personas Migrantes",
        Some(50),
    ),
    (
        "gathering",
        "es",
        "Conversatorio: migrar no es delito",
        "Lima",
        "PE",
        "America/Lima",
        "18:00",
        2,
        "Casa de la Literatura",
        "Jr. Áncash 207",
        "Red Perú Migrante",
        Some(120),
    ),
    (
        "vigil",
        "en",
        "Interfaith vigil for migrant workers",
        "Nairobi",
        "KE",
        "Africa/Nairobi",
        "18:00",
        1,
        "All Saints Cathedral",
        "Kenyatta Avenue",
        "Kenya Migrant Workers Forum",
        None,
    ),
    (
        "gathering",
        "en",
        "Evening gathering at the mosque",
        "Nairobi",
        "KE",
        "Africa/Nairobi",
        "19:30",
        2,
        "Community hall",
        "Eastleigh Second Avenue",
        "Eastleigh Welcome Circle",
        Some(150),
    ),
    (
        "rally",
        "en",
        "Domestic workers' rally",
        "Manila",
        "PH",
        "Asia/Manila",
        "09:00",
        3,
        "Liwasang Bonifacio",
        "Liwasang Bonifacio",
        "Migrante Philippines Network",
        None,
    ),
    (
        "press",
        "en",
        "Launch of the remittances report",
        "Manila",
        "PH",
        "Asia/Manila",
        "14:00",
        1,
        "Press room",
        "Plaza Dilao",
        "Migrante Philippines Network",
        Some(40),
    ),
    (
        "march",
        "en",
        "Walk for safe migration",
        "Kathmandu",
        "NP",
        "Asia/Kathmandu",
        "10:00",
        2,
        "Maitighar Mandala",
        "Maitighar Mandala",
        "Safe Migration Nepal",
        None,
    ),
    (
        "vigil",
        "en",
        "Candlelight vigil for workers who did not return",
        "Dhaka",
        "BD",
        "Asia/Dhaka",
        "18:00",
        1,
        "Shaheed Minar",
        "Shaheed Minar",
        "Bangladesh Returnee Forum",
        None,
    ),
    (
        "gathering",
        "en",
        "Town hall with the labour ministry",
        "Toronto",
        "CA",
        "America/Toronto",
        "18:30",
        2,
        "Metro Hall",
        "55 John Street",
        "Justice for Migrant Workers",
        Some(200),
    ),
    (
        "rally",
        "en",
        "Rally at the federal building",
        "Chicago",
        "US",
        "America/Chicago",
        "16:00",
        2,
        "Federal Plaza",
        "230 S Dearborn St",
        "Chicago Migrant Coalition",
        None,
    ),
    (
        "online",
        "en",
        "Online teach-in: what the convention protects",
        "Online",
        "GB",
        "Europe/London",
        "13:00",
        1,
        "",
        "",
        "Coalition for Defenders",
        Some(500),
    ),
    (
        "online",
        "fr",
        "Webinaire : les droits des travailleurs migrants en Afrique de l'Ouest",
        "En ligne",
        "SN",
        "Africa/Dakar",
        "16:00",
        1,
        "",
        "",
        "Association Teranga Migrants",
        Some(300),
    ),
    (
        "online",
        "es",
        "Taller en línea: cómo hablar con tu diputada",
        "En línea",
        "MX",
        "America/Mexico_City",
        "12:00",
        1,
        "",
        "",
        "Red de Trabajadoras del Hogar",
        None,
    ),
];

/// The event that keeps its address for people who RSVP: the Leeds potluck.
const PRIVATE: &str = "Migrants Day potluck";

/// Seeds the day and its events; running it again changes nothing.
pub async fn seed(store: &dyn Store, organisation: &str) -> anyhow::Result<()> {
    let slug = Slug::parse(DAY_SLUG).map_err(anyhow::Error::msg)?;
    if store.action_day_by_slug(&slug).await?.is_some() {
        return Ok(());
    }
    let day = admin::create_day(
        store,
        Acting::Operator,
        &DayInput {
            slug: DAY_SLUG.into(),
            day: DATE.into(),
            lang: "en".into(),
            name: "International Migrants Day".into(),
            organisation: organisation.into(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    store
        .put_action_day_name(
            day.id,
            &crate::ident::Lang::parse("fr").map_err(anyhow::Error::msg)?,
            "Journée internationale des migrants",
        )
        .await?;
    store
        .put_action_day_name(
            day.id,
            &crate::ident::Lang::parse("es").map_err(anyhow::Error::msg)?,
            "Día Internacional del Migrante",
        )
        .await?;
    for demo in EVENTS {
        let input = EventInput {
            event: proposal(demo),
            organisation: None,
            partner: None,
        };
        admin::create(store, Acting::Operator, &input)
            .await
            .map_err(|e| anyhow::anyhow!("{}: {e}", demo.2))?;
    }
    // A host's proposal, waiting: `chorus event review` shows it.
    let waiting = (
        "gathering",
        "en",
        "Tea and stories at the library",
        "Glasgow",
        "GB",
        "Europe/London",
        "15:00",
        2,
        "Govanhill Library",
        "170 Langside Road",
        "Govanhill Neighbours",
        Some(40),
    );
    let mut form = proposal(&waiting);
    form.contact_name = "Morag".into();
    form.contact_email = "morag@govanhill.example".into();
    form.idempotency_key = "demo-proposal-govanhill".into();
    let checked = check(
        &form,
        Some(&day),
        Author::Organiser,
        crate::storage::now_millis(),
    )
    .map_err(|p| anyhow::anyhow!("the demo proposal: {p:?}"))?;
    store
        .create_event(&NewEvent {
            public_id: public_id(),
            organisation_id: day.organisation_id,
            details: checked.details,
            text: checked.text,
            status: EventStatus::Pending,
            host_contact: None,
            submission_key: Some(form.idempotency_key.clone()),
            proof: None,
        })
        .await?;
    Ok(())
}

fn proposal(demo: &DemoEvent) -> EventProposal {
    let (kind, lang, title, city, country, zone, start, hours, venue, address, host, capacity) =
        *demo;
    let (hour, minute) = start.split_once(':').unwrap_or(("12", "00"));
    let end_hour = hour.parse::<u8>().unwrap_or(12) + hours;
    EventProposal {
        day: DAY_SLUG.into(),
        kind: kind.into(),
        lang: lang.into(),
        title: title.into(),
        description: description(lang, host),
        starts: format!("{DATE}T{start}"),
        ends: format!("{DATE}T{end_hour:02}:{minute}"),
        time_zone: zone.into(),
        venue: venue.into(),
        address: address.into(),
        address_private: title == PRIVATE,
        city: city.into(),
        country: country.into(),
        online_url: if kind == "online" {
            format!("https://meet.coalition.example/{}", slug_of(title))
        } else {
            String::new()
        },
        accessibility: match lang {
            "fr" => "Accès de plain-pied ; interprétation en langue des signes.".into(),
            "es" => "Acceso sin escalones; habrá intérprete de lengua de señas.".into(),
            _ => "Step-free access; a sign-language interpreter will be there.".into(),
        },
        capacity,
        host: host.into(),
        ..EventProposal::default()
    }
}

fn description(lang: &str, host: &str) -> String {
    match lang {
        "fr" => format!(
            "Pour la Journée internationale des migrants, {host} vous invite à nous rejoindre.\n\nVenez nombreux, avec vos proches."
        ),
        "es" => format!(
            "En el Día Internacional del Migrante, {host} te invita a sumarte.\n\nVen con tu familia y tus amistades."
        ),
        _ => format!(
            "On International Migrants Day, {host} invites you to join us.\n\nBring your friends and family."
        ),
    }
}

fn slug_of(title: &str) -> String {
    crate::ident::fold(title)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
