//! The widgets as HTML, rendered on the server from the components the
//! browser runs, so a supporter reads (and can fill in) a widget before any
//! WebAssembly arrives. One component tree, two targets: there is no second
//! template to drift from the first.
//!
//! Each function renders what the browser's widget mounts into its
//! container `div`, given the same data the widget would read itself.

use chorus_wire::PetitionCount;
#[cfg(feature = "petition")]
use chorus_wire::signing::{Field, Problem};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

use crate::client::Load;
use crate::counter::{Counter, Counting};
use crate::host::Theme;
use crate::i18n::Locale;

/// Where and how a placeholder asked to be shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ask {
    /// The supporter's languages, most wanted first: `data-lang`, the
    /// page's, the browser's, as `embed.js` found them.
    pub languages: Vec<String>,
    /// `data-theme`.
    pub theme: Option<String>,
    /// An updates feed's `data-limit` and `data-layout`; a counter's
    /// `data-count` comes as its layout.
    pub limit: Option<String>,
    pub layout: Option<String>,
}

impl Ask {
    fn locale(&self) -> Locale {
        Locale::negotiate(self.languages.iter().map(String::as_str))
    }

    fn theme(&self) -> Theme {
        Theme::parse(self.theme.as_deref())
    }

    /// The language tag the widget will speak, for the response to say.
    pub fn language(&self) -> String {
        self.locale().tag
    }

    /// How many items an updates feed shows at first.
    #[cfg(feature = "updates")]
    pub fn limit(&self) -> u32 {
        crate::updates::limit(self.limit.as_deref())
    }

    /// The language an updates feed shows items in at first, and events
    /// their texts in: its primary subtag.
    #[cfg(any(feature = "updates", feature = "events"))]
    pub fn feed_language(&self) -> String {
        chorus_wire::lang::primary_subtag(&self.language()).unwrap_or_else(|| "en".into())
    }
}

/// Renders a view in an owner of its own, disposed of afterwards: nothing
/// one render creates outlives it.
fn html<V: RenderHtml>(view: impl FnOnce() -> V) -> String {
    let owner = Owner::new_root(None);
    let html = owner.with(|| view().to_html());
    owner.cleanup();
    html
}

fn load(count: Option<PetitionCount>) -> Load {
    count.map_or(Load::Missing, Load::Ready)
}

/// A counter; `None`: Chorus has no such petition.
pub fn counter(count: Option<PetitionCount>, ask: &Ask) -> String {
    let (locale, theme) = (ask.locale(), ask.theme());
    // A counter's `data-count` travels in the layout's place.
    let counting = Counting::parse(ask.layout.as_deref());
    html(move || {
        let count = RwSignal::new(load(count));
        view! { <Counter count locale theme counting /> }
    })
}

/// The country select's options in the language asked for, named and
/// sorted: the petition's rendering shows them, and the widget that takes
/// over is given the same list.
#[cfg(feature = "petition")]
pub fn countries(ask: &Ask) -> Vec<(String, String)> {
    ask.locale().countries()
}

#[cfg(feature = "petition")]
pub use crate::petition::Entered;

/// `codes` as (code, name), named and sorted in `lang`: for Chorus's own
/// documents (a petition's hand-in), in the words the widgets use.
#[cfg(feature = "events")]
pub fn country_names(lang: &str, codes: &[&str]) -> Vec<(String, String)> {
    Locale::negotiate([lang]).countries_named(codes)
}

/// How the petition's form is shown.
#[cfg(feature = "petition")]
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// It also posts as a plain HTML form, with this idempotency key (on
    /// Chorus's frame page).
    pub posting: Option<String>,
    /// What was posted, and Chorus's problems with it, to show it again.
    pub entered: Option<(Entered, Vec<(Field, Problem)>)>,
}

/// The petition widget with its form, offering `countries`; `None`: no
/// such petition.
#[cfg(feature = "petition")]
pub fn petition(
    slug: &str,
    petition: Option<chorus_wire::Petition>,
    countries: Vec<(String, String)>,
    ask: &Ask,
    partner: Option<String>,
    form: Form,
) -> String {
    use crate::petition::{PetitionInfo, Setup, on_server};

    let Some(petition) = petition else {
        return counter(None, ask);
    };
    let setup = Setup {
        slug: slug.to_owned(),
        locale: ask.locale(),
        theme: ask.theme(),
        placeholder: Default::default(),
        partner,
        page_url: String::new(),
        posting: form.posting,
        entered: form.entered.as_ref().map(|(entered, _)| entered.clone()),
    };
    let problems = form
        .entered
        .map(|(_, problems)| problems)
        .unwrap_or_default();
    html(move || {
        let count = RwSignal::new(Load::Ready(petition.count.clone()));
        let info = PetitionInfo {
            countries: Some(countries),
            ..petition.into()
        };
        on_server(setup, info, count, problems)
    })
}

