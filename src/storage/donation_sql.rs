//! One implementation of [`DonationStore`] for both backends. Its SQL is
//! written once, in what SQLite and PostgreSQL both accept: `$n` parameters,
//! `CAST`, `ON CONFLICT`. Each backend supplies `begin_write` (SQLite takes
//! the write lock up front) and invokes `donation_store!` on its type.
//!
//! [`DonationStore`]: super::DonationStore

/// Implements `DonationStore` for `$store` (in the invoking module), whose
/// `pool` is a pool of `$db`.
macro_rules! donation_store {
    ($store:ident, $db:ty) => {
        mod donations {
            use std::collections::BTreeMap;

            use async_trait::async_trait;
            use futures_util::StreamExt;
            use futures_util::stream::BoxStream;

            use super::$store;
            use crate::ident::Slug;
            use crate::storage::read::{
                self, DONATION_CAMPAIGN_COLUMNS, StoredSettings, conflict, missing, stored_amount,
            };
            use crate::storage::{
                CampaignTotals, DonationCampaignRecord, DonationRow, DonationStore, DonationText,
                DonationsVersion, EventOutcome, NewDonationCampaign, Partner, ProviderEvent, StoreError,
                StoreResult, now_millis,
            };

            #[async_trait]
            impl DonationStore for $store {
                async fn create_donation_campaign(
                    &self,
                    campaign: &NewDonationCampaign,
                ) -> StoreResult<DonationCampaignRecord> {
                    let settings = &campaign.settings;
                    let stored = StoredSettings::of(settings)?;
                    let created_at = now_millis();
                    let mut tx = self.pool.begin().await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO donation_campaigns (slug, default_lang, currency, goal, min_amount,
                             max_amount, deadline, frequencies, asks, provider, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                    )
                    .bind(campaign.slug.as_str())
                    .bind(campaign.text.lang.as_str())
                    .bind(&settings.currency)
                    .bind(settings.goal.map(stored_amount))
                    .bind(stored_amount(settings.min_amount))
                    .bind(stored_amount(settings.max_amount))
                    .bind(settings.deadline)
                    .bind(&stored.frequencies)
                    .bind(&stored.asks)
                    .bind(&stored.provider)
                    .bind(created_at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| conflict(e, || format!("donation campaign {}", campaign.slug)))?;
                    put_donation_text_row(&mut *tx, id, &campaign.text).await?;
                    tx.commit().await?;
                    Ok(DonationCampaignRecord {
                        id,
                        slug: campaign.slug.clone(),
                        default_lang: campaign.text.lang.clone(),
                        settings: settings.clone(),
                        created_at,
                    })
                }

                async fn put_donation_text(&self, campaign_id: i64, text: &DonationText) -> StoreResult<()> {
                    put_donation_text_row(&self.pool, campaign_id, text).await
                }

                async fn donation_campaign_by_slug(
                    &self,
                    slug: &Slug,
                ) -> StoreResult<Option<DonationCampaignRecord>> {
                    let sql =
                        format!("SELECT {DONATION_CAMPAIGN_COLUMNS} FROM donation_campaigns WHERE slug = $1");
                    let row = sqlx::query(&sql)
                        .bind(slug.as_str())
                        .fetch_optional(&self.pool)
                        .await?;
                    row.as_ref().map(read::donation_campaign).transpose()
                }

                async fn donation_campaigns(&self) -> StoreResult<Vec<DonationCampaignRecord>> {
                    let sql =
                        format!("SELECT {DONATION_CAMPAIGN_COLUMNS} FROM donation_campaigns ORDER BY slug");
                    let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
                    rows.iter().map(read::donation_campaign).collect()
                }

                async fn donation_texts(&self, campaign_id: i64) -> StoreResult<Vec<DonationText>> {
                    let rows = sqlx::query(
                        "SELECT lang, title, impact, labels FROM donation_texts
                         WHERE campaign_id = $1 ORDER BY lang",
                    )
                    .bind(campaign_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter().map(read::donation_text).collect()
                }

                async fn put_donation_partner(&self, campaign_id: i64, partner_id: i64) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO donation_partners (campaign_id, partner_id) VALUES ($1, $2)
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(campaign_id)
                    .bind(partner_id)
                    .execute(&self.pool)
                    .await
                    .map_err(|e| {
                        missing(e, || {
                            format!("donation campaign {campaign_id} or partner {partner_id}")
                        })
                    })?;
                    Ok(())
                }

                async fn donation_partners(&self, campaign_id: i64) -> StoreResult<Vec<Partner>> {
                    let rows = sqlx::query(
                        "SELECT p.id, p.name, p.origin
                         FROM donation_partners dp JOIN partners p ON p.id = dp.partner_id
                         WHERE dp.campaign_id = $1 ORDER BY p.name",
                    )
                    .bind(campaign_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter().map(read::partner).collect()
                }

                async fn record_provider_event(&self, event: &ProviderEvent) -> StoreResult<EventOutcome> {
                    let mut tx = self.begin_write().await?;
                    let first_time = sqlx::query(
                        "INSERT INTO provider_events (provider, event_id, received_at) VALUES ($1, $2, $3)
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(event.provider)
                    .bind(&event.event_id)
                    .bind(now_millis())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1;
                    let outcome = match (&event.donation, first_time) {
                        (_, false) => EventOutcome::AlreadyKnown,
                        (None, true) => EventOutcome::NothingToRecord,
                        (Some(donation), true) => {
                            let stored = sqlx::query(
                                "INSERT INTO donations (campaign_id, partner_id, provider, payment_ref,
                                     donor_ref, amount, currency, frequency, donated_at)
                                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                                 ON CONFLICT (provider, payment_ref) DO NOTHING",
                            )
                            .bind(donation.campaign_id)
                            .bind(donation.partner_id)
                            .bind(event.provider)
                            .bind(&donation.payment_ref)
                            .bind(&donation.donor_ref)
                            .bind(stored_amount(donation.amount))
                            .bind(&donation.currency)
                            .bind(donation.frequency.as_str())
                            .bind(donation.donated_at)
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| missing(e, || format!("donation campaign {}", donation.campaign_id)))?
                            .rows_affected();
                            if stored == 1 {
                                EventOutcome::Recorded
                            } else {
                                EventOutcome::AlreadyKnown
                            }
                        }
                    };
                    tx.commit().await?;
                    Ok(outcome)
                }

                async fn donations_version(&self) -> StoreResult<DonationsVersion> {
                    let (count, max_id): (i64, i64) =
                        sqlx::query_as("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM donations")
                            .fetch_one(&self.pool)
                            .await?;
                    Ok(DonationsVersion { count, max_id })
                }

                async fn donation_totals(&self) -> StoreResult<BTreeMap<i64, CampaignTotals>> {
                    let rows = sqlx::query(
                        "SELECT campaign_id, CAST(SUM(amount) AS BIGINT) AS raised, COUNT(DISTINCT donor_ref) AS donors
                         FROM donations GROUP BY campaign_id",
                    )
                    .fetch_all(&self.pool)
                    .await?;
                    read::campaign_totals(&rows)
                }

                fn donation_rows(&self, campaign_id: i64) -> BoxStream<'_, StoreResult<DonationRow>> {
                    sqlx::query(
                        "SELECT d.id, d.donated_at, p.name AS partner, d.provider, d.amount, d.currency,
                             d.frequency
                         FROM donations d LEFT JOIN partners p ON p.id = d.partner_id
                         WHERE d.campaign_id = $1 ORDER BY d.id",
                    )
                    .bind(campaign_id)
                    .fetch(&self.pool)
                    .map(|row| read::donation_row(&row?))
                    .boxed()
                }
            }


            async fn put_donation_text_row<'e, E>(executor: E, campaign_id: i64, text: &DonationText) -> StoreResult<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                let labels = serde_json::to_string(&text.labels)
                    .map_err(|e| StoreError::Unsafe(format!("cannot encode labels: {e}")))?;
                sqlx::query(
                    "INSERT INTO donation_texts (campaign_id, lang, title, impact, labels)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (campaign_id, lang) DO UPDATE
                     SET title = excluded.title, impact = excluded.impact, labels = excluded.labels",
                )
                .bind(campaign_id)
                .bind(text.lang.as_str())
                .bind(&text.title)
                .bind(&text.impact)
                .bind(labels)
                .execute(executor)
                .await
                .map_err(|e| missing(e, || format!("donation campaign {campaign_id}")))?;
                Ok(())
            }
        }
    };
}

pub(super) use donation_store;
