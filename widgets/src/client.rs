//! The page's one link to Chorus: HTTP reads and the live connection.
//!
//! Invariant: however many widgets a page has, it holds one Server-Sent
//! Events connection, naming every petition, donation campaign, updates
//! feed and action day on the page. When it cannot stay open, counts and
//! totals are polled from their cacheable URLs, and feeds and events lists
//! read again, until it can.
//!
//! Both go through gloo-net: its HTTP client for reads and writes, its
//! `EventSource` for the live connection. Its JSON feature is left out:
//! answers are parsed by the browser (`JSON.parse`) and read field by
//! field, which keeps serde's deserializers out of every partner's download.

use std::cell::RefCell;
use std::pin::Pin;
use std::time::Duration;

#[cfg(feature = "donate")]
use chorus_wire::donate::{DonationTotals, TOTALS_EVENT};
#[cfg(feature = "events")]
use chorus_wire::events::{ATTENDANCE_EVENT, Attendance};
#[cfg(feature = "storm")]
use chorus_wire::storm::{STORM_EVENT, StormState};
#[cfg(feature = "feeds")]
use chorus_wire::updates::FEED_EVENT;
use chorus_wire::{API_PREFIX, COUNT_EVENT, PetitionCount};
use futures_core::Stream;
use gloo_net::eventsource::futures::{EventSource, EventSourceSubscription};
use gloo_net::http::{Request, Response};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use web_sys::MessageEvent;

/// How often counts are polled while the live connection is down.
const POLL_EVERY: Duration = Duration::from_secs(10);
/// The longest wait between two attempts to reopen a closed live connection.
const MAX_BACKOFF_SECS: u32 = 60;

/// What a widget knows of a petition's count.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Loading,
    Ready(PetitionCount),
    /// Chorus has no such petition: the partner's `data-campaign` is wrong.
    Missing,
}

/// What an events widget does with a change of attendance, or with `None`.
#[cfg(feature = "events")]
type AttendanceFollower = std::rc::Rc<dyn Fn(Option<&Attendance>)>;

/// What a storm widget does with its storm's state and shares, or with
/// `None` when a change may have been missed: read the storm again.
#[cfg(feature = "storm")]
type StormFollower = std::rc::Rc<dyn Fn(Option<(StormState, u64)>)>;

struct Live {
    /// Owns the shared count signals for the page's lifetime, apart from any
    /// widget, so no widget's cleanup can dispose them.
    owner: Owner,
    origin: String,
    counts: ByName<RwSignal<Load>>,
    /// Donation campaigns' totals, for those Chorus has.
    #[cfg(feature = "donate")]
    totals: ByName<RwSignal<DonationTotals>>,
    /// Updates feeds, each with what its widgets do when it may have
    /// changed: read it again.
    #[cfg(feature = "feeds")]
    feeds: ByName<Vec<std::rc::Rc<dyn Fn()>>>,
    /// Action days' events widgets (by day, or `all`), each with what it
    /// does with a change of attendance, or with `None` when changes may
    /// have been missed: read the list again.
    #[cfg(feature = "events")]
    days: ByName<Vec<AttendanceFollower>>,
    /// Storms' widgets, by storm.
    #[cfg(feature = "storm")]
    storms: ByName<Vec<StormFollower>>,
    /// Whether a live connection was ever open: one that opens again may
    /// have missed feed and attendance changes meanwhile.
    #[cfg(any(feature = "feeds", feature = "events", feature = "storm"))]
    was_open: bool,
    /// Dropping it closes it.
    connection: Option<EventSource>,
    /// Counts the connections opened: a stream of a replaced one ends
    /// without acting.
    generation: u32,
    connect_scheduled: bool,
    failures: u32,
    polling: Option<IntervalHandle>,
}

impl Live {
    /// The petitions worth following: every one but those Chorus says it lacks.
    fn followed(&self) -> Vec<String> {
        self.counts
            .0
            .iter()
            .filter(|(_, signal)| signal.get_untracked() != Load::Missing)
            .map(|(slug, _)| slug.clone())
            .collect()
    }

    /// The donation campaigns on the page.
    fn followed_campaigns(&self) -> Vec<String> {
        #[cfg(feature = "donate")]
        return self.totals.names();
        #[cfg(not(feature = "donate"))]
        Vec::new()
    }

