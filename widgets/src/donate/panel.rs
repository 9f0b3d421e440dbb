//! The gift panel: frequency, amount, then "Continue to secure payment".
//! A modal dialog: it takes focus, keeps Tab inside, closes on Escape, and
//! gives focus back to the button that opened it.

use chorus_wire::donate::Frequency;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::KeyboardEvent;

use super::Setup;
use super::campaign::{Campaign, parse_amount};
use super::messages::Messages;
use crate::client::{field_text, request};
use crate::host::{announce, focus_later};
use crate::i18n::fill;

/// What the donor picked as an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Ask(u64),
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sending {
    Idle,
    Busy,
    Failed,
}

#[component]
pub fn Panel(
    setup: Setup,
    campaign: Campaign,
    messages: &'static Messages,
    close: Callback<()>,
) -> impl IntoView {
    let default_frequency = campaign
        .frequencies
        .first()
        .copied()
        .unwrap_or(Frequency::Once);
    let frequency = RwSignal::new(default_frequency);
    let first_ask = |f: Frequency, c: &Campaign| {
        c.asks_for(f)
            .next()
            .map_or(Choice::Other, |a| Choice::Ask(a.amount))
    };
    let choice = RwSignal::new(first_ask(default_frequency, &campaign));
    let typed = RwSignal::new(String::new());
    let checked = RwSignal::new(false);
    let sending = RwSignal::new(Sending::Idle);
    // The gift last sent and its key: a retry of the same gift reuses the
    // key, so a double click opens one payment session.
    let last_sent = StoredValue::new(None::<(Frequency, u64, String)>);
    focus_later(&setup.placeholder, ".panel input, .panel button");

    let locale = setup.locale.clone();
    let (currency, units) = (campaign.currency.clone(), campaign.minor_units);
    let shown = move |amount: u64| locale.money(amount, &currency, units);
    let (min, max) = (campaign.min_amount, campaign.max_amount);
    let (shown_min, shown_max) = (shown(min), shown(max));
    let amount = move || -> Result<u64, String> {
        let value = match choice.get() {
            Choice::Ask(amount) => amount,
            Choice::Other => parse_amount(&typed.get(), units).ok_or(messages.invalid_amount)?,
        };
        if value < min {
            Err(fill(messages.too_small, &[("min", &shown_min)]))
        } else if value > max {
            Err(fill(messages.too_large, &[("max", &shown_max)]))
        } else {
            Ok(value)
        }
    };
    let amount_check = amount.clone();
    let amount_error = move || {
        (checked.get() && choice.get() == Choice::Other)
            .then(|| amount_check().err())
            .flatten()
    };

    let keys_setup = setup.clone();
    let on_keydown = move |event: KeyboardEvent| match event.key().as_str() {
        "Escape" => close.run(()),
        "Tab" => keep_focus_inside(&event, &keys_setup.placeholder),
        _ => {}
    };
    let submit_setup = setup.clone();
    let slug = campaign.slug.clone();
    let submit_currency = campaign.currency.clone();
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        checked.set(true);
        let Ok(value) = amount() else {
            focus_later(&submit_setup.placeholder, "#chorus-other");
            return;
        };
        let gift_frequency = frequency.get_untracked();
        let key = last_sent
            .get_value()
            .filter(|(f, a, _)| (*f, *a) == (gift_frequency, value))
            .map_or_else(crate::client::new_key, |(_, _, key)| key);
        last_sent.set_value(Some((gift_frequency, value, key.clone())));
        sending.set(Sending::Busy);
        let gift = Gift {
            key,
            frequency: gift_frequency,
            amount: value,
            currency: submit_currency.clone(),
        };
        spawn_local(hand_off(submit_setup.clone(), slug.clone(), gift, sending));
    };

    let frequency_choice = (campaign.frequencies.len() > 1).then(|| {
        let options = campaign
            .frequencies
            .iter()
            .map(|&f| {
                let c = campaign.clone();
                view! {
                    <label class="chip">
                        <input
                            type="radio"
                            name="frequency"
                            prop:checked=move || frequency.get() == f
                            on:change=move |_| {
                                frequency.set(f);
                                choice.set(first_ask(f, &c));
                            }
                        />
                        {frequency_word(f, messages)}
                    </label>
                }
            })
            .collect_view();
        view! {
            <fieldset>
                <legend>{messages.frequency}</legend>
                {options}
            </fieldset>
        }
    });
    let limits = fill(
        messages.limits,
        &[("min", &shown(min)), ("max", &shown(max))],
    );
    let asks_campaign = campaign.clone();
    let asks = move || {
        let f = frequency.get();
        asks_campaign
            .asks_for(f)
            .map(|ask| {
                let value = ask.amount;
                let per = per_word(f, messages);
                view! {
                    <label class="chip">
                        <input
                            type="radio"
                            name="amount"
                            prop:checked=move || choice.get() == Choice::Ask(value)
                            on:change=move |_| choice.set(Choice::Ask(value))
                        />
                        <span class="amount">{shown(value)}{per}</span>
                        {ask.label.clone().map(|label| view! { <span class="label">{label}</span> })}
                    </label>
                }
            })
            .collect_view()
    };
    let other_currency = campaign.currency.clone();
    let other = move || {
        let (invalid, error) = (amount_error.clone(), amount_error.clone());
        (choice.get() == Choice::Other).then(|| {
            view! {
                <div class="field">
                    <label for="chorus-other">
                        {messages.other_amount} " (" {other_currency.clone()} ")"
                    </label>
                    <input
                        id="chorus-other"
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        aria-describedby="chorus-limits chorus-amount-error"
                        aria-invalid=move || invalid().is_some().to_string()
                        prop:value=move || typed.get()
                        on:input=move |e| typed.set(event_target_value(&e))
                    />
                    <p id="chorus-limits" class="hint">{limits.clone()}</p>
                    <p id="chorus-amount-error" class="error">{error}</p>
                </div>
            }
        })
    };
    let status = move || match sending.get() {
        Sending::Idle => "",
        Sending::Busy => messages.sending,
        Sending::Failed => messages.failed,
    };
    let impact = (!campaign.impact.is_empty()).then(|| {
        let impact = campaign.impact.clone();
        view! { <p class="impact">{impact}</p> }
    });
    view! {
        <div
            class="panel"
            role="dialog"
            aria-modal="true"
            aria-labelledby="chorus-donate-title"
            on:keydown=on_keydown
        >
            <div class="panel-head">
                <h3 id="chorus-donate-title">{campaign.title.clone()}</h3>
                <button type="button" class="close" aria-label=messages.close on:click=move |_| close.run(())>
                    "×"
                </button>
            </div>
            <form novalidate on:submit=on_submit>
                {frequency_choice}
                <fieldset>
                    <legend>{messages.amount}</legend>
                    {asks}
                    <label class="chip">
                        <input
                            type="radio"
                            name="amount"
                            prop:checked=move || choice.get() == Choice::Other
                            on:change=move |_| choice.set(Choice::Other)
                        />
                        {messages.other_amount}
                    </label>
                </fieldset>
                {other}
                {impact}
                <button type="submit" class="pay" disabled=move || sending.get() == Sending::Busy>
                    {messages.continue_to_payment}
                </button>
                <p class="status" role="status">{status}</p>
                <p class="secure">{messages.secure_note}</p>
            </form>
        </div>
    }
}

