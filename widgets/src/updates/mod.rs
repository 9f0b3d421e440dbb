//! The `updates` widget: a feed's latest items, filtered by topic and by
//! language, more on request, and new items arriving live.

mod messages;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client;
use crate::clock;
use crate::feed::{self as page, Item, Query};
pub use crate::feed::{Page, decode_page};
use crate::host::{Anchor, Theme, focus_later, sleep};
use crate::i18n::{Locale, fill};
use messages::Messages;

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
    pub placeholder: Anchor,
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

/// The widget's state, shared by its parts. Reads start from events (a
/// click, the live connection), not from effects: Leptos's effects would
/// add a second allocator to every partner's download.
#[derive(Clone)]
struct Feed {
    shown: RwSignal<Shown>,
    // Shared, not reactive: choosing reads the first page again, which
    // redraws everything the filter shows.
    filter: Arc<Mutex<Filter>>,
    /// Read for screen readers when items arrive live.
    arrived: RwSignal<String>,
    fetching_more: RwSignal<bool>,
    /// Bumped by every first-page read, so a slow answer to an old filter
    /// never replaces a newer one.
    generation: Arc<AtomicU32>,
    following: Arc<AtomicBool>,
    setup: Arc<Setup>,
    messages: &'static Messages,
}

/// `data-limit`: items per page, five unless the partner says, and no
/// more than Chorus's API gives at a time.
pub fn limit(attribute: Option<&str>) -> u32 {
    attribute
        .and_then(|l| l.parse().ok())
        .unwrap_or(5)
        .clamp(1, MAX_PAGE)
}

/// `data-layout="compact"`: titles and dates only.
pub fn is_compact(attribute: Option<&str>) -> bool {
    attribute == Some("compact")
}

/// The feed in the browser: its first page (read unless the page already
/// had it), more on request, new items live.
#[component]
pub fn Updates(
    setup: Setup,
    /// The first page as the server rendered it, when it did.
    first: Option<Page>,
) -> impl IntoView {
    let known = first.is_some();
    let feed = Feed::new(setup, first.map_or(Shown::Loading, Shown::Ready));
    if known {
        feed.follow();
    } else {
        spawn_local(feed.clone().read_first(false));
    }
    feed.view()
}

/// The feed as the server renders it, from the same view the browser
/// shows: its first page, or `None` when Chorus has no such feed.
#[cfg(not(target_arch = "wasm32"))]
pub fn on_server(setup: Setup, first: Option<Page>) -> impl IntoView {
    Feed::new(setup, first.map_or(Shown::Missing, Shown::Ready)).view()
}

impl Feed {
    fn new(setup: Setup, shown: Shown) -> Self {
        Self {
            shown: RwSignal::new(shown),
            filter: Arc::default(),
            arrived: RwSignal::new(String::new()),
            fetching_more: RwSignal::new(false),
            generation: Arc::default(),
            following: Arc::default(),
            messages: messages::for_tag(&setup.locale.tag),
            setup: Arc::new(setup),
        }
    }

    /// Reads the first page again whenever the live connection says the
    /// feed changed; once per widget.
    fn follow(&self) {
        if self.following.swap(true, Ordering::Relaxed) {
            return;
        }
        let feed = self.clone();
        client::follow_feed(&self.setup.origin, &self.setup.slug, move || {
            spawn_local(feed.clone().read_first(true));
        });
    }

    fn view(self) -> impl IntoView {
        let feed = self;
        let (theme, tag) = (feed.setup.theme, feed.setup.locale.tag.clone());
        let (shown, arrived) = (feed.shown, feed.arrived);
        let messages = feed.messages;
        let notice = move || {
            let text = match shown.get() {
                Shown::Loading => messages.loading,
                Shown::Missing => messages.unknown_feed,
                Shown::Failed => messages.failed,
                Shown::Ready(_) => return None,
            };
            Some(view! { <p class="notice">{text}</p> })
        };
        let page = move || match shown.get() {
            Shown::Ready(page) => Some(feed.page_view(page)),
            _ => None,
        };
        view! {
            <section
                class="chorus updates"
                data-theme=theme.as_str()
                lang=tag
                aria-busy=move || matches!(shown.get(), Shown::Loading).to_string()
            >
                {notice}
                {page}
                <p class="visually-hidden" role="status">{move || arrived.get()}</p>
            </section>
        }
    }
}

