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