/// The thank-you page's widget for a signature posted without script:
/// its address is to be confirmed, and plain share links pointing at
/// `page_url` (the partner's page) unless the petition names its own.
#[cfg(feature = "petition")]
pub fn thanks(slug: &str, petition: chorus_wire::Petition, ask: &Ask, page_url: String) -> String {
    use crate::petition::{Setup, thanks_on_server};

    let setup = Setup {
        slug: slug.to_owned(),
        locale: ask.locale(),
        theme: ask.theme(),
        placeholder: Default::default(),
        partner: None,
        page_url,
        posting: None,
        entered: None,
    };
    let info = petition.into();
    html(move || thanks_on_server(&setup, &info))
}

#[cfg(feature = "donate")]
pub use crate::donate::{GiftProblem, Posted, parse_amount, read_choice};

/// A donate widget's setup on the server: Chorus's public `origin`, which
/// its button links to, and the partner page it is on, where the donor
/// comes back to.
#[cfg(feature = "donate")]
fn donate_setup(slug: &str, ask: &Ask, origin: &str, page_url: String) -> crate::donate::Setup {
    crate::donate::Setup {
        slug: slug.to_owned(),
        origin: origin.to_owned(),
        locale: ask.locale(),
        theme: ask.theme(),
        placeholder: Default::default(),
        page_url,
        returned: None,
    }
}

/// The donate widget: the campaign's title, totals and donors, and the
/// button, a link to Chorus's donate page; `None`: no such campaign.
#[cfg(feature = "donate")]
pub fn donate(
    slug: &str,
    campaign: Option<chorus_wire::donate::DonationCampaign>,
    ask: &Ask,
    origin: &str,
    page_url: String,
) -> String {
    let setup = donate_setup(slug, ask, origin, page_url);
    html(move || crate::donate::on_server(setup, campaign.map(Into::into)))
}

/// Chorus's donate page, for a donor without script: the same choices as
/// the gift panel as a plain form, as `posted` left it.
#[cfg(feature = "donate")]
pub fn donate_page(
    campaign: chorus_wire::donate::DonationCampaign,
    ask: &Ask,
    origin: &str,
    page_url: String,
    posted: &Posted,
) -> String {
    let setup = donate_setup(&campaign.slug.clone(), ask, origin, page_url);
    html(move || crate::donate::plain_page(&setup, campaign.into(), posted))
}

/// An updates feed's first page, with its topics; `None`: no such feed.
/// `origin` is Chorus's public origin, which its pictures come from.
#[cfg(feature = "updates")]
pub fn updates(
    slug: &str,
    first: Option<chorus_wire::updates::UpdatesPage>,
    ask: &Ask,
    origin: &str,
) -> String {
    let setup = crate::updates::Setup {
        slug: slug.to_owned(),
        origin: origin.to_owned(),
        locale: ask.locale(),
        theme: ask.theme(),
        limit: ask.limit(),
        compact: crate::updates::is_compact(ask.layout.as_deref()),
        placeholder: Default::default(),
    };
    html(move || crate::updates::on_server(setup, first.map(Into::into)))
}

/// The events of an action day (`None`: of every day), their first page
/// as the widget reads it; `first` is `None` when Chorus has no such day.
#[cfg(feature = "events")]
pub fn events(
    day: Option<&str>,
    first: Option<chorus_wire::events::EventsPage>,
    ask: &Ask,
    origin: &str,
) -> String {
    let setup = events_setup(day, ask, origin);
    html(move || crate::events::on_server(setup, first.map(Into::into)))
}

/// A petition's wall of signatories, its first page, with the count it
/// shows; `None`: no such petition.
#[cfg(feature = "signers")]
pub fn signers(
    slug: &str,
    first: Option<chorus_wire::wall::Wall>,
    count: Option<PetitionCount>,
    ask: &Ask,
    origin: &str,
) -> String {
    let setup = crate::signers::Setup {
        slug: slug.to_owned(),
        origin: origin.to_owned(),
        locale: ask.locale(),
        theme: ask.theme(),
        placeholder: Default::default(),
    };
    html(move || crate::signers::on_server(setup, first, load(count)))
}

