//! The `signup` widget ("join us"): a list's name and count, and a short
//! form (first name, email, optional country, the emails' language, the
//! consent). Sent like a signature: checked by the rules the server applies
//! (`chorus_wire::signup`), with a proof of work and one idempotency key,
//! kept on the device until Chorus answers. Double opt-in always: the
//! thanks says to confirm from the email.

mod messages;

use std::time::Duration;

use chorus_wire::signing::Problem;
use chorus_wire::signup::{CONSENT_VERSION, LANGUAGES, SignupForm, SignupList, check, consent};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::client::{encode, field, field_text, request, whole};
use crate::fields::{self, FieldView, Hooks};
use crate::host::{Anchor, Theme, focus_later, sleep};
use crate::i18n::{Locale, fill};
use crate::send::{Outcome, send, to_json};
use messages::Messages;

/// The longest pause between two attempts to read the list.
const MAX_RETRY: Duration = Duration::from_secs(30);
/// A key that passes the rules, for checking a form before it has its own.
const CHECKING_KEY: &str = "checking-only-0000";
/// What the language choice offers, in each language's own name.
const LANGUAGE_NAMES: [(&str, &str); 3] =
    [("en", "English"), ("fr", "Français"), ("es", "Español")];

/// Where a sign-up widget is.
#[derive(Debug, Clone)]
pub struct Setup {
    pub slug: String,
    pub locale: Locale,
    pub theme: Theme,
    pub placeholder: Anchor,
    /// The partner page's origin, sent with the sign-up.
    pub partner: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Loading,
    Missing,
    Ready(SignupList),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Filling,
    Sending,
    Waiting,
    Refused,
    Thanks,
}

/// The list as `GET /signups/{slug}` answers it, read field by field.
pub fn decode_list(value: &JsValue) -> Option<SignupList> {
    Some(SignupList {
        slug: field_text(value, "slug")?,
        name: field_text(value, "name")?,
        count: field(value, "count").and_then(whole).unwrap_or(0),
        privacy_url: field_text(value, "privacy_url")
            .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
    })
}

/// The sign-up in the browser: the list (read unless the page had it),
/// the form, and a sign-up left waiting on the device sent again.
#[component]
pub fn Signup(setup: Setup, first: Option<SignupList>) -> impl IntoView {
    let known = first.is_some();
    let shown = RwSignal::new(first.map_or(Shown::Loading, Shown::Ready));
    let stage = RwSignal::new(Stage::Filling);
    let problems = RwSignal::new(Vec::new());
    if !known {
        let slug = setup.slug.clone();
        spawn_local(async move {
            let mut pause = Duration::from_secs(1);
            loop {
                let path = format!("/signups/{}", encode(&slug));
                match request(&path, None).await {
                    Ok(answer) if answer.status == 404 => return shown.set(Shown::Missing),
                    Ok(answer) => {
                        if let Some(list) = decode_list(&answer.json) {
                            return shown.set(Shown::Ready(list));
                        }
                    }
                    Err(_) => {}
                }
                sleep(pause).await;
                pause = (pause * 2).min(MAX_RETRY);
            }
        });
    }
    let waiting = setup.clone();
    spawn_local(async move {
        if let Some(json) = crate::pending::take(&slot(&waiting.slug)).await {
            deliver(waiting, json, stage, problems).await;
        }
    });
    view_of(setup, shown, stage, problems)
}

/// The sign-up as the server renders it; `None`: no such list.
#[cfg(not(target_arch = "wasm32"))]
pub fn on_server(setup: Setup, list: Option<SignupList>) -> impl IntoView {
    view_of(
        setup,
        RwSignal::new(list.map_or(Shown::Missing, Shown::Ready)),
        RwSignal::new(Stage::Filling),
        RwSignal::new(Vec::new()),
    )
}

/// Where a sign-up waits on the device: one per list.
fn slot(slug: &str) -> String {
    format!("signup/{slug}")
}

fn challenge_path(slug: &str) -> String {
    format!("/signups/{}/challenge", encode(slug))
}

