//! What storage knows about files attached to feed items (flyers, posters,
//! tip sheets), and the part of the storage interface that keeps them.

use async_trait::async_trait;

use super::{Millis, StoreResult};
use crate::ident::Lang;

/// A file to attach, checked (`updates::attachments`).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub item_id: i64,
    /// Another attachment of the item this one is the same file of, in
    /// another language.
    pub alternate_of: Option<i64>,
    pub title: String,
    pub lang: Lang,
    pub file_name: String,
    pub file: AttachedFile,
}

/// Where an attachment's bytes are.
#[derive(Debug, Clone)]
pub enum AttachedFile {
    /// Kept by Chorus: the bytes, their type (read from them) and hex
    /// SHA-256.
    Kept {
        bytes: Vec<u8>,
        media_type: String,
        sha256: String,
    },
    /// A mirrored feed's enclosure, left where its source keeps it.
    Linked {
        url: String,
        media_type: String,
        length: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRecord {
    pub id: i64,
    pub item_id: i64,
    /// Alternates share it: the first one's id.
    pub group_id: i64,
    pub title: String,
    pub lang: Lang,
    pub media_type: String,
    pub length: u64,
    pub file_name: String,
    /// `None` for a linked enclosure.
    pub sha256: Option<String>,
    pub source_url: Option<String>,
    pub created_at: Millis,
}

#[async_trait]
pub trait AttachmentStore {
    /// Attaches a file to an item; `Missing` when the item, or the
    /// attachment it is an alternate of (on that item), does not exist.
    async fn attach(&self, attachment: &NewAttachment) -> StoreResult<AttachmentRecord>;
    /// The attachments of these items, by item, group and id.
    async fn attachments_of(&self, item_ids: &[i64]) -> StoreResult<Vec<AttachmentRecord>>;
    /// A kept file's type and bytes, by its hex SHA-256.
    async fn attachment_file(&self, sha256: &str) -> StoreResult<Option<(String, Vec<u8>)>>;
    /// Replaces the linked enclosures of a mirrored item with these.
    async fn replace_linked(&self, item_id: i64, linked: &[NewAttachment]) -> StoreResult<()>;
}