    /// The updates feeds on the page.
    fn followed_feeds(&self) -> Vec<String> {
        #[cfg(feature = "feeds")]
        return self.feeds.names();
        #[cfg(not(feature = "feeds"))]
        Vec::new()
    }

    /// The action days whose events are on the page.
    #[cfg(feature = "events")]
    fn followed_days(&self) -> Vec<String> {
        self.days.names()
    }
}

impl Default for Live {
    fn default() -> Self {
        Self {
            owner: Owner::new_root(None),
            origin: String::new(),
            counts: ByName::default(),
            #[cfg(feature = "donate")]
            totals: ByName::default(),
            #[cfg(feature = "feeds")]
            feeds: ByName::default(),
            #[cfg(feature = "events")]
            days: ByName::default(),
            #[cfg(feature = "storm")]
            storms: ByName::default(),
            #[cfg(any(feature = "feeds", feature = "events", feature = "storm"))]
            was_open: false,
            connection: None,
            generation: 0,
            connect_scheduled: false,
            failures: 0,
            polling: None,
        }
    }
}

/// Values by campaign or feed name. A page follows a handful, so a list
/// does the job of a map, in less of the bundle.
struct ByName<V>(Vec<(String, V)>);

impl<V> Default for ByName<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> ByName<V> {
    fn get(&self, name: &str) -> Option<&V> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// The value for `name`, made first if there is none; and whether it was.
    fn entry(&mut self, name: &str, make: impl FnOnce() -> V) -> (&mut V, bool) {
        let found = self.0.iter().position(|(key, _)| key == name);
        let is_new = found.is_none();
        let at = found.unwrap_or_else(|| {
            self.0.push((name.to_owned(), make()));
            self.0.len() - 1
        });
        (&mut self.0[at].1, is_new)
    }

    #[cfg_attr(
        not(any(
            feature = "donate",
            feature = "feeds",
            feature = "events",
            feature = "storm"
        )),
        allow(dead_code)
    )]
    fn names(&self) -> Vec<String> {
        self.0.iter().map(|(name, _)| name.clone()).collect()
    }
}

thread_local! {
    static LIVE: RefCell<Live> = RefCell::default();
}

/// The live count of `slug` on the Chorus at `origin`. Widgets of the same
/// petition share one signal. `initial` is the count `embed.js` already fetched.
pub fn follow(origin: &str, slug: &str, initial: Option<PetitionCount>) -> RwSignal<Load> {
    set_origin(origin);
    let (signal, is_new) = LIVE.with_borrow_mut(|live| {
        let owner = live.owner.clone();
        let (signal, is_new) = live
            .counts
            .entry(slug, || owner.with(|| RwSignal::new(Load::Loading)));
        (*signal, is_new)
    });
    match initial {
        Some(count) => {
            if !matches!(signal.get_untracked(), Load::Ready(_)) {
                signal.set(Load::Ready(count));
            }
            if is_new {
                schedule_connect(Duration::ZERO);
            }
        }
        None if is_new => spawn_local(first_read(slug.to_owned(), signal)),
        None => {}
    }
    signal
}

/// The live totals of the donation campaign `slug`, starting from `initial`
/// (read with the campaign). Widgets of the same campaign share one signal.
#[cfg(feature = "donate")]
pub fn follow_totals(origin: &str, initial: DonationTotals) -> RwSignal<DonationTotals> {
    set_origin(origin);
    let slug = initial.campaign.clone();
    let (signal, is_new) = LIVE.with_borrow_mut(|live| {
        let owner = live.owner.clone();
        let (signal, is_new) = live
            .totals
            .entry(&slug, || owner.with(|| RwSignal::new(initial.clone())));
        (*signal, is_new)
    });
    if is_new {
        schedule_connect(Duration::ZERO);
    } else if signal.get_untracked() != initial {
        signal.set(initial);
    }
    signal
}

/// Calls `changed` whenever the updates feed `slug` may have changed. Call
/// it once the feed is known to exist: the live connection refuses unknown
/// feeds.
#[cfg(feature = "feeds")]
pub fn follow_feed(origin: &str, slug: &str, changed: impl Fn() + 'static) {
    set_origin(origin);
    let is_new = LIVE.with_borrow_mut(|live| {
        let (followers, _) = live.feeds.entry(slug, Vec::new);
        followers.push(std::rc::Rc::new(changed));
        followers.len() == 1
    });
    if is_new {
        // The connection names every feed, so it opens again with this one.
        schedule_connect(Duration::ZERO);
    }
}

