//! The `storm` widget: a social-media storm's countdown on the reader's
//! own clock, "it's on now" at the instant, the message to post with its
//! length counted the way each platform counts, a variant picked at random
//! ("another message" for the next), one-tap share buttons, the storm's
//! calendar file, and the shares counted so far.
//!
//! The instant comes from Chorus twice over: the page's live connection
//! says when the state changes, and the widget's own timer, set by the
//! server's clock rather than the device's, switches at the instant
//! whichever comes first.

mod card;
mod device;
mod messages;
mod share;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chorus_wire::storm::{Platform, StormState};
use leptos::prelude::*;
use leptos::task::spawn_local;

pub use card::{Card, decode};
use messages::Messages;

use crate::client;
use crate::clock;
use crate::host::{Anchor, Theme, focus_later, sleep};
use crate::i18n::{Locale, fill};

/// The longest pause between two attempts to read the storm.
const MAX_RETRY: Duration = Duration::from_secs(30);
/// Timers further off than this are left to the live connection (and a
/// browser's timer cannot wait longer than about 24 days).
const LONGEST_TIMER_MS: f64 = 20.0 * 86_400_000.0;

/// Where a storm widget is, and how the partner set it up.
#[derive(Debug, Clone)]
pub struct Setup {
    /// `data-storm`.
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
    /// The first read failed; trying again.
    Failed,
    Ready(Arc<Card>),
}

/// The widget's state, shared by its parts.
#[derive(Clone)]
struct Board {
    shown: RwSignal<Shown>,
    state: RwSignal<StormState>,
    shares: RwSignal<u64>,
    /// Which variant the supporter sees.
    choice: RwSignal<usize>,
    /// The supporter's Mastodon server, as this device remembers it.
    mastodon: RwSignal<Option<String>>,
    asking_server: RwSignal<bool>,
    server_refused: RwSignal<bool>,
    typed_server: RwSignal<String>,
    /// Read to screen readers: the switch to "on now", a copy.
    status: RwSignal<String>,
    following: Arc<AtomicBool>,
    /// The browser's widget (it counts shares, reads the device), not the
    /// server's rendering.
    live: bool,
    setup: Arc<Setup>,
    messages: &'static Messages,
}

/// The storm in the browser: read unless the page already had it, then
/// followed live.
#[component]
pub fn Storm(
    setup: Setup,
    /// The storm as the server rendered it, when it did.
    first: Option<Card>,
) -> impl IntoView {
    let known = first.clone();
    let board = Board::new(
        setup,
        first.map_or(Shown::Loading, |c| Shown::Ready(c.into())),
        true,
    );
    match known {
        Some(card) => board.learn(&card),
        None => spawn_local(board.clone().read()),
    }
    board.view()
}

/// The storm as the server renders it: `None` when Chorus has no such storm.
#[cfg(not(target_arch = "wasm32"))]
pub fn on_server(setup: Setup, first: Option<Card>) -> impl IntoView {
    Board::new(
        setup,
        first.map_or(Shown::Missing, |c| Shown::Ready(c.into())),
        false,
    )
    .view()
}

/// Where a state comes in the storm's course.
fn rank(state: StormState) -> u8 {
    match state {
        StormState::Upcoming => 0,
        StormState::On => 1,
        StormState::Over => 2,
    }
}

/// "X", "Bluesky", "Email": a platform as its button names it.
fn platform_name(messages: &Messages, platform: &str) -> String {
    let name = match platform {
        "x" => "X",
        "linkedin" => "LinkedIn",
        "whatsapp" => "WhatsApp",
        "email" => messages.email,
        "copy" => messages.copy,
        "native" => messages.more,
        // Platform names are ASCII: no Unicode case tables in the bundle.
        other => {
            let mut name = other.to_owned();
            if let Some(first) = name.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            return name;
        }
    };
    name.to_owned()
}

impl Board {
    fn new(setup: Setup, shown: Shown, live: bool) -> Self {
        let (state, shares, variants) = match &shown {
            Shown::Ready(card) => (card.state, card.shares, card.variants()),
            _ => (StormState::Upcoming, 0, 1),
        };
        // Each supporter sees a variant of their own, so posts differ; the
        // server's rendering shows the first.
        let choice = if live { device::pick(variants) } else { 0 };
        Self {
            shown: RwSignal::new(shown),
            state: RwSignal::new(state),
            shares: RwSignal::new(shares),
            choice: RwSignal::new(choice),
            mastodon: RwSignal::new(live.then(device::mastodon_server).flatten()),
            asking_server: RwSignal::new(false),
            server_refused: RwSignal::new(false),
            typed_server: RwSignal::new(String::new()),
            status: RwSignal::new(String::new()),
            following: Arc::default(),
            live,
            messages: messages::for_tag(&setup.locale.tag),
            setup: Arc::new(setup),
        }
    }

