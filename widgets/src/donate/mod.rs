//! The `donate` widget: what the campaign has raised and from how many
//! people, live; a button that opens the gift panel; then the hand-off to
//! the payment provider's page, and a thank-you when the donor comes back.

mod campaign;
mod messages;
mod panel;
#[cfg(not(target_arch = "wasm32"))]
mod plain;

use std::time::Duration;

use chorus_wire::donate::DonationTotals;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client::{self, encode};
use crate::goal::bar_width;
use crate::host::{Anchor, Theme, focus_later};
use crate::i18n::{Locale, fill};
#[cfg(not(target_arch = "wasm32"))]
pub use campaign::parse_amount;
pub use campaign::{Campaign, decode_campaign};
use messages::Messages;
#[cfg(not(target_arch = "wasm32"))]
pub use plain::{GiftProblem, Posted, plain_page, read_choice};

/// The longest pause between two attempts to read the campaign.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// Where a donate widget is, and how the donor arrived.
#[derive(Debug, Clone)]
pub struct Setup {
    pub slug: String,
    pub origin: String,
    pub locale: Locale,
    pub theme: Theme,
    /// Receives `chorus:donate-start` and `chorus:donated`.
    pub placeholder: Anchor,
    /// The page to come back to from the provider.
    pub page_url: String,
    /// Set when the provider sent the donor back to this page for this campaign.
    pub returned: Option<Return>,
}

/// How a donor came back from the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Return {
    Thanks,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    Loading,
    Missing,
    Ready(Box<Campaign>, RwSignal<DonationTotals>),
}

/// The donate widget in the browser: the campaign (read unless the page
/// already had it), its live totals, and the button.
#[component]
pub fn Donate(
    setup: Setup,
    /// The campaign as the server rendered it, when it did.
    campaign: Option<Campaign>,
) -> impl IntoView {
    let known = campaign.map(|campaign| {
        let totals = client::follow_totals(&setup.origin, campaign.totals.clone());
        State::Ready(Box::new(campaign), totals)
    });
    let state = RwSignal::new(known.clone().unwrap_or(State::Loading));
    if known.is_none() {
        let (slug, lang, origin) = (
            setup.slug.clone(),
            setup.locale.tag.clone(),
            setup.origin.clone(),
        );
        spawn_local(async move {
            let mut pause = Duration::from_secs(1);
            loop {
                match campaign::fetch(&slug, &lang).await {
                    Ok(Some(campaign)) => {
                        let totals = client::follow_totals(&origin, campaign.totals.clone());
                        return state.set(State::Ready(Box::new(campaign), totals));
                    }
                    Ok(None) => return state.set(State::Missing),
                    Err(_) => {
                        crate::host::sleep(pause).await;
                        pause = (pause * 2).min(MAX_RETRY);
                    }
                }
            }
        });
    }
    if setup.returned == Some(Return::Thanks) {
        crate::host::announce(&setup.placeholder, "donated", &[("campaign", &setup.slug)]);
    }
    shown(setup, state)
}

/// The donate widget as the server renders it, from the same view the
/// browser shows; `None`: Chorus has no such campaign.
#[cfg(not(target_arch = "wasm32"))]
pub fn on_server(setup: Setup, campaign: Option<Campaign>) -> impl IntoView {
    let state = match campaign {
        Some(campaign) => {
            let totals = RwSignal::new(campaign.totals.clone());
            State::Ready(Box::new(campaign), totals)
        }
        None => State::Missing,
    };
    shown(setup, RwSignal::new(state))
}

fn shown(setup: Setup, state: RwSignal<State>) -> impl IntoView {
    let messages = messages::for_tag(&setup.locale.tag);
    let (tag, theme) = (setup.locale.tag.clone(), setup.theme);
    let body = move || match state.get() {
        // Either, not `into_any`, as in the petition: smaller.
        State::Loading => EitherOf3::A(view! { <p class="notice">{messages.loading}</p> }),
        State::Missing => EitherOf3::B(view! { <p class="notice">{messages.unknown_campaign}</p> }),
        State::Ready(campaign, totals) => {
            EitherOf3::C(content(&setup, *campaign, totals, messages))
        }
    };
    view! {
        <div class="chorus donate" data-theme=theme.as_str() lang=tag>
            {body}
        </div>
    }
}