fn view_of(
    setup: Setup,
    shown: RwSignal<Shown>,
    stage: RwSignal<Stage>,
    problems: RwSignal<Vec<(String, Problem)>>,
) -> impl IntoView {
    let messages = messages::for_tag(&setup.locale.tag);
    let (tag, theme) = (setup.locale.tag.clone(), setup.theme);
    let body = move || match shown.get() {
        Shown::Loading => EitherOf3::A(view! { <p class="notice">{messages.loading}</p> }),
        Shown::Missing => EitherOf3::B(view! { <p class="notice">{messages.unknown_list}</p> }),
        Shown::Ready(list) => EitherOf3::C(content(&setup, list, stage, problems, messages)),
    };
    view! {
        <section class="chorus signup" data-theme=theme.as_str() lang=tag>
            {body}
        </section>
    }
}

fn content(
    setup: &Setup,
    list: SignupList,
    stage: RwSignal<Stage>,
    problems: RwSignal<Vec<(String, Problem)>>,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    let locale = &setup.locale;
    let intro = if list.count > 0 {
        fill(
            messages.intro_count,
            &[("count", &locale.number(list.count)), ("list", &list.name)],
        )
    } else {
        fill(messages.intro, &[("list", &list.name)])
    };
    let thanked = Memo::new(move |_| stage.get() == Stage::Thanks);
    let setup = setup.clone();
    let after = move || {
        if thanked.get() {
            Either::Left(view! {
                <div class="thanks">
                    <h3 tabindex="-1">{messages.thanks_title}</h3>
                    <p>{messages.thanks_body}</p>
                </div>
            })
        } else {
            Either::Right(form(&setup, &list, stage, problems, messages))
        }
    };
    view! {
        <h2 class="title">{messages.heading}</h2>
        <p class="intro">{intro}</p>
        {after}
    }
}

/// What the person typed.
#[derive(Debug, Clone, Copy)]
struct Entries {
    first_name: RwSignal<String>,
    email: RwSignal<String>,
    country: RwSignal<String>,
    lang: RwSignal<String>,
    consent: RwSignal<bool>,
    website: RwSignal<String>,
}

impl Entries {
    fn form(&self, key: String, partner: Option<String>) -> SignupForm {
        SignupForm {
            idempotency_key: key,
            first_name: self.first_name.get(),
            email: self.email.get(),
            country: self.country.get(),
            lang: self.lang.get(),
            consent: self.consent.get(),
            consent_version: CONSENT_VERSION.to_owned(),
            partner,
            website: self.website.get(),
            proof: None,
        }
    }
}

