//! The "latest updates" feed as widgets read it.

use serde::{Deserialize, Serialize};

/// One news item, in its own language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    pub id: i64,
    pub title: String,
    /// Plain text.
    pub summary: String,
    /// Sanitised on the server: text markup and http(s) links only.
    #[serde(default)]
    pub body_html: String,
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub image_alt: String,
    /// Where "read more" leads.
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub lang: String,
    /// RFC 3339, UTC.
    pub published_at: String,
    /// Files to download: flyers, posters, tip sheets. Absent from servers
    /// before attachments.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// A file attached to an update, in one language. Alternates of one file
/// in other languages share `group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub group: i64,
    pub title: String,
    pub lang: String,
    pub media_type: String,
    /// In bytes.
    pub length: u64,
    pub url: String,
    /// Hex SHA-256 of the bytes, to check a copy by; `None` for a mirrored
    /// feed's enclosure, which Chorus does not keep.
    #[serde(default)]
    pub sha256: Option<String>,
}

/// A page of `GET /api/v1/feeds/{slug}/items`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatesPage {
    pub feed: String,
    pub title: String,
    pub items: Vec<Update>,
    /// Pass as `?cursor=` for the next page; `None` on the last page.
    #[serde(default)]
    pub next: Option<String>,
    /// The feed's most used topics (in the language asked for), most used
    /// first: the widget's filters. On the first page only.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// The name of the Server-Sent Event that carries [`FeedChanged`].
pub const FEED_EVENT: &str = "feed";

/// A feed's items changed: widgets showing it read it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedChanged {
    pub feed: String,
}
