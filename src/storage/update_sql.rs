//! One implementation of [`UpdateStore`] for both backends, its SQL written
//! once in what SQLite and PostgreSQL both accept, as for donations.
//!
//! [`UpdateStore`]: super::UpdateStore

/// Implements `UpdateStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! update_store {
    ($store:ident, $db:ty) => {
        mod updates {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use crate::ident::Slug;
            use crate::storage::read::{self, FEED_COLUMNS, ITEM_COLUMNS, conflict, stored_tags};
            use crate::storage::{
                FeedRecord, FeedSource, ItemContent, ItemQuery, ItemRecord, Millis, NewFeed,
                StoreResult, UpdateStore, now_millis,
            };

            #[async_trait]
            impl UpdateStore for $store {
                async fn create_feed(&self, feed: &NewFeed) -> StoreResult<FeedRecord> {
                    let created_at = now_millis();
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO feeds
                         (slug, title, default_lang, source_url, created_at, organisation_id)
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(feed.slug.as_str())
                    .bind(&feed.title)
                    .bind(feed.default_lang.as_str())
                    .bind(&feed.source_url)
                    .bind(created_at)
                    .bind(feed.organisation_id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| conflict(e, || format!("feed {}", feed.slug)))?;
                    Ok(FeedRecord {
                        id,
                        slug: feed.slug.clone(),
                        organisation_id: Some(feed.organisation_id),
                        title: feed.title.clone(),
                        default_lang: feed.default_lang.clone(),
                        source_url: feed.source_url.clone(),
                        created_at,
                    })
                }

                async fn feed_by_slug(&self, slug: &Slug) -> StoreResult<Option<FeedRecord>> {
                    let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE slug = $1");
                    let row = sqlx::query(&sql)
                        .bind(slug.as_str())
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(read::feed).transpose()
                }

                async fn feed_by_id(&self, id: i64) -> StoreResult<Option<FeedRecord>> {
                    let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE id = $1");
                    let row = sqlx::query(&sql)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(read::feed).transpose()
                }

                async fn set_feed_owner(
                    &self,
                    feed_id: i64,
                    organisation_id: i64,
                ) -> StoreResult<bool> {
                    let done = sqlx::query("UPDATE feeds SET organisation_id = $2 WHERE id = $1")
                        .bind(feed_id)
                        .bind(organisation_id)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn feeds(&self) -> StoreResult<Vec<FeedRecord>> {
                    let sql = format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY slug");
                    let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
                    rows.iter().map(read::feed).collect()
                }

                async fn post_item(
                    &self,
                    feed_id: i64,
                    content: &ItemContent,
                ) -> StoreResult<ItemRecord> {
                    insert_item(&self.pool, feed_id, None, content).await
                }

                async fn post_mirrored(
                    &self,
                    feed_id: i64,
                    source_id: &str,
                    content: &ItemContent,
                ) -> StoreResult<ItemRecord> {
                    insert_item(&self.pool, feed_id, Some(source_id), content).await
                }

                async fn item_by_source(
                    &self,
                    feed_id: i64,
                    source_id: &str,
                ) -> StoreResult<Option<ItemRecord>> {
                    let sql = format!(
                        "SELECT {ITEM_COLUMNS} FROM feed_items WHERE feed_id = $1 AND source_id = $2"
                    );
                    let row = sqlx::query(&sql)
                        .bind(feed_id)
                        .bind(source_id)
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(read::item).transpose()
                }

                async fn feed_versions(&self, now: i64) -> StoreResult<Vec<(i64, String)>> {
                    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
                        "SELECT feed_id, COUNT(*), MAX(updated_at) FROM feed_items
                         WHERE published_at <= $1 GROUP BY feed_id",
                    )
                    .bind(now)
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(feed, count, updated)| (feed, format!("{count}-{updated}")))
                        .collect())
                }

                async fn feed_source(&self, feed_id: i64) -> StoreResult<Option<FeedSource>> {
                    type Row = (Option<String>, Option<String>, Option<String>, Option<i64>, Option<String>);
                    let row: Option<Row> =
                        sqlx::query_as(
                            "SELECT source_url, source_etag, source_last_modified,
                                 source_checked_at, source_error
                             FROM feeds WHERE id = $1",
                        )
                        .bind(feed_id)
                        .fetch_optional(&self.pool)
                        .await?;
                    Ok(row.and_then(|(url, etag, last_modified, checked_at, error)| {
                        Some(FeedSource {
                            url: url?,
                            etag,
                            last_modified,
                            checked_at,
                            error,
                        })
                    }))
                }

                async fn record_fetch(&self, feed_id: i64, source: &FeedSource) -> StoreResult<()> {
                    sqlx::query(
                        "UPDATE feeds SET source_etag = $1, source_last_modified = $2,
                             source_checked_at = $3, source_error = $4
                         WHERE id = $5",
                    )
                    .bind(&source.etag)
                    .bind(&source.last_modified)
                    .bind(source.checked_at)
                    .bind(&source.error)
                    .bind(feed_id)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn edit_item(
                    &self,
                    item_id: i64,
                    content: &ItemContent,
                ) -> StoreResult<Option<ItemRecord>> {
                    let statement = sqlx::query(
                        "UPDATE feed_items SET title = $1, summary = $2, body_html = $3,
                             image_url = $4, image_alt = $5, link = $6, tags = $7, lang = $8,
                             published_at = $9, updated_at = $10
                         WHERE id = $11",
                    );
                    let changed = bind_content(statement, content)
                    .bind(now_millis())
                    .bind(item_id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                    if changed == 0 {
                        return Ok(None);
                    }
                    self.item(item_id).await
                }

                async fn set_unpublished(&self, item_id: i64, unpublished: bool) -> StoreResult<bool> {
                    let changed = sqlx::query(
                        "UPDATE feed_items SET unpublished = $1, updated_at = $2 WHERE id = $3",
                    )
                    .bind(unpublished)
                    .bind(now_millis())
                    .bind(item_id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                    Ok(changed == 1)
                }

                async fn item(&self, item_id: i64) -> StoreResult<Option<ItemRecord>> {
                    let sql = format!("SELECT {ITEM_COLUMNS} FROM feed_items WHERE id = $1");
                    let row = sqlx::query(&sql)
                        .bind(item_id)
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(read::item).transpose()
                }

                async fn items(&self, query: &ItemQuery) -> StoreResult<Vec<ItemRecord>> {
                    let mut sql = format!(
                        "SELECT {ITEM_COLUMNS} FROM feed_items
                         WHERE feed_id = $1 AND unpublished = $2 AND published_at <= $3"
                    );
                    let mut next = 4;
                    let mut param = || {
                        next += 1;
                        format!("${}", next - 1)
                    };
                    if query.before.is_some() {
                        let (time, id) = (param(), param());
                        sql.push_str(&format!(
                            " AND (published_at < {time} OR (published_at = {time} AND id < {id}))"
                        ));
                    }
                    if query.tag.is_some() {
                        sql.push_str(&format!(" AND tags LIKE {}", param()));
                    }
                    if query.lang.is_some() {
                        sql.push_str(&format!(" AND lang = {}", param()));
                    }
                    sql.push_str(&format!(
                        " ORDER BY published_at DESC, id DESC LIMIT {}",
                        param()
                    ));
                    let mut statement = sqlx::query(&sql)
                        .bind(query.feed_id)
                        .bind(false)
                        .bind(query.now);
                    if let Some((time, id)) = query.before {
                        statement = statement.bind(time).bind(id);
                    }
                    if let Some(tag) = &query.tag {
                        // Tags are `a-z`, `0-9` and `-`: no LIKE wildcards.
                        statement = statement.bind(format!("% {tag} %"));
                    }
                    if let Some(lang) = &query.lang {
                        statement = statement.bind(lang.as_str());
                    }
                    let rows = statement
                        .bind(i64::from(query.limit))
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter().map(read::item).collect()
                }

                async fn item_tags(&self, query: &ItemQuery) -> StoreResult<Vec<String>> {
                    let mut sql = String::from(
                        "SELECT tags, COUNT(*) FROM feed_items
                         WHERE feed_id = $1 AND unpublished = $2 AND published_at <= $3",
                    );
                    if query.lang.is_some() {
                        sql.push_str(" AND lang = $4");
                    }
                    sql.push_str(" GROUP BY tags");
                    let mut statement = sqlx::query(&sql)
                        .bind(query.feed_id)
                        .bind(false)
                        .bind(query.now);
                    if let Some(lang) = &query.lang {
                        statement = statement.bind(lang.as_str());
                    }
                    let rows = statement.fetch_all(&self.pool).await?;
                    let mut uses = std::collections::BTreeMap::<String, i64>::new();
                    for row in &rows {
                        let (tags, count): (String, i64) = (row.try_get(0)?, row.try_get(1)?);
                        for tag in tags.split_whitespace() {
                            *uses.entry(tag.to_owned()).or_default() += count;
                        }
                    }
                    let mut ranked: Vec<(String, i64)> = uses.into_iter().collect();
                    // Most used first; alphabetical among equals (the map's order).
                    ranked.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
                    ranked.truncate(query.limit as usize);
                    Ok(ranked.into_iter().map(|(tag, _)| tag).collect())
                }

                async fn all_items(&self, feed_id: i64) -> StoreResult<Vec<ItemRecord>> {
                    let sql = format!(
                        "SELECT {ITEM_COLUMNS} FROM feed_items WHERE feed_id = $1
                         ORDER BY published_at DESC, id DESC"
                    );
                    let rows = sqlx::query(&sql).bind(feed_id).fetch_all(&self.pool).await?;
                    rows.iter().map(read::item).collect()
                }

                async fn all_items_page(
                    &self,
                    feed_id: i64,
                    after: Option<(Millis, i64)>,
                    limit: u32,
                ) -> StoreResult<Vec<ItemRecord>> {
                    let (published, id) = after.unwrap_or((i64::MAX, i64::MAX));
                    let sql = format!(
                        "SELECT {ITEM_COLUMNS} FROM feed_items WHERE feed_id = $1
                           AND (published_at < $2 OR (published_at = $2 AND id < $3))
                         ORDER BY published_at DESC, id DESC LIMIT $4"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(feed_id)
                        .bind(published)
                        .bind(id)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter().map(read::item).collect()
                }
            }

            type Statement<'q> =
                sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>>;

            /// Binds an item's content as both statements list its columns
            /// first: title to publication time.
            fn bind_content<'q>(statement: Statement<'q>, content: &'q ItemContent) -> Statement<'q> {
                statement
                    .bind(&content.title)
                    .bind(&content.summary)
                    .bind(&content.body_html)
                    .bind(&content.image_url)
                    .bind(&content.image_alt)
                    .bind(&content.link)
                    .bind(stored_tags(&content.tags))
                    .bind(content.lang.as_str())
                    .bind(content.published_at)
            }

            async fn insert_item(
                pool: &sqlx::Pool<$db>,
                feed_id: i64,
                source_id: Option<&str>,
                content: &ItemContent,
            ) -> StoreResult<ItemRecord> {
                let now = now_millis();
                let statement = sqlx::query(
                    "INSERT INTO feed_items (title, summary, body_html, image_url, image_alt,
                         link, tags, lang, published_at, updated_at, feed_id, source_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                );
                let id: i64 = bind_content(statement, content)
                .bind(now)
                .bind(feed_id)
                .bind(source_id)
                .fetch_one(pool)
                .await
                .map_err(|e| read::missing(e, || format!("feed {feed_id}")))?
                .try_get("id")?;
                Ok(ItemRecord {
                    id,
                    feed_id,
                    content: content.clone(),
                    updated_at: now,
                    unpublished: false,
                })
            }
        }
    };
}

pub(super) use update_store;
