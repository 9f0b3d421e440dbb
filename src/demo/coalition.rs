//! The demo's coalition sign-on: the convention pledge takes organisations
//! and individuals, with a few dozen organisations approved, one counted
//! but not named, one waiting for the organiser, and people on its wall;
//! and the coalition's "join us" list.
//! Every organisation, person and address here is invented; the websites
//! and addresses are under `.example`, which no one can reach or receive
//! mail at.

use crate::endorsements::domain;
use crate::endorsements::letters::{To, confirm_letter};
use crate::ident::Slug;
use crate::personal::{OrgPublicKey, PersonalDetails, ServerKeys};
use crate::signing::confirm::{Addressee, Letters, new_link_token};
use crate::storage::{
    EndorsementStatus, EndorserPublic, MailKind, NewEndorsement, NewSignature, NewSignupList,
    SealedMail, Signatories, Signer, Store, Verdict, now_millis,
};

/// The pledge both organisations and individuals sign.
const PLEDGE: &str = "ratify-the-convention";

/// (name, country, kind, statement). The first is held for review; the
/// second asks not to be named.
const ORGANISATIONS: &[(&str, &str, &str, &str)] = &[
    ("Puentes del Sur", "MX", "network", ""),
    ("Safe Passage Advocates", "GT", "ngo", ""),
    (
        "Casa de las Jornaleras",
        "MX",
        "community",
        "Las trabajadoras del hogar merecen derechos, no favores.",
    ),
    (
        "Harbour Rights Collective",
        "GB",
        "ngo",
        "We stand with every worker who crossed a border to keep our economy running.",
    ),
    (
        "Union des Travailleurs Saisonniers",
        "FR",
        "union",
        "Les saisonniers récoltent nos fruits ; leurs droits ne sont pas saisonniers.",
    ),
    ("Teranga Migrants Solidaires", "SN", "community", ""),
    (
        "Kalayaan Care Workers",
        "PH",
        "union",
        "Care work is work, wherever it is done.",
    ),
    ("Red Jornalera Andina", "CO", "network", ""),
    (
        "Iglesia Abierta de Valencia",
        "ES",
        "faith",
        "Acoger es nuestra fe.",
    ),
    ("Nairobi Domestic Workers Forum", "KE", "union", ""),
    (
        "Himalaya Returnee Network",
        "NP",
        "network",
        "Our members came home with stories; ratification would have changed them.",
    ),
    ("Association Tiwizi", "MA", "community", ""),
    ("Dhaka Migrant Families Trust", "BD", "ngo", ""),
    (
        "Verein Grenzenlos Arbeiten",
        "DE",
        "ngo",
        "Rechte gelten nicht nur bis zur Grenze.",
    ),
    ("Cooperativa Braccianti Liberi", "IT", "union", ""),
    ("Accra Diaspora Link", "GH", "network", ""),
    ("Frente Migrante Costeño", "EC", "community", ""),
    (
        "Lighthouse Legal Clinic",
        "IE",
        "ngo",
        "We see every week what the Convention would prevent.",
    ),
    ("Syndicat des Aides à Domicile", "BE", "union", ""),
    ("Comunidad Fe y Camino", "SV", "faith", ""),
    ("Sahel Mobility Observatory", "ML", "ngo", ""),
    ("Colectivo Raíces en Tránsito", "ES", "community", ""),
    (
        "Pacific Seafarers Welfare",
        "FJ",
        "ngo",
        "Crews at sea are migrant workers too.",
    ),
    ("Mekong Workers Alliance", "TH", "network", ""),
    ("Association Passerelles", "FR", "ngo", ""),
    ("Kenya Returnees Cooperative", "KE", "community", ""),
    ("Friends Meeting for Migrant Justice", "GB", "faith", ""),
    (
        "Red de Mujeres Transfronterizas",
        "GT",
        "network",
        "Nuestras compañeras cruzan fronteras; sus derechos también deben hacerlo.",
    ),
    ("Bayanihan Centre", "PH", "community", ""),
    ("Solidarité Rurale Sans Frontières", "SN", "ngo", ""),
    ("Transport Workers for Dignity", "NP", "union", ""),
    ("Casa Abierta Tijuana", "MX", "community", ""),
];

/// Individuals who asked to be listed: (first name, last name, country).
const LISTED: &[(&str, &str, &str)] = &[
    ("Amara", "Diallo", "SN"),
    ("Lucía", "Fernández", "ES"),
    ("Joseph", "Mwangi", "KE"),
    ("Maricel", "Santos", "PH"),
    ("Théo", "Martin", "FR"),
    ("Rosa", "Quispe", "CO"),
    ("Anil", "Gurung", "NP"),
    ("Fatima", "Benali", "MA"),
    ("Grace", "Owusu", "GH"),
    ("Carmen", "López", "MX"),
    ("Sofía", "Ramírez", "GT"),
    ("Liam", "Byrne", "IE"),
];

/// The list the demo page's sign-up joins.
pub const LIST: &str = "coalition-news";

