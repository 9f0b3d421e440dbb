//! What storage knows about donation campaigns and donations, and the part
//! of the storage interface that reads and writes them.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chorus_wire::donate::Frequency;
use futures_util::stream::BoxStream;
use serde::{Deserialize, Serialize};

use super::{Millis, Partner, StoreResult};
use crate::ident::{Lang, Slug};

/// Where a campaign sends donors to pay. Stored as JSON, so a new provider
/// needs no migration. Secrets are never here: they come from configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Provider {
    /// Stripe Checkout, with the organisation's key from configuration.
    Stripe,
    /// A PayPal donate button the organisation made on PayPal's site.
    Paypal { hosted_button_id: String },
    /// Any other provider's page; `{amount}`, `{currency}`, `{frequency}`
    /// and the other placeholders of `donations::handoff` are filled in.
    Link { template: String },
}

impl Provider {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Stripe => "stripe",
            Self::Paypal { .. } => "paypal",
            Self::Link { .. } => "link",
        }
    }
}

/// A suggested amount for one frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ask {
    pub frequency: Frequency,
    pub amount: u64,
}

impl Ask {
    /// How texts refer to this ask when they label it: `monthly:500`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.frequency.as_str(), self.amount)
    }
}

/// The campaign's words in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonationText {
    pub lang: Lang,
    pub title: String,
    /// One line on what a gift does.
    pub impact: String,
    /// Labels of asks, by [`Ask::key`]: "a coffee a day".
    pub labels: BTreeMap<String, String>,
}

impl crate::ident::Written for DonationText {
    fn lang(&self) -> &Lang {
        &self.lang
    }
}

/// The settings of a campaign, checked by `donations::campaign`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignSettings {
    /// ISO 4217, upper case.
    pub currency: String,
    pub goal: Option<u64>,
    pub min_amount: u64,
    pub max_amount: u64,
    pub deadline: Option<Millis>,
    /// The frequencies offered, the default first.
    pub frequencies: Vec<Frequency>,
    pub asks: Vec<Ask>,
    pub provider: Provider,
}

#[derive(Debug, Clone)]
pub struct NewDonationCampaign {
    pub slug: Slug,
    pub settings: CampaignSettings,
    /// In the campaign's default language.
    pub text: DonationText,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonationCampaignRecord {
    pub id: i64,
    pub slug: Slug,
    pub default_lang: Lang,
    pub settings: CampaignSettings,
    pub created_at: Millis,
}

/// A payment a provider confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDonation {
    pub campaign_id: i64,
    pub partner_id: Option<i64>,
    /// Counts a payment once: the one-off session, the invoice.
    pub payment_ref: String,
    /// Counts a donor once: the one-off session, the subscription.
    pub donor_ref: String,
    pub amount: u64,
    pub currency: String,
    pub frequency: Frequency,
    pub donated_at: Millis,
}

/// A provider's notification: its id, and the payment it confirms if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderEvent {
    pub provider: &'static str,
    pub event_id: String,
    pub donation: Option<NewDonation>,
}

/// What recording a provider event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventOutcome {
    /// A new payment was stored.
    Recorded,
    /// The event was seen before, or its payment was recorded through
    /// another event: nothing changed.
    AlreadyKnown,
    /// A new event that confirms no payment.
    NothingToRecord,
}

/// A stored donation as an export lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonationRow {
    pub id: i64,
    pub donated_at: Millis,
    pub partner: Option<String>,
    pub provider: String,
    pub amount: u64,
    pub currency: String,
    pub frequency: Frequency,
}

/// One campaign's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CampaignTotals {
    pub raised: u64,
    pub donors: u64,
}

/// Changes whenever a donation is stored, on any instance: the totals are
/// recomputed only when it does. The count notices a donation whose lower
/// id became visible late; the highest id, one stored after a deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DonationsVersion {
    pub count: i64,
    pub max_id: i64,
}

#[async_trait]
pub trait DonationStore {
    async fn create_donation_campaign(
        &self,
        campaign: &NewDonationCampaign,
    ) -> StoreResult<DonationCampaignRecord>;
    /// Adds or replaces the campaign's words in one language.
    async fn put_donation_text(&self, campaign_id: i64, text: &DonationText) -> StoreResult<()>;
    async fn donation_campaign_by_slug(
        &self,
        slug: &Slug,
    ) -> StoreResult<Option<DonationCampaignRecord>>;
    async fn donation_campaigns(&self) -> StoreResult<Vec<DonationCampaignRecord>>;
    async fn donation_texts(&self, campaign_id: i64) -> StoreResult<Vec<DonationText>>;
    /// Makes a partner one of the campaign's partners (again).
    async fn put_donation_partner(&self, campaign_id: i64, partner_id: i64) -> StoreResult<()>;
    async fn donation_partners(&self, campaign_id: i64) -> StoreResult<Vec<Partner>>;

    /// Records a provider event once, with its payment if it confirms one,
    /// in one transaction.
    async fn record_provider_event(&self, event: &ProviderEvent) -> StoreResult<EventOutcome>;
    async fn donations_version(&self) -> StoreResult<DonationsVersion>;
    /// Every campaign's totals, by campaign id.
    async fn donation_totals(&self) -> StoreResult<BTreeMap<i64, CampaignTotals>>;
    /// A campaign's donations, oldest first, read as they are consumed.
    fn donation_rows(&self, campaign_id: i64) -> BoxStream<'_, StoreResult<DonationRow>>;
}