impl Feed {
    /// Changes what the supporter sees, and reads it.
    fn choose(&self, change: impl FnOnce(&mut Filter)) {
        change(&mut self.filter());
        spawn_local(self.clone().read_first(false));
    }

    fn filter(&self) -> std::sync::MutexGuard<'_, Filter> {
        // One thread: the lock is never contended nor poisoned by another.
        self.filter.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn query(&self, limit: u32, cursor: Option<String>) -> Query {
        let filter = self.filter();
        let lang = chorus_wire::lang::primary_subtag(&self.setup.locale.tag)
            .unwrap_or_else(|| "en".into());
        Query {
            limit,
            tag: filter.tag.clone(),
            lang: (!filter.every_language).then_some(lang),
            cursor,
        }
    }

    /// Reads the first page, retrying while Chorus cannot be reached. A
    /// refresh (`fresh`) reads as many items as are shown, so "more" pages
    /// already open stay open, and announces what arrived.
    async fn read_first(self, fresh: bool) {
        let generation = self
            .generation
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_add(1);
        let setup = &self.setup;
        let before = match self.shown.get_untracked() {
            Shown::Ready(page) if fresh => page.items,
            _ => Vec::new(),
        };
        let limit = setup.limit.max(before.len() as u32).min(MAX_PAGE);
        let mut query = self.query(limit, None);
        let mut pause = Duration::from_secs(1);
        loop {
            let read = page::fetch(&setup.slug, &query, fresh).await;
            if self.generation.load(Ordering::Relaxed) != generation {
                return;
            }
            match read {
                // "More" opened a page meanwhile: read as many as it shows.
                Ok(Some(_))
                    if fresh
                        && self.shown_count().min(MAX_PAGE as usize) > query.limit as usize =>
                {
                    query.limit = (self.shown_count() as u32).min(MAX_PAGE);
                }
                Ok(Some(page)) => {
                    if fresh {
                        self.announce_arrivals(&before, &page.items);
                    }
                    self.shown.set(Shown::Ready(page));
                    return self.follow();
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

    fn shown_count(&self) -> usize {
        match self.shown.get_untracked() {
            Shown::Ready(page) => page.items.len(),
            _ => 0,
        }
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
        let query = self.query(self.setup.limit, Some(cursor.clone()));
        self.fetching_more.set(true);
        let read = page::fetch(&self.setup.slug, &query, false).await;
        self.fetching_more.set(false);
        if let Ok(Some(more)) = read {
            let first_added = more.items.first().map(|item| item.id);
            let mut added = false;
            // Only onto the list it was read after: a new filter changes
            // it, a live refresh of the same items does not (and must not
            // swallow the supporter's click).
            let same_filter = self.query(self.setup.limit, Some(cursor.clone())) == query;
            self.shown.update(|shown| {
                if let Shown::Ready(page) = shown
                    && same_filter
                    && page.next.as_ref() == Some(&cursor)
                {
                    page.items.extend(more.items);
                    page.next = more.next;
                    added = true;
                }
            });
            if !added {
                return;
            }
            if let Some(id) = first_added {
                focus_later(&self.setup.placeholder, format!("[data-item=\"{id}\"]"));
            }
        }
    }

    fn page_view(&self, page: Page) -> impl IntoView + use<> {
        let messages = self.messages;
        let Filter {
            tag: chosen,
            every_language,
        } = self.filter().clone();
        let empty = page.items.is_empty().then(|| {
            let text = if every_language {
                messages.empty
            } else {
                messages.empty_in_language
            };
            view! { <p class="notice">{text}</p> }
        });
        let items = page
            .items
            .into_iter()
            .map(|item| self.item_view(item))
            .collect::<Vec<_>>();
        let more = page.next.is_some().then(|| {
            let (feed, fetching) = (self.clone(), self.fetching_more);
            view! {
                <button
                    class="more"
                    disabled=move || fetching.get()
                    on:click=move |_| spawn_local(feed.clone().read_more())
                >
                    {messages.load_more}
                </button>
            }
        });
        let language_label = if every_language {
            messages.only_language
        } else {
            messages.every_language
        };
        let feed = self.clone();
        view! {
            <h2 class="title">{page.title}</h2>
            {self.topics(page.tags, chosen)}
            <button
                class="language"
                on:click=move |_| feed.choose(|f| f.every_language = !f.every_language)
            >
                {language_label}
            </button>
            {empty}
            <ul class="items">{items}</ul>
            {more}
        }
    }

    /// "All" and one toggle per topic; the chosen one is pressed.
    fn topics(&self, tags: Vec<String>, chosen: Option<String>) -> impl IntoView + use<> {
        let chips = std::iter::once(None)
            .chain(tags.into_iter().map(Some))
            .map(|tag| {
                let pressed = tag == chosen;
                let label = tag
                    .as_deref()
                    .map_or(self.messages.all_topics.to_owned(), |t| t.replace('-', " "));
                let feed = self.clone();
                view! {
                    <button
                        class="topic"
                        aria-pressed=pressed.to_string()
                        on:click=move |_| feed.choose(|f| f.tag = tag.clone())
                    >
                        {label}
                    </button>
                }
            })
            .collect::<Vec<_>>();
        (chips.len() > 1).then(|| {
            view! {
                <div class="topics" role="group" aria-label=self.messages.topics>
                    {chips}
                </div>
            }
        })
    }

    fn item_view(&self, item: Item) -> impl IntoView + use<> {
        let (messages, setup) = (self.messages, &self.setup);
        let date = date_view(setup.locale.clone(), item.published_at.clone());
        let Item {
            id,
            title,
            summary,
            has_image,
            image_alt,
            link,
            lang,
            attachments,
            ..
        } = item;
        // Compact: the title is the link. Full: a picture, the summary and a
        // "read more" link under the title.
        let (title_link, read_more) = match (setup.compact, link) {
            (true, link) => (link, None),
            (false, link) => (None, link),
        };
        let title_link = title_link.map(|href| {
            view! {
                <a href=href target="_blank" rel="noopener noreferrer">
                    {title.clone()}
                    <span class="visually-hidden">" " {messages.new_tab}</span>
                </a>
            }
        });
        let plain_title = title_link.is_none().then(|| title.clone());
        let picture = (has_image && !setup.compact).then(|| {
            // From the setup's origin, not the page's connection: the
            // server renders this too, for a page on another origin.
            let src = format!(
                "{}{}/feeds/{}/items/{id}/image",
                setup.origin,
                chorus_wire::API_PREFIX,
                client::encode(&setup.slug)
            );
            // The frame keeps its shape while the picture loads: no shift.
            view! {
                <div class="picture">
                    <img src=src alt=image_alt loading="lazy" decoding="async" />
                </div>
            }
        });
        let summary = (!setup.compact).then(|| view! { <p class="summary">{summary}</p> });
        let downloads = (!setup.compact)
            .then(|| crate::downloads::downloads_view(&setup.locale, attachments, false))
            .flatten();
        let read_more = read_more.map(|href| {
            view! {
                <a class="read-more" href=href target="_blank" rel="noopener noreferrer">
                    {messages.read_more}
                    <span class="visually-hidden">
                        ": " {title} " " {messages.new_tab}
                    </span>
                </a>
            }
        });
        view! {
            <li class="item" data-item=id.to_string() tabindex="-1" lang=lang dir="auto">
                {picture}
                <h3 class="item-title">{title_link} {plain_title}</h3>
                {date}
                {summary}
                {downloads}
                {read_more}
            </li>
        }
    }
}

/// `<time>` with a relative date for recent items ("3 hours ago"), kept
/// current by the page clock, and the date itself for older ones.
fn date_view(locale: Locale, published_at: String) -> impl IntoView {
    let published = clock::parse(&published_at).unwrap_or(f64::NAN);
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
