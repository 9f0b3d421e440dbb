//! The `petition` widget: the text, the live count, the signing form, then
//! thanks and the share step.

mod form;
mod load;
mod messages;
// Organisations signing beside individuals: only in the bundles of pages
// whose petition takes them (`embed.js` and the frame page choose).
#[cfg(feature = "pledge")]
mod organisation;
mod share;
mod submit;

use std::time::Duration;

use chorus_wire::signing::{Field, Problem};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client::Load;
use crate::counter::tally;
use crate::host::{Anchor, Theme, focus_later, sleep};
use crate::i18n::Locale;
pub use load::{PetitionInfo, decode_petition};
use messages::Messages;
use share::ShareContent;
use submit::Outcome;

/// Where a petition widget is and whom it speaks for.
#[derive(Debug, Clone)]
pub struct Setup {
    pub slug: String,
    pub locale: Locale,
    pub theme: Theme,
    /// Receives `chorus:signed` and `chorus:shared`.
    pub placeholder: Anchor,
    /// The origin of the partner page showing the petition.
    pub partner: Option<String>,
    /// The page the supporter is on, where shares point by default.
    pub page_url: String,
    /// On Chorus's frame page: the idempotency key minted when the page was
    /// rendered, with which the form also posts as a plain HTML form, so it
    /// signs with script off and a double submit stores one signature.
    pub posting: Option<String>,
    /// What the supporter entered, when the server shows the form again
    /// with its problems.
    pub entered: Option<Entered>,
}

/// What a supporter entered in the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entered {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub country: String,
    pub comment: String,
    pub privacy_consent: bool,
    pub opt_in_organiser: bool,
    pub opt_in_partner: bool,
    /// Shown on the petition's wall of signatories.
    pub listed: bool,
    /// Shown beside the name there, where the wall shows cities.
    pub city: String,
}

/// Where a supporter is in signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Filling,
    Sending,
    /// Chorus could not be reached; the signature waits on the device.
    Waiting,
    Thanks,
    Refused,
    /// Signing is paused; the signature waits on the device.
    Paused,
    Closed,
}

#[derive(Debug, Clone, PartialEq)]
enum Text {
    Loading,
    Missing,
    Ready(Box<PetitionInfo>),
}

/// Chorus's problems with the last individual's and organisation's
/// signatures.
type Asks = (RwSignal<Problems>, RwSignal<Vec<(String, Problem)>>);

/// Field problems Chorus reported for the last submission.
pub type Problems = Vec<(Field, Problem)>;

/// Who signs, and so where the signature goes and where Chorus's
/// problems with it are shown.
#[derive(Clone, Copy)]
pub enum Signing {
    Person(RwSignal<Problems>),
    /// An organisation's problems go by their JSON names.
    Organisation(RwSignal<Vec<(String, Problem)>>),
}

impl Signing {
    fn route(self) -> &'static str {
        match self {
            Self::Person(_) => "signatures",
            Self::Organisation(_) => "endorsements",
        }
    }

    /// Where a signature waiting on the device is kept: one of each per
    /// petition.
    fn slot(self, slug: &str) -> String {
        match self {
            Self::Person(_) => slug.to_owned(),
            Self::Organisation(_) => format!("{slug}/organisation"),
        }
    }

    fn report(self, problems: Vec<(String, Problem)>) {
        match self {
            Self::Person(shown) => shown.set(
                problems
                    .into_iter()
                    .filter_map(|(name, p)| Some((Field::parse(&name)?, p)))
                    .collect(),
            ),
            Self::Organisation(shown) => shown.set(problems),
        }
    }
}

/// Screen readers hear the count change at most this often: a busy petition
/// must not talk over the form.
const ANNOUNCE_EVERY_MS: f64 = 60_000.0;

/// The longest pause between two attempts to send a waiting signature.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// The longest wait between two attempts while signing is paused: a pause
/// lasts minutes or hours, and every waiting page asks.
const MAX_PAUSED_RETRY: Duration = Duration::from_secs(5 * 60);

