//! The `counter` widget: the live count, a goal bar and the latest
//! signature; or the organisations that signed, or both (`data-count`).

use leptos::prelude::*;

use crate::client::Load;
use crate::clock;
use crate::goal::{bar_width, goal_for};
use crate::host::Theme;
use crate::i18n::{Locale, fill};

/// A petition's live count with its goal bar.
#[component]
pub fn Counter(
    /// The petition's count as the live connection keeps it.
    count: RwSignal<Load>,
    /// The supporter's language, for words and number formats.
    locale: Locale,
    /// The placeholder's `data-theme`.
    theme: Theme,
    /// The placeholder's `data-count`.
    counting: Counting,
) -> impl IntoView {
    // Only a change of phase redraws; within `Ready`, each part updates in place.
    let phase = Memo::new(move |_| Phase::of(&count.get()));
    let catalog = locale.catalog;
    let tag = locale.tag.clone();
    let body = move || match phase.get() {
        Phase::Missing => view! { <p class="notice">{catalog.unknown_petition}</p> }.into_any(),
        Phase::Loading => view! { <p class="notice">{catalog.loading}</p> }.into_any(),
        Phase::Ready if counting == Counting::Organisations => {
            organisations(count, locale.clone()).into_any()
        }
        Phase::Ready if counting == Counting::Both => view! {
            {tally(count, locale.clone())}
            {organisations(count, locale.clone())}
        }
        .into_any(),
        Phase::Ready => tally(count, locale.clone()).into_any(),
    };
    view! {
        <div
            class="chorus counter"
            data-theme=theme.as_str()
            lang=tag
            aria-busy=move || (phase.get() == Phase::Loading).to_string()
        >
            {body}
        </div>
    }
}

/// What a counter counts: `data-count="people"` (the default),
/// `"organisations"` or `"both"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Counting {
    #[default]
    People,
    Organisations,
    Both,
}

impl Counting {
    pub fn parse(attribute: Option<&str>) -> Self {
        match attribute {
            Some("organisations") => Self::Organisations,
            Some("both") => Self::Both,
            _ => Self::People,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Loading,
    Ready,
    Missing,
}

impl Phase {
    fn of(load: &Load) -> Self {
        match load {
            Load::Loading => Self::Loading,
            Load::Ready(_) => Self::Ready,
            Load::Missing => Self::Missing,
        }
    }
}

/// The count, bar and details once the count is known. Each part updates in
/// place, so the bar animates instead of being redrawn. Not generic: every
/// widget showing a tally shares one copy of this code in the bundle.
pub(crate) fn tally(count: RwSignal<Load>, locale: Locale) -> impl IntoView {
    let ready = move || match count.get() {
        Load::Ready(count) => Some(count),
        Load::Loading | Load::Missing => None,
    };
    let value = move || ready().map_or(0, |c| c.count);
    let goal = move || ready().map_or(0, |c| goal_for(c.count, c.goal));
    let catalog = locale.catalog;
    let (l1, l2, l3, l4) = (
        locale.clone(),
        locale.clone(),
        locale.clone(),
        locale.clone(),
    );
    let progress_text = move || {
        fill(
            catalog.progress,
            &[("count", &l3.number(value())), ("goal", &l3.number(goal()))],
        )
    };
    let recent = move || {
        let signed_at = ready()?.last_signed_at?;
        let millis = clock::parse(&signed_at)?;
        let seconds = (clock::now().get() - millis) / 1_000.0;
        Some(fill(catalog.last_signature, &[("ago", &l4.ago(seconds))]))
    };
    view! {
        <p class="tally">
            <span class="number">{move || l1.number(value())}</span>
            " "
            <span class="word">{move || l2.signatures_word(value())}</span>
        </p>
        <div
            class="bar"
            role="progressbar"
            aria-label=catalog.goal_bar
            aria-valuemin="0"
            aria-valuemax=move || goal().to_string()
            aria-valuenow=move || value().to_string()
            aria-valuetext=progress_text
        >
            <div class="fill" style:width=move || bar_width(value(), goal())></div>
        </div>
        <p class="details">
            <span class="goal">
                {move || fill(catalog.goal, &[("goal", &locale.number(goal()))])}
            </span>
            <span class="recent">{recent}</span>
        </p>
    }
}

/// The approved organisations, named or not: they have no goal of their own.
fn organisations(count: RwSignal<Load>, locale: Locale) -> impl IntoView {
    let value = move || match count.get() {
        Load::Ready(count) => count.organisations,
        Load::Loading | Load::Missing => 0,
    };
    let words = locale.clone();
    view! {
        <p class="tally organisations">
            <span class="number">{move || locale.number(value())}</span>
            " "
            <span class="word">{move || words.organisations_word(value())}</span>
        </p>
    }
}