fn content(
    setup: &Setup,
    campaign: Campaign,
    totals: RwSignal<DonationTotals>,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    let open = RwSignal::new(false);
    let returned = setup.returned.map(|how| match how {
        Return::Thanks => view! { <p class="notice thanks" role="status">{messages.thanks}</p> },
        Return::Cancelled => view! { <p class="notice" role="status">{messages.cancelled}</p> },
    });
    let progress = progress(setup, &campaign, totals, messages);
    let action = if campaign.open {
        let panel_setup = setup.clone();
        let campaign = campaign.clone();
        let placeholder = setup.placeholder.clone();
        let close = Callback::new(move |()| {
            open.set(false);
            // Found by class, not held in a NodeRef: NodeRef's thread check
            // pulls a second allocator into the bundle.
            focus_later(&placeholder, ".donate-button");
        });
        // A link to Chorus's donate page, which offers the same choices as a
        // plain form: what the donor follows before the WebAssembly runs, or
        // without script. Once it runs, the click opens the panel instead.
        Either::Left(view! {
            <a
                class="donate-button"
                href=page_address(setup, &campaign.slug)
                aria-haspopup="dialog"
                aria-expanded=move || open.get().to_string()
                on:click=move |event| {
                    event.prevent_default();
                    open.set(true);
                }
            >
                {messages.donate}
            </a>
            {move || {
                open.get().then(|| panel::Panel(panel::PanelProps {
                    setup: panel_setup.clone(),
                    campaign: campaign.clone(),
                    messages,
                    close,
                }))
            }}
        })
    } else {
        Either::Right(view! { <p class="notice">{messages.closed}</p> })
    };
    view! {
        <h3 class="title">{campaign.title.clone()}</h3>
        {returned}
        {progress}
        {action}
    }
}

/// Chorus's donate page for `slug`, in the widget's language, coming back
/// to the page the widget is on.
fn page_address(setup: &Setup, slug: &str) -> String {
    format!(
        "{}/donate/{}?lang={}&return={}",
        setup.origin,
        encode(slug),
        encode(&setup.locale.tag),
        encode(&setup.page_url)
    )
}

/// Raised against the goal, and the donors, both live.
fn progress(
    setup: &Setup,
    campaign: &Campaign,
    totals: RwSignal<DonationTotals>,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    let (locale, currency, units) = (
        setup.locale.clone(),
        campaign.currency.clone(),
        campaign.minor_units,
    );
    let shown = move |amount: u64| locale.money(amount, &currency, units);
    let shown_goal = shown.clone();
    let raised_text = move || {
        let current = totals.get();
        let raised = shown(current.raised);
        match current.goal {
            Some(goal) => fill(
                messages.raised_of_goal,
                &[("raised", &raised), ("goal", &shown_goal(goal))],
            ),
            None => fill(messages.raised, &[("raised", &raised)]),
        }
    };
    let locale = setup.locale.clone();
    let donors_text = move || {
        let donors = totals.get().donors;
        if donors == 0 {
            return messages.no_donors_yet.to_owned();
        }
        let message = if locale.is_one(donors) {
            messages.donors_one
        } else {
            messages.donors_other
        };
        fill(message, &[("count", &locale.number(donors))])
    };
    let bar = move || {
        let current = totals.get();
        current.goal.map(|goal| {
            view! {
                <div
                    class="bar"
                    role="progressbar"
                    aria-label=messages.goal_bar
                    aria-valuemin="0"
                    aria-valuemax=goal.to_string()
                    aria-valuenow=current.raised.to_string()
                >
                    <div class="fill" style:width=bar_width(current.raised, goal)></div>
                </div>
            }
        })
    };
    view! {
        <p class="raised">{raised_text}</p>
        {bar}
        <p class="donors">{donors_text}</p>
    }
}
