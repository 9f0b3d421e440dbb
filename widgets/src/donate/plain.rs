//! Chorus's donate page: the same choices as the gift panel, as a plain
//! HTML form that needs no script. The donate button links here, so a donor
//! who clicks before the WebAssembly runs, or whose browser runs none, still
//! reaches the provider the same way.
//!
//! Without script the amounts cannot follow a frequency picked first, so
//! each frequency has its own group of amounts, and one choice (`gift`,
//! `frequency:amount` or `frequency:other`) names both.

use chorus_wire::donate::Frequency;
use leptos::prelude::*;

use super::messages::{self, Messages};
use super::panel::{frequency_word, per_word};
use super::{Campaign, Setup, progress};
use crate::i18n::fill;

/// What the donor posted, to show the form again as they left it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Posted {
    /// The idempotency key minted when the page was first rendered: a
    /// double submit opens one payment session.
    pub key: String,
    /// `frequency:amount` or `frequency:other`.
    pub gift: String,
    /// The amount typed for "Other amount".
    pub other: String,
    pub problem: Option<GiftProblem>,
}

/// Why a posted gift did not go to the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiftProblem {
    InvalidAmount,
    TooSmall,
    TooLarge,
    Closed,
    /// The provider could not be reached.
    Failed,
    /// The page names no partner page to come back to.
    OpenedElsewhere,
}

impl GiftProblem {
    fn message(self, messages: &Messages, campaign: &Campaign, setup: &Setup) -> String {
        let shown = |amount| {
            setup
                .locale
                .money(amount, &campaign.currency, campaign.minor_units)
        };
        match self {
            Self::InvalidAmount => messages.invalid_amount.to_owned(),
            Self::TooSmall => fill(messages.too_small, &[("min", &shown(campaign.min_amount))]),
            Self::TooLarge => fill(messages.too_large, &[("max", &shown(campaign.max_amount))]),
            Self::Closed => messages.closed.to_owned(),
            Self::Failed => messages.failed.to_owned(),
            Self::OpenedElsewhere => messages.opened_elsewhere.to_owned(),
        }
    }

    /// A problem with the amount is shown beside it; the rest above the
    /// button.
    fn is_amount(self) -> bool {
        matches!(self, Self::InvalidAmount | Self::TooSmall | Self::TooLarge)
    }
}

/// The donate page's content: the campaign, its totals, and the form.
pub fn plain_page(setup: &Setup, campaign: Campaign, posted: &Posted) -> impl IntoView + use<> {
    let messages = messages::for_tag(&setup.locale.tag);
    let totals = RwSignal::new(campaign.totals.clone());
    let progress = progress(setup, &campaign, totals, messages);
    let problem = posted
        .problem
        .map(|p| (p.is_amount(), p.message(messages, &campaign, setup)));
    let amount_error = problem
        .clone()
        .and_then(|(is_amount, message)| is_amount.then_some(message));
    let other_problem = problem.and_then(|(is_amount, message)| (!is_amount).then_some(message));
    let impact = (!campaign.impact.is_empty())
        .then(|| view! { <p class="impact">{campaign.impact.clone()}</p> });
    let action = if campaign.open && posted.problem != Some(GiftProblem::OpenedElsewhere) {
        form(setup, &campaign, posted, messages, amount_error).into_any()
    } else {
        let notice = other_problem
            .clone()
            .unwrap_or_else(|| messages.closed.to_owned());
        view! { <p class="notice" role="alert">{notice}</p> }.into_any()
    };
    let status = other_problem.filter(|_| campaign.open);
    view! {
        <div class="chorus donate" data-theme=setup.theme.as_str() lang=setup.locale.tag.clone()>
            <h1 class="title">{campaign.title.clone()}</h1>
            {progress}
            {impact}
            {action}
            {status.map(|message| view! { <p class="status" role="alert">{message}</p> })}
        </div>
    }
}

