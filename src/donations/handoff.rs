//! Handing a donor to the campaign's payment provider: the address of the
//! provider's page for one gift. Card data is only ever typed there.

use chorus_wire::donate::{Frequency, RETURN_CANCELLED, RETURN_PARAM, RETURN_THANKS};
use url::Url;

use super::money;
use super::stripe::{SessionRequest, Stripe, StripeError};
use crate::storage::Provider;

/// PayPal's donation page for hosted donate buttons.
const PAYPAL_DONATE: &str = "https://www.paypal.com/donate/";
/// The query parameter naming the campaign a return is for, so only that
/// campaign's widget on the page shows the thank-you.
pub const RETURN_CAMPAIGN_PARAM: &str = "chorus_campaign";
/// Stripe's Checkout pages come in many languages; these are Chorus's.
const STRIPE_LOCALES: [&str; 3] = ["en", "fr", "es"];

/// Placeholders a link template may use, each replaced URL-encoded.
const PLACEHOLDERS: [&str; 8] = [
    "amount",
    "amount_minor",
    "currency",
    "frequency",
    "campaign",
    "lang",
    "return_url",
    "cancel_url",
];

/// One gift, checked against its campaign.
#[derive(Debug, Clone)]
pub struct Gift<'a> {
    pub campaign: &'a str,
    pub title: &'a str,
    pub frequency: Frequency,
    pub amount: u64,
    pub currency: &'a str,
    pub lang: &'a str,
    pub partner_id: Option<i64>,
    pub return_url: &'a Url,
    pub idempotency_key: &'a str,
}

impl Gift<'_> {
    /// The partner's page with only what Chorus adds: its query and
    /// fragment may carry a newsletter's tokens or the supporter's address,
    /// which must not travel to the payment provider.
    fn back(&self, outcome: &str) -> String {
        let mut url = self.return_url.clone();
        url.set_fragment(None);
        url.set_query(None);
        url.query_pairs_mut()
            .append_pair(RETURN_PARAM, outcome)
            .append_pair(RETURN_CAMPAIGN_PARAM, self.campaign);
        url.to_string()
    }

    /// Where the provider sends a donor who paid.
    pub fn success_url(&self) -> String {
        self.back(RETURN_THANKS)
    }

    /// Where the provider sends a donor who changed their mind.
    pub fn cancel_url(&self) -> String {
        self.back(RETURN_CANCELLED)
    }
}

/// The provider's page for `gift`.
pub async fn redirect(
    provider: &Provider,
    gift: &Gift<'_>,
    stripe: &Stripe,
) -> Result<String, StripeError> {
    let exponent = money::currency(gift.currency).map_or(2, |(_, e)| e);
    match provider {
        Provider::Stripe => {
            let locale = if STRIPE_LOCALES.contains(&gift.lang) {
                gift.lang
            } else {
                "auto"
            };
            stripe
                .create_session(&SessionRequest {
                    idempotency_key: gift.idempotency_key,
                    product_name: gift.title,
                    amount: gift.amount,
                    currency: gift.currency,
                    frequency: gift.frequency,
                    locale,
                    success_url: &gift.success_url(),
                    cancel_url: &gift.cancel_url(),
                    campaign: gift.campaign,
                    partner_id: gift.partner_id,
                })
                .await
        }
        Provider::Paypal { hosted_button_id } => {
            let mut url =
                Url::parse(PAYPAL_DONATE).unwrap_or_else(|_| unreachable!("a constant URL"));
            url.query_pairs_mut()
                .append_pair("hosted_button_id", hosted_button_id)
                .append_pair("amount", &money::format_major(gift.amount, exponent))
                .append_pair("currency_code", gift.currency)
                .append_pair("return", &gift.success_url())
                .append_pair("cancel_return", &gift.cancel_url());
            Ok(url.to_string())
        }
        Provider::Link { template } => Ok(fill(template, |name| match name {
            "amount" => money::format_major(gift.amount, exponent),
            "amount_minor" => gift.amount.to_string(),
            "currency" => gift.currency.to_owned(),
            "frequency" => gift.frequency.as_str().to_owned(),
            "campaign" => gift.campaign.to_owned(),
            "lang" => gift.lang.to_owned(),
            "return_url" => gift.success_url(),
            "cancel_url" => gift.cancel_url(),
            _ => String::new(),
        })),
    }
}