/// Tells the widgets of `slugs` to read their feeds again.
#[cfg(feature = "feeds")]
fn feeds_changed(slugs: &[String]) {
    // Called outside the borrow: a follower may read the page's state.
    let followers: Vec<std::rc::Rc<dyn Fn()>> = LIVE.with_borrow(|live| {
        slugs
            .iter()
            .filter_map(|slug| live.feeds.get(slug))
            .flatten()
            .cloned()
            .collect()
    });
    for changed in followers {
        changed();
    }
}

/// Calls `changed` with each change to the attendance of the events of
/// `day` (an action day's slug, or `all`), and with `None` when changes
/// may have been missed. Call it once the day is known to exist: the live
/// connection refuses unknown days.
#[cfg(feature = "events")]
pub fn follow_day(origin: &str, day: &str, changed: impl Fn(Option<&Attendance>) + 'static) {
    set_origin(origin);
    let is_new = LIVE.with_borrow_mut(|live| {
        let (followers, _) = live.days.entry(day, Vec::new);
        followers.push(std::rc::Rc::new(changed));
        followers.len() == 1
    });
    if is_new {
        schedule_connect(Duration::ZERO);
    }
}

/// Hands an attendance change to every events widget, or tells them all
/// to read again (`None`). Each knows which events it shows.
#[cfg(feature = "events")]
fn attendance_changed(change: Option<&Attendance>) {
    let followers: Vec<AttendanceFollower> = LIVE.with_borrow(|live| {
        live.days
            .0
            .iter()
            .flat_map(|(_, followers)| followers.iter().cloned())
            .collect()
    });
    for changed in followers {
        changed(change);
    }
}

#[cfg(feature = "events")]
fn decode_attendance(value: &JsValue) -> Option<Attendance> {
    Some(Attendance {
        event: field_text(value, "event")?,
        total_accepted: whole(field(value, "total_accepted")?)?,
        capacity: field(value, "capacity")
            .and_then(whole)
            .and_then(|c| u32::try_from(c).ok()),
    })
}

/// Calls `changed` with each state and share count the live connection
/// says storm `slug` has, and with `None` when changes may have been
/// missed. Call it once the storm is known to exist.
#[cfg(feature = "storm")]
pub fn follow_storm(
    origin: &str,
    slug: &str,
    changed: impl Fn(Option<(StormState, u64)>) + 'static,
) {
    set_origin(origin);
    let is_new = LIVE.with_borrow_mut(|live| {
        let (followers, _) = live.storms.entry(slug, Vec::new);
        followers.push(std::rc::Rc::new(changed));
        followers.len() == 1
    });
    if is_new {
        schedule_connect(Duration::ZERO);
    }
}

/// Hands storm `slug`'s news to its widgets; `None` for every storm: read
/// again.
#[cfg(feature = "storm")]
fn storm_changed(slug: Option<&str>, news: Option<(StormState, u64)>) {
    let followers: Vec<StormFollower> = LIVE.with_borrow(|live| {
        live.storms
            .0
            .iter()
            .filter(|(name, _)| slug.is_none_or(|slug| slug == name))
            .flat_map(|(_, followers)| followers.iter().cloned())
            .collect()
    });
    for changed in followers {
        changed(news);
    }
}

/// A storm's state as the wire writes it.
#[cfg(feature = "storm")]
pub fn decode_storm_state(name: &str) -> Option<StormState> {
    match name {
        "upcoming" => Some(StormState::Upcoming),
        "on" => Some(StormState::On),
        "over" => Some(StormState::Over),
        _ => None,
    }
}

/// Reads totals from JSON the browser parsed (no serde, as for counts).
#[cfg(feature = "donate")]
pub fn decode_totals(value: &JsValue) -> Option<DonationTotals> {
    Some(DonationTotals {
        campaign: field_text(value, "campaign")?,
        raised: whole(field(value, "raised")?)?,
        goal: field(value, "goal").and_then(whole),
        donors: whole(field(value, "donors")?)?,
    })
}

/// A field of parsed JSON.
pub fn field(value: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(value, &JsValue::from_str(name)).ok()
}

/// A text field of parsed JSON.
pub fn field_text(value: &JsValue, name: &str) -> Option<String> {
    field(value, name)?.as_string()
}

