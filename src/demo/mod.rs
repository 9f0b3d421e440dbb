//! `chorus demo`: a seeded coalition and a partner's website on a second
//! origin that embeds the widgets exactly as a real partner would.

mod coalition;
mod content;
mod events;
mod flyers;
mod partner_site;
mod storm;

use std::sync::Arc;
use std::time::Duration;

use chorus_wire::donate::Frequency;

use crate::donations::campaign::{SettingsDraft, TextDraft, check_settings, check_text};
use crate::ident::{Lang, Origin, Slug};
use crate::live::Counts;
use crate::storage::{
    CampaignLinks, NewDonation, NewDonationCampaign, NewFeed, NewPetition, NewSignature,
    PetitionText, Provider, ProviderEvent, Store, StoreError, now_millis,
};

pub use partner_site::router as partner_site;

/// Creates the demo petitions, their past signatures and the demo partner.
/// Running it again changes nothing.
pub async fn seed(
    store: &dyn Store,
    keys: &crate::personal::ServerKeys,
    base: &str,
    partner_origin: &Origin,
) -> anyhow::Result<()> {
    let partner_id = match store
        .add_partner(content::PARTNER_NAME, partner_origin)
        .await
    {
        Ok(partner) => Some(partner.id),
        Err(StoreError::AlreadyExists(_)) => store
            .partners()
            .await?
            .into_iter()
            .find(|p| &p.origin == partner_origin)
            .map(|p| p.id),
        Err(error) => return Err(error.into()),
    };
    let organisation_id = demo_organisation(store).await?;
    for demo in content::PETITIONS {
        let slug = Slug::parse(demo.slug).map_err(anyhow::Error::msg)?;
        if let Some(existing) = store.petition_by_slug(&slug).await? {
            // The partner site may run on another port this time.
            if let Some(partner_id) = partner_id {
                store
                    .put_petition_partner(existing.id, partner_id, true)
                    .await?;
            }
            continue;
        }
        let mut texts = demo
            .texts
            .iter()
            .map(|(lang, title, summary, body, share)| {
                Ok::<_, anyhow::Error>(PetitionText {
                    lang: Lang::parse(lang).map_err(anyhow::Error::msg)?,
                    title: (*title).into(),
                    summary: (*summary).into(),
                    body: (*body).into(),
                    share_message: (*share).into(),
                    hashtags: demo.hashtags.iter().map(|t| (*t).to_owned()).collect(),
                })
            });
        let first = texts
            .next()
            .ok_or_else(|| anyhow::anyhow!("demo petition without text"))??;
        let petition = store
            .create_petition(&NewPetition {
                slug,
                organisation_id,
                goal: demo.goal,
                links: CampaignLinks {
                    privacy_url: Some(format!("{partner_origin}/privacy")),
                    share_url: None,
                },
                text: first,
            })
            .await?;
        for text in texts {
            store.put_petition_text(petition.id, &text?).await?;
        }
        if let Some(partner_id) = partner_id {
            store
                .put_petition_partner(petition.id, partner_id, true)
                .await?;
        }
        store
            .record_signatures(&past_signatures(petition.id, partner_id, demo.signatures))
            .await?;
    }
    seed_donations(store, partner_origin, partner_id).await?;
    seed_updates(store, organisation_id).await?;
    coalition::seed(store, keys, base).await?;
    storm::seed(store, organisation_id, partner_origin).await?;
    events::seed(store, content::ORGANISATION_NAME).await
}

/// The demo's action day, whose events the demo lists.
pub const DAY_SLUG: &str = events::DAY_SLUG;

/// The organisation running the demo petitions. Its secret key is thrown
/// away: the demo's signers' details are sealed for no one.
async fn demo_organisation(store: &dyn Store) -> anyhow::Result<i64> {
    if let Some(existing) = store
        .organisation_by_name(content::ORGANISATION_NAME)
        .await?
    {
        return Ok(existing.id);
    }
    let (public_key, _) = crate::personal::sealed::keygen();
    Ok(store
        .add_organisation(content::ORGANISATION_NAME, &public_key)
        .await?
        .id)
}

/// The demo updates feed: a dozen items in three languages, and the
/// toolkit's item with its files.
async fn seed_updates(store: &dyn Store, organisation_id: i64) -> anyhow::Result<()> {
    let slug = Slug::parse(content::FEED_SLUG).map_err(anyhow::Error::msg)?;
    if store.feed_by_slug(&slug).await?.is_some() {
        return Ok(());
    }
    let feed = store
        .create_feed(&NewFeed {
            slug,
            organisation_id,
            title: content::FEED_TITLE.into(),
            default_lang: Lang::parse("en").map_err(anyhow::Error::msg)?,
            source_url: None,
        })
        .await?;
    for (lang, hours_ago, tags, title, body) in content::UPDATES {
        let published = now_millis() - hours_ago * 3_600_000;
        let item = crate::updates::item::check(&crate::updates::item::ItemDraft {
            title: (*title).into(),
            body_markdown: (*body).into(),
            tags: (*tags).into(),
            lang: (*lang).into(),
            publish_at: crate::storage::rfc3339(published),
            ..Default::default()
        })
        .map_err(anyhow::Error::msg)?;
        store.post_item(feed.id, &item).await?;
    }
    flyers::seed(store, feed.id).await
}