    /// Reads the storm, retrying while Chorus cannot be reached.
    async fn read(self) {
        let lang = chorus_wire::lang::primary_subtag(&self.setup.locale.tag)
            .unwrap_or_else(|| "en".into());
        let mut pause = Duration::from_secs(1);
        loop {
            match card::fetch(&self.setup.slug, &lang).await {
                Ok(Some(card)) => {
                    self.learn(&card);
                    let variants = card.variants();
                    self.choice.update(|c| *c %= variants.max(1));
                    return self.shown.set(Shown::Ready(card.into()));
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

    /// Takes in what a read said, follows the storm live, and sets the
    /// timers for its start and end.
    fn learn(&self, card: &Card) {
        self.apply(card.state, card.shares);
        self.follow();
        let now = clock::millis() + card.skew;
        for (at, state) in [
            (card.starts_at, StormState::On),
            (card.ends_at, StormState::Over),
        ] {
            let wait = at - now;
            if wait > 0.0 && wait < LONGEST_TIMER_MS {
                let board = self.clone();
                spawn_local(async move {
                    sleep(Duration::from_millis(wait.ceil() as u64)).await;
                    if rank(board.state.get_untracked()) < rank(state) {
                        board.apply(state, board.shares.get_untracked());
                    }
                });
            }
        }
    }

    /// The live connection's news, or a read's: what Chorus says stands.
    fn apply(&self, state: StormState, shares: u64) {
        if self.state.get_untracked() != state {
            self.state.set(state);
            if state == StormState::On {
                self.status.set(self.messages.started.to_owned());
            }
        }
        if self.shares.get_untracked() != shares {
            self.shares.set(shares);
        }
    }

    fn follow(&self) {
        if !self.live || self.following.swap(true, Ordering::Relaxed) {
            return;
        }
        let board = self.clone();
        client::follow_storm(
            &self.setup.origin,
            &self.setup.slug,
            move |news| match news {
                Some((state, shares)) => board.apply(state, shares),
                None => spawn_local(board.clone().read()),
            },
        );
    }

    /// Counts a click on a share button: which platform, nothing else.
    fn count(&self, platform: Platform) {
        if !self.live {
            return;
        }
        let path = format!("/storms/{}/shares", client::encode(&self.setup.slug));
        let body = format!("{{\"platform\":\"{}\"}}", platform.name());
        spawn_local(async move {
            let _ = client::request(&path, Some(&body)).await;
        });
    }

    fn view(self) -> impl IntoView {
        let board = self;
        let (theme, tag) = (board.setup.theme, board.setup.locale.tag.clone());
        let (shown, status, messages) = (board.shown, board.status, board.messages);
        let notice = move || {
            let text = match shown.get() {
                Shown::Loading => messages.loading,
                Shown::Missing => messages.unknown_storm,
                Shown::Failed => messages.failed,
                Shown::Ready(_) => return None,
            };
            Some(view! { <p class="notice">{text}</p> })
        };
        let body = move || match shown.get() {
            Shown::Ready(card) => Some(board.card_view(card)),
            _ => None,
        };
        view! {
            <section
                class="chorus storm"
                data-theme=theme.as_str()
                lang=tag
                aria-busy=move || matches!(shown.get(), Shown::Loading).to_string()
            >
                {notice}
                {body}
                <p class="visually-hidden" role="status">{move || status.get()}</p>
            </section>
        }
    }

    fn card_view(&self, card: Arc<Card>) -> impl IntoView + use<> {
        let messages = self.messages;
        let hashtags = card
            .hashtags
            .iter()
            .map(|tag| view! { <li>"#" {tag.clone()}</li> })
            .collect::<Vec<_>>();
        let another = (card.variants() > 1).then(|| {
            let (choice, variants) = (self.choice, card.variants());
            view! {
                <button class="another" on:click=move |_| choice.update(|c| *c = (*c + 1) % variants)>
                    {messages.another}
                </button>
            }
        });
        let calendar = (!card.calendar.is_empty()).then(|| {
            view! { <a class="calendar" href=card.calendar.clone() download="">{messages.calendar}</a> }
        });
        view! {
            <h2 class="title" lang=card.lang.clone() dir="auto">{card.title.clone()}</h2>
            {self.when_view(&card)}
            <ul class="hashtags" aria-label=messages.hashtags>{hashtags}</ul>
            {self.message_view(&card)}
            {another}
            {self.buttons_view(&card)}
            {self.mastodon_form(&card)}
            {self.shares_view()}
            {calendar}
        }
    }

    /// Before: when it starts on the reader's clock, and how long until
    /// then; during: until when; after: thanks.
    fn when_view(&self, card: &Card) -> impl IntoView + use<> {
        let (state, messages, live) = (self.state, self.messages, self.live);
        let locale = self.setup.locale.clone();
        let (starts_at, ends_at, skew) = (card.starts_at, card.ends_at, card.skew);
        move || match state.get() {
            StormState::Upcoming => {
                let when = locale.moment(starts_at, true);
                let template = if live {
                    messages.starts_yours
                } else {
                    messages.starts
                };
                let left = (starts_at - (clock::now().get() + skew)) / 1000.0;
                view! {
                    <p class="when">{fill(template, &[("when", &when)])}</p>
                    <p class="countdown">{locale.within(left)}</p>
                }
                .into_any()
            }
            StormState::On => {
                let time = locale.moment(ends_at, false);
                view! { <p class="when on">{fill(messages.on_now, &[("time", &time)])}</p> }
                    .into_any()
            }
            StormState::Over => view! { <p class="when">{messages.over}</p> }.into_any(),
        }
    }

    fn message_view(&self, card: &Arc<Card>) -> impl IntoView + use<> {
        let (choice, messages) = (self.choice, self.messages);
        let card = card.clone();
        let lang = card.lang.clone();
        move || {
            let message = card.message(None, choice.get())?;
            let lengths = message
                .lengths
                .iter()
                .map(|(platform, length, limit)| {
                    let name = platform_name(messages, platform);
                    let over = length > limit;
                    let warning = over
                        .then(|| format!(" ({})", fill(messages.too_long, &[("platform", &name)])));
                    view! {
                        <li class:over=over data-platform=platform.clone()>
                            {format!("{name} {length}/{limit}")}
                            {warning}
                        </li>
                    }
                })
                .collect::<Vec<_>>();
            Some(view! {
                <figure class="message">
                    <figcaption>{messages.your_message}</figcaption>
                    <blockquote class="post" lang=lang.clone() dir="auto">{message.text.clone()}</blockquote>
                    <ul class="lengths">{lengths}</ul>
                </figure>
            })
        }
    }

    /// The text `platform` posts, with the variant the supporter sees.
    fn text_for(&self, card: &Card, platform: Platform) -> String {
        card.message(Some(platform.name()), self.choice.get())
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }

    fn buttons_view(&self, card: &Arc<Card>) -> impl IntoView + use<> {
        let messages = self.messages;
        let buttons = share::SHOWN
            .into_iter()
            .map(|platform| match platform {
                Platform::Copy => self.copy_button(card).into_any(),
                Platform::Mastodon => self.mastodon_button(card).into_any(),
                _ => self.link_button(card, platform).into_any(),
            })
            .collect::<Vec<_>>();
        let native = (self.live && device::can_share()).then(|| {
            let (board, card) = (self.clone(), card.clone());
            view! {
                <button class="share" data-platform="native" on:click=move |_| {
                    let text = board.text_for(&card, Platform::Native);
                    device::share(&card.title, &text, card.link("native"));
                    board.count(Platform::Native);
                }>
                    {messages.more}
                </button>
            }
        });
        view! {
            <div class="buttons" role="group" aria-label=messages.share_on>
                {buttons}
                {native}
            </div>
        }
    }

    fn link_button(&self, card: &Arc<Card>, platform: Platform) -> impl IntoView + use<> {
        let messages = self.messages;
        let href = {
            let (board, card) = (self.clone(), card.clone());
            move || {
                let text = board.text_for(&card, platform);
                share::intent(
                    platform,
                    &text,
                    card.link(platform.name()),
                    &card.title,
                    None,
                )
            }
        };
        // An email opens the supporter's own mail program, not a tab.
        let new_tab = platform != Platform::Email;
        let board = self.clone();
        view! {
            <a
                class="share"
                data-platform=platform.name()
                href=href
                target=new_tab.then_some("_blank")
                rel="noopener noreferrer"
                on:click=move |_| board.count(platform)
            >
                {platform_name(messages, platform.name())}
                {new_tab.then(|| view! { <span class="visually-hidden">" " {messages.new_tab}</span> })}
            </a>
        }
    }

    fn copy_button(&self, card: &Arc<Card>) -> impl IntoView + use<> {
        let (board, card) = (self.clone(), card.clone());
        view! {
            <button class="share" data-platform="copy" on:click=move |_| {
                let text = format!("{} {}", board.text_for(&card, Platform::Copy), card.link("copy"));
                let board = board.clone();
                spawn_local(async move {
                    if device::copy(&text).await {
                        board.status.set(board.messages.copied.to_owned());
                        board.count(Platform::Copy);
                    }
                });
            }>
                {board.messages.copy}
            </button>
        }
    }

    /// A link to the supporter's own server once the device knows it;
    /// until then, a button that asks for it.
    fn mastodon_button(&self, card: &Arc<Card>) -> impl IntoView + use<> {
        let (board, card) = (self.clone(), card.clone());
        move || {
            let Some(server) = board.mastodon.get() else {
                let asking = board.asking_server;
                let opener = board.clone();
                return view! {
                    <button
                        class="share"
                        data-platform="mastodon"
                        aria-expanded=move || asking.get().to_string()
                        on:click=move |_| opener.ask_server(!asking.get_untracked())
                    >
                        "Mastodon"
                    </button>
                }
                .into_any();
            };
            let text = board.text_for(&card, Platform::Mastodon);
            let href = share::intent(
                Platform::Mastodon,
                &text,
                card.link("mastodon"),
                &card.title,
                Some(&server),
            );
            let (counted, changer) = (board.clone(), board.clone());
            let change = fill(board.messages.mastodon_change, &[("server", &server)]);
            view! {
                <a
                    class="share"
                    data-platform="mastodon"
                    href=href
                    target="_blank"
                    rel="noopener noreferrer"
                    on:click=move |_| counted.count(Platform::Mastodon)
                >
                    "Mastodon"
                    <span class="visually-hidden">" " {board.messages.new_tab}</span>
                </a>
                <button class="change-server" on:click=move |_| changer.ask_server(true)>{change}</button>
            }
            .into_any()
        }
    }

    /// Opens (or closes) the question of the supporter's server, the
    /// caret in its field.
    fn ask_server(&self, open: bool) {
        self.asking_server.set(open);
        if open {
            focus_later(&self.setup.placeholder, "#mastodon-server");
        }
    }

    /// Asks for the supporter's server once; it is kept on this device,
    /// never sent to Chorus.
    fn mastodon_form(&self, card: &Arc<Card>) -> impl IntoView + use<> {
        let (board, card) = (self.clone(), card.clone());
        move || {
            if !board.asking_server.get() {
                return None;
            }
            let messages = board.messages;
            let submit = {
                let (board, card) = (board.clone(), card.clone());
                move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let Some(server) = share::mastodon_server(&board.typed_server.get_untracked())
                    else {
                        return board.server_refused.set(true);
                    };
                    device::remember_mastodon_server(&server);
                    let text = board.text_for(&card, Platform::Mastodon);
                    let link = card.link("mastodon");
                    if let Some(url) =
                        share::intent(Platform::Mastodon, &text, link, &card.title, Some(&server))
                    {
                        device::open(&url);
                    }
                    board.count(Platform::Mastodon);
                    board.server_refused.set(false);
                    board.asking_server.set(false);
                    board.mastodon.set(Some(server));
                }
            };
            let (refused, typed) = (board.server_refused, board.typed_server);
            let problem = move || {
                refused
                    .get()
                    .then(|| view! { <p class="problem" id="mastodon-problem">{messages.mastodon_invalid}</p> })
            };
            Some(view! {
                <form class="mastodon" on:submit=submit novalidate>
                    <label for="mastodon-server">{messages.mastodon_server}</label>
                    <input
                        id="mastodon-server"
                        name="server"
                        type="text"
                        inputmode="url"
                        autocomplete="off"
                        autocapitalize="none"
                        spellcheck="false"
                        placeholder="mastodon.social"
                        aria-describedby="mastodon-hint"
                        aria-invalid=move || refused.get().to_string()
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <p class="hint" id="mastodon-hint">{messages.mastodon_hint}</p>
                    {problem}
                    <button type="submit">{messages.mastodon_post}</button>
                </form>
            })
        }
    }

    fn shares_view(&self) -> impl IntoView + use<> {
        let (state, shares, messages) = (self.state, self.shares, self.messages);
        let locale = self.setup.locale.clone();
        move || {
            let count = shares.get();
            let one = locale.is_one(count);
            let template = match (state.get(), one) {
                (StormState::Upcoming, _) => return None,
                (StormState::On, true) => messages.shares_one,
                (StormState::On, false) => messages.shares_other,
                (StormState::Over, true) => messages.shared_one,
                (StormState::Over, false) => messages.shared_other,
            };
            let count = locale.number(count);
            Some(view! { <p class="shares">{fill(template, &[("count", &count)])}</p> })
        }
    }
}