/// An array field of parsed JSON, as its elements; empty when missing.
#[cfg(any(
    feature = "donate",
    feature = "feeds",
    feature = "events",
    feature = "signers",
    feature = "storm"
))]
pub fn field_list(value: &JsValue, name: &str) -> Vec<JsValue> {
    field(value, name)
        .filter(js_sys::Array::is_array)
        .map(|items| js_sys::Array::from(&items).iter().collect())
        .unwrap_or_default()
}

/// A JSON number that is a whole, non-negative count or amount.
pub fn whole(value: JsValue) -> Option<u64> {
    value
        .as_f64()
        .filter(|n| *n >= 0.0 && n.fract() == 0.0)
        .map(|n| n as u64)
}

/// Reads a count `embed.js` could not, to tell a wrong slug from a network
/// failure: only petitions that exist join the live connection.
async fn first_read(slug: String, signal: RwSignal<Load>) {
    match fetch_count(&slug).await {
        Ok(Some(count)) => signal.set(Load::Ready(count)),
        Ok(None) => {
            signal.set(Load::Missing);
            return;
        }
        // Offline for now: the live connection or polling will fill it in.
        Err(_) => {}
    }
    schedule_connect(Duration::ZERO);
}

/// The address of `path` on the Chorus that served the widget.
pub fn origin_url(path: &str) -> String {
    LIVE.with_borrow(|live| format!("{}{path}", live.origin))
}

/// The address of `path` in the Chorus API.
pub fn api_url(path: &str) -> String {
    LIVE.with_borrow(|live| format!("{}{API_PREFIX}{path}", live.origin))
}

/// `Ok(None)` when Chorus answers that the petition does not exist.
async fn fetch_count(slug: &str) -> Result<Option<PetitionCount>, JsValue> {
    let answer = request(&format!("/petitions/{slug}/count"), None).await?;
    match answer.status {
        404 => Ok(None),
        200 => decode_count(&answer.json)
            .map(Some)
            .ok_or_else(|| JsValue::from_str("not a count")),
        status => Err(JsValue::from_str(&format!("HTTP {status}"))),
    }
}

/// Chorus's answer to a request: its status and its JSON body (`null` when
/// the body is not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub json: JsValue,
}

/// A GET of `path` that skips the browser's HTTP cache (revalidating, where
/// Chorus gave a validator): for what the live connection says has changed.
#[cfg(any(feature = "feeds", feature = "signers"))]
pub async fn request_fresh(path: &str) -> Result<Answer, JsValue> {
    let sent = Request::get(&api_url(path))
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await;
    answer(sent).await
}

/// A request to the Chorus API at `path`: a GET, or with `json`, a POST of
/// it. Never sends cookies. `Err` means Chorus could not be reached.
pub async fn request(path: &str, json: Option<&str>) -> Result<Answer, JsValue> {
    let url = api_url(path);
    // A cross-origin GET carries no cookies by default; only a POST needs
    // the fuller request, and only the forms' widgets post.
    let sent = match json {
        #[cfg(any(
            feature = "petition",
            feature = "donate",
            feature = "events",
            feature = "signup",
            feature = "storm"
        ))]
        Some(json) => {
            let request = Request::post(&url)
                .credentials(web_sys::RequestCredentials::Omit)
                .header("content-type", "application/json")
                .body(json)
                .map_err(|_| unreachable())?;
            request.send().await
        }
        _ => Request::get(&url).send().await,
    };
    answer(sent).await
}

/// What a request that never got an answer fails with. Its cause is not
/// kept: every caller treats it as "try again later".
fn unreachable() -> JsValue {
    JsValue::from_str("Chorus could not be reached")
}

/// Waits for a response's body, parsed as JSON.
async fn answer(sent: Result<Response, gloo_net::Error>) -> Result<Answer, JsValue> {
    let response = sent.map_err(|_| unreachable())?;
    let json = match response.text().await {
        Ok(text) => js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    };
    Ok(Answer {
        status: response.status(),
        json,
    })
}

/// `text` as one URL component (a query value, a path segment).
#[cfg(feature = "beyond-counters")]
pub fn encode(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    return String::from(js_sys::encode_uri_component(text));
    // What `encodeURIComponent` leaves as it is: letters, digits, -_.!~*'().
    #[cfg(not(target_arch = "wasm32"))]
    {
        const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'!')
            .remove(b'~')
            .remove(b'*')
            .remove(b'\'')
            .remove(b'(')
            .remove(b')');
        percent_encoding::utf8_percent_encode(text, COMPONENT).to_string()
    }
}

