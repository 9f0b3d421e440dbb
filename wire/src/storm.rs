//! A social-media storm: the hour a coalition's supporters post together,
//! with its hashtags, link and messages, as the storm widget reads it; the
//! platforms it shares to, and what a click on one reports.
//!
//! Times cross the wire as instants (RFC 3339, UTC) with the server's own
//! clock beside them (`now`), so a widget counts down to the right instant
//! on a device whose clock is wrong, in the reader's own zone.

use serde::{Deserialize, Serialize};

/// The name of the Server-Sent Event that carries a [`StormLive`].
pub const STORM_EVENT: &str = "storm";

/// Where a supporter can share a storm's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    X,
    Bluesky,
    Threads,
    Mastodon,
    Facebook,
    Linkedin,
    Whatsapp,
    Telegram,
    Email,
    /// The message copied to the clipboard.
    Copy,
    /// The device's own share sheet.
    Native,
}

impl Platform {
    pub const ALL: [Self; 11] = [
        Self::X,
        Self::Bluesky,
        Self::Threads,
        Self::Mastodon,
        Self::Facebook,
        Self::Linkedin,
        Self::Whatsapp,
        Self::Telegram,
        Self::Email,
        Self::Copy,
        Self::Native,
    ];

    /// As stored, sent and written in `utm_source`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::X => "x",
            Self::Bluesky => "bluesky",
            Self::Threads => "threads",
            Self::Mastodon => "mastodon",
            Self::Facebook => "facebook",
            Self::Linkedin => "linkedin",
            Self::Whatsapp => "whatsapp",
            Self::Telegram => "telegram",
            Self::Email => "email",
            Self::Copy => "copy",
            Self::Native => "native",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The longest post the platform takes, in its own count; `None` where
    /// a message cannot reach one (Facebook and LinkedIn share the link
    /// alone, chats and email take pages).
    pub const fn limit(self) -> Option<u32> {
        match self {
            Self::X => Some(280),
            Self::Bluesky => Some(300),
            Self::Threads | Self::Mastodon => Some(500),
            _ => None,
        }
    }

    /// Whether the platform takes the message's text, not the link alone.
    pub const fn takes_text(self) -> bool {
        !matches!(self, Self::Facebook | Self::Linkedin)
    }
}

/// Where a storm stands, by the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StormState {
    Upcoming,
    /// Between the start and the end: "it's on now".
    On,
    Over,
}

/// A storm as the widget shows it, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Storm {
    /// Its slug, as in `data-storm`.
    pub storm: String,
    /// The language of `title` and the messages.
    pub lang: String,
    pub title: String,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    /// The server's clock when it answered (RFC 3339, UTC).
    pub now: String,
    pub state: StormState,
    /// Without the `#`.
    pub hashtags: Vec<String>,
    /// The link each platform shares, by platform name: the organiser's,
    /// with `utm_source` naming the platform.
    pub links: Vec<PlatformLink>,
    /// Variants to pick from, for any platform or for one.
    pub messages: Vec<StormMessage>,
    /// Shares counted so far, every platform together.
    pub shares: u64,
    /// The storm as an iCalendar file, for the supporter's calendar.
    pub calendar: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformLink {
    pub platform: String,
    pub url: String,
}

/// One message: the text a supporter posts, with the hashtags it lacked
/// added and the link still to follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StormMessage {
    /// `None`: for every platform without messages of its own.
    #[serde(default)]
    pub platform: Option<String>,
    pub text: String,
    /// Its length with the link, on each platform that limits one,
    /// counted as that platform counts.
    pub lengths: Vec<PostLength>,
}

/// Platforms cross the wire by name: a widget meets names newer than it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostLength {
    pub platform: String,
    pub length: u32,
    pub limit: u32,
}

/// What the live connection says of a storm: its state and shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StormLive {
    pub storm: String,
    pub state: StormState,
    pub shares: u64,
}

/// A click on a share button: only which platform.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Share {
    pub platform: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_read_back_by_name() {
        for platform in Platform::ALL {
            assert_eq!(Platform::parse(platform.name()), Some(platform));
        }
        assert_eq!(Platform::parse("twitter"), None);
    }
}
