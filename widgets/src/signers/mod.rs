//! The `signers` widget: a petition's wall of signatories. Approved
//! organisations that may be named (searchable, paged), the individuals
//! who chose to be listed, and a breakdown by country, as the server built
//! them: every name, and every count held back, is the server's doing.
//! A new batch arrives live: the petition's count on the page's one
//! connection says when the wall changed.

mod messages;
mod page;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use chorus_wire::wall::{CountryCount, ListedOrganisation, ListedPerson, Wall};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client::{self, Load};
use crate::host::{Anchor, Theme, focus_later, sleep};
use crate::i18n::{Locale, fill};
use messages::Messages;
use page::Query;
pub use page::decode_wall;

/// The longest pause between two attempts to read the wall.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// Where a wall is, and how the partner set it up.
#[derive(Debug, Clone)]
pub struct Setup {
    pub slug: String,
    pub origin: String,
    pub locale: Locale,
    pub theme: Theme,
    pub placeholder: Anchor,
}

#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Loading,
    Missing,
    Failed,
    Ready(Wall),
}

/// The widget's state, shared by its parts.
#[derive(Clone)]
struct Board {
    shown: RwSignal<Shown>,
    /// The search as last sent; the box itself may hold a newer one.
    search: RwSignal<String>,
    typed: RwSignal<String>,
    count: RwSignal<Load>,
    arrived: RwSignal<String>,
    fetching: RwSignal<bool>,
    /// Bumped by every first-page read, so a slow answer to an old search
    /// never replaces a newer one.
    generation: Arc<AtomicU32>,
    setup: Arc<Setup>,
    messages: &'static Messages,
}

/// The wall in the browser: its first page (read unless the page already
/// had it), more on request, new batches live.
#[component]
pub fn Signers(
    setup: Setup,
    /// The first page as the server rendered it, when it did.
    first: Option<Wall>,
    /// The count it showed.
    count: Option<chorus_wire::PetitionCount>,
) -> impl IntoView {
    let known = first.is_some();
    let count = client::follow(&setup.origin, &setup.slug, count);
    let board = Board::new(setup, count, first.map_or(Shown::Loading, Shown::Ready));
    if !known {
        spawn_local(board.clone().read_first(false));
    }
    board.follow();
    board.view()
}

/// The wall as the server renders it, from the same view the browser
/// shows: `None` when Chorus has no such petition.
#[cfg(not(target_arch = "wasm32"))]
pub fn on_server(setup: Setup, first: Option<Wall>, count: Load) -> impl IntoView {
    Board::new(
        setup,
        RwSignal::new(count),
        first.map_or(Shown::Missing, Shown::Ready),
    )
    .view()
}

impl Board {
    fn new(setup: Setup, count: RwSignal<Load>, shown: Shown) -> Self {
        Self {
            shown: RwSignal::new(shown),
            search: RwSignal::new(String::new()),
            typed: RwSignal::new(String::new()),
            count,
            arrived: RwSignal::new(String::new()),
            fetching: RwSignal::new(false),
            generation: Arc::default(),
            messages: messages::for_tag(&setup.locale.tag),
            setup: Arc::new(setup),
        }
    }

    /// Reads the wall again whenever the live count says a batch of names
    /// showed or an organisation was approved.
    fn follow(&self) {
        let board = self.clone();
        let count = self.count;
        Effect::new(move |before: Option<Option<(u64, u64)>>| {
            let now = match count.get() {
                Load::Ready(c) => Some((c.organisations, c.listed)),
                _ => None,
            };
            if let (Some(Some(before)), Some(now)) = (before, now)
                && before != now
            {
                spawn_local(board.clone().read_first(true));
            }
            now
        });
    }

    fn query(&self) -> Query {
        Query {
            search: self.search.get_untracked(),
            ..Query::default()
        }
    }

    /// Reads the first page, retrying while Chorus cannot be reached. A
    /// refresh (`fresh`) skips the cache and says that names arrived.
    async fn read_first(self, fresh: bool) {
        let generation = self
            .generation
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_add(1);
        let query = self.query();
        let mut pause = Duration::from_secs(1);
        loop {
            let read = page::fetch(&self.setup.slug, &query, fresh).await;
            if self.generation.load(Ordering::Relaxed) != generation {
                return;
            }
            match read {
                Ok(Some(wall)) => {
                    if fresh {
                        self.arrived.set(self.messages.arrived.to_owned());
                    }
                    return self.shown.set(Shown::Ready(wall));
                }
                Ok(None) => return self.shown.set(Shown::Missing),
                Err(_) => {
                    if !matches!(self.shown.get_untracked(), Shown::Ready(_)) {
                        self.shown.set(Shown::Failed);
                    }
                    sleep(pause).await;
                    pause = (pause * 2).min(MAX_RETRY);
                }
            }
        }
    }

