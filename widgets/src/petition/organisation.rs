//! Signing for an organisation: the choice between a petition's two asks
//! ("as an individual", "as an organisation") and the organisation's form,
//! checked by the rules the server applies (`chorus_wire::endorsements`)
//! and sent like an individual's signature: proof of work, idempotency
//! key, kept on the device until Chorus has answered.

use chorus_wire::endorsements::{self, EndorsementForm, KINDS};
use chorus_wire::signing::Problem;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

use super::form::signing_form;
use super::load::PetitionInfo;
use super::messages::{CONSENT_VERSION, Messages};
use super::{Asks, Setup, Signing, Stage, start_sending, submit};
use crate::fields::{self, FieldView, Hooks};
use crate::host::focus_later;
use crate::proof;

/// The form the petition shows: an individual's, an organisation's, or a
/// choice between them when it takes both. `as_organisation` is the choice.
pub fn either_form(
    setup: &Setup,
    info: &PetitionInfo,
    stage: RwSignal<Stage>,
    (person, organisation): Asks,
    messages: &'static Messages,
    as_organisation: RwSignal<bool>,
) -> impl IntoView + use<> {
    match info.signatories.as_str() {
        "organisations" => EitherOf3::A(organisation_form(
            setup,
            info,
            stage,
            organisation,
            messages,
        )),
        "both" => {
            let (setup, info) = (setup.clone(), info.clone());
            let chosen = move || {
                if as_organisation.get() {
                    Either::Left(organisation_form(
                        &setup,
                        &info,
                        stage,
                        organisation,
                        messages,
                    ))
                } else {
                    Either::Right(signing_form(&setup, &info, stage, person, messages))
                }
            };
            EitherOf3::B(view! {
                {choice(as_organisation, messages)}
                {chosen}
            })
        }
        _ => EitherOf3::C(signing_form(setup, info, stage, person, messages)),
    }
}

/// Two radio buttons: the keyboard moves between them, and a screen
/// reader hears the question first.
fn choice(as_organisation: RwSignal<bool>, messages: &'static Messages) -> impl IntoView {
    let option = move |id: &'static str, label: &'static str, organisation: bool| {
        view! {
            <label for=id class="choice">
                <input
                    id=id
                    type="radio"
                    name="signing-as"
                    checked=as_organisation.get_untracked() == organisation
                    prop:checked=move || as_organisation.get() == organisation
                    on:change=move |_| as_organisation.set(organisation)
                />
                {label}
            </label>
        }
    };
    view! {
        <fieldset class="signing-as">
            <legend>{messages.signing_as}</legend>
            {option("as-person", messages.as_person, false)}
            {option("as-organisation", messages.as_organisation, true)}
        </fieldset>
    }
}

/// What the person signing for the organisation typed.
#[derive(Debug, Clone, Copy)]
struct Entries {
    organisation: RwSignal<String>,
    organisation_url: RwSignal<String>,
    country: RwSignal<String>,
    kind: RwSignal<String>,
    statement: RwSignal<String>,
    logo_url: RwSignal<String>,
    /// An uploaded logo, read as a `data:` URL.
    logo_upload: RwSignal<String>,
    unnamed: RwSignal<bool>,
    signer_name: RwSignal<String>,
    signer_role: RwSignal<String>,
    email: RwSignal<String>,
    privacy_consent: RwSignal<bool>,
    opt_in_organiser: RwSignal<bool>,
    website: RwSignal<String>,
}

impl Entries {
    fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Self {
            organisation: text(),
            organisation_url: text(),
            country: text(),
            kind: text(),
            statement: text(),
            logo_url: text(),
            logo_upload: text(),
            unnamed: RwSignal::new(false),
            signer_name: text(),
            signer_role: text(),
            email: text(),
            privacy_consent: RwSignal::new(false),
            opt_in_organiser: RwSignal::new(false),
            website: text(),
        }
    }

    fn form(&self, key: String, lang: &str, partner: Option<String>) -> EndorsementForm {
        EndorsementForm {
            idempotency_key: key,
            organisation: self.organisation.get(),
            organisation_url: self.organisation_url.get(),
            country: self.country.get(),
            kind: self.kind.get(),
            statement: self.statement.get(),
            logo_url: self.logo_url.get(),
            logo_upload: self.logo_upload.get(),
            unnamed: self.unnamed.get(),
            signer_name: self.signer_name.get(),
            signer_role: self.signer_role.get(),
            email: self.email.get(),
            lang: lang.to_owned(),
            consent_version: CONSENT_VERSION.to_owned(),
            privacy_consent: self.privacy_consent.get(),
            opt_in_organiser: self.opt_in_organiser.get(),
            opt_in_partner: false,
            partner,
            website: self.website.get(),
            proof: None,
        }
    }
}

