//! One implementation of [`WallStore`] for both backends, in SQL both
//! accept. A petition's hidden countries are kept as one comma-separated
//! column and matched with `LIKE`, which both read alike.
//!
//! [`WallStore`]: super::WallStore

/// Implements `WallStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! wall_store {
    ($store:ident, $db:ty) => {
        mod wall {
            use async_trait::async_trait;
            use sqlx::Row;

            use super::$store;
            use crate::storage::{
                CountryRow, ListedCount, ListedOrganisationRow, ListedRow, Logo, Millis, PeopleCursor,
                StoreError, StoreResult, TokenHash, WallSettings, WallStore,
            };

            /// True where `country` (a column) is not one of the petition's
            /// (`p`) hidden countries.
            const SHOWN: &str =
                "(',' || p.wall_hidden_countries || ',') NOT LIKE ('%,' || {country} || ',%')";

            fn shown(country: &str) -> String {
                SHOWN.replace("{country}", country)
            }

            fn count(row: &<$db as sqlx::Database>::Row, column: &str) -> StoreResult<u64> {
                let n: i64 = row.try_get(column)?;
                Ok(u64::try_from(n).unwrap_or(0))
            }

            #[async_trait]
            impl WallStore for $store {
                async fn set_wall_settings(
                    &self,
                    petition_id: i64,
                    settings: &WallSettings,
                ) -> StoreResult<()> {
                    let names = if settings.first_name_only {
                        "first"
                    } else {
                        "first_initial"
                    };
                    let done = sqlx::query(
                        "UPDATE petitions SET wall_names = $2, wall_hidden_countries = $3,
                             wall_city = $4
                         WHERE id = $1",
                    )
                    .bind(petition_id)
                    .bind(names)
                    .bind(settings.hidden_countries.join(","))
                    .bind(settings.show_city)
                    .execute(&self.pool)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Missing(format!("petition {petition_id}")));
                    }
                    Ok(())
                }

                async fn wall_settings(&self, petition_id: i64) -> StoreResult<WallSettings> {
                    let row = sqlx::query(
                        "SELECT wall_names, wall_hidden_countries, wall_city FROM petitions
                         WHERE id = $1",
                    )
                    .bind(petition_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or_else(|| StoreError::Missing(format!("petition {petition_id}")))?;
                    let names: String = row.try_get("wall_names")?;
                    let hidden: String = row.try_get("wall_hidden_countries")?;
                    Ok(WallSettings {
                        first_name_only: names == "first",
                        hidden_countries: hidden
                            .split(',')
                            .filter(|c| !c.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        show_city: row.try_get("wall_city")?,
                    })
                }

                async fn listed_people(
                    &self,
                    petition_id: i64,
                    now: Millis,
                    after: Option<PeopleCursor>,
                    limit: u32,
                ) -> StoreResult<Vec<ListedRow>> {
                    let sql = format!(
                        "SELECT w.first_name, w.initial, w.country, w.city, w.listed_from, w.shuffle
                         FROM wall_names w
                         JOIN signers s ON s.id = w.signer_id
                         JOIN petitions p ON p.id = w.petition_id
                         WHERE w.petition_id = $1 AND w.listed_from <= $2
                             AND s.status = 'counted' AND {}
                             AND ($3 IS NULL OR w.listed_from < $3
                                 OR (w.listed_from = $3 AND w.shuffle > $4))
                         ORDER BY w.listed_from DESC, w.shuffle
                         LIMIT $5",
                        shown("w.country")
                    );
                    let rows = sqlx::query(&sql)
                        .bind(petition_id)
                        .bind(now)
                        .bind(after.map(|c| c.listed_from))
                        .bind(after.map_or(0, |c| c.shuffle))
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(ListedRow {
                                first_name: row.try_get("first_name")?,
                                initial: row.try_get("initial")?,
                                country: row.try_get("country")?,
                                city: row.try_get("city")?,
                                cursor: PeopleCursor {
                                    listed_from: row.try_get("listed_from")?,
                                    shuffle: row.try_get("shuffle")?,
                                },
                            })
                        })
                        .collect()
                }

                async fn listed_organisations(
                    &self,
                    petition_id: i64,
                    search: Option<&str>,
                    after: Option<i64>,
                    limit: u32,
                ) -> StoreResult<Vec<ListedOrganisationRow>> {
                    let sql = format!(
                        "SELECT e.id, e.organisation, e.website, e.country, e.kind, e.statement,
                             (e.logo_url IS NOT NULL OR e.logo IS NOT NULL) AS has_logo
                         FROM endorsements e JOIN petitions p ON p.id = e.petition_id
                         WHERE e.petition_id = $1 AND e.status = 'approved' AND NOT e.unnamed
                             AND {}
                             AND ($2 IS NULL OR LOWER(e.organisation) LIKE $2)
                             AND e.id > $3
                         ORDER BY e.id LIMIT $4",
                        shown("e.country")
                    );
                    // The search's own `%` and `_` are matched as written.
                    let pattern = search.map(|s| {
                        let escaped: String = s
                            .to_lowercase()
                            .chars()
                            .filter(|c| !matches!(c, '%' | '_' | '\\'))
                            .collect();
                        format!("%{escaped}%")
                    });
                    let rows = sqlx::query(&sql)
                        .bind(petition_id)
                        .bind(pattern)
                        .bind(after.unwrap_or(0))
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(ListedOrganisationRow {
                                id: row.try_get("id")?,
                                name: row.try_get("organisation")?,
                                website: row.try_get("website")?,
                                country: row.try_get("country")?,
                                kind: row.try_get("kind")?,
                                statement: row.try_get("statement")?,
                                has_logo: row.try_get("has_logo")?,
                            })
                        })
                        .collect()
                }

                async fn unnamed_organisations(&self, petition_id: i64) -> StoreResult<u64> {
                    let sql = format!(
                        "SELECT COUNT(*) AS n FROM endorsements e
                         JOIN petitions p ON p.id = e.petition_id
                         WHERE e.petition_id = $1 AND e.status = 'approved'
                             AND (e.unnamed OR NOT {})",
                        shown("e.country")
                    );
                    let row = sqlx::query(&sql)
                        .bind(petition_id)
                        .fetch_one(&self.pool)
                        .await?;
                    count(&row, "n")
                }

                async fn signatories_by_country(
                    &self,
                    petition_id: i64,
                ) -> StoreResult<Vec<CountryRow>> {
                    let rows = sqlx::query(
                        "SELECT country, CAST(SUM(organisations) AS BIGINT) AS organisations,
                             CAST(SUM(people) AS BIGINT) AS people
                         FROM (
                             SELECT country, 0 AS organisations, COUNT(*) AS people FROM signers
                             WHERE petition_id = $1 AND status = 'counted' GROUP BY country
                             UNION ALL
                             SELECT country, COUNT(*) AS organisations, 0 AS people FROM endorsements
                             WHERE petition_id = $1 AND status = 'approved' GROUP BY country
                         ) AS both_kinds
                         GROUP BY country ORDER BY country",
                    )
                    .bind(petition_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(CountryRow {
                                country: row.try_get("country")?,
                                organisations: count(row, "organisations")?,
                                people: count(row, "people")?,
                            })
                        })
                        .collect()
                }

                async fn listed_logo(
                    &self,
                    petition_id: i64,
                    endorsement_id: i64,
                ) -> StoreResult<Option<Logo>> {
                    let sql = format!(
                        "SELECT e.logo_url, e.logo FROM endorsements e
                         JOIN petitions p ON p.id = e.petition_id
                         WHERE e.petition_id = $1 AND e.id = $2 AND e.status = 'approved'
                             AND NOT e.unnamed AND {}",
                        shown("e.country")
                    );
                    let row = sqlx::query(&sql)
                        .bind(petition_id)
                        .bind(endorsement_id)
                        .fetch_optional(&self.pool)
                        .await?;
                    let Some(row) = row else { return Ok(None) };
                    let uploaded: Option<Vec<u8>> = row.try_get("logo")?;
                    let address: Option<String> = row.try_get("logo_url")?;
                    Ok(uploaded.map(Logo::Uploaded).or(address.map(Logo::Address)))
                }

                async fn listed_counts(&self, now: Millis) -> StoreResult<Vec<ListedCount>> {
                    let sql = format!(
                        "SELECT w.petition_id, COUNT(*) AS listed FROM wall_names w
                         JOIN signers s ON s.id = w.signer_id
                         JOIN petitions p ON p.id = w.petition_id
                         WHERE w.listed_from <= $1 AND s.status = 'counted' AND {}
                         GROUP BY w.petition_id",
                        shown("w.country")
                    );
                    let rows = sqlx::query(&sql).bind(now).fetch_all(&self.pool).await?;
                    rows.iter()
                        .map(|row| {
                            Ok(ListedCount {
                                petition_id: row.try_get("petition_id")?,
                                listed: count(row, "listed")?,
                            })
                        })
                        .collect()
                }

                async fn unlist_signer(&self, token: &TokenHash) -> StoreResult<Option<bool>> {
                    let signer: Option<i64> = sqlx::query_scalar(
                        "SELECT signer_id FROM signer_tokens WHERE token_hash = $1",
                    )
                    .bind(&token.0[..])
                    .fetch_optional(&self.pool)
                    .await?;
                    let Some(signer) = signer else { return Ok(None) };
                    let done = sqlx::query("DELETE FROM wall_names WHERE signer_id = $1")
                        .bind(signer)
                        .execute(&self.pool)
                        .await?;
                    Ok(Some(done.rows_affected() > 0))
                }
            }
        }
    };
}

pub(super) use wall_store;
