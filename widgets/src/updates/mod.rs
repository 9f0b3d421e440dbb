//! The `updates` widget: a feed's latest items, filtered by topic and by
//! language, more on request, and new items arriving live.

mod messages;
mod page;

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlElement;

use crate::client;
use crate::clock;
use crate::host::{Theme, focus_later, sleep};
use crate::i18n::{Locale, fill};
use messages::Messages;
use page::{Item, Page, Query};

/// The longest pause between two attempts to read the feed.
const MAX_RETRY: Duration = Duration::from_secs(30);
/// The most items one request may ask for (the API's limit).
const MAX_PAGE: u32 = 50;
/// Items newer than this show a relative date ("3 hours ago").
const RECENT_MS: f64 = 7.0 * 24.0 * 3_600_000.0;

/// Where an updates widget is, and how the partner set it up.
#[derive(Debug, Clone)]
pub struct Setup {
    pub slug: String,
    pub origin: String,
    pub locale: Locale,
    pub theme: Theme,
    /// `data-limit`: items per page.
    pub limit: u32,
    /// `data-layout="compact"`: titles and dates only.
    pub compact: bool,
    pub placeholder: HtmlElement,
}

#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Loading,
    Missing,
    /// The first read failed; trying again.
    Failed,
    Ready(Page),
}

/// What the supporter chose to see.
#[derive(Debug, Clone, PartialEq, Default)]
struct Filter {
    tag: Option<String>,
    every_language: bool,
}

/// The widget's state, shared by its parts.
#[derive(Clone, Copy)]
struct Feed {
    shown: RwSignal<Shown>,
    filter: RwSignal<Filter>,
    /// Grows when the live connection says the feed changed; `None` until
    /// the feed is known to exist.
    changes: RwSignal<Option<RwSignal<u32>>>,
    /// Read for screen readers when items arrive live.
    arrived: RwSignal<String>,
    fetching_more: RwSignal<bool>,
    /// Bumped by every first-page read, so a slow answer to an old filter
    /// never replaces a newer one.
    generation: StoredValue<u32>,
    setup: StoredValue<Setup>,
    messages: &'static Messages,
}

#[component]
pub fn Updates(setup: Setup) -> impl IntoView {
    let feed = Feed {
        shown: RwSignal::new(Shown::Loading),
        filter: RwSignal::new(Filter::default()),
        changes: RwSignal::new(None),
        arrived: RwSignal::new(String::new()),
        fetching_more: RwSignal::new(false),
        generation: StoredValue::new(0),
        messages: messages::for_tag(&setup.locale.tag),
        setup: StoredValue::new(setup.clone()),
    };
    // Reads the first page again whenever the filter changes, or the live
    // connection says the feed changed (then past the browser's cache).
    Effect::new(move |previous: Option<(Filter, u32)>| {
        let now = (
            feed.filter.get(),
            feed.changes.get().map_or(0, |changes| changes.get()),
        );
        if previous.as_ref() != Some(&now) {
            let fresh = previous.is_some_and(|(filter, _)| filter == now.0);
            spawn_local(feed.read_first(now.0.clone(), fresh));
        }
        now
    });
    let messages = feed.messages;
    let body = move || match feed.shown.get() {
        Shown::Loading => view! { <p class="notice">{messages.loading}</p> }.into_any(),
        Shown::Missing => view! { <p class="notice">{messages.unknown_feed}</p> }.into_any(),
        Shown::Failed => view! { <p class="notice">{messages.failed}</p> }.into_any(),
        Shown::Ready(page) => feed.page_view(page).into_any(),
    };
    view! {
        <section
            class="chorus updates"
            data-theme=setup.theme.as_str()
            lang=setup.locale.tag.clone()
            aria-busy=move || matches!(feed.shown.get(), Shown::Loading).to_string()
        >
            {body}
            <p class="visually-hidden" role="status">{move || feed.arrived.get()}</p>
        </section>
    }
}

impl Feed {
    fn query(&self, filter: &Filter, limit: u32, cursor: Option<String>) -> Query {
        let tag = &self.setup.with_value(|s| s.locale.tag.clone());
        let lang = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("en")
            .to_ascii_lowercase();
        Query {
            limit,
            tag: filter.tag.clone(),
            lang: (!filter.every_language).then_some(lang),
            cursor,
        }
    }