/// Replaces each `{name}` with its value, URL-encoded (an unknown name
/// with nothing).
fn fill(template: &str, value: impl Fn(&str) -> String) -> String {
    chorus_wire::text::fill(template, |name| {
        Some(url::form_urlencoded::byte_serialize(value(name).as_bytes()).collect())
    })
}

/// Refuses provider settings that could not produce a working page.
pub fn check_provider(provider: &Provider) -> Result<(), String> {
    match provider {
        Provider::Stripe => Ok(()),
        Provider::Paypal { hosted_button_id } => {
            let valid = (1..=32).contains(&hosted_button_id.len())
                && hosted_button_id.bytes().all(|b| b.is_ascii_alphanumeric());
            if valid {
                Ok(())
            } else {
                Err(format!(
                    "{hosted_button_id:?} is not a PayPal hosted button id"
                ))
            }
        }
        Provider::Link { template } => {
            let mut unknown = Vec::new();
            let mut rest = template.as_str();
            while let Some(start) = rest.find('{') {
                let Some(end) = rest[start..].find('}') else {
                    return Err(format!("{template:?} has an unclosed {{"));
                };
                let name = &rest[start + 1..start + end];
                if !PLACEHOLDERS.contains(&name) {
                    unknown.push(name.to_owned());
                }
                rest = &rest[start + end + 1..];
            }
            if !unknown.is_empty() {
                return Err(format!(
                    "unknown placeholders {unknown:?}; use {}",
                    PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(" ")
                ));
            }
            let sample = fill(template, |_| "1".into());
            match Url::parse(&sample) {
                Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(()),
                _ => Err(format!("{template:?} is not an http(s) address")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gift(return_url: &Url) -> Gift<'_> {
        Gift {
            campaign: "migrants-day",
            title: "Migrants Day",
            frequency: Frequency::Monthly,
            amount: 1050,
            currency: "EUR",
            lang: "fr",
            partner_id: Some(2),
            return_url,
            idempotency_key: "key-1",
        }
    }

    #[test]
    fn returns_keep_the_partner_page_and_name_the_outcome() {
        let page = Url::parse(
            "https://partner.example/give?ref=news&email=ana%40example.org&chorus=old#form",
        )
        .expect("url");
        let gift = gift(&page);
        assert_eq!(
            gift.success_url(),
            "https://partner.example/give?chorus=thanks&chorus_campaign=migrants-day"
        );
        assert!(gift.cancel_url().contains("chorus=cancelled"));
    }

    #[tokio::test]
    async fn a_link_template_gets_the_gift_url_encoded() {
        let page = Url::parse("https://partner.example/give").expect("url");
        let provider = Provider::Link {
            template:
                "https://pay.example/d?amt={amount}&cur={currency}&f={frequency}&back={return_url}"
                    .into(),
        };
        let stripe = Stripe::new(&crate::config::PaymentsConfig {
            stripe_secret_key: None,
            stripe_webhook_secrets: Vec::new(),
            stripe_api_base: Url::parse("http://127.0.0.1:9/").expect("url"),
        });
        let url = redirect(&provider, &gift(&page), &stripe)
            .await
            .expect("a page");
        assert!(url.starts_with("https://pay.example/d?amt=10.50&cur=EUR&f=monthly&back=https%3A%2F%2Fpartner.example%2Fgive%3Fchorus%3Dthanks"), "{url}");
    }

    #[test]
    fn provider_settings_are_checked() {
        let link = |t: &str| check_provider(&Provider::Link { template: t.into() });
        assert!(link("https://liberapay.com/x/donate?amount={amount}").is_ok());
        assert!(link("https://x.example/?a={amont}").is_err());
        assert!(link("javascript:alert({amount})").is_err());
        assert!(link("https://x.example/?a={amount").is_err());
        let paypal = |id: &str| {
            check_provider(&Provider::Paypal {
                hosted_button_id: id.into(),
            })
        };
        assert!(paypal("8ABCDEF12GH3J").is_ok());
        assert!(paypal("x&y=1").is_err());
    }
}
