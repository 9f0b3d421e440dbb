//! The `resources` widget: a feed's files alone, as a campaign's toolkit
//! box (flyers, posters, tip sheets), each in the reader's language where
//! it has one, with its alternates, and kept current live.

mod messages;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client;
use crate::downloads::downloads_view;
use crate::feed::{self, Page, Query};
use crate::host::{Theme, sleep};
use crate::i18n::Locale;
use messages::Messages;

/// The most items a toolkit reads: the API's page.
pub const ITEMS: u32 = 50;
const MAX_RETRY: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct Setup {
    /// `data-feed`.
    pub slug: String,
    pub origin: String,
    pub locale: Locale,
    pub theme: Theme,
}

/// Every language's items: a file is shown in the reader's language by
/// its alternates, not by its item's.
fn query() -> Query {
    Query {
        limit: ITEMS,
        ..Query::default()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Loading,
    Missing,
    Failed,
    Ready(Page),
}

#[derive(Clone)]
struct Toolkit {
    shown: RwSignal<Shown>,
    /// Bumped by every read, so a slow answer never replaces a newer one.
    generation: Arc<AtomicU32>,
    following: Arc<AtomicBool>,
    setup: Arc<Setup>,
    messages: &'static Messages,
}

/// The box in the browser: read unless the page already had it, read
/// again when the feed changes.
#[component]
pub fn Resources(setup: Setup, first: Option<Page>) -> impl IntoView {
    let known = first.is_some();
    let toolkit = Toolkit::new(setup, first.map_or(Shown::Loading, Shown::Ready));
    if known {
        toolkit.follow();
    } else {
        spawn_local(toolkit.clone().read(false));
    }
    toolkit.view()
}

/// The box as the server renders it: `None` when Chorus has no such feed.
#[cfg(not(target_arch = "wasm32"))]
pub fn on_server(setup: Setup, first: Option<Page>) -> impl IntoView {
    Toolkit::new(setup, first.map_or(Shown::Missing, Shown::Ready)).view()
}

impl Toolkit {
    fn new(setup: Setup, shown: Shown) -> Self {
        Self {
            shown: RwSignal::new(shown),
            generation: Arc::default(),
            following: Arc::default(),
            messages: messages::for_tag(&setup.locale.tag),
            setup: Arc::new(setup),
        }
    }

    fn follow(&self) {
        if self.following.swap(true, Ordering::Relaxed) {
            return;
        }
        let toolkit = self.clone();
        client::follow_feed(&self.setup.origin, &self.setup.slug, move || {
            spawn_local(toolkit.clone().read(true));
        });
    }

    async fn read(self, fresh: bool) {
        let generation = self
            .generation
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_add(1);
        let mut pause = Duration::from_secs(1);
        loop {
            let read = feed::fetch(&self.setup.slug, &query(), fresh).await;
            if self.generation.load(Ordering::Relaxed) != generation {
                return;
            }
            match read {
                Ok(Some(page)) => {
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

    fn view(self) -> impl IntoView {
        let (theme, tag) = (self.setup.theme, self.setup.locale.tag.clone());
        let (shown, messages, locale) = (self.shown, self.messages, self.setup.locale.clone());
        let body = move || match shown.get() {
            Shown::Loading => view! { <p class="notice">{messages.loading}</p> }.into_any(),
            Shown::Missing => view! { <p class="notice">{messages.unknown_feed}</p> }.into_any(),
            Shown::Failed => view! { <p class="notice">{messages.failed}</p> }.into_any(),
            Shown::Ready(page) => {
                let files = page
                    .items
                    .into_iter()
                    .flat_map(|item| item.attachments)
                    .collect::<Vec<_>>();
                let list = downloads_view(&locale, files, true);
                let empty = list
                    .is_none()
                    .then(|| view! { <p class="notice">{messages.empty}</p> });
                view! {
                    <h2 class="title">{messages.toolkit}</h2>
                    <p class="feed-title" dir="auto">{page.title}</p>
                    {list}
                    {empty}
                }
                .into_any()
            }
        };
        view! {
            <section
                class="chorus resources"
                data-theme=theme.as_str()
                lang=tag
                aria-busy=move || matches!(shown.get(), Shown::Loading).to_string()
            >
                {body}
            </section>
        }
    }
}