/// The demo donation campaign: paid on the partner site's stand-in payment
/// page, so the whole flow works offline and with no provider account.
async fn seed_donations(
    store: &dyn Store,
    partner_origin: &Origin,
    partner_id: Option<i64>,
) -> anyhow::Result<()> {
    let slug = Slug::parse(content::DONATION_SLUG).map_err(anyhow::Error::msg)?;
    let campaign = match store.donation_campaign_by_slug(&slug).await? {
        Some(existing) => existing,
        None => {
            let settings = check_settings(&SettingsDraft {
                currency: content::DONATION_CURRENCY.into(),
                goal: Some(content::DONATION_GOAL.into()),
                min: "2".into(),
                max: "5000".into(),
                deadline: None,
                frequencies: owned(content::DONATION_FREQUENCIES),
                asks: owned(content::DONATION_ASKS),
                provider: Provider::Link {
                    template: format!(
                        "{partner_origin}/pay?campaign={{campaign}}&amount={{amount_minor}}\
                         &currency={{currency}}&frequency={{frequency}}\
                         &return_url={{return_url}}&cancel_url={{cancel_url}}"
                    ),
                },
            })
            .map_err(anyhow::Error::msg)?;
            let mut texts = content::DONATION_TEXTS
                .iter()
                .map(|(lang, title, impact, labels)| {
                    check_text(
                        &TextDraft {
                            lang: (*lang).into(),
                            title: (*title).into(),
                            impact: (*impact).into(),
                            labels: owned(labels),
                        },
                        &settings,
                    )
                    .map_err(anyhow::Error::msg)
                })
                .collect::<anyhow::Result<Vec<_>>>()?
                .into_iter();
            let first = texts
                .next()
                .ok_or_else(|| anyhow::anyhow!("demo campaign without text"))?;
            let campaign = store
                .create_donation_campaign(&NewDonationCampaign {
                    slug,
                    settings,
                    text: first,
                })
                .await?;
            for text in texts {
                store.put_donation_text(campaign.id, &text).await?;
            }
            campaign
        }
    };
    if let Some(partner_id) = partner_id {
        store.put_donation_partner(campaign.id, partner_id).await?;
    }
    for (i, (frequency, euros)) in content::PAST_GIFTS.iter().enumerate() {
        let reference = format!("demo-seed-{i}");
        // Recorded once, by reference, however often the demo starts.
        store
            .record_provider_event(&ProviderEvent {
                provider: "demo",
                event_id: reference.clone(),
                donation: Some(NewDonation {
                    campaign_id: campaign.id,
                    partner_id: (i % 2 == 0).then_some(partner_id).flatten(),
                    payment_ref: reference.clone(),
                    donor_ref: reference,
                    amount: euros * 100,
                    currency: content::DONATION_CURRENCY.into(),
                    frequency: Frequency::parse(frequency).unwrap_or(Frequency::Once),
                    donated_at: now_millis() - 3_600_000 * (i as i64 + 1),
                }),
            })
            .await?;
    }
    Ok(())
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

/// `count` signatures spread over the last three days, denser lately, as a
/// campaign that is picking up looks.
fn past_signatures(petition_id: i64, partner_id: Option<i64>, count: u32) -> Vec<NewSignature> {
    const SPAN_MS: f64 = 3.0 * 24.0 * 3600.0 * 1000.0;
    let now = now_millis();
    (0..count)
        .map(|i| {
            let age = (1.0 - f64::from(i) / f64::from(count)).powi(2) * SPAN_MS;
            NewSignature {
                petition_id,
                partner_id: (i % 3 == 0).then_some(partner_id).flatten(),
                signed_at: now - age as i64 - 90_000,
                signer: None,
                confirmation: None,
                hold: None,
                proof: None,
            }
        })
        .collect()
}

/// Adds a signature to the first demo petition every few seconds, so a
/// visitor sees the count move on both origins. Demo only.
pub fn simulate_signers(store: Arc<dyn Store>, counts: Counts) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Ok(slug) = Slug::parse(content::PETITIONS[0].slug) else {
            return;
        };
        let mut pause_ms = 2_000_u64;
        loop {
            // A cheap, repeatable jitter between 2 and 7 seconds.
            pause_ms = 2_000 + (pause_ms * 7_919 + 104_729) % 5_000;
            tokio::time::sleep(Duration::from_millis(pause_ms)).await;
            let Ok(Some(petition)) = store.petition_by_slug(&slug).await else {
                continue;
            };
            let signature = NewSignature {
                petition_id: petition.id,
                partner_id: None,
                signed_at: now_millis(),
                signer: None,
                confirmation: None,
                hold: None,
                proof: None,
            };
            if store.record_signatures(&[signature]).await.is_ok() {
                counts.wake();
            }
        }
    })
}