    /// Adds the next page of organisations (`people` false) or of people
    /// under those shown, and moves focus to the first added.
    async fn read_more(self, people: bool) {
        let Shown::Ready(shown) = self.shown.get_untracked() else {
            return;
        };
        let next = if people {
            shown.people_next
        } else {
            shown.organisations_next
        };
        let Some(next) = next else { return };
        let mut query = self.query();
        if people {
            query.people_after = Some(next.clone());
        } else {
            query.organisations_after = Some(next.clone());
        }
        self.fetching.set(true);
        let read = page::fetch(&self.setup.slug, &query, false).await;
        self.fetching.set(false);
        let Ok(Some(more)) = read else { return };
        let mut first_added = None;
        // Only onto the list it was read after: a new search changes it, a
        // live batch that leaves the page's end where it was does not (and
        // must not swallow the supporter's click).
        let same_search = self.search.get_untracked() == query.search;
        self.shown.update(|shown| {
            let Shown::Ready(wall) = shown else { return };
            let end = if people {
                &wall.people_next
            } else {
                &wall.organisations_next
            };
            if !same_search || end.as_ref() != Some(&next) {
                return;
            }
            if people {
                first_added = Some(wall.people.len());
                wall.people.extend(more.people);
                wall.people_next = more.people_next;
            } else {
                first_added = Some(wall.organisations.len());
                wall.organisations.extend(more.organisations);
                wall.organisations_next = more.organisations_next;
            }
        });
        let Some(first_added) = first_added else {
            return;
        };
        let list = if people { "people" } else { "organisations" };
        focus_later(
            &self.setup.placeholder,
            format!(".{list} li:nth-child({})", first_added + 1),
        );
    }

    fn view(self) -> impl IntoView {
        let board = self;
        let (theme, tag) = (board.setup.theme, board.setup.locale.tag.clone());
        let (shown, arrived, messages) = (board.shown, board.arrived, board.messages);
        let catalog = board.setup.locale.catalog;
        let notice = move || {
            let text = match shown.get() {
                Shown::Loading => messages.loading,
                Shown::Missing => catalog.unknown_petition,
                Shown::Failed => messages.failed,
                Shown::Ready(_) => return None,
            };
            Some(view! { <p class="notice">{text}</p> })
        };
        let wall = move || match shown.get() {
            Shown::Ready(wall) => Some(board.wall_view(wall)),
            _ => None,
        };
        view! {
            <section
                class="chorus signers"
                data-theme=theme.as_str()
                lang=tag
                aria-busy=move || matches!(shown.get(), Shown::Loading).to_string()
            >
                <h2 class="title">{messages.heading}</h2>
                {notice}
                {wall}
                <p class="visually-hidden" role="status">{move || arrived.get()}</p>
            </section>
        }
    }

    fn wall_view(&self, wall: Wall) -> impl IntoView + use<> {
        let messages = self.messages;
        let locale = self.setup.locale.clone();
        let names = CountryNames::of(&locale, &wall);
        let organisations = wall
            .organisations
            .iter()
            .map(|o| organisation_view(o, &names, &self.setup.origin, messages))
            .collect_view();
        let searching = !self.search.get_untracked().is_empty();
        let no_organisations = wall.organisations.is_empty().then(|| {
            let text = if searching {
                messages.no_match
            } else {
                messages.no_organisations
            };
            view! { <p class="notice">{text}</p> }
        });
        let unnamed = (wall.unnamed_organisations > 0).then(|| {
            let n = wall.unnamed_organisations;
            let text = if locale.is_one(n) {
                messages.unnamed_one
            } else {
                messages.unnamed_other
            };
            view! { <p class="unnamed">{fill(text, &[("count", &locale.number(n))])}</p> }
        });
        let people = wall
            .people
            .iter()
            .map(|p| person_view(p, &names))
            .collect_view();
        let no_people = wall
            .people
            .is_empty()
            .then(|| view! { <p class="notice">{messages.no_people}</p> });
        let countries = (!wall.countries.is_empty())
            .then(|| countries_view(&wall.countries, &names, &locale, messages));
        view! {
            {self.totals()}
            <h3>{messages.organisations}</h3>
            {self.search_form()}
            <ul class="organisations">{organisations}</ul>
            {no_organisations}
            {unnamed}
            {self.more_button(wall.organisations_next.is_some(), false)}
            <h3>{messages.people}</h3>
            <p class="note">{messages.people_note}</p>
            <ul class="people">{people}</ul>
            {no_people}
            {self.more_button(wall.people_next.is_some(), true)}
            {countries}
        }
    }

