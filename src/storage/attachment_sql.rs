//! One implementation of [`AttachmentStore`] for both backends, in SQL
//! both accept. A file's bytes are stored once by their SHA-256
//! (`ON CONFLICT DO NOTHING`), so the same flyer attached twice, or on two
//! instances at once, is kept once.
//!
//! [`AttachmentStore`]: super::AttachmentStore

/// Implements `AttachmentStore` for `$store` (in the invoking module),
/// whose `pool` is a pool of `$db`.
macro_rules! attachment_store {
    ($store:ident, $db:ty) => {
        mod attachments {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use crate::ident::Lang;
            use crate::storage::read::missing;
            use crate::storage::{
                AttachedFile, AttachmentRecord, AttachmentStore, NewAttachment, StoreError,
                StoreResult, now_millis,
            };

            type DbRow = <$db as sqlx::Database>::Row;

            const COLUMNS: &str = "id, item_id, group_id, title, lang, media_type, length, \
                 file_name, sha256, source_url, created_at";

            fn attachment(row: &DbRow) -> StoreResult<AttachmentRecord> {
                let lang: String = row.try_get("lang")?;
                let length: i64 = row.try_get("length")?;
                Ok(AttachmentRecord {
                    id: row.try_get("id")?,
                    item_id: row.try_get("item_id")?,
                    group_id: row.try_get("group_id")?,
                    title: row.try_get("title")?,
                    lang: Lang::parse(&lang).map_err(|e| {
                        StoreError::Unsafe(format!("stored attachment has an invalid language: {e}"))
                    })?,
                    media_type: row.try_get("media_type")?,
                    length: u64::try_from(length).unwrap_or(0),
                    file_name: row.try_get("file_name")?,
                    sha256: row.try_get("sha256")?,
                    source_url: row.try_get("source_url")?,
                    created_at: row.try_get("created_at")?,
                })
            }

            async fn insert<'c, E>(executor: E, new: &NewAttachment) -> StoreResult<AttachmentRecord>
            where
                E: sqlx::Executor<'c, Database = $db>,
            {
                let (media_type, length, sha256, url) = match &new.file {
                    AttachedFile::Kept { bytes, media_type, sha256 } => {
                        (media_type, bytes.len() as u64, Some(sha256), None)
                    }
                    AttachedFile::Linked { url, media_type, length } => {
                        (media_type, *length, None, Some(url))
                    }
                };
                // The group is the alternate's (checked to be of this item),
                // else the new row's own id.
                let sql = format!(
                    "INSERT INTO item_attachments (item_id, group_id, title, lang, media_type,
                         length, file_name, sha256, source_url, created_at)
                     SELECT $1, COALESCE((SELECT group_id FROM item_attachments
                             WHERE id = $2 AND item_id = $1), 0),
                         $3, $4, $5, $6, $7, $8, $9, $10
                     WHERE $2 IS NULL OR EXISTS (SELECT 1 FROM item_attachments
                         WHERE id = $2 AND item_id = $1)
                     RETURNING {COLUMNS}"
                );
                let row = sqlx::query(&sql)
                    .bind(new.item_id)
                    .bind(new.alternate_of)
                    .bind(&new.title)
                    .bind(new.lang.as_str())
                    .bind(media_type)
                    .bind(i64::try_from(length).unwrap_or(i64::MAX))
                    .bind(&new.file_name)
                    .bind(sha256)
                    .bind(url)
                    .bind(now_millis())
                    .fetch_optional(executor)
                    .await
                    .map_err(|error| missing(error, || format!("item {}", new.item_id)))?
                    .ok_or_else(|| {
                        StoreError::Missing(format!(
                            "attachment {} of item {}",
                            new.alternate_of.unwrap_or_default(),
                            new.item_id
                        ))
                    })?;
                attachment(&row)
            }

            #[async_trait]
            impl AttachmentStore for $store {
                async fn attach(&self, new: &NewAttachment) -> StoreResult<AttachmentRecord> {
                    let mut tx = self.begin_write().await?;
                    let item: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM feed_items WHERE id = $1")
                            .bind(new.item_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if item.is_none() {
                        return Err(StoreError::Missing(format!("item {}", new.item_id)));
                    }
                    if let AttachedFile::Kept { bytes, media_type, sha256 } = &new.file {
                        sqlx::query(
                            "INSERT INTO attachment_files (sha256, media_type, bytes)
                             VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
                        )
                        .bind(sha256)
                        .bind(media_type)
                        .bind(bytes)
                        .execute(&mut *tx)
                        .await?;
                    }
                    let mut record = insert(&mut *tx, new).await?;
                    if record.group_id == 0 {
                        sqlx::query("UPDATE item_attachments SET group_id = id WHERE id = $1")
                            .bind(record.id)
                            .execute(&mut *tx)
                            .await?;
                        record.group_id = record.id;
                    }
                    tx.commit().await?;
                    Ok(record)
                }

                async fn attachments_of(&self, item_ids: &[i64]) -> StoreResult<Vec<AttachmentRecord>> {
                    if item_ids.is_empty() {
                        return Ok(Vec::new());
                    }
                    let wanted: Vec<String> =
                        (1..=item_ids.len()).map(|n| format!("${n}")).collect();
                    let sql = format!(
                        "SELECT {COLUMNS} FROM item_attachments WHERE item_id IN ({})
                         ORDER BY item_id, group_id, id",
                        wanted.join(", ")
                    );
                    let mut query = sqlx::query(&sql);
                    for id in item_ids {
                        query = query.bind(*id);
                    }
                    let rows = query.fetch_all(&self.pool).await?;
                    rows.iter().map(attachment).collect()
                }

                async fn attachment_file(&self, sha256: &str) -> StoreResult<Option<(String, Vec<u8>)>> {
                    let row = sqlx::query(
                        "SELECT media_type, bytes FROM attachment_files WHERE sha256 = $1",
                    )
                    .bind(sha256)
                    .fetch_optional(&self.pool)
                    .await?;
                    row.map(|row| Ok((row.try_get("media_type")?, row.try_get("bytes")?)))
                        .transpose()
                }

                async fn replace_linked(&self, item_id: i64, linked: &[NewAttachment]) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query(
                        "DELETE FROM item_attachments WHERE item_id = $1 AND source_url IS NOT NULL",
                    )
                    .bind(item_id)
                    .execute(&mut *tx)
                    .await?;
                    for new in linked {
                        let record = insert(&mut *tx, new).await?;
                        sqlx::query("UPDATE item_attachments SET group_id = id WHERE id = $1")
                            .bind(record.id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }
            }
        }
    };
}

pub(crate) use attachment_store;
