//! Donations: the campaign the donate widget shows, the hand-off to the
//! payment provider, and the live totals.
//!
//! Amounts are integers in the currency's minor unit (cents for EUR, yen for
//! JPY), as payment providers count them: no float ever holds money.

use serde::{Deserialize, Serialize};

/// The name of the Server-Sent Event that carries [`DonationTotals`].
pub const TOTALS_EVENT: &str = "donations";

/// How often a gift repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Once,
    Monthly,
    Yearly,
}

impl Frequency {
    pub const ALL: [Self; 3] = [Self::Monthly, Self::Once, Self::Yearly];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Once => "once",
            Self::Monthly => "monthly",
            Self::Yearly => "yearly",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }
}

/// A suggested amount, with its label in the supporter's language if the
/// organiser wrote one ("a coffee a day").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ask {
    pub frequency: Frequency,
    pub amount: u64,
    #[serde(default)]
    pub label: Option<String>,
}

/// A donation campaign as a supporter sees it, in one language.
///
/// Sent by `GET /api/v1/campaigns/{slug}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationCampaign {
    pub slug: String,
    /// The language of `title` and `impact`.
    pub lang: String,
    pub title: String,
    /// One line on what a gift does.
    #[serde(default)]
    pub impact: String,
    /// ISO 4217, upper case.
    pub currency: String,
    /// Digits after the decimal point in `currency` (2 for EUR, 0 for JPY).
    pub minor_units: u8,
    /// The frequencies offered, the default first.
    pub frequencies: Vec<Frequency>,
    pub asks: Vec<Ask>,
    /// The least and the most one gift may be.
    pub min_amount: u64,
    pub max_amount: u64,
    /// Open until then (RFC 3339); `None`: no deadline.
    #[serde(default)]
    pub deadline: Option<String>,
    /// Whether the campaign still takes gifts (the deadline has not passed).
    #[serde(default = "yes")]
    pub open: bool,
    #[serde(flatten)]
    pub totals: DonationTotals,
}

fn yes() -> bool {
    true
}

/// What a campaign has raised so far: the goal bar and "thank you to the N
/// people who gave". Also the data of every `donations` live event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationTotals {
    pub campaign: String,
    /// In minor units of `currency`.
    pub raised: u64,
    #[serde(default)]
    pub goal: Option<u64>,
    /// People who gave: a monthly donor counts once however many months.
    pub donors: u64,
}

/// What the donate widget posts to `POST /api/v1/campaigns/{slug}/checkout`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckoutRequest {
    /// Made by the widget per gift and reused on retry, so a double click
    /// opens one payment session.
    pub idempotency_key: String,
    /// `None`: the campaign's default frequency.
    pub frequency: Option<Frequency>,
    /// In minor units of `currency`. Signed, so that a negative amount is
    /// answered as an amount problem rather than as malformed JSON.
    pub amount: i64,
    pub currency: String,
    /// The language of the widget, passed on to the provider's page.
    pub lang: String,
    /// The partner page to come back to (its origin must be the sender's).
    pub return_url: String,
}

/// Where to send the supporter next: the provider's payment page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    pub redirect: String,
}

/// The query value the provider's success URL carries back to the partner page.
pub const RETURN_PARAM: &str = "chorus";
pub const RETURN_THANKS: &str = "thanks";
pub const RETURN_CANCELLED: &str = "cancelled";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequencies_read_and_write_as_lowercase_words() {
        for frequency in Frequency::ALL {
            assert_eq!(Frequency::parse(frequency.as_str()), Some(frequency));
            let json = serde_json::to_string(&frequency).expect("serialisable");
            assert_eq!(json, format!("\"{}\"", frequency.as_str()));
        }
        assert_eq!(Frequency::parse("weekly"), None);
    }

    #[test]
    fn a_campaign_carries_its_totals_inline() {
        let json = r#"{"slug":"m","lang":"en","title":"t","currency":"EUR","minor_units":2,
            "frequencies":["monthly"],"asks":[{"frequency":"monthly","amount":500}],
            "min_amount":100,"max_amount":100000,
            "campaign":"m","raised":1500,"goal":100000,"donors":3,"later":"ignored"}"#;
        let campaign: DonationCampaign = serde_json::from_str(json).expect("valid");
        assert_eq!(campaign.totals.donors, 3);
        assert!(campaign.open);
        assert_eq!(campaign.asks[0].label, None);
    }
}
