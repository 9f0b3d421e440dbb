//! One implementation of [`StormStore`] for both backends, in SQL both
//! accept. A storm's texts (titles and messages, per language) are one
//! JSON document: always read and written whole, never queried inside.
//!
//! Shares are one row per storm and platform, added to in place
//! (`ON CONFLICT ... DO UPDATE`), so clicks counted on two instances at
//! once both count.
//!
//! [`StormStore`]: super::StormStore

use std::collections::BTreeMap;

use chorus_wire::storm::Platform;
use serde::{Deserialize, Serialize};

use super::storms::{StormPlan, StormText};
use super::{StoreError, StoreResult};
use crate::ident::Lang;

/// The texts column.
#[derive(Debug, Serialize, Deserialize)]
struct Texts {
    titles: BTreeMap<String, String>,
    messages: Vec<Message>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Message {
    lang: String,
    #[serde(default)]
    platform: Option<String>,
    text: String,
}

pub(super) fn texts_json(plan: &StormPlan) -> String {
    let texts = Texts {
        titles: plan
            .titles
            .iter()
            .map(|(lang, title)| (lang.to_string(), title.clone()))
            .collect(),
        messages: plan
            .messages
            .iter()
            .map(|m| Message {
                lang: m.lang.to_string(),
                platform: m.platform.map(|p| p.name().to_owned()),
                text: m.text.clone(),
            })
            .collect(),
    };
    serde_json::to_string(&texts).unwrap_or_default()
}

/// A plan from its columns.
pub(super) fn plan(
    default_lang: &str,
    starts_at: i64,
    minutes: i64,
    hashtags: &str,
    link: String,
    texts: &str,
) -> StoreResult<StormPlan> {
    let corrupt = |what: &str| StoreError::Unsafe(format!("stored storm has an invalid {what}"));
    let lang = |raw: &str| Lang::parse(raw).map_err(|_| corrupt("language"));
    let texts: Texts = serde_json::from_str(texts).map_err(|_| corrupt("text"))?;
    let messages = texts
        .messages
        .into_iter()
        .map(|m| {
            let platform = match m.platform.as_deref() {
                Some(name) => Some(Platform::parse(name).ok_or_else(|| corrupt("platform"))?),
                None => None,
            };
            Ok(StormText {
                lang: lang(&m.lang)?,
                platform,
                text: m.text,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok(StormPlan {
        default_lang: lang(default_lang)?,
        starts_at,
        minutes: u32::try_from(minutes).map_err(|_| corrupt("duration"))?,
        hashtags: hashtags.split_whitespace().map(str::to_owned).collect(),
        link,
        titles: texts
            .titles
            .into_iter()
            .map(|(l, title)| Ok((lang(&l)?, title)))
            .collect::<StoreResult<_>>()?,
        messages,
    })
}

/// Implements `StormStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! storm_store {
    ($store:ident, $db:ty) => {
        mod storms {
            use async_trait::async_trait;
            use chorus_wire::storm::Platform;
            use sqlx::Row;

            use super::$store;
            use crate::ident::Slug;
            use crate::storage::read::{conflict, slug};
            use crate::storage::storm_sql::{plan, texts_json};
            use crate::storage::{
                StoreError, StoreResult, StormPlan, StormRecord, StormStore, StormTally, now_millis,
            };

            type DbRow = <$db as sqlx::Database>::Row;

            const COLUMNS: &str = "id, slug, organisation_id, default_lang, starts_at, minutes, hashtags, link, \
                 texts, created_at, updated_at";

            fn storm(row: &DbRow) -> StoreResult<StormRecord> {
                Ok(StormRecord {
                    id: row.try_get("id")?,
                    slug: slug(&row.try_get::<String, _>("slug")?)?,
                    organisation_id: row.try_get("organisation_id")?,
                    plan: plan(
                        &row.try_get::<String, _>("default_lang")?,
                        row.try_get("starts_at")?,
                        row.try_get("minutes")?,
                        &row.try_get::<String, _>("hashtags")?,
                        row.try_get("link")?,
                        &row.try_get::<String, _>("texts")?,
                    )?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                })
            }

            #[async_trait]
            impl StormStore for $store {
                async fn create_storm(
                    &self,
                    wanted: &Slug,
                    organisation_id: i64,
                    plan: &StormPlan,
                ) -> StoreResult<StormRecord> {
                    let sql = format!(
                        "INSERT INTO storms (slug, default_lang, starts_at, minutes, hashtags,
                             link, texts, created_at, updated_at, organisation_id)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING {COLUMNS}"
                    );
                    let row = sqlx::query(&sql)
                        .bind(wanted.as_str())
                        .bind(plan.default_lang.as_str())
                        .bind(plan.starts_at)
                        .bind(i64::from(plan.minutes))
                        .bind(plan.hashtags.join(" "))
                        .bind(&plan.link)
                        .bind(texts_json(plan))
                        .bind(now_millis())
                        .bind(organisation_id)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(|error| conflict(error, || format!("storm {wanted}")))?;
                    storm(&row)
                }

                async fn update_storm(
                    &self,
                    id: i64,
                    plan: &StormPlan,
                ) -> StoreResult<StormRecord> {
                    let sql = format!(
                        "UPDATE storms SET default_lang = $2, starts_at = $3, minutes = $4,
                             hashtags = $5, link = $6, texts = $7, updated_at = $8
                         WHERE id = $1 RETURNING {COLUMNS}"
                    );
                    let row = sqlx::query(&sql)
                        .bind(id)
                        .bind(plan.default_lang.as_str())
                        .bind(plan.starts_at)
                        .bind(i64::from(plan.minutes))
                        .bind(plan.hashtags.join(" "))
                        .bind(&plan.link)
                        .bind(texts_json(plan))
                        .bind(now_millis())
                        .fetch_optional(&self.pool)
                        .await?
                        .ok_or_else(|| StoreError::Missing(format!("storm {id}")))?;
                    storm(&row)
                }

                async fn storm_by_slug(&self, wanted: &Slug) -> StoreResult<Option<StormRecord>> {
                    let sql = format!("SELECT {COLUMNS} FROM storms WHERE slug = $1");
                    let row = sqlx::query(&sql)
                        .bind(wanted.as_str())
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(storm).transpose()
                }

                async fn set_storm_owner(
                    &self,
                    storm_id: i64,
                    organisation_id: i64,
                ) -> StoreResult<bool> {
                    let done = sqlx::query("UPDATE storms SET organisation_id = $2 WHERE id = $1")
                        .bind(storm_id)
                        .bind(organisation_id)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn storms(&self) -> StoreResult<Vec<StormRecord>> {
                    let sql = format!("SELECT {COLUMNS} FROM storms ORDER BY starts_at, id");
                    let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
                    rows.iter().map(storm).collect()
                }

                async fn count_shares(
                    &self,
                    storm_id: i64,
                    platform: Platform,
                    shares: u64,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO storm_shares (storm_id, platform, shares) VALUES ($1, $2, $3)
                         ON CONFLICT (storm_id, platform)
                         DO UPDATE SET shares = storm_shares.shares + excluded.shares",
                    )
                    .bind(storm_id)
                    .bind(platform.name())
                    .bind(i64::try_from(shares).unwrap_or(i64::MAX))
                    .execute(&self.pool)
                    .await
                    .map_err(|error| {
                        crate::storage::read::missing(error, || format!("storm {storm_id}"))
                    })?;
                    Ok(())
                }

                async fn storm_shares(&self, storm_id: i64) -> StoreResult<Vec<(Platform, u64)>> {
                    let rows = sqlx::query(
                        "SELECT platform, shares FROM storm_shares
                         WHERE storm_id = $1 AND shares > 0 ORDER BY platform",
                    )
                    .bind(storm_id)
                    .fetch_all(&self.pool)
                    .await?;
                    let mut shares = Vec::with_capacity(rows.len());
                    for row in &rows {
                        let name: String = row.try_get("platform")?;
                        let n: i64 = row.try_get("shares")?;
                        // A platform this version does not know is left out.
                        if let Some(platform) = Platform::parse(&name) {
                            shares.push((platform, u64::try_from(n).unwrap_or(0)));
                        }
                    }
                    Ok(shares)
                }

                async fn storm_tallies(&self) -> StoreResult<Vec<StormTally>> {
                    let rows = sqlx::query(
                        "SELECT s.slug, s.starts_at, s.minutes,
                             CAST(COALESCE(SUM(c.shares), 0) AS BIGINT) AS shares
                         FROM storms s LEFT JOIN storm_shares c ON c.storm_id = s.id
                         GROUP BY s.id, s.slug, s.starts_at, s.minutes",
                    )
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            let starts_at: i64 = row.try_get("starts_at")?;
                            let minutes: i64 = row.try_get("minutes")?;
                            let shares: i64 = row.try_get("shares")?;
                            Ok(StormTally {
                                slug: slug(&row.try_get::<String, _>("slug")?)?,
                                starts_at,
                                ends_at: starts_at + minutes * 60_000,
                                shares: u64::try_from(shares).unwrap_or(0),
                            })
                        })
                        .collect()
                }
            }
        }
    };
}

pub(crate) use storm_store;