/// Seeds the pledge's organisations and wall, and the sign-up list, once;
/// a second run finds them there and changes nothing.
pub async fn seed(store: &dyn Store, keys: &ServerKeys, base: &str) -> anyhow::Result<()> {
    seed_list(store).await?;
    let slug = Slug::parse(PLEDGE).map_err(anyhow::Error::msg)?;
    let Some(petition) = store.petition_by_slug(&slug).await? else {
        return Ok(());
    };
    if !store.endorsements(petition.id, None).await?.is_empty() {
        return Ok(());
    }
    store
        .set_signatories(petition.id, Signatories::Both)
        .await?;
    let organisation_id = petition
        .organisation_id
        .ok_or_else(|| anyhow::anyhow!("the demo pledge has no organisation"))?;
    let key = store
        .organisation(organisation_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo pledge has no organisation"))?
        .public_key;
    let now = now_millis();
    for (i, (name, country, kind, statement)) in ORGANISATIONS.iter().enumerate() {
        let endorsement = organisation(
            petition.id,
            (name, country, kind, statement),
            (&key, keys, base),
        );
        let token = endorsement.token;
        let endorsement = NewEndorsement {
            public: EndorserPublic {
                unnamed: i == 1,
                ..endorsement.public
            },
            ..endorsement
        };
        store.record_endorsement(&endorsement).await?;
        store.confirm_endorsement(&token, now).await?;
        if i > 0 {
            let id = store
                .endorsements(petition.id, Some(EndorsementStatus::Pending))
                .await?
                .into_iter()
                .find(|e| e.public.organisation == *name)
                .map(|e| e.id)
                .ok_or_else(|| anyhow::anyhow!("{name} was not stored"))?;
            store
                .decide_endorsement(petition.id, id, Verdict::Approve, "", "demo", now)
                .await?;
        }
    }
    for (first, last, country) in LISTED {
        let email = format!("{}@people.example", first.to_lowercase());
        let letters = Letters::prepare(
            keys,
            base,
            &Addressee {
                email: &email,
                first_name: first,
                lang: "en",
                petition_title: "Ratify the Migrant Workers Convention",
                listed: true,
            },
        );
        let confirmation = letters.confirmation(Some(crate::wall::names::wall_name(
            first, last, country, "",
        )));
        let token = confirmation.token;
        let signature = NewSignature {
            petition_id: petition.id,
            partner_id: None,
            signed_at: now - 3_600_000,
            signer: Some(Signer {
                email_hash: keys.email_hash(&email),
                idempotency_key: format!("demo-wall-{}", first.to_lowercase()),
                sealed: PersonalDetails {
                    first_name: (*first).into(),
                    last_name: (*last).into(),
                    email: email.clone(),
                    ..PersonalDetails::default()
                }
                .seal(&key),
                country: (*country).into(),
                lang: "en".into(),
                consent_version: "demo".into(),
                opt_in_organiser: false,
                opt_in_partner: false,
                client_hash: None,
            }),
            confirmation: Some(confirmation),
            hold: None,
            proof: None,
        };
        store.record_signatures(&[signature]).await?;
        // Confirmed an hour ago: the names are on the wall already.
        store.confirm_signer(&token, now, now - 3_600_000).await?;
    }
    Ok(())
}

/// An invented organisation's signature, signed from an address at its
/// own invented domain (so domain-verified once confirmed).
fn organisation(
    petition_id: i64,
    (name, country, kind, statement): (&str, &str, &str, &str),
    (key, keys, base): (&OrgPublicKey, &ServerKeys, &str),
) -> NewEndorsement {
    let host: String = name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let website = format!("https://{host}.example/");
    let site = domain::of_website(&website).unwrap_or_else(|| format!("{host}.example"));
    let email = format!("contact@{host}.example");
    let email_hash = keys.email_hash(&email);
    let (text, token) = new_link_token();
    let letter = confirm_letter(
        &To {
            email: &email,
            name: "Demo",
            lang: "en",
            organisation: name,
            petition_title: "Ratify the Migrant Workers Convention",
        },
        &format!("{base}/endorsement/{text}?lang=en"),
    );
    NewEndorsement {
        petition_id,
        partner_id: None,
        idempotency_key: format!("demo-organisation-{host}"),
        public: EndorserPublic {
            organisation: name.into(),
            website,
            country: country.into(),
            kind: kind.into(),
            statement: statement.into(),
            logo_url: None,
            unnamed: false,
            domain: site.clone(),
        },
        email_at_domain: domain::email_is_at(&email, &site),
        logo: None,
        sealed: PersonalDetails {
            first_name: "Demo".into(),
            email,
            role: "Coordinator".into(),
            ..PersonalDetails::default()
        }
        .seal(key),
        email_hash: email_hash.clone(),
        lang: "en".into(),
        consent_version: "demo".into(),
        opt_in_organiser: false,
        opt_in_partner: false,
        client_hash: None,
        token,
        // The address cannot receive mail; the confirmation is made by
        // the seed itself.
        confirm: SealedMail {
            kind: MailKind::EndorsementConfirm,
            email_hash,
            sealed: letter.seal(keys),
        },
        proof: None,
        at: now_millis(),
    }
}

async fn seed_list(store: &dyn Store) -> anyhow::Result<()> {
    let slug = Slug::parse(LIST).map_err(anyhow::Error::msg)?;
    if store.signup_list_by_slug(&slug).await?.is_some() {
        return Ok(());
    }
    let organisation = store
        .organisation_by_name(super::content::ORGANISATION_NAME)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo organisation is missing"))?;
    store
        .create_signup_list(&NewSignupList {
            slug,
            organisation_id: organisation.id,
            name: "Harbour Rights Coalition".into(),
            privacy_url: None,
        })
        .await?;
    Ok(())
}