/// The petition in the browser: its text (read unless the page already
/// had it), the form, and a signature left waiting on the device sent again.
#[component]
pub fn Petition(
    setup: Setup,
    count: RwSignal<Load>,
    /// The petition as the server rendered it, when it did.
    info: Option<PetitionInfo>,
) -> impl IntoView {
    let known = info.is_some();
    let text = RwSignal::new(info.map_or(Text::Loading, |info| Text::Ready(Box::new(info))));
    let stage = RwSignal::new(Stage::Filling);
    let server_problems = RwSignal::new(Vec::new());
    let organisation_problems = RwSignal::new(Vec::new());
    if !known {
        let (slug, lang, partner) = (
            setup.slug.clone(),
            setup.locale.tag.clone(),
            setup.partner.clone(),
        );
        spawn_local(async move {
            let mut pause = Duration::from_secs(1);
            loop {
                match load::fetch(&slug, &lang, partner.as_deref()).await {
                    Ok(Some(info)) => return text.set(Text::Ready(Box::new(info))),
                    Ok(None) => return text.set(Text::Missing),
                    Err(_) => {
                        sleep(pause).await;
                        pause = (pause * 2).min(MAX_RETRY);
                    }
                }
            }
        });
    }
    for signing in [
        Signing::Person(server_problems),
        Signing::Organisation(organisation_problems),
    ] {
        let waiting = setup.clone();
        spawn_local(async move {
            if let Some(json) = crate::pending::take(&signing.slot(&waiting.slug)).await {
                stage.set(Stage::Waiting);
                deliver(waiting, signing, json, stage).await;
            }
        });
    }
    shown(
        setup,
        text,
        count,
        stage,
        (server_problems, organisation_problems),
    )
}

/// The petition as the server renders it, from the same view the browser
/// shows: the text, the count and the form, empty or as the supporter
/// posted it with Chorus's `problems`.
#[cfg(not(target_arch = "wasm32"))]
pub fn on_server(
    setup: Setup,
    info: PetitionInfo,
    count: RwSignal<Load>,
    problems: Problems,
) -> impl IntoView {
    let text = RwSignal::new(Text::Ready(Box::new(info)));
    shown(
        setup,
        text,
        count,
        RwSignal::new(Stage::Filling),
        (RwSignal::new(problems), RwSignal::new(Vec::new())),
    )
}

/// The thanks a signature posted without script is answered with, on a
/// page of its own: its email is to be confirmed, and the share step as
/// plain links (copying and the share sheet need script).
#[cfg(not(target_arch = "wasm32"))]
pub fn thanks_on_server(setup: &Setup, info: &PetitionInfo) -> impl IntoView + use<> {
    let messages = messages::for_tag(&setup.locale.tag);
    let share = ShareContent::of(setup, info);
    let links = share
        .links(messages.share_email)
        .into_iter()
        .map(|(_, name, href)| {
            view! {
                <li>
                    <a href=href target="_blank" rel="noopener noreferrer">{name}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="chorus petition" data-theme=setup.theme.as_str() lang=setup.locale.tag.clone()>
            <div class="thanks">
                <h3>{messages.thanks_title}</h3>
                <p>{messages.thanks_confirm}</p>
                <h4>{messages.share_heading}</h4>
                <ul class="share">{links}</ul>
            </div>
        </div>
    }
}

impl ShareContent {
    /// What a share of this petition says, pointing at the petition's own
    /// address or else the page the supporter signed on.
    fn of(setup: &Setup, info: &PetitionInfo) -> Self {
        Self {
            slug: setup.slug.clone(),
            title: info.title.clone(),
            message: info.share_message.clone(),
            hashtags: info.hashtags.clone(),
            url: info
                .share_url
                .clone()
                .unwrap_or_else(|| setup.page_url.clone()),
        }
    }
}

fn shown(
    setup: Setup,
    text: RwSignal<Text>,
    count: RwSignal<Load>,
    stage: RwSignal<Stage>,
    problems: Asks,
) -> impl IntoView {
    let messages = messages::for_tag(&setup.locale.tag);
    let catalog = setup.locale.catalog;
    let (tag, theme) = (setup.locale.tag.clone(), setup.theme);
    let body = move || match text.get() {
        // Either, not `into_any`: erasing the view costs bytes in every
        // bundle (0.9 KB brotli in the one with every widget).
        Text::Loading => EitherOf3::A(view! { <p class="notice">{catalog.loading}</p> }),
        Text::Missing => EitherOf3::B(view! { <p class="notice">{catalog.unknown_petition}</p> }),
        Text::Ready(info) => EitherOf3::C(content(&setup, *info, count, stage, problems, messages)),
    };
    view! {
        <div class="chorus petition" data-theme=theme.as_str() lang=tag>
            {body}
        </div>
    }
}

fn content(
    setup: &Setup,
    info: PetitionInfo,
    count: RwSignal<Load>,
    stage: RwSignal<Stage>,
    (server_problems, organisation_problems): Asks,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    // The petition's own answer carries a count: show it until the live
    // connection has one.
    if let Some(first) = info.count.clone()
        && !matches!(count.get_untracked(), Load::Ready(_))
    {
        count.set(Load::Ready(first));
    }
    let ready = move || match count.get() {
        Load::Ready(count) => Some(count),
        _ => None,
    };
    let paragraphs = info
        .body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{p.trim().to_owned()}</p> })
        .collect_view();
    let full_text = (!info.body.trim().is_empty()).then(|| {
        view! {
            <details class="full-text">
                <summary>{messages.read_more}</summary>
                {paragraphs}
            </details>
        }
    });
    let share = ShareContent::of(setup, &info);
    let (title, summary) = (info.title.clone(), info.summary.clone());
    let confirm_by_email = info.confirm_by_email;
    let as_organisation = RwSignal::new(info.signatories == "organisations");
    let count_view = tally(count, setup.locale.clone());
    let announcement = polite_count(ready, stage, setup.locale.clone());
    let setup = setup.clone();
    // Only reaching the thanks step swaps the form out; sending and waiting
    // update the form in place, so nothing typed is lost.
    let thanked = Memo::new(move |_| stage.get() == Stage::Thanks);
    let after = move || {
        if thanked.get() {
            // An organisation's signature is always confirmed by email.
            #[cfg(feature = "pledge")]
            let organisation = as_organisation
                .get_untracked()
                .then_some(messages.thanks_organisation);
            #[cfg(not(feature = "pledge"))]
            let organisation = as_organisation
                .get_untracked()
                .then_some(messages.thanks_confirm);
            let body = if let Some(body) = organisation {
                body
            } else if confirm_by_email {
                messages.thanks_confirm
            } else {
                messages.thanks_body
            };
            Either::Left(thanks(&setup, share.clone(), body, messages))
        } else {
            #[cfg(feature = "pledge")]
            let form = organisation::either_form(
                &setup,
                &info,
                stage,
                (server_problems, organisation_problems),
                messages,
                as_organisation,
            );
            #[cfg(not(feature = "pledge"))]
            let form = {
                let _ = organisation_problems;
                form::signing_form(&setup, &info, stage, server_problems, messages)
            };
            Either::Right(form)
        }
    };
    view! {
        <h2 class="title">{title}</h2>
        <p class="summary">{summary}</p>
        {full_text}
        <div class="count">{count_view}</div>
        <p class="visually-hidden" aria-live="polite">{announcement}</p>
        {after}
    }
}

