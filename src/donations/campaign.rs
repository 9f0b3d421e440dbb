//! Checking what an organiser asks for before a campaign is stored, so the
//! widget and the hand-off never meet settings that cannot work.

use std::collections::{BTreeMap, BTreeSet};

use chorus_wire::donate::Frequency;

use super::handoff;
use super::money::{self, MAX_GIFT};
use crate::ident::Lang;
use crate::storage::{Ask, CampaignSettings, DonationText, Millis, Provider};

const MAX_TITLE: usize = 120;
const MAX_IMPACT: usize = 240;
const MAX_LABEL: usize = 60;
/// Suggested amounts per frequency: more is a list, not a choice.
const MAX_ASKS_PER_FREQUENCY: usize = 6;

/// A campaign's settings as typed: amounts in major units ("2.50").
#[derive(Debug, Clone)]
pub struct SettingsDraft {
    pub currency: String,
    pub goal: Option<String>,
    pub min: String,
    pub max: String,
    /// RFC 3339, or a date (the campaign closes at the end of that day, UTC).
    pub deadline: Option<String>,
    pub frequencies: Vec<String>,
    /// `monthly:5`
    pub asks: Vec<String>,
    pub provider: Provider,
}

/// A campaign's words as typed; labels as `monthly:5=A coffee a day`.
#[derive(Debug, Clone, Default)]
pub struct TextDraft {
    pub lang: String,
    pub title: String,
    pub impact: String,
    pub labels: Vec<String>,
}

pub fn check_settings(draft: &SettingsDraft) -> Result<CampaignSettings, String> {
    let (currency, exponent) = money::currency(&draft.currency)?;
    let amount = |raw: &str| money::parse_major(raw, exponent);
    let min_amount = amount(&draft.min)?;
    let max_amount = amount(&draft.max)?;
    if min_amount == 0 {
        return Err("the minimum gift must be more than zero".into());
    }
    if max_amount < min_amount {
        return Err("the maximum gift is below the minimum".into());
    }
    if max_amount > MAX_GIFT {
        return Err(format!(
            "the maximum gift is at most {} {currency} (payment providers' limit)",
            money::format_major(MAX_GIFT, exponent)
        ));
    }
    let goal = draft.goal.as_deref().map(amount).transpose()?;
    if goal == Some(0) {
        return Err("a goal must be more than zero".into());
    }
    let frequencies = frequencies(&draft.frequencies, &draft.provider)?;
    let asks = asks(&draft.asks, exponent, &frequencies, min_amount, max_amount)?;
    handoff::check_provider(&draft.provider)?;
    Ok(CampaignSettings {
        currency,
        goal,
        min_amount,
        max_amount,
        deadline: draft.deadline.as_deref().map(deadline).transpose()?,
        frequencies,
        asks,
        provider: draft.provider.clone(),
    })
}

fn frequencies(raw: &[String], provider: &Provider) -> Result<Vec<Frequency>, String> {
    let mut frequencies = Vec::new();
    for name in raw {
        let frequency = Frequency::parse(name.trim())
            .ok_or_else(|| format!("{name:?} is not a frequency: once, monthly or yearly"))?;
        if !frequencies.contains(&frequency) {
            frequencies.push(frequency);
        }
    }
    if frequencies.is_empty() {
        return Err("offer at least one frequency: once, monthly or yearly".into());
    }
    // PayPal's donate link takes one-off gifts only; recurring gifts need a
    // subscription the link cannot set up.
    if matches!(provider, Provider::Paypal { .. }) && frequencies != [Frequency::Once] {
        return Err("PayPal donate buttons take one-off gifts only: use --frequencies once".into());
    }
    Ok(frequencies)
}

fn asks(
    raw: &[String],
    exponent: u8,
    frequencies: &[Frequency],
    min: u64,
    max: u64,
) -> Result<Vec<Ask>, String> {
    let mut asks = Vec::new();
    for spec in raw {
        let ask = parse_ask(spec, exponent)?;
        if !frequencies.contains(&ask.frequency) {
            return Err(format!(
                "{spec:?}: the campaign does not offer {} gifts",
                ask.frequency.as_str()
            ));
        }
        if !(min..=max).contains(&ask.amount) {
            return Err(format!("{spec:?} is outside the minimum and maximum gift"));
        }
        if asks.contains(&ask) {
            return Err(format!("{spec:?} is suggested twice"));
        }
        asks.push(ask);
    }
    for frequency in frequencies {
        if asks.iter().filter(|a| a.frequency == *frequency).count() > MAX_ASKS_PER_FREQUENCY {
            return Err(format!(
                "suggest at most {MAX_ASKS_PER_FREQUENCY} amounts per frequency"
            ));
        }
    }
    Ok(asks)
}

/// `monthly:5` → a monthly ask of 500 minor units (in a 2-digit currency).
fn parse_ask(spec: &str, exponent: u8) -> Result<Ask, String> {
    let (frequency, amount) = spec
        .split_once(':')
        .ok_or_else(|| format!("{spec:?} is not an ask such as monthly:5"))?;
    Ok(Ask {
        frequency: Frequency::parse(frequency.trim())
            .ok_or_else(|| format!("{spec:?}: {frequency:?} is not once, monthly or yearly"))?,
        amount: money::parse_major(amount, exponent)?,
    })
}

