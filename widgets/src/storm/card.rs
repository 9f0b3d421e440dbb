//! A storm as the widget reads it from Chorus: field by field, like the
//! other widgets' answers, with no serde in the bundle.

use chorus_wire::storm::StormState;
use wasm_bindgen::JsValue;

use crate::client::{
    self, Answer, decode_storm_state, encode, field, field_list, field_text, whole,
};
use crate::clock;

/// One message: the text to post, and its length where a platform limits it.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// `None`: for every platform without messages of its own.
    pub platform: Option<String>,
    pub text: String,
    /// (platform, length, limit).
    pub lengths: Vec<(String, u32, u32)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub storm: String,
    pub lang: String,
    pub title: String,
    /// Milliseconds since the epoch.
    pub starts_at: f64,
    pub ends_at: f64,
    /// The server's clock less this device's when the storm was read: added
    /// to the device's, it counts down to the right instant on a device
    /// whose clock is wrong.
    pub skew: f64,
    pub state: StormState,
    pub hashtags: Vec<String>,
    /// (platform, the link it shares).
    pub links: Vec<(String, String)>,
    pub messages: Vec<Message>,
    pub shares: u64,
    pub calendar: String,
}

impl Card {
    /// The link `platform` shares; the organiser's link without tags
    /// where Chorus named none for it.
    pub fn link(&self, platform: &str) -> &str {
        self.links
            .iter()
            .find(|(p, _)| p == platform)
            .or_else(|| self.links.first())
            .map_or("", |(_, url)| url)
    }

    /// The `choice`th message for `platform`: one of its own, else one of
    /// those for every platform.
    pub fn message(&self, platform: Option<&str>, choice: usize) -> Option<&Message> {
        let own: Vec<&Message> = self
            .messages
            .iter()
            .filter(|m| platform.is_some() && m.platform.as_deref() == platform)
            .collect();
        let general: Vec<&Message> = self
            .messages
            .iter()
            .filter(|m| m.platform.is_none())
            .collect();
        let pool = [own, general]
            .into_iter()
            .find(|pool| !pool.is_empty())
            .unwrap_or_default();
        match pool.len() {
            0 => self.messages.get(choice % self.messages.len().max(1)),
            n => Some(pool[choice % n]),
        }
    }

    /// How many messages "another message" cycles through.
    pub fn variants(&self) -> usize {
        let general = self
            .messages
            .iter()
            .filter(|m| m.platform.is_none())
            .count();
        if general > 0 {
            general
        } else {
            self.messages.len()
        }
    }
}

/// `Ok(None)`: Chorus has no such storm.
pub async fn fetch(slug: &str, lang: &str) -> Result<Option<Card>, JsValue> {
    let path = format!("/storms/{}?lang={}", encode(slug), encode(lang));
    let answer: Answer = client::request(&path, None).await?;
    match answer.status {
        404 => Ok(None),
        200 => decode(&answer.json)
            .map(Some)
            .ok_or_else(|| JsValue::from_str("not a storm")),
        status => Err(JsValue::from_str(&format!("HTTP {status}"))),
    }
}

fn texts(value: &JsValue, name: &str) -> Vec<String> {
    field_list(value, name)
        .iter()
        .filter_map(JsValue::as_string)
        .collect()
}

/// Also reads the storm the server's rendering came with.
pub fn decode(value: &JsValue) -> Option<Card> {
    let time = |name| clock::parse(&field_text(value, name)?);
    let now = time("now")?;
    let messages = field_list(value, "messages")
        .iter()
        .filter_map(|m| {
            let lengths = field_list(m, "lengths")
                .iter()
                .filter_map(|l| {
                    let number = |name| u32::try_from(whole(field(l, name)?)?).ok();
                    Some((
                        field_text(l, "platform")?,
                        number("length")?,
                        number("limit")?,
                    ))
                })
                .collect();
            Some(Message {
                platform: field_text(m, "platform"),
                text: field_text(m, "text")?,
                lengths,
            })
        })
        .collect();
    let links = field_list(value, "links")
        .iter()
        .filter_map(|l| Some((field_text(l, "platform")?, field_text(l, "url")?)))
        .collect();
    Some(Card {
        storm: field_text(value, "storm")?,
        lang: field_text(value, "lang").unwrap_or_default(),
        title: field_text(value, "title").unwrap_or_default(),
        starts_at: time("starts_at")?,
        ends_at: time("ends_at")?,
        skew: now - clock::millis(),
        state: decode_storm_state(&field_text(value, "state")?)?,
        hashtags: texts(value, "hashtags"),
        links,
        messages,
        shares: whole(field(value, "shares")?)?,
        calendar: field_text(value, "calendar").unwrap_or_default(),
    })
}

#[cfg(not(target_arch = "wasm32"))]
impl From<chorus_wire::storm::Storm> for Card {
    fn from(storm: chorus_wire::storm::Storm) -> Self {
        let time = |text: &str| clock::parse(text).unwrap_or(f64::NAN);
        let now = time(&storm.now);
        Self {
            skew: now - clock::millis(),
            starts_at: time(&storm.starts_at),
            ends_at: time(&storm.ends_at),
            storm: storm.storm,
            lang: storm.lang,
            title: storm.title,
            state: storm.state,
            hashtags: storm.hashtags,
            links: storm
                .links
                .into_iter()
                .map(|l| (l.platform, l.url))
                .collect(),
            messages: storm
                .messages
                .into_iter()
                .map(|m| Message {
                    platform: m.platform,
                    text: m.text,
                    lengths: m
                        .lengths
                        .into_iter()
                        .map(|l| (l.platform, l.length, l.limit))
                        .collect(),
                })
                .collect(),
            shares: storm.shares,
            calendar: storm.calendar,
        }
    }
}