/// The count as a sentence for a polite live region: right after the
/// supporter signs, and otherwise at most once a minute, never per tick.
fn polite_count(
    ready: impl Fn() -> Option<chorus_wire::PetitionCount> + Send + Sync + 'static,
    stage: RwSignal<Stage>,
    locale: Locale,
) -> RwSignal<String> {
    let spoken = RwSignal::new(String::new());
    // The page already shows the count on arrival: the first announcement
    // waits a full interval.
    let last = StoredValue::new(crate::clock::millis());
    let thanked_before = StoredValue::new(false);
    Effect::new(move |_| {
        let thanked = stage.get() == Stage::Thanks;
        let Some(count) = ready() else {
            return;
        };
        let now = crate::clock::millis();
        let just_signed = thanked && !thanked_before.get_value();
        if just_signed || now - last.get_value() >= ANNOUNCE_EVERY_MS {
            thanked_before.set_value(thanked);
            last.set_value(now);
            let n = count.count;
            spoken.set(format!(
                "{} {}",
                locale.number(n),
                locale.signatures_word(n)
            ));
        }
    });
    spoken
}

/// Sends a signature until Chorus gives a final answer. The JSON (with its
/// idempotency key) is already saved on the device.
async fn deliver(setup: Setup, signing: Signing, json: String, stage: RwSignal<Stage>) {
    let mut pause = Duration::from_secs(1);
    // Kept across retries: if an answer was lost, the signature may be
    // stored already, and its own proof is the one Chorus accepts again.
    let mut proof = None;
    loop {
        if proof.is_none() {
            proof = crate::proof::take(&challenge_path(&setup.slug)).await.ok();
        }
        let sent = match &proof {
            Some(solution) => submit::send(&setup.slug, signing.route(), &json, solution).await,
            None => Err(()),
        };
        match sent {
            Ok(Outcome::Received) => {
                crate::pending::clear(&signing.slot(&setup.slug));
                stage.set(Stage::Thanks);
                announce(&setup, "signed", None);
                focus_later(&setup.placeholder, ".thanks h3");
                return;
            }
            Ok(Outcome::Problems(problems)) => {
                crate::pending::clear(&signing.slot(&setup.slug));
                signing.report(problems);
                stage.set(Stage::Filling);
                focus_later(&setup.placeholder, "[aria-invalid=\"true\"]");
                return;
            }
            Ok(Outcome::Refused) => {
                crate::pending::clear(&signing.slot(&setup.slug));
                stage.set(Stage::Refused);
                return;
            }
            Ok(Outcome::NewProofNeeded) => proof = None,
            Ok(Outcome::Closed) => {
                crate::pending::clear(&signing.slot(&setup.slug));
                stage.set(Stage::Closed);
                return;
            }
            Ok(Outcome::Paused) => {
                stage.set(Stage::Paused);
                sleep(pause).await;
                pause = (pause * 2).min(MAX_PAUSED_RETRY);
            }
            Err(()) => {
                stage.set(Stage::Waiting);
                sleep(pause).await;
                pause = (pause * 2).min(MAX_RETRY);
            }
        }
    }
}