    /// Organisations and people counted, live.
    fn totals(&self) -> impl IntoView + use<> {
        let (count, locale) = (self.count, self.setup.locale.clone());
        let ready = move || match count.get() {
            Load::Ready(c) => Some((c.organisations, c.count)),
            _ => None,
        };
        move || {
            ready().map(|(organisations, people)| {
                view! {
                    <p class="totals">
                        <span>
                            {locale.number(organisations)} " "
                            {locale.organisations_word(organisations)}
                        </span>
                        " · "
                        <span>{locale.number(people)} " " {locale.signatures_word(people)}</span>
                    </p>
                }
            })
        }
    }

    fn search_form(&self) -> impl IntoView + use<> {
        let (board, typed, messages) = (self.clone(), self.typed, self.messages);
        view! {
            <form
                class="search"
                role="search"
                on:submit=move |ev| {
                    ev.prevent_default();
                    board.search.set(typed.get_untracked().trim().to_owned());
                    spawn_local(board.clone().read_first(false));
                }
            >
                <label for="signers-search">{messages.search}</label>
                <input
                    id="signers-search"
                    type="search"
                    maxlength="100"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
                <button type="submit">{messages.search_button}</button>
            </form>
        }
    }

    fn more_button(&self, more: bool, people: bool) -> Option<impl IntoView + use<>> {
        let (board, fetching, messages) = (self.clone(), self.fetching, self.messages);
        more.then(|| {
            view! {
                <button
                    type="button"
                    class="more"
                    disabled=move || fetching.get()
                    on:click=move |_| spawn_local(board.clone().read_more(people))
                >
                    {if people { messages.more_people } else { messages.more_organisations }}
                </button>
            }
        })
    }
}

/// The names of the countries a wall shows, in the widget's language.
struct CountryNames(Vec<(String, String)>);

impl CountryNames {
    fn of(locale: &Locale, wall: &Wall) -> Self {
        let mut codes: Vec<&str> = wall
            .organisations
            .iter()
            .map(|o| o.country.as_str())
            .chain(wall.people.iter().map(|p| p.country.as_str()))
            .chain(wall.countries.iter().map(|c| c.country.as_str()))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        Self(locale.countries_named(&codes))
    }

    fn name(&self, code: &str) -> String {
        self.0
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_owned(), |(_, name)| name.clone())
    }
}

fn organisation_view(
    organisation: &ListedOrganisation,
    names: &CountryNames,
    origin: &str,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    // Only from Chorus itself: any other host would learn who reads the wall.
    let logo = organisation
        .logo
        .clone()
        .filter(|url| url.starts_with(&format!("{origin}/")))
        .map(|src| {
            view! {
                <img class="logo" src=src alt="" width="40" height="40" loading="lazy" decoding="async" />
            }
        });
    let website = &organisation.website;
    // Only web addresses become links, whatever was stored.
    let name = if website.starts_with("https://") || website.starts_with("http://") {
        leptos::either::Either::Left(view! {
            <a href=website.clone() target="_blank" rel="nofollow noopener noreferrer ugc">
                {organisation.name.clone()}
                <span class="visually-hidden">" " {messages.new_tab}</span>
            </a>
        })
    } else {
        leptos::either::Either::Right(organisation.name.clone())
    };
    let statement = (!organisation.statement.is_empty())
        .then(|| view! { <p class="statement">{organisation.statement.clone()}</p> });
    view! {
        <li tabindex="-1">
            {logo}
            <span class="name">{name}</span>
            " "
            <span class="country">{names.name(&organisation.country)}</span>
            {statement}
        </li>
    }
}

fn person_view(person: &ListedPerson, names: &CountryNames) -> impl IntoView + use<> {
    view! {
        <li tabindex="-1">
            <span class="name">{person.name.clone()}</span>
            " "
            <span class="country">{names.name(&person.country)}</span>
        </li>
    }
}

fn countries_view(
    countries: &[CountryCount],
    names: &CountryNames,
    locale: &Locale,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    let shown =
        |n: Option<u64>| n.map_or_else(|| messages.fewer_than_ten.to_owned(), |n| locale.number(n));
    // In the order of the countries' names in this language.
    let rows = names
        .0
        .iter()
        .filter_map(|(code, name)| {
            let counts = countries.iter().find(|c| &c.country == code)?;
            Some(view! {
                <tr>
                    <th scope="row">{name.clone()}</th>
                    <td>{shown(counts.organisations)}</td>
                    <td>{shown(counts.people)}</td>
                </tr>
            })
        })
        .collect_view();
    view! {
        <table class="countries">
            <caption>{messages.by_country}</caption>
            <thead>
                <tr>
                    <th scope="col">{messages.country}</th>
                    <th scope="col">{messages.organisations}</th>
                    <th scope="col">{messages.people}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
