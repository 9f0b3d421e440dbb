//! Reading a page of events from Chorus (`GET /api/v1/events`).

use wasm_bindgen::JsValue;

use crate::client::{encode, field, field_list, field_text, request, whole};

/// One event as the widget shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub kind: String,
    /// The language of the title and description.
    pub lang: String,
    pub title: String,
    pub description: String,
    /// RFC 3339, UTC: the instant, for `<time>` and the reader's clock.
    pub start_date: String,
    /// Wall-clock times at the event: `2026-12-18T18:00`.
    pub local_start: String,
    pub local_end: String,
    pub time_zone: String,
    /// `+01:00`: the event zone's offset at the start.
    pub utc_offset: String,
    pub venue: String,
    /// Empty when the address is kept for people who RSVP.
    pub address: String,
    pub address_private: bool,
    pub city: String,
    pub country: String,
    /// Only `http(s)` addresses; anything else is dropped.
    pub online_url: Option<String>,
    pub accessibility: String,
    pub capacity: Option<u64>,
    pub going: u64,
    pub host: String,
    pub cancelled: bool,
    pub browser_url: String,
    pub ics_url: String,
}

impl Event {
    pub fn is_online(&self) -> bool {
        self.kind == "online"
    }
}

/// A page of events in start order, with what a first page carries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// The day's name and `YYYY-MM-DD`, when the widget shows one.
    pub day: Option<(String, String)>,
    /// Countries with events (first pages only).
    pub countries: Vec<String>,
    pub events: Vec<Event>,
    pub next: Option<String>,
}

/// Which events to read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    pub day: Option<String>,
    pub country: String,
    pub kind: String,
    pub date: String,
    pub city: String,
    pub lang: String,
    pub cursor: Option<String>,
}

/// Events are read a page of this many at a time.
pub const PER_PAGE: u32 = 20;

impl Query {
    fn path(&self) -> String {
        let mut path = format!("/events?per_page={PER_PAGE}");
        let day = self.day.clone().unwrap_or_default();
        let cursor = self.cursor.clone().unwrap_or_default();
        for (name, value) in [
            ("day", &day),
            ("country", &self.country),
            ("kind", &self.kind),
            ("date", &self.date),
            ("city", &self.city),
            ("lang", &self.lang),
            ("cursor", &cursor),
        ] {
            let value = value.trim();
            if !value.is_empty() {
                path += &format!("&{name}={}", encode(value));
            }
        }
        path
    }
}

/// `Ok(None)`: Chorus has no such day.
pub async fn fetch(query: &Query) -> Result<Option<Page>, JsValue> {
    let answer = request(&query.path(), None).await?;
    match answer.status {
        404 => Ok(None),
        200 => decode_page(&answer.json)
            .map(Some)
            .ok_or_else(|| JsValue::from_str("not a page of events")),
        status => Err(JsValue::from_str(&format!("HTTP {status}"))),
    }
}

/// Field by field, like counts: no serde in the bundle. An event missing
/// a required field is left out rather than failing the page. Also reads
/// the first page the server's rendering came with.
pub fn decode_page(value: &JsValue) -> Option<Page> {
    let embedded = field(value, "_embedded")?;
    let events = field_list(&embedded, "osdi:events")
        .iter()
        .filter_map(decode_event)
        .collect();
    let day = field(value, "day")
        .filter(JsValue::is_object)
        .and_then(|day| Some((field_text(&day, "name")?, field_text(&day, "date")?)));
    Some(Page {
        day,
        countries: field_list(value, "countries")
            .iter()
            .filter_map(JsValue::as_string)
            .collect(),
        events,
        next: field_text(value, "next_cursor"),
    })
}

/// Only a web address is followed: anything else could run script.
fn web_link(link: Option<String>) -> Option<String> {
    link.filter(|l| l.starts_with("https://") || l.starts_with("http://"))
}

fn decode_event(value: &JsValue) -> Option<Event> {
    let text = |name| field_text(value, name).unwrap_or_default();
    let location = field(value, "location")?;
    let address = field_list(&location, "address_lines")
        .iter()
        .filter_map(JsValue::as_string)
        .collect::<Vec<_>>()
        .join(", ");
    Some(Event {
        id: field_text(value, "id")?,
        kind: text("kind"),
        lang: text("lang"),
        title: field_text(value, "title")?,
        description: text("description"),
        start_date: field_text(value, "start_date")?,
        local_start: field_text(value, "local_start")?,
        local_end: text("local_end"),
        time_zone: text("time_zone"),
        utc_offset: text("utc_offset"),
        venue: field_text(&location, "venue").unwrap_or_default(),
        address,
        address_private: field(&location, "address_private").and_then(|p| p.as_bool())
            == Some(true),
        city: field_text(&location, "locality").unwrap_or_default(),
        country: field_text(&location, "country").unwrap_or_default(),
        online_url: web_link(field_text(value, "online_url")),
        accessibility: text("accessibility"),
        capacity: field(value, "capacity").and_then(whole),
        going: field(value, "total_accepted").and_then(whole).unwrap_or(0),
        host: text("host"),
        cancelled: text("status") == "cancelled",
        browser_url: web_link(field_text(value, "browser_url")).unwrap_or_default(),
        ics_url: web_link(field_text(value, "ics_url")).unwrap_or_default(),
    })
}

#[cfg(not(target_arch = "wasm32"))]
impl From<chorus_wire::events::EventCard> for Event {
    fn from(card: chorus_wire::events::EventCard) -> Self {
        Self {
            id: card.id,
            cancelled: card.status == "cancelled",
            kind: card.kind,
            lang: card.lang,
            title: card.title,
            description: card.description,
            start_date: card.start_date,
            local_start: card.local_start,
            local_end: card.local_end,
            time_zone: card.time_zone,
            utc_offset: card.utc_offset,
            venue: card.location.venue,
            address: card.location.address_lines.join(", "),
            address_private: card.location.address_private,
            city: card.location.locality,
            country: card.location.country,
            online_url: web_link(card.online_url),
            accessibility: card.accessibility,
            capacity: card.capacity.map(u64::from),
            going: card.total_accepted,
            host: card.host,
            browser_url: web_link(Some(card.browser_url)).unwrap_or_default(),
            ics_url: web_link(Some(card.ics_url)).unwrap_or_default(),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl From<chorus_wire::events::EventsPage> for Page {
    fn from(page: chorus_wire::events::EventsPage) -> Self {
        Self {
            day: page.day.map(|day| (day.name, day.date)),
            countries: page.countries,
            events: page.embedded.events.into_iter().map(Event::from).collect(),
            next: page.next_cursor,
        }
    }
}