fn thanks(
    setup: &Setup,
    share: ShareContent,
    body: &'static str,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    let setup_for_links = setup.clone();
    let links = share
        .links(messages.share_email)
        .into_iter()
        .map(|(network, name, href)| {
            let setup = setup_for_links.clone();
            view! {
                <li>
                    <a
                        href=href
                        target="_blank"
                        rel="noopener noreferrer"
                        on:click=move |_| announce(&setup, "shared", Some(network))
                    >
                        {name}
                    </a>
                </li>
            }
        })
        .collect_view();
    let copied = RwSignal::new(false);
    let server = RwSignal::new(String::new());
    let (copy_setup, native_setup, mastodon_setup) = (setup.clone(), setup.clone(), setup.clone());
    let (copy_share, native_share, mastodon_share) = (share.clone(), share.clone(), share);
    let native = share::can_share_natively().then(|| {
        view! {
            <li>
                <button
                    type="button"
                    on:click=move |_| {
                        share::share_natively(&native_share);
                        announce(&native_setup, "shared", Some("native"));
                    }
                >
                    {messages.share_native}
                </button>
            </li>
        }
    });
    view! {
        <div class="thanks">
            <h3 tabindex="-1">{messages.thanks_title}</h3>
            <p>{body}</p>
            <h4>{messages.share_heading}</h4>
            <ul class="share">
                {native}
                {links}
                <li>
                    <button
                        type="button"
                        on:click=move |_| {
                            if share::copy_link(&copy_share) {
                                copied.set(true);
                                announce(&copy_setup, "shared", Some("copy"));
                            }
                        }
                    >
                        {messages.copy_link}
                    </button>
                </li>
            </ul>
            <p class="status" role="status">
                {move || copied.get().then_some(messages.link_copied)}
            </p>
            <form
                class="mastodon"
                on:submit=move |ev| {
                    ev.prevent_default();
                    if let Some(link) = mastodon_share.mastodon_link(&server.get_untracked())
                        && let Some(window) = web_sys::window()
                    {
                        let _ = window.open_with_url_and_target_and_features(&link, "_blank", "noopener");
                        announce(&mastodon_setup, "shared", Some("mastodon"));
                    }
                }
            >
                <label for="mastodon-server">{messages.mastodon_server}</label>
                <input
                    id="mastodon-server"
                    type="text"
                    inputmode="url"
                    placeholder="mastodon.social"
                    prop:value=move || server.get()
                    on:input=move |ev| server.set(event_target_value(&ev))
                />
                <button type="submit">{messages.mastodon_share}</button>
            </form>
        </div>
    }
}

/// Tells the partner page what happened, with no personal data: a
/// `chorus:signed` or `chorus:shared` event on the placeholder.
fn announce(setup: &Setup, what: &str, network: Option<&str>) {
    let mut detail = vec![("petition", setup.slug.as_str())];
    if let Some(network) = network {
        detail.push(("network", network));
    }
    crate::host::announce(&setup.placeholder, what, &detail);
}

/// Starts sending a new signature: saved on the device first, then sent.
pub fn start_sending(setup: &Setup, signing: Signing, json: String, stage: RwSignal<Stage>) {
    stage.set(Stage::Sending);
    let setup = setup.clone();
    spawn_local(async move {
        crate::pending::save(&signing.slot(&setup.slug), &json).await;
        deliver(setup, signing, json, stage).await;
    });
}

/// Where a petition's proofs of work are asked for.
fn challenge_path(slug: &str) -> String {
    format!("/petitions/{slug}/challenge")
}
