//! The `events` widget: a day of action's upcoming events, grouped by
//! country and city with online events apart; filters by country, kind,
//! date and city; each event's time at the event and on the reader's
//! clock; attendance moving live; an RSVP form on each event and a form to
//! propose one's own.

mod card;
mod fields;
mod messages;
mod page;
mod propose;
mod rsvp;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client;
use crate::host::{Anchor, Theme, focus_later, sleep};
use crate::i18n::{Locale, fill};
use messages::Messages;
#[cfg(not(target_arch = "wasm32"))]
pub use page::PER_PAGE;
use page::{Event, Query};
pub use page::{Page, decode_page};

/// The longest pause between two attempts to read the list.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// Where an events widget is, and how the partner set it up.
#[derive(Debug, Clone)]
pub struct Setup {
    /// `data-day` (or `data-campaign`): an action day's slug; `None`:
    /// every upcoming event.
    pub day: Option<String>,
    pub origin: String,
    pub locale: Locale,
    pub theme: Theme,
    pub placeholder: Anchor,
}

impl Setup {
    /// The list's first query, as the server renders it too.
    pub fn first_query(&self) -> Query {
        Query {
            day: self.day.clone(),
            lang: chorus_wire::lang::primary_subtag(&self.locale.tag)
                .unwrap_or_else(|| "en".into()),
            ..Query::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Loading,
    Missing,
    /// The first read failed; trying again.
    Failed,
    Ready(Page),
}

/// The filters as the supporter set them.
#[derive(Debug, Clone, Copy)]
struct Filter {
    country: RwSignal<String>,
    kind: RwSignal<String>,
    date: RwSignal<String>,
    city: RwSignal<String>,
}

/// The widget's state, shared by its parts. As in the updates widget,
/// reads start from events (a choice, the live connection), not effects.
#[derive(Clone)]
pub(crate) struct Board {
    shown: RwSignal<Shown>,
    filter: Filter,
    /// The day's name and date, from the first page.
    day: RwSignal<Option<(String, String)>>,
    /// The countries with events, named and sorted, from the first page.
    countries: RwSignal<Vec<(String, String)>>,
    /// Attendance as the live connection or an RSVP's answer last said.
    going: RwSignal<Vec<(String, u64)>>,
    /// Read to screen readers once a filter has been applied.
    found: RwSignal<String>,
    fetching_more: RwSignal<bool>,
    /// Bumped by every first-page read, so a slow answer to an old filter
    /// never replaces a newer one.
    generation: Arc<AtomicU32>,
    following: Arc<AtomicBool>,
    /// Whether this is the browser's widget (it sends), not the server's
    /// rendering (it links to Chorus's pages instead).
    live: bool,
    setup: Arc<Setup>,
    messages: &'static Messages,
}

/// The events in the browser: the first page (read unless the page already
/// had it), more on request, attendance live.
#[component]
pub fn Events(
    setup: Setup,
    /// The first page as the server rendered it, when it did.
    first: Option<Page>,
) -> impl IntoView {
    let known = first.is_some();
    let board = Board::new(setup, first.map_or(Shown::Loading, Shown::Ready), true);
    if known {
        board.follow();
    } else {
        spawn_local(board.clone().read_first(false));
    }
    board.view()
}

/// The events as the server renders them, from the same view the browser
/// shows: the first page, or `None` when Chorus has no such day.
#[cfg(not(target_arch = "wasm32"))]
pub fn on_server(setup: Setup, first: Option<Page>) -> impl IntoView {
    Board::new(setup, first.map_or(Shown::Missing, Shown::Ready), false).view()
}

impl Board {
    fn new(setup: Setup, shown: Shown, live: bool) -> Self {
        let (day, countries) = match &shown {
            Shown::Ready(page) => (
                page.day.clone(),
                setup.locale.countries_named(
                    &page
                        .countries
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                ),
            ),
            _ => (None, Vec::new()),
        };
        let blank = || RwSignal::new(String::new());
        Self {
            shown: RwSignal::new(shown),
            filter: Filter {
                country: blank(),
                kind: blank(),
                date: blank(),
                city: blank(),
            },
            day: RwSignal::new(day),
            countries: RwSignal::new(countries),
            going: RwSignal::new(Vec::new()),
            found: RwSignal::new(String::new()),
            fetching_more: RwSignal::new(false),
            generation: Arc::default(),
            following: Arc::default(),
            live,
            messages: messages::for_tag(&setup.locale.tag),
            setup: Arc::new(setup),
        }
    }

    /// The live count of `id`, else what its card said (`first`).
    fn going_of(&self, id: &str, first: u64) -> u64 {
        self.going
            .with(|all| all.iter().find(|(e, _)| e == id).map(|(_, n)| *n))
            .unwrap_or(first)
    }

    fn set_going(&self, id: &str, count: u64) {
        self.going.update(|all| {
            all.retain(|(e, _)| e != id);
            all.push((id.to_owned(), count));
        });
    }

    /// Follows the day's attendance on the page's live connection; once
    /// per widget. A change may have been missed: the list is read again.
    fn follow(&self) {
        if self.following.swap(true, Ordering::Relaxed) {
            return;
        }
        let board = self.clone();
        let day = self.setup.day.clone().unwrap_or_else(|| "all".into());
        client::follow_day(&self.setup.origin, &day, move |change| match change {
            Some(change) => board.set_going(&change.event, change.total_accepted),
            None => spawn_local(board.clone().read_first(true)),
        });
    }

    fn query(&self, cursor: Option<String>) -> Query {
        let f = self.filter;
        Query {
            country: f.country.get_untracked(),
            kind: f.kind.get_untracked(),
            date: f.date.get_untracked(),
            city: f.city.get_untracked(),
            cursor,
            ..self.setup.first_query()
        }
    }

    /// Reads the first page, retrying while Chorus cannot be reached. A
    /// `refresh` (the live connection's) says nothing; a filter's read
    /// says how many it found.
    async fn read_first(self, refresh: bool) {
        let generation = self
            .generation
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_add(1);
        let query = self.query(None);
        let mut pause = Duration::from_secs(1);
        loop {
            let read = page::fetch(&query).await;
            if self.generation.load(Ordering::Relaxed) != generation {
                return;
            }
            match read {
                Ok(Some(page)) => {
                    if !refresh && self.filtered() {
                        self.announce(page.events.len(), page.next.is_some());
                    }
                    self.learn(&page);
                    self.going.set(Vec::new());
                    self.shown.set(Shown::Ready(page));
                    return self.follow();
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

    /// Keeps what a first page says of the day and its countries.
    fn learn(&self, page: &Page) {
        if page.day.is_some() {
            self.day.set(page.day.clone());
        }
        if self.countries.with_untracked(Vec::is_empty) && !page.countries.is_empty() {
            let codes: Vec<&str> = page.countries.iter().map(String::as_str).collect();
            self.countries
                .set(self.setup.locale.countries_named(&codes));
        }
    }

    fn filtered(&self) -> bool {
        let f = self.filter;
        [f.country, f.kind, f.date, f.city]
            .iter()
            .any(|s| !s.get_untracked().trim().is_empty())
    }

    fn announce(&self, count: usize, more: bool) {
        let shown = format!(
            "{}{}",
            self.setup.locale.number(count as u64),
            if more { "+" } else { "" }
        );
        let message = if count == 1 && !more {
            self.messages.found_one
        } else {
            self.messages.found_other
        };
        self.found.set(fill(message, &[("count", &shown)]));
    }

    /// Adds the next page under the events shown, and moves focus to the
    /// first one added.
    async fn read_more(self) {
        let Shown::Ready(shown) = self.shown.get_untracked() else {
            return;
        };
        let Some(cursor) = shown.next.clone() else {
            return;
        };
        let generation = self.generation.load(Ordering::Relaxed);
        self.fetching_more.set(true);
        let read = page::fetch(&self.query(Some(cursor))).await;
        self.fetching_more.set(false);
        if self.generation.load(Ordering::Relaxed) != generation {
            return;
        }
        if let Ok(Some(more)) = read {
            let first_added = more.events.first().map(|e| e.id.clone());
            self.shown.update(|shown| {
                if let Shown::Ready(page) = shown {
                    page.events.extend(more.events);
                    page.next = more.next;
                }
            });
            if let Some(id) = first_added {
                focus_later(&self.setup.placeholder, format!("[data-event=\"{id}\"]"));
            }
        }
    }

    fn view(self) -> impl IntoView {
        let board = self;
        let (theme, tag) = (board.setup.theme, board.setup.locale.tag.clone());
        let (shown, found, messages) = (board.shown, board.found, board.messages);
        let notice = move || {
            let text = match shown.get() {
                Shown::Loading => messages.loading,
                Shown::Missing => messages.unknown_day,
                Shown::Failed => messages.failed,
                Shown::Ready(_) => return None,
            };
            Some(view! { <p class="notice">{text}</p> })
        };
        let ready = move || matches!(shown.get(), Shown::Ready(_));
        let list = {
            let board = board.clone();
            move || match shown.get() {
                Shown::Ready(page) => Some(board.list_view(page)),
                _ => None,
            }
        };
        let heading = {
            let (day, locale) = (board.day, board.setup.locale.clone());
            move || {
                day.get()
                    .map_or((messages.title.to_owned(), None), |(name, date)| {
                        (name, Some(locale.wall_day(&format!("{date}T00:00"))))
                    })
            }
        };
        let title = {
            let heading = heading.clone();
            move || heading().0
        };
        let date = move || {
            heading()
                .1
                .map(|date| view! { <p class="day-date">{date}</p> })
        };
        let filters = board.filters_view();
        // A proposal belongs to a day: a widget of every day offers none.
        let propose = (board.live && board.setup.day.is_some()).then(|| board.propose_view());
        view! {
            <section
                class="chorus events"
                data-theme=theme.as_str()
                lang=tag
                aria-busy=move || matches!(shown.get(), Shown::Loading).to_string()
            >
                <h2 class="title">{title}</h2>
                {date}
                <div hidden=move || !ready()>{filters}</div>
                {notice}
                {list}
                <p class="visually-hidden" role="status">{move || found.get()}</p>
                {propose}
            </section>
        }
    }

    /// Country, kind, date and city, applied as they change (the city on
    /// Enter or the search button).
    fn filters_view(&self) -> impl IntoView + use<> {
        let (messages, filter) = (self.messages, self.filter);
        let choose = {
            let board = self.clone();
            move |signal: RwSignal<String>, value: String| {
                signal.set(value);
                spawn_local(board.clone().read_first(false));
            }
        };
        let countries = {
            let board = self.clone();
            move || {
                std::iter::once((String::new(), messages.every_country.to_owned()))
                    .chain(board.countries.get())
                    .map(|(code, name)| {
                        let selected = code == filter.country.get_untracked();
                        view! { <option value=code selected=selected>{name}</option> }
                    })
                    .collect::<Vec<_>>()
            }
        };
        let kinds = std::iter::once(("", messages.every_kind.to_owned()))
            .chain(
                chorus_wire::events::KINDS
                    .iter()
                    .map(|k| (*k, messages.kind_name(k))),
            )
            .map(|(kind, name)| view! { <option value=kind>{name}</option> })
            .collect::<Vec<_>>();
        let (on_country, on_kind, on_date) = (choose.clone(), choose.clone(), choose.clone());
        let search = {
            let board = self.clone();
            move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                spawn_local(board.clone().read_first(false));
            }
        };
        view! {
            <form class="filters" role="search" aria-label=messages.filters on:submit=search>
                <div class="filter">
                    <label for="events-country">{messages.country}</label>
                    <select
                        id="events-country"
                        on:change=move |ev| on_country(filter.country, event_target_value(&ev))
                    >
                        {countries}
                    </select>
                </div>
                <div class="filter">
                    <label for="events-kind">{messages.kind}</label>
                    <select
                        id="events-kind"
                        on:change=move |ev| on_kind(filter.kind, event_target_value(&ev))
                    >
                        {kinds}
                    </select>
                </div>
                <div class="filter">
                    <label for="events-date">{messages.date}</label>
                    <input
                        id="events-date"
                        type="date"
                        on:change=move |ev| on_date(filter.date, event_target_value(&ev))
                    />
                </div>
                <div class="filter city">
                    <label for="events-city">{messages.city}</label>
                    <input
                        id="events-city"
                        type="search"
                        autocomplete="address-level2"
                        on:input=move |ev| filter.city.set(event_target_value(&ev))
                        on:change=move |ev| filter.city.set(event_target_value(&ev))
                    />
                </div>
                <button type="submit" class="search">{messages.search}</button>
            </form>
        }
    }

    /// Online events first, then each country (in the reader's language's
    /// order) and its cities, events by start within each.
    fn list_view(&self, page: Page) -> impl IntoView + use<> {
        let messages = self.messages;
        let empty = page
            .events
            .is_empty()
            .then(|| view! { <p class="notice">{messages.empty}</p> });
        let (online, local): (Vec<Event>, Vec<Event>) =
            page.events.into_iter().partition(Event::is_online);
        let online = (!online.is_empty()).then(|| {
            let events = online
                .into_iter()
                .map(|e| self.event_view(e))
                .collect::<Vec<_>>();
            view! {
                <section class="group" aria-labelledby="events-online">
                    <h3 id="events-online">{messages.online}</h3>
                    <ul class="list">{events}</ul>
                </section>
            }
        });
        let mut codes: Vec<&str> = local.iter().map(|e| e.country.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        let named = self.setup.locale.countries_named(&codes);
        let countries = named
            .into_iter()
            .map(|(code, name)| {
                let here: Vec<&Event> = local.iter().filter(|e| e.country == code).collect();
                let mut cities: Vec<&str> = here.iter().map(|e| e.city.as_str()).collect();
                cities.sort_unstable();
                cities.dedup();
                let cities = cities
                    .into_iter()
                    .map(|city| {
                        let events = here
                            .iter()
                            .filter(|e| e.city == city)
                            .map(|e| self.event_view((*e).clone()))
                            .collect::<Vec<_>>();
                        view! {
                            <h4 class="city" dir="auto">{city.to_owned()}</h4>
                            <ul class="list">{events}</ul>
                        }
                    })
                    .collect::<Vec<_>>();
                let id = format!("events-country-{code}");
                let labelled_by = id.clone();
                view! {
                    <section class="group" data-country=code aria-labelledby=labelled_by>
                        <h3 id=id>{name}</h3>
                        {cities}
                    </section>
                }
            })
            .collect::<Vec<_>>();
        let more = page.next.is_some().then(|| {
            let (board, fetching) = (self.clone(), self.fetching_more);
            view! {
                <button
                    type="button"
                    class="more"
                    disabled=move || fetching.get()
                    on:click=move |_| spawn_local(board.clone().read_more())
                >
                    {messages.load_more}
                </button>
            }
        });
        view! {
            {empty}
            {online}
            {countries}
            {more}
        }
    }
}