fn deadline(raw: &str) -> Result<Millis, String> {
    use time::format_description::well_known::Rfc3339;
    let invalid = |e: &dyn std::fmt::Display| {
        format!("{raw:?} is not a date (2026-12-18) or an RFC 3339 time: {e}")
    };
    let time = match time::OffsetDateTime::parse(raw, &Rfc3339) {
        Ok(time) => time,
        Err(_) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            let date = time::Date::parse(raw, &format).map_err(|e| invalid(&e))?;
            date.next_day()
                .ok_or_else(|| invalid(&"out of range"))?
                .midnight()
                .assume_utc()
        }
    };
    i64::try_from(time.unix_timestamp_nanos() / 1_000_000).map_err(|e| invalid(&e))
}

/// Checks a text against the campaign it is for: labels must name its asks.
pub fn check_text(draft: &TextDraft, settings: &CampaignSettings) -> Result<DonationText, String> {
    let lang = Lang::parse(&draft.lang)?;
    let title = one_line(&draft.title, "title", 1, MAX_TITLE)?;
    let impact = one_line(&draft.impact, "impact line", 0, MAX_IMPACT)?;
    let (_, exponent) = money::currency(&settings.currency)?;
    let known: BTreeSet<String> = settings.asks.iter().map(Ask::key).collect();
    let mut labels = BTreeMap::new();
    for spec in &draft.labels {
        let (ask, label) = spec.split_once('=').ok_or_else(|| {
            format!("{spec:?} is not a label such as \"monthly:5=A coffee a day\"")
        })?;
        let key = parse_ask(ask, exponent)?.key();
        if !known.contains(&key) {
            return Err(format!(
                "{spec:?} labels an amount the campaign does not suggest"
            ));
        }
        labels.insert(key, one_line(label, "label", 1, MAX_LABEL)?);
    }
    Ok(DonationText {
        lang,
        title,
        impact,
        labels,
    })
}

fn one_line(raw: &str, what: &str, min: usize, max: usize) -> Result<String, String> {
    let text = raw.trim();
    let length = text.chars().count();
    if length < min || length > max {
        return Err(format!(
            "a {what} has {min} to {max} characters; got {length}"
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(format!("a {what} is one line without control characters"));
    }
    Ok(text.to_owned())
}

/// Whether the campaign still takes gifts at `now`.
pub fn is_open(settings: &CampaignSettings, now: Millis) -> bool {
    settings.deadline.is_none_or(|deadline| now < deadline)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> SettingsDraft {
        SettingsDraft {
            currency: "eur".into(),
            goal: Some("20000".into()),
            min: "2".into(),
            max: "5000".into(),
            deadline: Some("2026-12-18".into()),
            frequencies: vec!["monthly".into(), "once".into()],
            asks: vec!["monthly:5".into(), "monthly:10".into(), "once:25".into()],
            provider: Provider::Stripe,
        }
    }

    #[test]
    fn a_typical_campaign_is_stored_in_minor_units() {
        let settings = check_settings(&draft()).expect("valid");
        assert_eq!(settings.currency, "EUR");
        assert_eq!(settings.goal, Some(2_000_000));
        assert_eq!((settings.min_amount, settings.max_amount), (200, 500_000));
        assert_eq!(settings.frequencies, [Frequency::Monthly, Frequency::Once]);
        assert_eq!(settings.asks[0].key(), "monthly:500");
        // The end of 18 December 2026, UTC.
        assert_eq!(settings.deadline, Some(1_797_638_400_000));
    }

    #[test]
    fn impossible_settings_are_refused_with_the_reason() {
        let refused = |change: fn(&mut SettingsDraft)| {
            let mut draft = draft();
            change(&mut draft);
            check_settings(&draft).expect_err("refused")
        };
        assert!(refused(|d| d.currency = "EURO".into()).contains("ISO 4217"));
        assert!(refused(|d| d.min = "0".into()).contains("more than zero"));
        assert!(refused(|d| d.max = "1".into()).contains("below the minimum"));
        assert!(refused(|d| d.asks.push("yearly:50".into())).contains("does not offer"));
        assert!(refused(|d| d.asks.push("monthly:1".into())).contains("outside"));
        assert!(refused(|d| d.asks.push("monthly:5.00".into())).contains("twice"));
        assert!(refused(|d| d.frequencies = vec!["weekly".into()]).contains("frequency"));
        assert!(refused(|d| d.deadline = Some("18/12/2026".into())).contains("date"));
        assert!(
            refused(|d| d.provider = Provider::Paypal {
                hosted_button_id: "ABC123".into()
            })
            .contains("one-off")
        );
    }

    #[test]
    fn labels_name_a_suggested_amount() {
        let settings = check_settings(&draft()).expect("valid");
        let text = |labels: &[&str]| {
            check_text(
                &TextDraft {
                    lang: "fr".into(),
                    title: "Journée des migrants".into(),
                    impact: String::new(),
                    labels: labels.iter().map(|l| (*l).to_owned()).collect(),
                },
                &settings,
            )
        };
        let labelled = text(&["monthly:5=Un café par jour"]).expect("valid");
        assert_eq!(labelled.labels["monthly:500"], "Un café par jour");
        assert!(text(&["monthly:7=Un café"]).is_err());
        assert!(text(&["monthly:5"]).is_err());
        assert!(text(&["monthly:5=\u{7}"]).is_err());
    }

    #[test]
    fn a_campaign_closes_at_its_deadline() {
        let settings = check_settings(&draft()).expect("valid");
        let deadline = settings.deadline.expect("has one");
        assert!(is_open(&settings, deadline - 1));
        assert!(!is_open(&settings, deadline));
    }
}
