//! The organisers' donation commands: `chorus campaign ...` and
//! `chorus donations export`.

use anyhow::Context;

use super::campaign::{SettingsDraft, TextDraft, check_settings, check_text};
use super::money;
use crate::cli::{
    CampaignCommand, CampaignTextArgs, DonationsCommand, ExportFormat, ProviderArgs, ProviderKind,
    open,
};
use crate::ident::Slug;
use crate::storage::{DonationCampaignRecord, NewDonationCampaign, Provider, Store};

pub async fn campaign(command: CampaignCommand) -> anyhow::Result<()> {
    match command {
        CampaignCommand::Create {
            slug,
            currency,
            goal,
            min,
            max,
            deadline,
            frequencies,
            asks,
            provider,
            text,
            storage,
        } => {
            let slug = Slug::parse(&slug).map_err(anyhow::Error::msg)?;
            let settings = check_settings(&SettingsDraft {
                currency,
                goal,
                min,
                max,
                deadline,
                frequencies,
                asks,
                provider: provider_of(provider),
            })
            .map_err(anyhow::Error::msg)?;
            let text = check_text(&text_draft(text), &settings).map_err(anyhow::Error::msg)?;
            let record = open(&storage)
                .await?
                .create_donation_campaign(&NewDonationCampaign {
                    slug,
                    settings,
                    text,
                })
                .await?;
            println!(
                "created donation campaign {} ({}, {}, paid through {})",
                record.slug,
                record.default_lang,
                record.settings.currency,
                record.settings.provider.name()
            );
        }
        CampaignCommand::Translate {
            slug,
            text,
            storage,
        } => {
            let store = open(&storage).await?;
            let record = find_campaign(&*store, &slug).await?;
            let text =
                check_text(&text_draft(text), &record.settings).map_err(anyhow::Error::msg)?;
            store.put_donation_text(record.id, &text).await?;
            println!("campaign {} now has a {} text", record.slug, text.lang);
        }
        CampaignCommand::List(storage) => {
            let store = open(&storage).await?;
            let totals = store.donation_totals().await?;
            println!(
                "{:<32} {:>14} {:>14} {:>8}  provider",
                "slug", "raised", "goal", "donors"
            );
            for record in store.donation_campaigns().await? {
                let settings = &record.settings;
                let sum = totals.get(&record.id).copied().unwrap_or_default();
                let shown = |amount: u64| money::shown(amount, &settings.currency);
                println!(
                    "{:<32} {:>14} {:>14} {:>8}  {}",
                    record.slug,
                    shown(sum.raised),
                    settings.goal.map_or_else(|| "none".into(), shown),
                    sum.donors,
                    settings.provider.name()
                );
            }
        }
    }
    Ok(())
}

pub async fn donations(command: DonationsCommand) -> anyhow::Result<()> {
    let DonationsCommand::Export {
        campaign,
        format,
        output,
        storage,
    } = command;
    debug_assert_eq!(format, ExportFormat::Csv);
    let store = open(&storage).await?;
    let record = find_campaign(&*store, &campaign).await?;
    let written = match output {
        Some(path) => {
            let file = std::fs::File::create(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            super::export::write_csv(&*store, record.id, std::io::BufWriter::new(file)).await?
        }
        None => super::export::write_csv(&*store, record.id, std::io::stdout().lock()).await?,
    };
    eprintln!("exported {written} donations of {}", record.slug);
    Ok(())
}

pub async fn find_campaign(
    store: &dyn Store,
    slug: &str,
) -> anyhow::Result<DonationCampaignRecord> {
    let slug = Slug::parse(slug).map_err(anyhow::Error::msg)?;
    store
        .donation_campaign_by_slug(&slug)
        .await?
        .with_context(|| format!("no donation campaign {slug}; `chorus campaign list` shows them"))
}

fn provider_of(args: ProviderArgs) -> Provider {
    match args.provider {
        ProviderKind::Stripe => Provider::Stripe,
        ProviderKind::Paypal => Provider::Paypal {
            hosted_button_id: args.paypal_button.unwrap_or_default(),
        },
        ProviderKind::Link => Provider::Link {
            template: args.link_template.unwrap_or_default(),
        },
    }
}

fn text_draft(args: CampaignTextArgs) -> TextDraft {
    TextDraft {
        lang: args.lang,
        title: args.title,
        impact: args.impact,
        labels: args.labels,
    }
}