    /// Reads the first page for `filter`, retrying while Chorus cannot be
    /// reached. A refresh (`fresh`) reads as many items as are shown, so
    /// "more" pages already open stay open, and announces what arrived.
    async fn read_first(self, filter: Filter, fresh: bool) {
        let generation = self.generation.get_value().wrapping_add(1);
        self.generation.set_value(generation);
        let (slug, origin, limit) = self
            .setup
            .with_value(|s| (s.slug.clone(), s.origin.clone(), s.limit));
        let before = match self.shown.get_untracked() {
            Shown::Ready(page) if fresh => page.items,
            _ => Vec::new(),
        };
        let limit = limit.max(before.len() as u32).min(MAX_PAGE);
        let query = self.query(&filter, limit, None);
        let mut pause = Duration::from_secs(1);
        loop {
            let read = page::fetch(&slug, &query, fresh).await;
            if self.generation.get_value() != generation {
                return;
            }
            match read {
                Ok(Some(page)) => {
                    if fresh {
                        self.announce_arrivals(&before, &page.items);
                    }
                    self.shown.set(Shown::Ready(page));
                    if self.changes.get_untracked().is_none() {
                        self.changes.set(Some(client::follow_feed(&origin, &slug)));
                    }
                    return;
                }
                Ok(None) => return self.shown.set(Shown::Missing),
                Err(_) => {
                    // Items already shown stay; only a first read says it failed.
                    if !matches!(self.shown.get_untracked(), Shown::Ready(_)) {
                        self.shown.set(Shown::Failed);
                    }
                    sleep(pause).await;
                    pause = (pause * 2).min(MAX_RETRY);
                }
            }
        }
    }

    /// Counts the items newer than any shown before: ids follow posting,
    /// not publication, so they cannot tell.
    fn announce_arrivals(&self, before: &[Item], after: &[Item]) {
        let newest = before.first().map_or("", |item| item.published_at.as_str());
        let count = after
            .iter()
            .filter(|item| {
                item.published_at.as_str() >= newest && !before.iter().any(|b| b.id == item.id)
            })
            .count();
        if count == 0 {
            return;
        }
        let message = match count {
            1 => self.messages.arrived_one,
            _ => self.messages.arrived_other,
        };
        self.arrived
            .set(fill(message, &[("count", &count.to_string())]));
    }

    /// Adds the next page under the items shown, and moves focus to the
    /// first one added, so a keyboard user carries on reading from there.
    async fn read_more(self) {
        let Shown::Ready(shown) = self.shown.get_untracked() else {
            return;
        };
        let Some(cursor) = shown.next.clone() else {
            return;
        };
        let (slug, limit, placeholder) = self
            .setup
            .with_value(|s| (s.slug.clone(), s.limit, s.placeholder.clone()));
        let generation = self.generation.get_value();
        let query = self.query(&self.filter.get_untracked(), limit, Some(cursor));
        self.fetching_more.set(true);
        let read = page::fetch(&slug, &query, false).await;
        self.fetching_more.set(false);
        // A filter or a refresh changed the list meanwhile: this page is stale.
        if self.generation.get_value() != generation {
            return;
        }
        if let Ok(Some(more)) = read {
            let first_added = more.items.first().map(|item| item.id);
            self.shown.update(|shown| {
                if let Shown::Ready(page) = shown {
                    page.items.extend(more.items);
                    page.next = more.next;
                }
            });
            if let Some(id) = first_added {
                focus_later(&placeholder, format!("[data-item=\"{id}\"]"));
            }
        }
    }