/// A key that passes the rules, for checking a form before it has its own.
const CHECKING_KEY: &str = "checking-only-0000";

fn organisation_form(
    setup: &Setup,
    info: &PetitionInfo,
    stage: RwSignal<Stage>,
    server_problems: RwSignal<Vec<(String, Problem)>>,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    let entries = Entries::new();
    let submitted = RwSignal::new(false);
    let touched = RwSignal::new(Vec::<&'static str>::new());
    let lang = if info.lang.is_empty() {
        setup.locale.tag.clone()
    } else {
        info.lang.clone()
    };
    let context = StoredValue::new((lang, setup.partner.clone()));
    let form_with = move |key: String| {
        context.with_value(|(lang, partner)| entries.form(key, lang, partner.clone()))
    };
    let problem = move |name: &'static str| -> Option<&'static str> {
        let reported = server_problems.with(|p| p.iter().find(|(f, _)| f == name).map(|(_, p)| *p));
        let local = || {
            let shown = submitted.get() || touched.with(|t| t.contains(&name));
            shown
                .then(|| endorsements::check(&form_with(CHECKING_KEY.into())))
                .and_then(|problems| problems.into_iter().find(|(f, _)| *f == name))
                .map(|(_, p)| p)
        };
        reported.or_else(local).map(|p| messages.problem(p))
    };
    let edited = move |name: &'static str| {
        server_problems.update(|p| p.retain(|(f, _)| f != name));
    };
    let left = move |name: &'static str| {
        touched.update(|t| {
            if !t.contains(&name) {
                t.push(name);
            }
        });
    };
    let hooks = Hooks {
        problem: std::sync::Arc::new(problem),
        edited: std::sync::Arc::new(edited),
        left: std::sync::Arc::new(left),
    };
    let setup_for_submit = setup.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if matches!(
            stage.get_untracked(),
            Stage::Sending | Stage::Waiting | Stage::Paused
        ) {
            return;
        }
        submitted.set(true);
        let form = form_with(crate::client::new_key());
        if !endorsements::check(&form).is_empty() {
            focus_later(&setup_for_submit.placeholder, "[aria-invalid=\"true\"]");
            return;
        }
        start_sending(
            &setup_for_submit,
            Signing::Organisation(server_problems),
            submit::endorsement_json(&form),
            stage,
        );
    };
    let field = |name, label, optional, kind, autocomplete, value| {
        hooks.text_field(
            FieldView {
                name,
                label,
                optional,
                kind,
                autocomplete,
            },
            value,
        )
    };
    let select = |name, label, choose, options, value| {
        let view = FieldView {
            name,
            label,
            optional: None,
            kind: "",
            autocomplete: "off",
        };
        hooks.select(view, choose, options, value)
    };
    let countries = info
        .countries
        .clone()
        .unwrap_or_else(|| setup.locale.countries());
    let kinds = KINDS
        .iter()
        .zip(messages.kinds)
        .map(|(code, name)| ((*code).to_owned(), name.to_owned()))
        .collect();
    let privacy = match &info.privacy_url {
        Some(url) => Either::Left(view! {
            <a href=url.clone() target="_blank" rel="noopener noreferrer">
                {messages.privacy_link}
            </a>
        }),
        None => Either::Right(messages.privacy_link),
    };
    let busy = move || {
        matches!(
            stage.get(),
            Stage::Sending | Stage::Waiting | Stage::Paused | Stage::Closed
        )
    };
    let status = move || match stage.get() {
        Stage::Sending => Some(messages.sending),
        Stage::Waiting => Some(messages.saved_on_device),
        Stage::Refused => Some(messages.refused),
        Stage::Paused => Some(messages.paused),
        Stage::Closed => Some(messages.closed),
        Stage::Filling
            if submitted.get()
                && !endorsements::check(&form_with(CHECKING_KEY.into())).is_empty() =>
        {
            Some(messages.fix_errors)
        }
        _ => None,
    };
    let slug = setup.slug.clone();
    let optional = Some(messages.optional);
    view! {
        <form
            class="sign organisation"
            novalidate
            on:submit=on_submit
            on:focusin=move |_| proof::prepare(&super::challenge_path(&slug))
        >
            <h3>{messages.organisation_title}</h3>
            {fields::honeypot(entries.website)}
            {field("organisation", messages.organisation, None, "text", "organization", entries.organisation)}
            {field("organisation_url", messages.organisation_url, None, "url", "url", entries.organisation_url)}
            {select("country", messages.organisation_country, messages.choose_country, countries, entries.country)}
            {select("kind", messages.kind, messages.choose_kind, kinds, entries.kind)}
            {hooks.text_area("statement", messages.statement, messages.optional, entries.statement)}
            {field("logo_url", messages.logo_url, optional, "url", "off", entries.logo_url)}
            {upload(&hooks, entries.logo_upload, messages)}
            {field("signer_name", messages.signer_name, None, "text", "name", entries.signer_name)}
            {field("signer_role", messages.signer_role, optional, "text", "organization-title", entries.signer_role)}
            {field("email", messages.work_email, None, "email", "email", entries.email)}
            <div class="consents">
                {hooks.checkbox("unnamed", entries.unnamed, messages.unnamed.into_any(), None)}
                {hooks.checkbox(
                    "privacy_consent",
                    entries.privacy_consent,
                    view! { {messages.privacy_before} {privacy} {messages.privacy_after} }.into_any(),
                    Some("privacy_consent"),
                )}
                {hooks.checkbox(
                    "opt_in_organiser",
                    entries.opt_in_organiser,
                    messages.opt_in_organiser.into_any(),
                    None,
                )}
            </div>
            <button type="submit" class="submit" disabled=busy>
                {move || if busy() { messages.sending } else { messages.organisation_sign }}
            </button>
            <p class="status" role="status">{status}</p>
        </form>
    }
}