fn form(
    setup: &Setup,
    list: &SignupList,
    stage: RwSignal<Stage>,
    server_problems: RwSignal<Vec<(String, Problem)>>,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    let own = chorus_wire::lang::primary_subtag(&setup.locale.tag)
        .filter(|l| LANGUAGES.contains(&l.as_str()))
        .unwrap_or_else(|| "en".into());
    let text = || RwSignal::new(String::new());
    let entries = Entries {
        first_name: text(),
        email: text(),
        country: text(),
        lang: RwSignal::new(own),
        consent: RwSignal::new(false),
        website: text(),
    };
    let submitted = RwSignal::new(false);
    let touched = RwSignal::new(Vec::<&'static str>::new());
    let partner = StoredValue::new(setup.partner.clone());
    let form_with = move |key: String| entries.form(key, partner.get_value());
    let problem = move |name: &'static str| -> Option<&'static str> {
        let reported = server_problems.with(|p| p.iter().find(|(f, _)| f == name).map(|(_, p)| *p));
        let local = || {
            let shown = submitted.get() || touched.with(|t| t.contains(&name));
            shown
                .then(|| check(&form_with(CHECKING_KEY.into())))
                .and_then(|problems| problems.into_iter().find(|(f, _)| *f == name))
                .map(|(_, p)| p)
        };
        reported.or_else(local).map(|p| messages.problem(p))
    };
    let hooks = Hooks {
        problem: std::sync::Arc::new(problem),
        edited: std::sync::Arc::new(move |name: &'static str| {
            server_problems.update(|p| p.retain(|(f, _)| f != name));
        }),
        left: std::sync::Arc::new(move |name: &'static str| {
            touched.update(|t| {
                if !t.contains(&name) {
                    t.push(name);
                }
            });
        }),
    };
    let setup_for_submit = setup.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if matches!(stage.get_untracked(), Stage::Sending | Stage::Waiting) {
            return;
        }
        submitted.set(true);
        let form = form_with(crate::client::new_key());
        if !check(&form).is_empty() {
            focus_later(&setup_for_submit.placeholder, "[aria-invalid=\"true\"]");
            return;
        }
        stage.set(Stage::Sending);
        let (setup, json) = (setup_for_submit.clone(), json_of(&form));
        spawn_local(async move {
            crate::pending::save(&slot(&setup.slug), &json).await;
            deliver(setup, json, stage, server_problems).await;
        });
    };
    let field = |name, label, kind, autocomplete, value| {
        let view = FieldView {
            name,
            label,
            optional: None,
            kind,
            autocomplete,
        };
        hooks.text_field(view, value)
    };
    let countries = setup.locale.countries();
    let languages = LANGUAGE_NAMES
        .iter()
        .map(|(code, name)| ((*code).to_owned(), (*name).to_owned()))
        .collect();
    // The sentence shown is the one stored: in the emails' language.
    let name = list.name.clone();
    let consent_text = move || consent(&entries.lang.get(), &name);
    let privacy = list.privacy_url.clone().map(|url| {
        view! {
            " "
            <a href=url target="_blank" rel="noopener noreferrer">{messages.privacy_link}</a>
        }
    });
    let busy = move || matches!(stage.get(), Stage::Sending | Stage::Waiting);
    let status = move || match stage.get() {
        Stage::Sending => Some(messages.sending),
        Stage::Waiting => Some(messages.saved_on_device),
        Stage::Refused => Some(messages.refused),
        Stage::Filling if submitted.get() && !check(&form_with(CHECKING_KEY.into())).is_empty() => {
            Some(messages.fix_errors)
        }
        _ => None,
    };
    let slug = setup.slug.clone();
    view! {
        <form
            class="join"
            novalidate
            on:submit=on_submit
            on:focusin=move |_| crate::proof::prepare(&challenge_path(&slug))
        >
            {fields::honeypot(entries.website)}
            {field("first_name", messages.first_name, "text", "given-name", entries.first_name)}
            {field("email", messages.email, "email", "email", entries.email)}
            {hooks.select(
                FieldView {
                    name: "country",
                    label: messages.country,
                    optional: Some(messages.optional),
                    kind: "",
                    autocomplete: "country",
                },
                messages.choose_country,
                countries,
                entries.country,
            )}
            {hooks.select(
                FieldView {
                    name: "lang",
                    label: messages.language,
                    optional: None,
                    kind: "",
                    autocomplete: "off",
                },
                messages.language,
                languages,
                entries.lang,
            )}
            <div class="consents">
                {hooks.checkbox(
                    "consent",
                    entries.consent,
                    view! { {consent_text} {privacy} }.into_any(),
                    Some("consent"),
                )}
            </div>
            <button type="submit" class="submit" disabled=busy>
                {move || if busy() { messages.sending } else { messages.join }}
            </button>
            <p class="status" role="status">{status}</p>
        </form>
    }
}

fn json_of(form: &SignupForm) -> String {
    let texts = [
        ("idempotency_key", form.idempotency_key.clone()),
        ("first_name", form.first_name.clone()),
        ("email", form.email.clone()),
        ("country", form.country.clone()),
        ("lang", form.lang.clone()),
        ("consent_version", form.consent_version.clone()),
        ("website", form.website.clone()),
        ("partner", form.partner.clone().unwrap_or_default()),
    ];
    to_json(&texts, &[("consent", form.consent.into())])
}

/// Sends a sign-up until Chorus answers for good; it waits on the device
/// until then.
async fn deliver(
    setup: Setup,
    json: String,
    stage: RwSignal<Stage>,
    problems: RwSignal<Vec<(String, Problem)>>,
) {
    let path = format!("/signups/{}/join", encode(&setup.slug));
    let outcome = send(&path, &challenge_path(&setup.slug), &json, || {
        stage.set(Stage::Waiting)
    })
    .await;
    crate::pending::clear(&slot(&setup.slug));
    match outcome {
        Outcome::Taken(_) => {
            stage.set(Stage::Thanks);
            focus_later(&setup.placeholder, ".thanks h3");
        }
        Outcome::Problems(found) => {
            problems.set(found);
            stage.set(Stage::Filling);
            focus_later(&setup.placeholder, "[aria-invalid=\"true\"]");
        }
        Outcome::Conflict(_) | Outcome::Refused => stage.set(Stage::Refused),
    }
}