/// A new idempotency key for one submission, reused by its retries.
#[cfg(any(
    feature = "petition",
    feature = "donate",
    feature = "events",
    feature = "signup"
))]
pub fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k{:016x}", (js_sys::Math::random() * 1e18) as u64))
}

/// Sets the Chorus origin before any widget follows a count.
pub fn set_origin(origin: &str) {
    LIVE.with_borrow_mut(|live| {
        if live.origin.is_empty() {
            origin.clone_into(&mut live.origin);
        }
    });
}

/// Reads a count from JSON the browser already parsed. Field by field rather
/// than through serde: serde's error messages would pull the float printer
/// and a deserializer into every partner's download (about 15 KB).
pub fn decode_count(value: &JsValue) -> Option<PetitionCount> {
    Some(PetitionCount {
        petition: field_text(value, "petition")?,
        count: whole(field(value, "count")?)?,
        goal: field(value, "goal").and_then(whole),
        last_signed_at: field_text(value, "last_signed_at"),
        organisations: field(value, "organisations").and_then(whole).unwrap_or(0),
        listed: field(value, "listed").and_then(whole).unwrap_or(0),
    })
}

/// Opens the live connection after `delay`, once for all widgets mounted in
/// the meantime.
fn schedule_connect(delay: Duration) {
    let already = LIVE.with_borrow_mut(|live| std::mem::replace(&mut live.connect_scheduled, true));
    if !already {
        set_timeout(connect, delay);
    }
}

fn connect() {
    let (slugs, campaigns, feeds, generation) = LIVE.with_borrow_mut(|live| {
        live.connect_scheduled = false;
        live.generation = live.generation.wrapping_add(1);
        // Closes the old one; its streams see they are stale and end.
        live.connection = None;
        (
            live.followed(),
            live.followed_campaigns(),
            live.followed_feeds(),
            live.generation,
        )
    });
    let path = format!(
        "/live?petitions={}&campaigns={}&feeds={}",
        slugs.join(","),
        campaigns.join(","),
        feeds.join(",")
    );
    let nothing = slugs.is_empty() && campaigns.is_empty() && feeds.is_empty();
    // Only a bundle with events follows days: the others carry none of it.
    #[cfg(feature = "events")]
    let (path, nothing) = {
        let days = LIVE.with_borrow(Live::followed_days);
        (
            path + "&days=" + &days.join(","),
            nothing && days.is_empty(),
        )
    };
    #[cfg(feature = "storm")]
    let (path, nothing) = {
        let storms = LIVE.with_borrow(|live| live.storms.names());
        (
            path + "&storms=" + &storms.join(","),
            nothing && storms.is_empty(),
        )
    };
    if nothing {
        return;
    }
    let url = api_url(&path);
    let Ok(mut source) = EventSource::new(&url) else {
        start_polling();
        return;
    };
    let mut listen = |name: &str, on_event: fn(&MessageEvent), on_closed: Option<fn()>| {
        if let Ok(events) = source.subscribe(name) {
            spawn_local(each(events, generation, on_event, on_closed));
        }
    };
    listen("open", |_| opened(), None);
    // While the browser reconnects by itself, counts are polled meanwhile;
    // once it gives up (an error status, a proxy that refuses streams),
    // Chorus tries again later.
    listen("error", |_| start_polling(), Some(closed));
    listen(
        COUNT_EVENT,
        |event| {
            if let Some(count) = event_json(event).as_ref().and_then(decode_count) {
                apply(count);
            }
        },
        None,
    );
    #[cfg(feature = "feeds")]
    listen(
        FEED_EVENT,
        |event| {
            if let Some(feed) = event_json(event).and_then(|json| field_text(&json, "feed")) {
                feeds_changed(&[feed]);
            }
        },
        None,
    );
    #[cfg(feature = "events")]
    listen(
        ATTENDANCE_EVENT,
        |event| {
            if let Some(change) = event_json(event).as_ref().and_then(decode_attendance) {
                attendance_changed(Some(&change));
            }
        },
        None,
    );
    #[cfg(feature = "storm")]
    listen(
        STORM_EVENT,
        |event| {
            let Some(json) = event_json(event) else {
                return;
            };
            let state = field_text(&json, "state").and_then(|s| decode_storm_state(&s));
            let shares = field(&json, "shares").and_then(whole);
            if let (Some(slug), Some(state), Some(shares)) =
                (field_text(&json, "storm"), state, shares)
            {
                storm_changed(Some(&slug), Some((state, shares)));
            }
        },
        None,
    );
    #[cfg(feature = "donate")]
    listen(
        TOTALS_EVENT,
        |event| {
            if let Some(totals) = event_json(event).as_ref().and_then(decode_totals) {
                apply_totals(totals);
            }
        },
        None,
    );
    LIVE.with_borrow_mut(|live| live.connection = Some(source));
}