/// "Or upload your logo": the file is read on the device as a `data:` URL
/// and sent with the form; Chorus keeps its own PNG of it.
fn upload(
    hooks: &Hooks,
    value: RwSignal<String>,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    let (problem, edited) = (hooks.problem.clone(), hooks.edited.clone());
    let too_large = RwSignal::new(false);
    let shown = move || {
        if too_large.get() {
            Some(messages.problem(Problem::TooLong))
        } else {
            problem("logo_upload")
        }
    };
    let invalid = {
        let shown = shown.clone();
        move || shown().is_some().to_string()
    };
    let on_change = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        edited("logo_upload");
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            return value.set(String::new());
        };
        too_large.set(file.size() > chorus_wire::endorsements::LOGO_UPLOAD_MAX as f64);
        if too_large.get_untracked() {
            return value.set(String::new());
        }
        leptos::task::spawn_local(async move {
            value.set(read_as_data_url(&file).await.unwrap_or_default());
        });
    };
    view! {
        <div class="field">
            <label for="logo-upload">
                {messages.logo_upload} " " <span class="optional">{messages.optional}</span>
            </label>
            <input
                id="logo-upload"
                type="file"
                accept="image/png,image/jpeg,image/webp,image/gif"
                aria-invalid=invalid
                aria-describedby="logo-upload-error"
                on:change=on_change
            />
            <p class="error" id="logo-upload-error">{shown}</p>
        </div>
    }
}

/// The file as a `data:` URL, by the browser's own reader.
async fn read_as_data_url(file: &web_sys::File) -> Option<String> {
    let reader = web_sys::FileReader::new().ok()?;
    let done = js_sys::Promise::new(&mut |resolve, _| reader.set_onloadend(Some(&resolve)));
    reader.read_as_data_url(file).ok()?;
    wasm_bindgen_futures::JsFuture::from(done).await.ok()?;
    reader.result().ok()?.as_string()
}