fn form(
    setup: &Setup,
    campaign: &Campaign,
    posted: &Posted,
    messages: &'static Messages,
    amount_error: Option<String>,
) -> impl IntoView + use<> {
    let locale = setup.locale.clone();
    let (currency, units) = (campaign.currency.clone(), campaign.minor_units);
    let shown = move |amount: u64| locale.money(amount, &currency, units);
    // The first amount of the first frequency, unless the donor chose.
    let first = campaign
        .frequencies
        .first()
        .map(|&f| choice(f, campaign.asks_for(f).next().map(|a| a.amount)))
        .unwrap_or_default();
    let chosen = if posted.gift.is_empty() {
        first
    } else {
        posted.gift.clone()
    };
    let several = campaign.frequencies.len() > 1;
    let groups = campaign
        .frequencies
        .iter()
        .map(|&f| {
            let legend = if several {
                frequency_word(f, messages)
            } else {
                messages.amount
            };
            let per = per_word(f, messages);
            let asks = campaign
                .asks_for(f)
                .map(|ask| {
                    let value = choice(f, Some(ask.amount));
                    let checked = value == chosen;
                    view! {
                        <label class="chip">
                            <input type="radio" name="gift" value=value checked=checked />
                            <span class="amount">{shown(ask.amount)}{per}</span>
                            {ask.label.clone().map(|label| view! { <span class="label">{label}</span> })}
                        </label>
                    }
                })
                .collect_view();
            let other = choice(f, None);
            let other_checked = other == chosen;
            view! {
                <fieldset>
                    <legend>{legend}</legend>
                    {asks}
                    <label class="chip">
                        <input type="radio" name="gift" value=other checked=other_checked />
                        {messages.other_amount}
                    </label>
                </fieldset>
            }
        })
        .collect_view();
    let limits = fill(
        messages.limits,
        &[
            ("min", &shown(campaign.min_amount)),
            ("max", &shown(campaign.max_amount)),
        ],
    );
    let invalid = amount_error.is_some().to_string();
    view! {
        <form method="post" class="gift">
            <input type="hidden" name="idempotency_key" value=posted.key.clone() />
            <input type="hidden" name="lang" value=setup.locale.tag.clone() />
            <input type="hidden" name="return" value=setup.page_url.clone() />
            {groups}
            <div class="field">
                <label for="chorus-other">
                    {messages.other_amount} " (" {campaign.currency.clone()} ")"
                </label>
                <input
                    id="chorus-other"
                    name="other"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    aria-describedby="chorus-limits chorus-amount-error"
                    aria-invalid=invalid
                    value=posted.other.clone()
                />
                <p id="chorus-limits" class="hint">{limits}</p>
                <p id="chorus-amount-error" class="error">{amount_error}</p>
            </div>
            <button type="submit" class="pay">{messages.continue_to_payment}</button>
            <p class="secure">{messages.secure_note}</p>
        </form>
    }
}

/// One choice's value: `monthly:1000`, or `monthly:other`.
fn choice(frequency: Frequency, amount: Option<u64>) -> String {
    match amount {
        Some(amount) => format!("{}:{amount}", frequency.as_str()),
        None => format!("{}:other", frequency.as_str()),
    }
}

/// A posted `gift`: its frequency and its amount, `None` for "other".
pub fn read_choice(gift: &str) -> Option<(Frequency, Option<u64>)> {
    let (frequency, amount) = gift.split_once(':')?;
    let frequency = Frequency::parse(frequency)?;
    match amount {
        "other" => Some((frequency, None)),
        amount => amount.parse().ok().map(|a| (frequency, Some(a))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_names_its_frequency_and_amount() {
        let monthly = choice(Frequency::Monthly, Some(1000));
        assert_eq!(
            read_choice(&monthly),
            Some((Frequency::Monthly, Some(1000)))
        );
        let other = choice(Frequency::Once, None);
        assert_eq!(read_choice(&other), Some((Frequency::Once, None)));
        assert_eq!(read_choice("weekly:5"), None);
        assert_eq!(read_choice("once:-5"), None);
        assert_eq!(read_choice("once"), None);
    }
}