pub(super) fn frequency_word(frequency: Frequency, messages: &Messages) -> &'static str {
    match frequency {
        Frequency::Monthly => messages.monthly,
        Frequency::Once => messages.once,
        Frequency::Yearly => messages.yearly,
    }
}

pub(super) fn per_word(frequency: Frequency, messages: &Messages) -> &'static str {
    match frequency {
        Frequency::Monthly => messages.per_month,
        Frequency::Yearly => messages.per_year,
        Frequency::Once => "",
    }
}

/// Tab from the last control goes to the first, Shift+Tab from the first to
/// the last: focus stays in the dialog until it closes.
fn keep_focus_inside(event: &KeyboardEvent, placeholder: &crate::host::Anchor) {
    let Some(root) = placeholder.element().and_then(|p| p.shadow_root()) else {
        return;
    };
    let Ok(controls) = root.query_selector_all(".panel button:not([disabled]), .panel input")
    else {
        return;
    };
    let at = |i: u32| {
        controls
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    };
    let (Some(first), Some(last)) = (at(0), at(controls.length().saturating_sub(1))) else {
        return;
    };
    let active = root.active_element();
    let is = |element: &web_sys::HtmlElement| active.as_ref() == Some(element.unchecked_ref());
    let target = if event.shift_key() && is(&first) {
        last
    } else if !event.shift_key() && is(&last) {
        first
    } else {
        return;
    };
    event.prevent_default();
    let _ = target.focus();
}

#[derive(Debug, Clone)]
struct Gift {
    key: String,
    frequency: Frequency,
    amount: u64,
    currency: String,
}

/// Asks Chorus for the provider's page and goes there.
async fn hand_off(setup: Setup, slug: String, gift: Gift, sending: RwSignal<Sending>) {
    let body = js_sys::Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&body, &key.into(), &value);
    };
    set("idempotency_key", gift.key.as_str().into());
    set("frequency", gift.frequency.as_str().into());
    set("amount", JsValue::from_f64(gift.amount as f64));
    set("currency", gift.currency.as_str().into());
    set("lang", setup.locale.tag.as_str().into());
    set("return_url", setup.page_url.as_str().into());
    let json = js_sys::JSON::stringify(&body)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    let answer = request(&format!("/campaigns/{slug}/checkout"), Some(&json)).await;
    // Only a web address is followed: anything else could run script here.
    let redirect = answer
        .ok()
        .filter(|a| a.status == 200)
        .and_then(|a| field_text(&a.json, "redirect"))
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"));
    let Some(redirect) = redirect else {
        sending.set(Sending::Failed);
        return;
    };
    let amount = gift.amount.to_string();
    announce(
        &setup.placeholder,
        "donate-start",
        &[
            ("campaign", &slug),
            ("frequency", gift.frequency.as_str()),
            ("amount", &amount),
            ("currency", &gift.currency),
        ],
    );
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(&redirect);
    }
}