/// A sign-up list's widget with its form; `None`: no such list.
#[cfg(feature = "signup")]
pub fn signup(slug: &str, list: Option<chorus_wire::signup::SignupList>, ask: &Ask) -> String {
    let setup = crate::signup::Setup {
        slug: slug.to_owned(),
        locale: ask.locale(),
        theme: ask.theme(),
        placeholder: Default::default(),
        partner: None,
    };
    html(move || crate::signup::on_server(setup, list))
}

/// A storm's widget; `None`: no such storm.
#[cfg(feature = "storm")]
pub fn storm(
    slug: &str,
    storm: Option<chorus_wire::storm::Storm>,
    ask: &Ask,
    origin: &str,
) -> String {
    let setup = crate::storm::Setup {
        slug: slug.to_owned(),
        origin: origin.to_owned(),
        locale: ask.locale(),
        theme: ask.theme(),
        placeholder: Default::default(),
    };
    html(move || crate::storm::on_server(setup, storm.map(Into::into)))
}

/// A feed's files as a toolkit box, from its first [`RESOURCES_ITEMS`]
/// items in every language; `None`: no such feed.
#[cfg(feature = "resources")]
pub fn resources(
    slug: &str,
    first: Option<chorus_wire::updates::UpdatesPage>,
    ask: &Ask,
    origin: &str,
) -> String {
    let setup = crate::resources::Setup {
        slug: slug.to_owned(),
        origin: origin.to_owned(),
        locale: ask.locale(),
        theme: ask.theme(),
    };
    html(move || crate::resources::on_server(setup, first.map(Into::into)))
}

/// How many items a toolkit box reads, in every language.
#[cfg(feature = "resources")]
pub const RESOURCES_ITEMS: u32 = crate::resources::ITEMS;

/// Events per page, as the widget reads them.
#[cfg(feature = "events")]
pub use crate::events::PER_PAGE as EVENTS_PER_PAGE;

