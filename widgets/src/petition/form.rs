//! The signing form: labelled fields, errors shown as they are fixed, the
//! consents, and the submit button.

use chorus_wire::signing::{self, Field, Problem, SignatureForm};
use leptos::prelude::*;

use super::load::PetitionInfo;
use super::messages::{CONSENT_VERSION, Messages};
use super::{Entered, Problems, Setup, Signing, Stage, start_sending, submit};
use crate::fields::{self, FieldView, Hooks};
use crate::host::focus_later;
use crate::i18n::fill;
use crate::proof;

/// What the supporter typed.
#[derive(Debug, Clone, Copy)]
struct Entries {
    first_name: RwSignal<String>,
    last_name: RwSignal<String>,
    email: RwSignal<String>,
    country: RwSignal<String>,
    comment: RwSignal<String>,
    privacy_consent: RwSignal<bool>,
    opt_in_organiser: RwSignal<bool>,
    opt_in_partner: RwSignal<bool>,
    listed: RwSignal<bool>,
    city: RwSignal<String>,
    /// The honeypot: only a bot sees it to fill it in.
    website: RwSignal<String>,
}

impl Entries {
    fn new(entered: &Entered) -> Self {
        Self {
            first_name: RwSignal::new(entered.first_name.clone()),
            last_name: RwSignal::new(entered.last_name.clone()),
            email: RwSignal::new(entered.email.clone()),
            country: RwSignal::new(entered.country.clone()),
            comment: RwSignal::new(entered.comment.clone()),
            privacy_consent: RwSignal::new(entered.privacy_consent),
            opt_in_organiser: RwSignal::new(entered.opt_in_organiser),
            opt_in_partner: RwSignal::new(entered.opt_in_partner),
            listed: RwSignal::new(entered.listed),
            city: RwSignal::new(entered.city.clone()),
            website: RwSignal::new(String::new()),
        }
    }

    fn form(&self, key: String, lang: &str, partner: Option<String>) -> SignatureForm {
        SignatureForm {
            idempotency_key: key,
            first_name: self.first_name.get(),
            last_name: self.last_name.get(),
            email: self.email.get(),
            country: self.country.get(),
            comment: self.comment.get(),
            lang: lang.to_owned(),
            consent_version: CONSENT_VERSION.to_owned(),
            privacy_consent: self.privacy_consent.get(),
            opt_in_organiser: self.opt_in_organiser.get(),
            opt_in_partner: self.opt_in_partner.get(),
            listed: self.listed.get(),
            // Only a listed name carries a city.
            city: if self.listed.get() {
                self.city.get()
            } else {
                String::new()
            },
            partner,
            website: self.website.get(),
            proof: None,
        }
    }
}

/// A key that passes the rules, for checking a form before it has its own.
const CHECKING_KEY: &str = "checking-only-0000";

/// The fields a supporter fills in, in order.
const SUPPORTER_FIELDS: [Field; 6] = [
    Field::FirstName,
    Field::LastName,
    Field::Email,
    Field::Country,
    Field::Comment,
    Field::PrivacyConsent,
];