/// Hands each event of one kind to `on_event` while its connection is the
/// page's. gloo-net ends every stream with an error once the browser has
/// closed the connection; `on_closed` is what the error stream does then.
async fn each(
    mut events: EventSourceSubscription,
    generation: u32,
    on_event: fn(&MessageEvent),
    on_closed: Option<fn()>,
) {
    while let Some(event) = std::future::poll_fn(|cx| Pin::new(&mut events).poll_next(cx)).await {
        if LIVE.with_borrow(|live| live.generation) != generation {
            return;
        }
        match event {
            Ok((_, event)) => on_event(&event),
            Err(_) => {
                if let Some(on_closed) = on_closed {
                    on_closed();
                }
                return;
            }
        }
    }
}

fn opened() {
    LIVE.with_borrow_mut(|live| live.failures = 0);
    stop_polling();
    #[cfg(any(feature = "feeds", feature = "events", feature = "storm"))]
    {
        let (reopened, _feeds) = LIVE.with_borrow_mut(|live| {
            let reopened = std::mem::replace(&mut live.was_open, true);
            (reopened, live.followed_feeds())
        });
        if reopened {
            #[cfg(feature = "feeds")]
            feeds_changed(&_feeds);
            #[cfg(feature = "events")]
            attendance_changed(None);
            #[cfg(feature = "storm")]
            storm_changed(None, None);
        }
    }
}

/// The browser gave up on the connection: try again, waiting longer after
/// each failure.
fn closed() {
    let failures = LIVE.with_borrow_mut(|live| {
        live.failures = live.failures.saturating_add(1);
        live.failures
    });
    let backoff = 2_u32.saturating_pow(failures).min(MAX_BACKOFF_SECS);
    schedule_connect(Duration::from_secs(backoff.into()));
}

/// The parsed JSON data of a Server-Sent Event.
fn event_json(event: &MessageEvent) -> Option<JsValue> {
    js_sys::JSON::parse(&event.data().as_string()?).ok()
}

#[cfg(feature = "donate")]
fn apply_totals(totals: DonationTotals) {
    let signal = LIVE.with_borrow(|live| live.totals.get(&totals.campaign).copied());
    if let Some(signal) = signal
        && signal.get_untracked() != totals
    {
        signal.set(totals);
    }
}

fn apply(count: PetitionCount) {
    let signal = LIVE.with_borrow(|live| live.counts.get(&count.petition).copied());
    let fresh = Load::Ready(count);
    if let Some(signal) = signal
        && signal.get_untracked() != fresh
    {
        signal.set(fresh);
    }
}

fn start_polling() {
    let started = LIVE.with_borrow(|live| live.polling.is_some());
    if started {
        return;
    }
    poll_once();
    if let Ok(handle) = set_interval_with_handle(poll_once, POLL_EVERY) {
        LIVE.with_borrow_mut(|live| live.polling = Some(handle));
    }
}

fn stop_polling() {
    if let Some(handle) = LIVE.with_borrow_mut(|live| live.polling.take()) {
        handle.clear();
    }
}

fn poll_once() {
    let slugs = LIVE.with_borrow(Live::followed);
    for slug in slugs {
        spawn_local(async move {
            if let Ok(Some(count)) = fetch_count(&slug).await {
                apply(count);
            }
        });
    }
    #[cfg(feature = "feeds")]
    feeds_changed(&LIVE.with_borrow(Live::followed_feeds));
    #[cfg(feature = "events")]
    attendance_changed(None);
    #[cfg(feature = "storm")]
    storm_changed(None, None);
    #[cfg(feature = "donate")]
    for slug in LIVE.with_borrow(Live::followed_campaigns) {
        spawn_local(async move {
            if let Ok(answer) = request(&format!("/campaigns/{slug}/totals"), None).await
                && let Some(totals) = decode_totals(&answer.json)
            {
                apply_totals(totals);
            }
        });
    }
}