#[cfg(feature = "events")]
fn events_setup(day: Option<&str>, ask: &Ask, origin: &str) -> crate::events::Setup {
    crate::events::Setup {
        day: day.map(str::to_owned),
        origin: origin.to_owned(),
        locale: ask.locale(),
        theme: ask.theme(),
        placeholder: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(lang: &str) -> Ask {
        Ask {
            languages: vec![lang.to_owned()],
            theme: Some("dark".into()),
            ..Ask::default()
        }
    }

    fn count(n: u64) -> PetitionCount {
        PetitionCount {
            petition: "p".into(),
            count: n,
            goal: Some(20_000),
            last_signed_at: None,
            organisations: 0,
            listed: 0,
        }
    }

    #[test]
    fn a_counter_renders_its_count_in_the_supporters_language() {
        let html = counter(Some(count(12_345)), &ask("fr"));
        assert!(html.contains("12\u{202f}345"), "{html}");
        assert!(html.contains("Objectif"), "{html}");
        assert!(html.contains(r#"data-theme="dark""#), "{html}");
        assert!(html.contains(r#"aria-valuenow="12345""#), "{html}");
    }

    #[test]
    fn a_counter_counts_organisations_or_both_as_its_data_count_says() {
        let mut ask = ask("es");
        let mut both = count(12_345);
        both.organisations = 41;
        ask.layout = Some("organisations".into());
        let html = counter(Some(both.clone()), &ask);
        assert!(
            html.contains(">41<") && html.contains("organizaciones"),
            "{html}"
        );
        assert!(!html.contains("12.345") && !html.contains("Meta"), "{html}");
        ask.layout = Some("both".into());
        let html = counter(Some(both), &ask);
        assert!(
            html.contains("12.345") && html.contains("organizaciones"),
            "{html}"
        );
    }

    #[test]
    fn a_counter_of_an_unknown_petition_says_so() {
        let html = counter(None, &ask("en"));
        assert!(html.contains("could not be found"), "{html}");
    }

    #[cfg(feature = "petition")]
    fn defenders() -> chorus_wire::Petition {
        chorus_wire::Petition {
            slug: "p".into(),
            lang: "es".into(),
            languages: vec!["es".into()],
            title: "Protejamos a quienes defienden".into(),
            summary: "Un resumen.".into(),
            body: "Primer párrafo.\n\nSegundo párrafo.".into(),
            count: count(1_234),
            privacy_url: Some("https://example.org/privacidad".into()),
            share: Default::default(),
            partner_opt_in: None,
            confirm_by_email: false,
            signatories: "people".into(),
            wall_city: false,
        }
    }

    #[test]
    #[cfg(feature = "petition")]
    fn a_petition_renders_its_text_count_and_whole_form() {
        let html = petition(
            "p",
            Some(defenders()),
            countries(&ask("es")),
            &ask("es"),
            None,
            Form::default(),
        );
        assert!(html.contains("Protejamos a quienes defienden"), "{html}");
        assert!(html.contains("Segundo párrafo."), "{html}");
        assert!(html.contains("1234"), "{html}");
        for id in [
            "first-name",
            "last-name",
            "email",
            "country",
            "comment",
            "privacy-consent",
        ] {
            assert!(html.contains(&format!(r#"id="{id}""#)), "{id} in {html}");
        }
        // Countries are named and sorted in Spanish.
        let (germany, spain) = (html.find(">Alemania<"), html.find(">España<"));
        assert!(germany.is_some() && germany < spain, "{html}");
    }

    #[test]
    #[cfg(feature = "petition")]
    fn a_petition_offers_the_asks_it_takes_and_listing_unticked() {
        let render = |signatories: &str| {
            let petition = chorus_wire::Petition {
                signatories: signatories.into(),
                ..defenders()
            };
            petition_html(petition)
        };
        let people = render("people");
        assert!(people.contains(r#"id="listed""#), "{people}");
        assert!(!people.contains(r#"id="listed" checked"#), "{people}");
        assert!(!people.contains("signing-as") && !people.contains(r#"id="organisation""#));
        let both = render("both");
        assert!(both.contains("En nombre de una organización"), "{both}");
        assert!(both.contains(r#"id="first-name""#), "{both}");
        let organisations = render("organisations");
        assert!(!organisations.contains("signing-as"), "{organisations}");
        for id in [
            "organisation",
            "organisation-url",
            "kind",
            "signer-name",
            "unnamed",
        ] {
            assert!(
                organisations.contains(&format!(r#"id="{id}""#)),
                "{id} in {organisations}"
            );
        }
        assert!(
            !organisations.contains(r#"id="first-name""#),
            "{organisations}"
        );
    }

    #[cfg(feature = "petition")]
    fn petition_html(shown: chorus_wire::Petition) -> String {
        petition(
            "p",
            Some(shown),
            countries(&ask("es")),
            &ask("es"),
            None,
            Form::default(),
        )
    }

    #[cfg(feature = "events")]
    fn event_card(
        id: &str,
        city: &str,
        country: &str,
        kind: &str,
    ) -> chorus_wire::events::EventCard {
        chorus_wire::events::EventCard {
            id: id.into(),
            identifiers: vec![format!("chorus:{id}")],
            kind: kind.into(),
            lang: "fr".into(),
            title: format!("Veillée à {city}"),
            description: "Premier paragraphe.\n\nSecond paragraphe.".into(),
            start_date: "2026-12-18T17:00:00Z".into(),
            end_date: "2026-12-18T18:30:00Z".into(),
            time_zone: "Europe/Paris".into(),
            local_start: "2026-12-18T18:00".into(),
            local_end: "2026-12-18T19:30".into(),
            utc_offset: "+01:00".into(),
            location: chorus_wire::events::EventLocation {
                venue: "Place des Terreaux".into(),
                address_lines: Vec::new(),
                address_private: true,
                locality: city.into(),
                country: country.into(),
            },
            online_url: None,
            accessibility: "Rampe d'accès".into(),
            capacity: Some(40),
            total_accepted: 12,
            host: "Lyon Solidarité".into(),
            status: "confirmed".into(),
            browser_url: format!("https://chorus.example/events/{id}"),
            ics_url: format!("https://chorus.example/events/{id}.ics"),
        }
    }

    #[test]
    #[cfg(feature = "events")]
    fn events_render_grouped_by_country_and_city_with_online_apart_and_rsvp_links() {
        let page = chorus_wire::events::EventsPage {
            per_page: 20,
            next_cursor: Some("1.2".into()),
            embedded: chorus_wire::events::EmbeddedEvents {
                events: vec![
                    event_card("aaa", "Lyon", "FR", "vigil"),
                    event_card("bbb", "Bruxelles", "BE", "march"),
                    event_card("ccc", "Lyon", "FR", "online"),
                ],
            },
            links: Default::default(),
            day: Some(chorus_wire::events::DayCard {
                slug: "migrants-day".into(),
                name: "Journée internationale des migrants".into(),
                date: "2026-12-18".into(),
            }),
            countries: vec!["BE".into(), "FR".into()],
        };
        let html = events(
            Some("migrants-day"),
            Some(page),
            &ask("fr"),
            "https://chorus.example",
        );
        assert!(
            html.contains("Journée internationale des migrants"),
            "{html}"
        );
        assert!(html.contains("vendredi 18 décembre"), "{html}");
        assert!(html.contains("18:00–19:30 (Europe/Paris)"), "{html}");
        // Online first, then Belgium before France, in French order.
        let (online, belgium, france) = (
            html.find(">En ligne</h3>"),
            html.find(">Belgique</h3>"),
            html.find(">France</h3>"),
        );
        assert!(
            online.is_some() && online < belgium && belgium < france,
            "{html}"
        );
        // A private address is said to be private, and the count has its capacity.
        assert!(html.contains("Adresse envoyée aux personnes"), "{html}");
        assert!(html.contains("12 places prises sur 40"), "{html}");
        // Before the WebAssembly runs, "I'll come" is the event page's form.
        assert!(
            html.contains(r##"href="https://chorus.example/events/aaa#rsvp""##),
            "{html}"
        );
        assert!(html.contains("Plus d'événements"), "{html}");
        // Only the browser can send a proposal.
        assert!(!html.contains("propose-form"), "{html}");
    }

    #[test]
    #[cfg(feature = "signers")]
    fn a_wall_renders_organisations_people_and_held_back_counts() {
        use chorus_wire::wall::{CountryCount, ListedOrganisation, ListedPerson, Wall};
        let wall = Wall {
            petition: "p".into(),
            organisations: vec![ListedOrganisation {
                name: "Red Solidaria".into(),
                website: "https://red.example.org".into(),
                country: "MX".into(),
                kind: "network".into(),
                statement: "Firmamos juntas.".into(),
                logo: Some("https://chorus.example/api/v1/petitions/p/signers/7/logo".into()),
            }],
            organisations_next: Some("7".into()),
            unnamed_organisations: 2,
            people: vec![ListedPerson {
                name: "Ana L.".into(),
                country: "ES".into(),
            }],
            people_next: None,
            countries: vec![
                CountryCount {
                    country: "MX".into(),
                    organisations: None,
                    people: Some(12),
                },
                CountryCount {
                    country: "ES".into(),
                    organisations: None,
                    people: None,
                },
            ],
        };
        let mut counted = count(1_234);
        counted.organisations = 3;
        let html = signers(
            "p",
            Some(wall),
            Some(counted),
            &ask("es"),
            "https://chorus.example",
        );
        assert!(
            html.contains("Red Solidaria") && html.contains("Firmamos juntas."),
            "{html}"
        );
        assert!(
            html.contains(r#"rel="nofollow noopener noreferrer ugc""#),
            "{html}"
        );
        assert!(
            html.contains(r#"src="https://chorus.example/api/v1/petitions/p/signers/7/logo""#),
            "{html}"
        );
        assert!(
            html.contains(">México<") && html.contains(">España<"),
            "{html}"
        );
        assert!(html.contains("Ana L."), "{html}");
        assert!(
            html.contains("y 2 organizaciones que no pueden ser nombradas"),
            "{html}"
        );
        assert!(
            html.contains("menos de 10") && html.contains(">12<"),
            "{html}"
        );
        assert!(
            html.contains("Más organizaciones") && !html.contains("Más nombres"),
            "{html}"
        );
        // Countries in Spanish order: España before México.
        assert!(
            html.find(">España</th>") < html.find(">México</th>"),
            "{html}"
        );
    }

    #[test]
    #[cfg(feature = "signup")]
    fn a_sign_up_renders_its_list_count_form_and_consent_in_the_page_language() {
        let list = chorus_wire::signup::SignupList {
            slug: "news".into(),
            name: "Noticias de la coalición".into(),
            count: 1_500,
            privacy_url: Some("https://example.org/privacidad".into()),
        };
        let html = signup("news", Some(list), &ask("es"));
        assert!(html.contains("Únete a las 1500 personas"), "{html}");
        for id in ["first-name", "email", "country", "lang", "consent"] {
            assert!(html.contains(&format!(r#"id="{id}""#)), "{id} in {html}");
        }
        assert!(html.contains(&chorus_wire::signup::consent(
            "es",
            "Noticias de la coalición"
        )));
        assert!(!html.contains(r#"id="consent" checked"#), "{html}");
        let missing = signup("nope", None, &ask("en"));
        assert!(missing.contains("could not be found"), "{missing}");
    }

    #[test]
    #[cfg(feature = "signers")]
    fn a_wall_of_an_unknown_petition_says_so() {
        let html = signers("nope", None, None, &ask("en"), "https://chorus.example");
        assert!(html.contains("could not be found"), "{html}");
    }

    #[test]
    #[cfg(feature = "events")]
    fn events_of_an_unknown_day_say_so() {
        let html = events(
            Some("no-such-day"),
            None,
            &ask("en"),
            "https://chorus.example",
        );
        assert!(html.contains("could not be found"), "{html}");
    }
}