pub fn signing_form(
    setup: &Setup,
    info: &PetitionInfo,
    stage: RwSignal<Stage>,
    server_problems: RwSignal<Problems>,
    messages: &'static Messages,
) -> impl IntoView + use<> {
    // Posted without script and shown again by the server: what was entered
    // stays, and every problem shows as after pressing the button.
    let entered = setup.entered.clone().unwrap_or_default();
    let entries = Entries::new(&entered);
    let submitted = RwSignal::new(setup.entered.is_some());
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
    // The problem to show on a field: Chorus's answer until the field is
    // edited, else the shared rules once the field was left or the form sent.
    let problem = move |name: &'static str| -> Option<&'static str> {
        let reported =
            server_problems.with(|p| p.iter().find(|(f, _)| f.as_str() == name).map(|(_, p)| *p));
        let local = || {
            let shown = submitted.get() || touched.with(|t| t.contains(&name));
            shown
                .then(|| signing::check(&form_with(CHECKING_KEY.into())))
                .and_then(|problems| problems.into_iter().find(|(f, _)| f.as_str() == name))
                .map(|(_, p)| p)
        };
        reported
            .or_else(local)
            .map(|p: Problem| messages.problem(p))
    };
    let edited = move |name: &'static str| {
        server_problems.update(|p| p.retain(|(f, _)| f.as_str() != name));
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
    let slug = setup.slug.clone();
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
        if !signing::check(&form).is_empty() {
            focus_later(&setup_for_submit.placeholder, "[aria-invalid=\"true\"]");
            return;
        }
        start_sending(
            &setup_for_submit,
            Signing::Person(server_problems),
            submit::to_json(&form),
            stage,
        );
    };

    let countries = info
        .countries
        .clone()
        .unwrap_or_else(|| setup.locale.countries());
    // Asked for only where the wall shows cities, once "show my name" is ticked.
    let city = info.wall_city.then(|| {
        let hooks = hooks.clone();
        move || {
            entries.listed.get().then(|| {
                hooks.text_field(
                    FieldView {
                        name: "city",
                        label: messages.city,
                        optional: Some(messages.optional),
                        kind: "text",
                        autocomplete: "address-level2",
                    },
                    entries.city,
                )
            })
        }
    });
    let privacy_link = match &info.privacy_url {
        Some(url) => view! {
            <a href=url.clone() target="_blank" rel="noopener noreferrer">
                {messages.privacy_link}
            </a>
        }
        .into_any(),
        None => messages.privacy_link.into_any(),
    };
    let partner_opt_in = info.partner_opt_in.clone().map(|name| {
        let label = fill(messages.opt_in_partner, &[("partner", &name)]);
        hooks.checkbox(
            "opt_in_partner",
            entries.opt_in_partner,
            label.into_any(),
            None,
        )
    });
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
                && SUPPORTER_FIELDS
                    .into_iter()
                    .any(|f| problem(f.as_str()).is_some()) =>
        {
            Some(messages.fix_errors)
        }
        _ => None,
    };
    let field = |field, label, optional, kind, autocomplete, value| {
        hooks.text_field(
            FieldView {
                name: Field::as_str(field),
                label,
                optional,
                kind,
                autocomplete,
            },
            value,
        )
    };

    // On the frame page the form also works as a plain HTML form, posted to
    // the page itself, with what a signature needs beyond its fields.
    let method = setup.posting.is_some().then_some("post");
    let posted = setup.posting.clone().map(|key| {
        let (lang, partner) = context.with_value(|(lang, partner)| (lang.clone(), partner.clone()));
        view! {
            <input type="hidden" name="idempotency_key" value=key />
            <input type="hidden" name="lang" value=lang />
            <input type="hidden" name="consent_version" value=CONSENT_VERSION />
            <input type="hidden" name="partner" value=partner.unwrap_or_default() />
        }
    });
    view! {
        <form
            class="sign"
            method=method
            novalidate
            on:submit=on_submit
            on:focusin=move |_| proof::prepare(&super::challenge_path(&slug))
        >
            {posted}
            <h3>{messages.form_title}</h3>
            {fields::honeypot(entries.website)}
            {field(Field::FirstName, messages.first_name, None, "text", "given-name", entries.first_name)}
            {field(Field::LastName, messages.last_name, Some(messages.optional), "text", "family-name", entries.last_name)}
            {field(Field::Email, messages.email, None, "email", "email", entries.email)}
            {hooks.select(
                FieldView {
                    name: "country",
                    label: messages.country,
                    optional: None,
                    kind: "",
                    autocomplete: "country",
                },
                messages.choose_country,
                countries,
                entries.country,
            )}
            {hooks.text_area("comment", messages.comment, messages.optional, entries.comment)}
            <div class="consents">
                {hooks.checkbox(
                    "privacy_consent",
                    entries.privacy_consent,
                    view! { {messages.privacy_before} {privacy_link} {messages.privacy_after} }.into_any(),
                    Some("privacy_consent"),
                )}
                {hooks.checkbox(
                    "opt_in_organiser",
                    entries.opt_in_organiser,
                    messages.opt_in_organiser.into_any(),
                    None,
                )}
                {partner_opt_in}
                // Unticked unless the supporter ticks it: being named can
                // endanger a signer.
                {hooks.checkbox("listed", entries.listed, messages.listed.into_any(), None)}
                {city}
            </div>
            <button type="submit" class="submit" disabled=busy>
                {move || if busy() { messages.sending } else { messages.sign }}
            </button>
            <p class="status" role="status">{status}</p>
        </form>
    }
}