    fn page_view(self, page: Page) -> impl IntoView {
        let messages = self.messages;
        let (locale, compact) = self.setup.with_value(|s| (s.locale.clone(), s.compact));
        let filter = self.filter.get_untracked();
        let empty = if filter.every_language {
            messages.empty
        } else {
            messages.empty_in_language
        };
        let list = if page.items.is_empty() {
            view! { <p class="notice">{empty}</p> }.into_any()
        } else {
            let items = page
                .items
                .into_iter()
                .map(|item| self.item_view(item, &locale, compact))
                .collect::<Vec<_>>();
            view! { <ul class="items">{items}</ul> }.into_any()
        };
        let more = page.next.is_some().then(|| {
            view! {
                <button
                    class="more"
                    disabled=move || self.fetching_more.get()
                    on:click=move |_| spawn_local(self.read_more())
                >
                    {messages.load_more}
                </button>
            }
        });
        let language_label = if filter.every_language {
            messages.only_language
        } else {
            messages.every_language
        };
        view! {
            <h2 class="title">{page.title}</h2>
            {self.topics(page.tags, filter.tag)}
            <button
                class="language"
                on:click=move |_| self.filter.update(|f| f.every_language = !f.every_language)
            >
                {language_label}
            </button>
            {list}
            {more}
        }
    }

    /// "All" and one toggle per topic; the chosen one is pressed.
    fn topics(self, tags: Vec<String>, chosen: Option<String>) -> impl IntoView {
        let chip = move |tag: Option<String>, pressed: bool| {
            let label = tag
                .as_deref()
                .map_or(self.messages.all_topics.to_owned(), |t| t.replace('-', " "));
            view! {
                <button
                    class="topic"
                    aria-pressed=pressed.to_string()
                    on:click=move |_| self.filter.update(|f| f.tag = tag.clone())
                >
                    {label}
                </button>
            }
        };
        let chips = std::iter::once(chip(None, chosen.is_none()))
            .chain(tags.into_iter().map(|tag| {
                let pressed = chosen.as_ref() == Some(&tag);
                chip(Some(tag), pressed)
            }))
            .collect::<Vec<_>>();
        (chips.len() > 1).then(|| {
            view! {
                <div class="topics" role="group" aria-label=self.messages.topics>
                    {chips}
                </div>
            }
        })
    }

    fn item_view(self, item: Item, locale: &Locale, compact: bool) -> impl IntoView {
        let messages = self.messages;
        let date = date_view(locale.clone(), item.published_at.clone());
        let link = item.link.clone();
        let title = match (compact, link.clone()) {
            (true, Some(href)) => view! {
                <a href=href target="_blank" rel="noopener noreferrer">
                    {item.title.clone()}
                    <span class="visually-hidden">" " {messages.new_tab}</span>
                </a>
            }
            .into_any(),
            _ => item.title.clone().into_any(),
        };
        let details = (!compact).then(|| {
            let picture = item.has_image.then(|| {
                let src = self.setup.with_value(|s| {
                    format!(
                        "{}{}/feeds/{}/items/{}/image",
                        s.origin,
                        chorus_wire::API_PREFIX,
                        client::encode(&s.slug),
                        item.id
                    )
                });
                // The frame keeps its shape while the picture loads: no shift.
                view! {
                    <div class="picture">
                        <img src=src alt=item.image_alt.clone() loading="lazy" decoding="async" />
                    </div>
                }
            });
            let read_more = link.map(|href| {
                view! {
                    <a class="read-more" href=href target="_blank" rel="noopener noreferrer">
                        {messages.read_more}
                        <span class="visually-hidden">
                            ": " {item.title.clone()} " " {messages.new_tab}
                        </span>
                    </a>
                }
            });
            view! {
                {picture}
                <p class="summary">{item.summary.clone()}</p>
                {read_more}
            }
        });
        view! {
            <li class="item" data-item=item.id.to_string() tabindex="-1" lang=item.lang dir="auto">
                <h3 class="item-title">{title}</h3>
                {date}
                {details}
            </li>
        }
    }
}

/// `<time>` with a relative date for recent items ("3 hours ago"), kept
/// current by the page clock, and the date itself for older ones.
fn date_view(locale: Locale, published_at: String) -> impl IntoView {
    let published = js_sys::Date::parse(&published_at);
    let text = move || {
        let age = clock::now().get() - published;
        if age < RECENT_MS {
            locale.ago(age / 1000.0)
        } else {
            locale.date(published)
        }
    };
    view! { <time class="date" datetime=published_at>{text}</time> }
}
