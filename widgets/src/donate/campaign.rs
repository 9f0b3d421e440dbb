//! Reading a donation campaign, and amounts as supporters type and read them.

use chorus_wire::donate::{Ask, DonationTotals, Frequency};
use wasm_bindgen::JsValue;

use crate::client::{decode_totals, encode, field, field_list, field_text, request, whole};

/// What the donate widget shows and checks, in the supporter's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    pub slug: String,
    pub title: String,
    pub impact: String,
    pub currency: String,
    pub minor_units: u8,
    /// The default first.
    pub frequencies: Vec<Frequency>,
    pub asks: Vec<Ask>,
    pub min_amount: u64,
    pub max_amount: u64,
    pub open: bool,
    pub totals: DonationTotals,
}

impl Campaign {
    pub fn asks_for(&self, frequency: Frequency) -> impl Iterator<Item = &Ask> {
        self.asks.iter().filter(move |a| a.frequency == frequency)
    }
}

/// `Ok(None)`: Chorus has no such campaign.
pub async fn fetch(slug: &str, lang: &str) -> Result<Option<Campaign>, JsValue> {
    let answer = request(&format!("/campaigns/{slug}?lang={}", encode(lang)), None).await?;
    match answer.status {
        404 => Ok(None),
        200 => decode_campaign(&answer.json)
            .map(Some)
            .ok_or_else(|| JsValue::from_str("not a campaign")),
        status => Err(JsValue::from_str(&format!("HTTP {status}"))),
    }
}

/// Field by field, like counts: no serde in the bundle. Also reads the
/// campaign the server's rendering came with.
pub fn decode_campaign(value: &JsValue) -> Option<Campaign> {
    let list = |name: &str| field_list(value, name);
    let frequency = |v: &JsValue| v.as_string().as_deref().and_then(Frequency::parse);
    let asks = list("asks")
        .iter()
        .filter_map(|ask| {
            Some(Ask {
                frequency: frequency(&field(ask, "frequency")?)?,
                amount: whole(field(ask, "amount")?)?,
                label: field_text(ask, "label"),
            })
        })
        .collect();
    Some(Campaign {
        slug: field_text(value, "slug")?,
        title: field_text(value, "title").unwrap_or_default(),
        impact: field_text(value, "impact").unwrap_or_default(),
        currency: field_text(value, "currency")?,
        minor_units: whole(field(value, "minor_units")?)?.min(4) as u8,
        frequencies: list("frequencies").iter().filter_map(frequency).collect(),
        asks,
        min_amount: whole(field(value, "min_amount")?)?,
        max_amount: whole(field(value, "max_amount")?)?,
        open: field(value, "open")
            .and_then(|v| v.as_bool())
            .unwrap_or(true),
        totals: decode_totals(value)?,
    })
}

#[cfg(not(target_arch = "wasm32"))]
impl From<chorus_wire::donate::DonationCampaign> for Campaign {
    fn from(campaign: chorus_wire::donate::DonationCampaign) -> Self {
        Self {
            slug: campaign.slug,
            title: campaign.title,
            impact: campaign.impact,
            currency: campaign.currency,
            minor_units: campaign.minor_units.min(4),
            frequencies: campaign.frequencies,
            asks: campaign.asks,
            min_amount: campaign.min_amount,
            max_amount: campaign.max_amount,
            open: campaign.open,
            totals: campaign.totals,
        }
    }
}

/// Reads what a supporter typed ("10", "7.50", "7,5") as minor units.
/// `None` for anything else, including more decimals than the currency has.
pub fn parse_amount(typed: &str, minor_units: u8) -> Option<u64> {
    chorus_wire::money::parse_amount(typed, minor_units, &['.', ',']).ok()
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn typed_amounts_become_minor_units() {
        assert_eq!(parse_amount("10", 2), Some(1000));
        assert_eq!(parse_amount(" 7,5 ", 2), Some(750));
        assert_eq!(parse_amount("7.50", 2), Some(750));
        assert_eq!(parse_amount("500", 0), Some(500));
        assert_eq!(parse_amount("7.505", 2), None);
        assert_eq!(parse_amount("5.5", 0), None);
        assert_eq!(parse_amount("-5", 2), None);
        assert_eq!(parse_amount("", 2), None);
        assert_eq!(parse_amount("1e3", 2), None);
        assert_eq!(parse_amount("99999999999999999999", 2), None);
    }
}
