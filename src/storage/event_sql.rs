//! One implementation of [`EventStore`] for both backends, in SQL both
//! accept. Each backend supplies `begin_write` and invokes `event_store!`.
//!
//! An RSVP is counted by one conditional `UPDATE` of its event's `going`:
//! the row is locked (PostgreSQL) or the database is (SQLite) until the
//! transaction ends, so two RSVPs can never both take the last place.
//!
//! [`EventStore`]: super::EventStore

/// Implements `EventStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! event_store {
    ($store:ident, $db:ty) => {
        mod events {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use crate::ident::{Lang, Slug};
            use crate::personal::EmailHash;
            use crate::storage::read::{conflict, missing};
            use crate::storage::{
                ActionDayRecord, AttendanceRow, AttendeeRow, DueReminder, EventDetails,
                EventPlace, EventQuery, EventRecord, EventStatus, EventStore, EventText, Millis,
                NewActionDay, NewEvent, NewRsvp, RsvpByToken, RsvpCancelled, RsvpOutcome,
                SealedMail, SpentProof, StoreError, StoreResult, TokenHash, now_millis,
            };

            const EVENT_COLUMNS: &str = "id, public_id, organisation_id, default_lang, day_id, kind,
                starts_at, ends_at, time_zone, venue, address, address_private, city, country,
                online_url, accessibility, capacity, host, host_partner_id, status, going,
                host_mail IS NOT NULL AS host_waiting, created_at, updated_at";

            type DbRow = <$db as sqlx::Database>::Row;

            /// What an organiser sets of an event, in the order
            /// [`bind_details`] binds it, as the first parameters.
            const DETAIL_COLUMNS: &str = "day_id, kind, starts_at, ends_at, time_zone, venue,
                address, address_private, city, city_key, country, online_url, accessibility,
                capacity, host, host_partner_id";
            const DETAIL_VALUES: &str =
                "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16";

            /// A query with `details` bound as [`DETAIL_COLUMNS`] names them.
            fn bind_details<'q>(
                sql: &'q str,
                details: &'q EventDetails,
            ) -> sqlx::query::QueryScalar<'q, $db, i64, <$db as sqlx::Database>::Arguments<'q>> {
                let place = &details.place;
                sqlx::query_scalar(sql)
                    .bind(details.day_id)
                    .bind(&details.kind)
                    .bind(details.starts_at)
                    .bind(details.ends_at)
                    .bind(&details.time_zone)
                    .bind(&place.venue)
                    .bind(&place.address)
                    .bind(place.address_private)
                    .bind(&place.city)
                    .bind(crate::ident::fold(&place.city))
                    .bind(&place.country)
                    .bind(&place.online_url)
                    .bind(&details.accessibility)
                    .bind(details.capacity.map(i64::from))
                    .bind(&details.host)
                    .bind(details.host_partner_id)
            }

            fn corrupt(what: &str) -> StoreError {
                StoreError::Unsafe(format!("a stored event has an invalid {what}"))
            }

            fn lang(stored: String) -> StoreResult<Lang> {
                Lang::parse(&stored).map_err(|_| corrupt("language"))
            }

            fn event_row(row: &DbRow, texts: Vec<EventText>) -> StoreResult<EventRecord> {
                let capacity: Option<i64> = row.try_get("capacity")?;
                let going: i64 = row.try_get("going")?;
                let status: String = row.try_get("status")?;
                Ok(EventRecord {
                    id: row.try_get("id")?,
                    public_id: row.try_get("public_id")?,
                    organisation_id: row.try_get("organisation_id")?,
                    default_lang: lang(row.try_get("default_lang")?)?,
                    details: EventDetails {
                        day_id: row.try_get("day_id")?,
                        kind: row.try_get("kind")?,
                        starts_at: row.try_get("starts_at")?,
                        ends_at: row.try_get("ends_at")?,
                        time_zone: row.try_get("time_zone")?,
                        place: EventPlace {
                            venue: row.try_get("venue")?,
                            address: row.try_get("address")?,
                            address_private: row.try_get("address_private")?,
                            city: row.try_get("city")?,
                            country: row.try_get("country")?,
                            online_url: row.try_get("online_url")?,
                        },
                        accessibility: row.try_get("accessibility")?,
                        capacity: capacity.and_then(|c| u32::try_from(c).ok()),
                        host: row.try_get("host")?,
                        host_partner_id: row.try_get("host_partner_id")?,
                    },
                    texts,
                    status: EventStatus::parse(&status).ok_or_else(|| corrupt("status"))?,
                    going: u64::try_from(going).unwrap_or(0),
                    host_waiting: row.try_get("host_waiting")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                })
            }

            fn day_row(row: &DbRow, names: Vec<(Lang, String)>) -> StoreResult<ActionDayRecord> {
                Ok(ActionDayRecord {
                    id: row.try_get("id")?,
                    slug: crate::storage::read::slug(&row.try_get::<String, _>("slug")?)?,
                    organisation_id: row.try_get("organisation_id")?,
                    day: row.try_get("day")?,
                    default_lang: lang(row.try_get("default_lang")?)?,
                    names,
                })
            }

            impl $store {
                /// The texts of these events, by event id, in one query.
                async fn event_texts(
                    &self,
                    ids: &[i64],
                ) -> StoreResult<std::collections::HashMap<i64, Vec<EventText>>> {
                    let mut texts = std::collections::HashMap::<i64, Vec<EventText>>::new();
                    if ids.is_empty() {
                        return Ok(texts);
                    }
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "SELECT event_id, lang, title, description FROM event_texts WHERE event_id IN (",
                    );
                    let mut list = query.separated(", ");
                    for id in ids {
                        list.push_bind(*id);
                    }
                    query.push(") ORDER BY event_id, lang");
                    for row in query.build().fetch_all(&self.pool).await? {
                        texts.entry(row.try_get("event_id")?).or_default().push(EventText {
                            lang: lang(row.try_get("lang")?)?,
                            title: row.try_get("title")?,
                            description: row.try_get("description")?,
                        });
                    }
                    Ok(texts)
                }

                async fn read_event(&self, row: Option<DbRow>) -> StoreResult<Option<EventRecord>> {
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let id: i64 = row.try_get("id")?;
                    let texts = self.event_texts(&[id]).await?.remove(&id).unwrap_or_default();
                    event_row(&row, texts).map(Some)
                }

                async fn day_names(&self, day_id: i64) -> StoreResult<Vec<(Lang, String)>> {
                    let rows = sqlx::query(
                        "SELECT lang, name FROM action_day_names WHERE day_id = $1 ORDER BY lang",
                    )
                    .bind(day_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|r| Ok((lang(r.try_get("lang")?)?, r.try_get("name")?)))
                        .collect()
                }

                async fn read_day(&self, row: Option<DbRow>) -> StoreResult<Option<ActionDayRecord>> {
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let names = self.day_names(row.try_get("id")?).await?;
                    day_row(&row, names).map(Some)
                }
            }

            #[async_trait]
            impl EventStore for $store {
                async fn create_action_day(&self, day: &NewActionDay) -> StoreResult<ActionDayRecord> {
                    let mut tx = self.pool.begin().await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO action_days (slug, organisation_id, day, default_lang, created_at)
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(day.slug.as_str())
                    .bind(day.organisation_id)
                    .bind(&day.day)
                    .bind(day.lang.as_str())
                    .bind(now_millis())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| match e {
                        e if crate::storage::read::is_foreign_key_violation(&e) => {
                            StoreError::Missing(format!("organisation {}", day.organisation_id))
                        }
                        e => conflict(e, || format!("action day {}", day.slug)),
                    })?;
                    sqlx::query("INSERT INTO action_day_names (day_id, lang, name) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(day.lang.as_str())
                        .bind(&day.name)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(ActionDayRecord {
                        id,
                        slug: day.slug.clone(),
                        organisation_id: day.organisation_id,
                        day: day.day.clone(),
                        default_lang: day.lang.clone(),
                        names: vec![(day.lang.clone(), day.name.clone())],
                    })
                }

                async fn put_action_day_name(&self, day_id: i64, lang: &Lang, name: &str) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO action_day_names (day_id, lang, name) VALUES ($1, $2, $3)
                         ON CONFLICT (day_id, lang) DO UPDATE SET name = excluded.name",
                    )
                    .bind(day_id)
                    .bind(lang.as_str())
                    .bind(name)
                    .execute(&self.pool)
                    .await
                    .map_err(|e| missing(e, || format!("action day {day_id}")))?;
                    Ok(())
                }

                async fn action_day_by_slug(&self, slug: &Slug) -> StoreResult<Option<ActionDayRecord>> {
                    let row = sqlx::query("SELECT id, slug, organisation_id, day, default_lang FROM action_days WHERE slug = $1")
                        .bind(slug.as_str())
                        .fetch_optional(&self.pool)
                        .await?;
                    self.read_day(row).await
                }

                async fn action_day_by_id(&self, id: i64) -> StoreResult<Option<ActionDayRecord>> {
                    let row = sqlx::query("SELECT id, slug, organisation_id, day, default_lang FROM action_days WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                    self.read_day(row).await
                }

                async fn action_days(&self) -> StoreResult<Vec<ActionDayRecord>> {
                    let rows = sqlx::query("SELECT id, slug, organisation_id, day, default_lang FROM action_days ORDER BY day, slug")
                        .fetch_all(&self.pool)
                        .await?;
                    let mut days = Vec::with_capacity(rows.len());
                    for row in rows {
                        let names = self.day_names(row.try_get("id")?).await?;
                        days.push(day_row(&row, names)?);
                    }
                    Ok(days)
                }

                async fn create_event(&self, event: &NewEvent) -> StoreResult<Option<EventRecord>> {
                    if let Some(key) = &event.submission_key {
                        let known: Option<i64> =
                            sqlx::query_scalar("SELECT id FROM events WHERE submission_key = $1")
                                .bind(key)
                                .fetch_optional(&self.pool)
                                .await?;
                        if let Some(id) = known {
                            return self.event_by_id(id).await;
                        }
                    }
                    let mut tx = self.begin_write().await?;
                    if let (Some(proof), Some(key)) = (&event.proof, &event.submission_key) {
                        if !spend_proof(&mut tx, proof, key).await? {
                            return Ok(None);
                        }
                    }
                    let details = &event.details;
                    let now = now_millis();
                    let contact = event.host_contact.as_ref();
                    let sql = format!(
                        "INSERT INTO events ({DETAIL_COLUMNS}, public_id, organisation_id, default_lang,
                             host_sealed, host_email_hash, host_mail, submission_key, status,
                             created_at, updated_at)
                         VALUES ({DETAIL_VALUES}, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25)
                         RETURNING id"
                    );
                    let id: i64 = bind_details(&sql, details)
                        .bind(&event.public_id)
                        .bind(event.organisation_id)
                        .bind(event.text.lang.as_str())
                        .bind(contact.map(|c| c.sealed.as_slice()))
                        .bind(contact.map(|c| c.email_hash.as_bytes()))
                        .bind(contact.map(|c| c.mail.as_slice()))
                        .bind(&event.submission_key)
                        .bind(event.status.as_str())
                        .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| match e {
                        e if crate::storage::read::is_foreign_key_violation(&e) => {
                            StoreError::Missing("the event's organisation, day or partner".into())
                        }
                        e => conflict(e, || format!("event {}", event.public_id)),
                    })?;
                    put_text_row(&mut *tx, id, &event.text).await?;
                    tx.commit().await?;
                    self.event_by_id(id).await
                }

                async fn put_event_text(&self, event_id: i64, text: &EventText) -> StoreResult<()> {
                    put_text_row(&self.pool, event_id, text).await
                }

                async fn update_event(&self, event_id: i64, details: &EventDetails) -> StoreResult<()> {
                    let sql = format!(
                        "UPDATE events SET ({DETAIL_COLUMNS}) = ({DETAIL_VALUES}), updated_at = $17
                         WHERE id = $18 RETURNING id"
                    );
                    let updated = bind_details(&sql, details)
                        .bind(now_millis())
                        .bind(event_id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(|e| missing(e, || "the event's day or partner".into()))?;
                    if updated.is_none() {
                        return Err(StoreError::Missing(format!("event {event_id}")));
                    }
                    Ok(())
                }

                async fn set_event_status(
                    &self,
                    event_id: i64,
                    status: EventStatus,
                    letter: Option<SealedMail>,
                ) -> StoreResult<()> {
                    let mut tx = self.begin_write().await?;
                    let now = now_millis();
                    let done = sqlx::query(
                        "UPDATE events SET status = $2, updated_at = $3,
                             rsvp_changes = rsvp_changes + 1 WHERE id = $1",
                    )
                    .bind(event_id)
                    .bind(status.as_str())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Missing(format!("event {event_id}")));
                    }
                    if let Some(letter) = letter {
                        queue(&mut *tx, &letter, now).await?;
                        sqlx::query("UPDATE events SET host_mail = NULL WHERE id = $1")
                            .bind(event_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn event_by_public_id(&self, public_id: &str) -> StoreResult<Option<EventRecord>> {
                    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE public_id = $1");
                    let row = sqlx::query(&sql).bind(public_id).fetch_optional(&self.pool).await?;
                    self.read_event(row).await
                }

                async fn event_by_id(&self, id: i64) -> StoreResult<Option<EventRecord>> {
                    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
                    let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                    self.read_event(row).await
                }

                async fn event_host_mail(&self, event_id: i64) -> StoreResult<Option<Vec<u8>>> {
                    let mail: Option<Option<Vec<u8>>> =
                        sqlx::query_scalar("SELECT host_mail FROM events WHERE id = $1")
                            .bind(event_id)
                            .fetch_optional(&self.pool)
                            .await?;
                    Ok(mail.flatten())
                }

                async fn events(&self, query: &EventQuery) -> StoreResult<Vec<EventRecord>> {
                    let mut sql = sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT {EVENT_COLUMNS} FROM events WHERE ends_at > "
                    ));
                    sql.push_bind(query.ends_after);
                    match query.status {
                        Some(status) => {
                            sql.push(" AND status = ").push_bind(status.as_str());
                        }
                        None => {
                            sql.push(" AND status IN ('approved', 'cancelled')");
                        }
                    }
                    if let Some(day) = query.day_id {
                        sql.push(" AND day_id = ").push_bind(day);
                    }
                    if let Some(country) = &query.country {
                        sql.push(" AND country = ").push_bind(country.clone());
                    }
                    if let Some(kind) = &query.kind {
                        sql.push(" AND kind = ").push_bind(kind.clone());
                    }
                    if let Some(city) = &query.city {
                        let pattern = format!("%{}%", city.replace(['%', '_', '\\'], ""));
                        sql.push(" AND city_key LIKE ").push_bind(pattern);
                    }
                    if let Some(from) = query.starts_from {
                        sql.push(" AND starts_at >= ").push_bind(from);
                    }
                    if let Some(before) = query.starts_before {
                        sql.push(" AND starts_at < ").push_bind(before);
                    }
                    if let Some((starts_at, id)) = query.after {
                        sql.push(" AND (starts_at > ")
                            .push_bind(starts_at)
                            .push(" OR (starts_at = ")
                            .push_bind(starts_at)
                            .push(" AND id > ")
                            .push_bind(id)
                            .push("))");
                    }
                    sql.push(" ORDER BY starts_at, id LIMIT ")
                        .push_bind(i64::from(query.limit));
                    let rows = sql.build().fetch_all(&self.pool).await?;
                    let ids = rows
                        .iter()
                        .map(|r| r.try_get("id"))
                        .collect::<Result<Vec<i64>, _>>()?;
                    let mut texts = self.event_texts(&ids).await?;
                    rows.iter()
                        .zip(ids)
                        .map(|(row, id)| event_row(row, texts.remove(&id).unwrap_or_default()))
                        .collect()
                }

                async fn event_countries(
                    &self,
                    day_id: Option<i64>,
                    ends_after: Millis,
                ) -> StoreResult<Vec<String>> {
                    let mut sql = sqlx::QueryBuilder::<$db>::new(
                        "SELECT DISTINCT country FROM events WHERE status = 'approved' AND ends_at > ",
                    );
                    sql.push_bind(ends_after);
                    if let Some(day) = day_id {
                        sql.push(" AND day_id = ").push_bind(day);
                    }
                    sql.push(" ORDER BY country");
                    Ok(sql.build_query_scalar().fetch_all(&self.pool).await?)
                }

                async fn record_rsvp(&self, rsvp: &NewRsvp) -> StoreResult<RsvpOutcome> {
                    let mut tx = self.begin_write().await?;
                    let going_now = |going: i64| u64::try_from(going).unwrap_or(0);
                    let known: Option<i64> = sqlx::query_scalar(
                        "SELECT e.going FROM rsvps r JOIN events e ON e.id = r.event_id
                         WHERE r.event_id = $1 AND (r.idempotency_key = $2 OR r.email_hash = $3)",
                    )
                    .bind(rsvp.event_id)
                    .bind(&rsvp.idempotency_key)
                    .bind(rsvp.person.as_ref().map(|p| p.email_hash.as_bytes()))
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some(going) = known {
                        return Ok(RsvpOutcome::Repeat { going: going_now(going) });
                    }
                    if let Some(proof) = &rsvp.proof {
                        if !spend_proof(&mut tx, proof, &rsvp.idempotency_key).await? {
                            return Ok(RsvpOutcome::ProofSpent);
                        }
                    }
                    let people = i64::from(rsvp.people);
                    let counted: Option<i64> = sqlx::query_scalar(
                        "UPDATE events SET going = going + $2, rsvp_changes = rsvp_changes + 1
                         WHERE id = $1 AND status = 'approved' AND ends_at > $3
                             AND (capacity IS NULL OR going + $2 <= capacity)
                         RETURNING going",
                    )
                    .bind(rsvp.event_id)
                    .bind(people)
                    .bind(rsvp.at)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(going) = counted else {
                        let open: Option<i64> = sqlx::query_scalar(
                            "SELECT going FROM events WHERE id = $1 AND status = 'approved' AND ends_at > $2",
                        )
                        .bind(rsvp.event_id)
                        .bind(rsvp.at)
                        .fetch_optional(&mut *tx)
                        .await?;
                        return Ok(match open {
                            Some(going) => RsvpOutcome::Full { going: going_now(going) },
                            None => RsvpOutcome::Closed,
                        });
                    };
                    let person = rsvp.person.as_ref();
                    sqlx::query(
                        "INSERT INTO rsvps (event_id, people, idempotency_key, email_hash, sealed, mail,
                             lang, token_hash, client_hash, created_at, reminded_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    )
                    .bind(rsvp.event_id)
                    .bind(people)
                    .bind(&rsvp.idempotency_key)
                    .bind(person.map(|p| p.email_hash.as_bytes()))
                    .bind(person.map(|p| p.sealed.as_slice()))
                    .bind(person.map(|p| p.mail.as_slice()))
                    .bind(&rsvp.lang)
                    .bind(person.map(|p| p.token.0.as_slice()))
                    .bind(rsvp.client_hash.as_ref().map(|h| h.as_slice()))
                    .bind(rsvp.at)
                    .bind((!rsvp.remind).then_some(rsvp.at))
                    .execute(&mut *tx)
                    .await?;
                    if let Some(person) = person {
                        queue(&mut *tx, &person.receipt, rsvp.at).await?;
                    }
                    tx.commit().await?;
                    Ok(RsvpOutcome::Going { going: going_now(going) })
                }

                async fn rsvp_by_token(&self, token: &TokenHash) -> StoreResult<Option<RsvpByToken>> {
                    let row = sqlx::query(
                        "SELECT event_id, people, cancelled_at IS NOT NULL AS cancelled
                         FROM rsvps WHERE token_hash = $1",
                    )
                    .bind(token.0.as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                    row.map(|row| {
                        let people: i64 = row.try_get("people")?;
                        Ok(RsvpByToken {
                            event_id: row.try_get("event_id")?,
                            people: u32::try_from(people).unwrap_or(0),
                            cancelled: row.try_get("cancelled")?,
                        })
                    })
                    .transpose()
                }

                async fn cancel_rsvp(
                    &self,
                    token: &TokenHash,
                    now: Millis,
                ) -> StoreResult<Option<RsvpCancelled>> {
                    let mut tx = self.begin_write().await?;
                    let row = sqlx::query(
                        "SELECT r.id, r.event_id, r.people, r.cancelled_at, e.public_id
                         FROM rsvps r JOIN events e ON e.id = r.event_id WHERE r.token_hash = $1",
                    )
                    .bind(token.0.as_slice())
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let public_id: String = row.try_get("public_id")?;
                    let cancelled_at: Option<i64> = row.try_get("cancelled_at")?;
                    if cancelled_at.is_some() {
                        return Ok(Some(RsvpCancelled { event_public_id: public_id, newly: false }));
                    }
                    let id: i64 = row.try_get("id")?;
                    let event_id: i64 = row.try_get("event_id")?;
                    let people: i64 = row.try_get("people")?;
                    // The link stays, so a second click is answered; the
                    // person's details go.
                    sqlx::query(
                        "UPDATE rsvps SET cancelled_at = $2, sealed = NULL, mail = NULL, email_hash = NULL
                         WHERE id = $1",
                    )
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "UPDATE events SET going = going - $2, rsvp_changes = rsvp_changes + 1
                         WHERE id = $1",
                    )
                    .bind(event_id)
                    .bind(people)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(Some(RsvpCancelled { event_public_id: public_id, newly: true }))
                }

                async fn due_reminders(&self, now: Millis, until: Millis) -> StoreResult<Vec<DueReminder>> {
                    let rows = sqlx::query(
                        "SELECT r.id, r.event_id, r.people, r.email_hash, r.mail
                         FROM rsvps r JOIN events e ON e.id = r.event_id
                         WHERE r.mail IS NOT NULL AND r.reminded_at IS NULL AND r.cancelled_at IS NULL
                             AND e.status = 'approved' AND e.starts_at > $1 AND e.starts_at <= $2
                         ORDER BY e.starts_at, r.id LIMIT 500",
                    )
                    .bind(now)
                    .bind(until)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            let hash: Option<Vec<u8>> = row.try_get("email_hash")?;
                            let people: i64 = row.try_get("people")?;
                            Ok(DueReminder {
                                rsvp_id: row.try_get("id")?,
                                event_id: row.try_get("event_id")?,
                                people: u32::try_from(people).unwrap_or(0),
                                email_hash: hash.and_then(|h| h.try_into().ok()).map(EmailHash),
                                mail: row.try_get("mail")?,
                            })
                        })
                        .collect()
                }

                async fn queue_reminder(&self, rsvp_id: i64, letter: &SealedMail) -> StoreResult<bool> {
                    let mut tx = self.begin_write().await?;
                    let now = now_millis();
                    let marked = sqlx::query(
                        "UPDATE rsvps SET reminded_at = $2
                         WHERE id = $1 AND reminded_at IS NULL AND cancelled_at IS NULL",
                    )
                    .bind(rsvp_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1;
                    if marked {
                        queue(&mut *tx, letter, now).await?;
                    }
                    tx.commit().await?;
                    Ok(marked)
                }

                async fn attendees(&self, event_id: i64) -> StoreResult<Vec<AttendeeRow>> {
                    let rows = sqlx::query(
                        "SELECT people, sealed, lang, created_at, cancelled_at IS NOT NULL AS cancelled
                         FROM rsvps WHERE event_id = $1 ORDER BY id",
                    )
                    .bind(event_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            let people: i64 = row.try_get("people")?;
                            Ok(AttendeeRow {
                                people: u32::try_from(people).unwrap_or(0),
                                sealed: row.try_get("sealed")?,
                                lang: row.try_get("lang")?,
                                created_at: row.try_get("created_at")?,
                                cancelled: row.try_get("cancelled")?,
                            })
                        })
                        .collect()
                }

                async fn attendance_version(&self) -> StoreResult<i64> {
                    let version: i64 = sqlx::query_scalar(
                        "SELECT CAST(COALESCE(SUM(rsvp_changes), 0) + COUNT(*) AS BIGINT) FROM events",
                    )
                    .fetch_one(&self.pool)
                    .await?;
                    Ok(version)
                }

                async fn attendance(&self, now: Millis) -> StoreResult<Vec<AttendanceRow>> {
                    let rows = sqlx::query(
                        "SELECT public_id, day_id, going, capacity FROM events
                         WHERE status IN ('approved', 'cancelled') AND ends_at > $1",
                    )
                    .bind(now)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            let going: i64 = row.try_get("going")?;
                            let capacity: Option<i64> = row.try_get("capacity")?;
                            Ok(AttendanceRow {
                                public_id: row.try_get("public_id")?,
                                day_id: row.try_get("day_id")?,
                                going: u64::try_from(going).unwrap_or(0),
                                capacity: capacity.and_then(|c| u32::try_from(c).ok()),
                            })
                        })
                        .collect()
                }

                async fn forget_event_mail(&self, before: Millis) -> StoreResult<u64> {
                    let done = sqlx::query(
                        "UPDATE rsvps SET mail = NULL, client_hash = NULL
                         WHERE (mail IS NOT NULL OR client_hash IS NOT NULL)
                             AND event_id IN (SELECT id FROM events WHERE ends_at < $1)",
                    )
                    .bind(before)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected())
                }

                async fn erase_event_person(&self, email_hash: &EmailHash) -> StoreResult<u64> {
                    let mut tx = self.begin_write().await?;
                    let rsvps = sqlx::query(
                        "UPDATE rsvps SET sealed = NULL, mail = NULL, email_hash = NULL
                         WHERE email_hash = $1",
                    )
                    .bind(email_hash.as_bytes())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let hosts = sqlx::query(
                        "UPDATE events SET host_sealed = NULL, host_mail = NULL, host_email_hash = NULL
                         WHERE host_email_hash = $1",
                    )
                    .bind(email_hash.as_bytes())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    tx.commit().await?;
                    Ok(rsvps + hosts)
                }
            }

            /// Spends a proof of work on the submission `key`; false when
            /// another submission had spent it. Endorsements spend theirs
            /// the same way.
            pub(super) async fn spend_proof(
                tx: &mut sqlx::Transaction<'static, $db>,
                proof: &SpentProof,
                key: &str,
            ) -> StoreResult<bool> {
                sqlx::query(
                    "INSERT INTO spent_proofs (challenge, idempotency_key, expires_at)
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(&proof.challenge)
                .bind(key)
                .bind(proof.expires_at)
                .execute(&mut **tx)
                .await?;
                let owner: String =
                    sqlx::query_scalar("SELECT idempotency_key FROM spent_proofs WHERE challenge = $1")
                        .bind(&proof.challenge)
                        .fetch_one(&mut **tx)
                        .await?;
                Ok(owner == key)
            }

            /// Queues a letter that belongs to no signer (endorsements' too).
            pub(super) async fn queue<'e, E>(executor: E, letter: &SealedMail, now: Millis) -> StoreResult<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                sqlx::query(
                    "INSERT INTO outbox (kind, email_hash, sealed, created_at, next_attempt_at)
                     VALUES ($1, $2, $3, $4, $4)",
                )
                .bind(letter.kind.as_str())
                .bind(letter.email_hash.as_bytes())
                .bind(&letter.sealed)
                .bind(now)
                .execute(executor)
                .await?;
                Ok(())
            }

            async fn put_text_row<'e, E>(executor: E, event_id: i64, text: &EventText) -> StoreResult<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                sqlx::query(
                    "INSERT INTO event_texts (event_id, lang, title, description) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (event_id, lang) DO UPDATE
                     SET title = excluded.title, description = excluded.description",
                )
                .bind(event_id)
                .bind(text.lang.as_str())
                .bind(&text.title)
                .bind(&text.description)
                .execute(executor)
                .await
                .map_err(|e| missing(e, || format!("event {event_id}")))?;
                Ok(())
            }
        }
    };
}

pub(super) use event_store;
