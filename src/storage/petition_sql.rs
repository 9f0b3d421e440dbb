//! One implementation of [`PetitionStore`] for both backends, its SQL
//! written once in what SQLite and PostgreSQL both accept, as for donations
//! and updates. What differs by backend (recording signatures, tailing them)
//! stays in `sqlite.rs` and `postgres.rs`.
//!
//! [`PetitionStore`]: super::PetitionStore

/// Implements `PetitionStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! petition_store {
    ($store:ident, $db:ty) => {
        mod petitions {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use crate::ident::{Origin, Slug};
            use crate::storage::read::{self, PETITION_COLUMNS, conflict, missing_petition};
            use crate::storage::{
                Millis, NewPetition, Partner, PetitionPartner, PetitionRecord, PetitionStore,
                PetitionText, StoreError, StoreResult, now_millis,
            };

            #[async_trait]
            impl PetitionStore for $store {
                async fn create_petition(&self, petition: &NewPetition) -> StoreResult<PetitionRecord> {
                    let mut tx = self.pool.begin().await?;
                    let created_at = now_millis();
                    let goal = petition.goal.map(|g| i64::try_from(g).unwrap_or(i64::MAX));
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO petitions (slug, default_lang, goal, privacy_url, share_url,
                             created_at, organisation_id)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(petition.slug.as_str())
                    .bind(petition.text.lang.as_str())
                    .bind(goal)
                    .bind(&petition.links.privacy_url)
                    .bind(&petition.links.share_url)
                    .bind(created_at)
                    .bind(petition.organisation_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| {
                        if read::is_foreign_key_violation(&e) {
                            return read::missing(e, || format!("organisation {}", petition.organisation_id));
                        }
                        conflict(e, || format!("petition {}", petition.slug))
                    })?;
                    insert_text(&mut *tx, id, &petition.text).await?;
                    tx.commit().await?;
                    Ok(PetitionRecord {
                        id,
                        slug: petition.slug.clone(),
                        default_lang: petition.text.lang.clone(),
                        goal: petition.goal,
                        links: petition.links.clone(),
                        created_at,
                        organisation_id: Some(petition.organisation_id),
                        closed_at: None,
                        confirm_by_email: false,
                        paused: false,
                        signatories: crate::storage::Signatories::People,
                        wall_city: false,
                    })
                }

                async fn put_petition_text(&self, petition_id: i64, text: &PetitionText) -> StoreResult<()> {
                    let mut tx = self.pool.begin().await?;
                    insert_text(&mut *tx, petition_id, text).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn petition_by_slug(&self, slug: &Slug) -> StoreResult<Option<PetitionRecord>> {
                    let sql = format!("SELECT {PETITION_COLUMNS} FROM petitions WHERE slug = $1");
                    let row = sqlx::query(&sql)
                        .bind(slug.as_str())
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(read::petition).transpose()
                }

                async fn petition_by_id(&self, id: i64) -> StoreResult<Option<PetitionRecord>> {
                    let sql = format!("SELECT {PETITION_COLUMNS} FROM petitions WHERE id = $1");
                    let row = sqlx::query(&sql)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(read::petition).transpose()
                }

                async fn petitions(&self) -> StoreResult<Vec<PetitionRecord>> {
                    let sql = format!("SELECT {PETITION_COLUMNS} FROM petitions ORDER BY slug");
                    let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
                    rows.iter().map(read::petition).collect()
                }

                async fn petition_texts(&self, petition_id: i64) -> StoreResult<Vec<PetitionText>> {
                    let rows = sqlx::query(
                        "SELECT lang, title, summary, body, share_message, hashtags FROM petition_texts
                         WHERE petition_id = $1 ORDER BY lang",
                    )
                    .bind(petition_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter().map(read::text).collect()
                }

                async fn add_partner(&self, name: &str, origin: &Origin) -> StoreResult<Partner> {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO partners (name, origin, created_at) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(name)
                    .bind(origin.as_str())
                    .bind(now_millis())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| conflict(e, || format!("a partner named {name:?} or at {origin}")))?;
                    Ok(Partner {
                        id,
                        name: name.to_owned(),
                        origin: origin.clone(),
                    })
                }

                async fn partners(&self) -> StoreResult<Vec<Partner>> {
                    let rows = sqlx::query("SELECT id, name, origin FROM partners ORDER BY name")
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter().map(read::partner).collect()
                }

                async fn put_petition_partner(
                    &self,
                    petition_id: i64,
                    partner_id: i64,
                    contact_opt_in: bool,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO petition_partners (petition_id, partner_id, contact_opt_in)
                         VALUES ($1, $2, $3)
                         ON CONFLICT (petition_id, partner_id) DO UPDATE
                         SET contact_opt_in = excluded.contact_opt_in",
                    )
                    .bind(petition_id)
                    .bind(partner_id)
                    .bind(contact_opt_in)
                    .execute(&self.pool)
                    .await
                    .map_err(|e| missing_petition(e, petition_id))?;
                    Ok(())
                }

                async fn petition_partners(&self, petition_id: i64) -> StoreResult<Vec<PetitionPartner>> {
                    let rows = sqlx::query(
                        "SELECT p.id, p.name, p.origin, pp.contact_opt_in
                         FROM petition_partners pp JOIN partners p ON p.id = pp.partner_id
                         WHERE pp.petition_id = $1 ORDER BY p.name",
                    )
                    .bind(petition_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(PetitionPartner {
                                partner: read::partner(row)?,
                                contact_opt_in: row.try_get("contact_opt_in")?,
                            })
                        })
                        .collect()
                }

                async fn set_confirm_by_email(&self, petition_id: i64, confirm: bool) -> StoreResult<()> {
                    set_flag(&self.pool, "confirm_by_email", petition_id, confirm).await
                }

                async fn set_paused(&self, petition_id: i64, paused: bool) -> StoreResult<()> {
                    set_flag(&self.pool, "paused", petition_id, paused).await
                }

                async fn set_goal(&self, petition_id: i64, goal: Option<u64>) -> StoreResult<()> {
                    let goal = goal.map(|g| i64::try_from(g).unwrap_or(i64::MAX));
                    sqlx::query("UPDATE petitions SET goal = $2 WHERE id = $1")
                        .bind(petition_id)
                        .bind(goal)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                }

                async fn set_petition_closed(
                    &self,
                    petition_id: i64,
                    closed_at: Option<Millis>,
                ) -> StoreResult<()> {
                    let done = sqlx::query("UPDATE petitions SET closed_at = $2 WHERE id = $1")
                        .bind(petition_id)
                        .bind(closed_at)
                        .execute(&self.pool)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Missing(format!("petition {petition_id}")));
                    }
                    Ok(())
                }
            }

            /// Sets one of a petition's on/off settings (`column`, never user input).
            async fn set_flag<'e, E>(
                executor: E,
                column: &'static str,
                petition_id: i64,
                on: bool,
            ) -> StoreResult<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                let done = sqlx::query(&format!("UPDATE petitions SET {column} = $2 WHERE id = $1"))
                    .bind(petition_id)
                    .bind(on)
                    .execute(executor)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Missing(format!("petition {petition_id}")));
                }
                Ok(())
            }

            async fn insert_text<'e, E>(
                executor: E,
                petition_id: i64,
                text: &PetitionText,
            ) -> StoreResult<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                sqlx::query(
                    "INSERT INTO petition_texts
                         (petition_id, lang, title, summary, body, share_message, hashtags)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (petition_id, lang) DO UPDATE
                     SET title = excluded.title, summary = excluded.summary, body = excluded.body,
                         share_message = excluded.share_message, hashtags = excluded.hashtags",
                )
                .bind(petition_id)
                .bind(text.lang.as_str())
                .bind(&text.title)
                .bind(&text.summary)
                .bind(&text.body)
                .bind(&text.share_message)
                .bind(text.hashtags.join(" "))
                .execute(executor)
                .await
                .map_err(|e| missing_petition(e, petition_id))?;
                Ok(())
            }
        }
    };
}

pub(super) use petition_store;
