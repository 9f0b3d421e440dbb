//! "Add your event": a partner or supporter proposes an event, which waits
//! for the organisers' approval; its host hears by email once it is
//! published. Shown only once the WebAssembly runs: there is nothing to
//! send it with before.

use chorus_wire::events::{EventProposal, KINDS, check_proposal};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::Board;
use super::fields::{Control, Field, Problems, field_view, honeypot};
use crate::client::new_key;
use crate::host::focus_later;
use crate::send::{Outcome, send, to_json};

const CHALLENGE: &str = "/events/challenge";
const FORM: &str = "propose";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Stage {
    Closed,
    Open,
    Sending,
    Waiting,
    Done,
    Refused,
}

/// What the host typed, field by field.
#[derive(Clone, Copy)]
struct Entries {
    title: RwSignal<String>,
    kind: RwSignal<String>,
    description: RwSignal<String>,
    starts: RwSignal<String>,
    ends: RwSignal<String>,
    time_zone: RwSignal<String>,
    venue: RwSignal<String>,
    address: RwSignal<String>,
    address_private: RwSignal<bool>,
    city: RwSignal<String>,
    country: RwSignal<String>,
    online_url: RwSignal<String>,
    capacity: RwSignal<String>,
    host: RwSignal<String>,
    contact_name: RwSignal<String>,
    contact_email: RwSignal<String>,
    website: RwSignal<String>,
}

impl Entries {
    fn new(day: Option<&str>) -> Self {
        let at = |time: &str| day.map(|day| format!("{day}T{time}")).unwrap_or_default();
        Self {
            title: RwSignal::new(String::new()),
            kind: RwSignal::new(KINDS[0].to_owned()),
            description: RwSignal::new(String::new()),
            starts: RwSignal::new(at("18:00")),
            ends: RwSignal::new(at("19:00")),
            time_zone: RwSignal::new(browser_zone()),
            venue: RwSignal::new(String::new()),
            address: RwSignal::new(String::new()),
            address_private: RwSignal::new(false),
            city: RwSignal::new(String::new()),
            country: RwSignal::new(String::new()),
            online_url: RwSignal::new(String::new()),
            capacity: RwSignal::new(String::new()),
            host: RwSignal::new(String::new()),
            contact_name: RwSignal::new(String::new()),
            contact_email: RwSignal::new(String::new()),
            website: RwSignal::new(String::new()),
        }
    }

    fn proposal(&self, key: String, day: String, lang: String) -> EventProposal {
        let text = |signal: RwSignal<String>| signal.get_untracked().trim().to_owned();
        EventProposal {
            idempotency_key: key,
            day,
            kind: text(self.kind),
            lang,
            title: text(self.title),
            description: text(self.description),
            starts: text(self.starts),
            ends: text(self.ends),
            time_zone: text(self.time_zone),
            venue: text(self.venue),
            address: text(self.address),
            address_private: self.address_private.get_untracked(),
            city: text(self.city),
            country: text(self.country),
            online_url: text(self.online_url),
            accessibility: String::new(),
            capacity: text(self.capacity).parse().ok(),
            host: text(self.host),
            contact_name: text(self.contact_name),
            contact_email: text(self.contact_email),
            website: self.website.get_untracked(),
            proof: None,
        }
    }
}

/// The reader's own IANA zone, as their browser names it.
fn browser_zone() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let format =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
        js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
            .ok()
            .and_then(|zone| zone.as_string())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

fn to_wire(form: EventProposal) -> String {
    let capacity = form.capacity.map_or(JsValue::NULL, JsValue::from);
    to_json(
        &[
            ("idempotency_key", form.idempotency_key),
            ("day", form.day),
            ("kind", form.kind),
            ("lang", form.lang),
            ("title", form.title),
            ("description", form.description),
            ("starts", form.starts),
            ("ends", form.ends),
            ("time_zone", form.time_zone),
            ("venue", form.venue),
            ("address", form.address),
            ("city", form.city),
            ("country", form.country),
            ("online_url", form.online_url),
            ("host", form.host),
            ("contact_name", form.contact_name),
            ("contact_email", form.contact_email),
            ("website", form.website),
        ],
        &[
            ("address_private", JsValue::from(form.address_private)),
            ("capacity", capacity),
        ],
    )
}

impl Board {
    pub(super) fn propose_view(&self) -> impl IntoView + use<> {
        let messages = self.messages;
        let stage = RwSignal::new(Stage::Closed);
        let day = self.setup.day.clone().unwrap_or_default();
        let day_date = self.day.get_untracked().map(|(_, date)| date);
        let entries = Entries::new(day_date.as_deref());
        let problems: Problems = RwSignal::new(Vec::new());
        let anchor = self.setup.placeholder.clone();
        let lang = chorus_wire::lang::primary_subtag(&self.setup.locale.tag)
            .unwrap_or_else(|| "en".into());
        let key = StoredValue::new(new_key());
        let focus_first = {
            let anchor = anchor.clone();
            move |found: &[(String, chorus_wire::signing::Problem)]| {
                if let Some((first, _)) = found.first() {
                    focus_later(&anchor, format!("#{FORM}-{first}"));
                }
            }
        };
        let submit = {
            let focus_first = focus_first.clone();
            let anchor = anchor.clone();
            move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                if matches!(stage.get_untracked(), Stage::Sending | Stage::Waiting) {
                    return;
                }
                let form = entries.proposal(key.get_value(), day.clone(), lang.clone());
                let found: Vec<(String, _)> = check_proposal(&form)
                    .into_iter()
                    .map(|(f, p)| (f.to_owned(), p))
                    .collect();
                if !found.is_empty() {
                    focus_first(&found);
                    problems.set(found);
                    return;
                }
                stage.set(Stage::Sending);
                let json = to_wire(form);
                let (focus_first, anchor) = (focus_first.clone(), anchor.clone());
                spawn_local(async move {
                    let outcome = send("/events/proposals", CHALLENGE, &json, || {
                        stage.set(Stage::Waiting)
                    })
                    .await;
                    match outcome {
                        Outcome::Taken(_) => stage.set(Stage::Done),
                        Outcome::Problems(found) => {
                            stage.set(Stage::Open);
                            focus_first(&found);
                            problems.set(found);
                            return;
                        }
                        Outcome::Conflict(_) | Outcome::Refused => stage.set(Stage::Refused),
                    }
                    focus_later(&anchor, format!("#{FORM}-status"));
                });
            }
        };
        let open = {
            let anchor = anchor.clone();
            move |_| {
                stage.set(Stage::Open);
                crate::proof::prepare(CHALLENGE);
                focus_later(&anchor, format!("#{FORM}-title"));
            }
        };
        let kinds = KINDS
            .iter()
            .map(|kind| ((*kind).to_owned(), messages.kind_name(kind)))
            .collect();
        let countries = std::iter::once((String::new(), String::new()))
            .chain(self.setup.locale.countries())
            .collect();
        let field = |name, label, control, value, autocomplete| Field {
            name,
            id: format!("{FORM}-{name}"),
            label,
            hint: None,
            control,
            value,
            autocomplete,
        };
        let e = entries;
        let fields = vec![
            field(
                "title",
                messages.event_title,
                Control::Input("text"),
                e.title,
                "off",
            ),
            field("kind", messages.kind, Control::Select(kinds), e.kind, "off"),
            field(
                "description",
                messages.description,
                Control::TextArea,
                e.description,
                "off",
            ),
            field(
                "starts",
                messages.starts,
                Control::Input("datetime-local"),
                e.starts,
                "off",
            ),
            field(
                "ends",
                messages.ends,
                Control::Input("datetime-local"),
                e.ends,
                "off",
            ),
            field(
                "time_zone",
                messages.time_zone,
                Control::Input("text"),
                e.time_zone,
                "off",
            ),
            field(
                "venue",
                messages.venue,
                Control::Input("text"),
                e.venue,
                "off",
            ),
            field(
                "address",
                messages.address,
                Control::Input("text"),
                e.address,
                "street-address",
            ),
            field(
                "city",
                messages.city,
                Control::Input("text"),
                e.city,
                "address-level2",
            ),
            field(
                "country",
                messages.country,
                Control::Select(countries),
                e.country,
                "country",
            ),
            field(
                "online_url",
                messages.online_url,
                Control::Input("url"),
                e.online_url,
                "url",
            ),
            field(
                "capacity",
                messages.capacity,
                Control::Input("number"),
                e.capacity,
                "off",
            ),
            field(
                "host",
                messages.host,
                Control::Input("text"),
                e.host,
                "organization",
            ),
            field(
                "contact_name",
                messages.contact_name,
                Control::Input("text"),
                e.contact_name,
                "name",
            ),
            Field {
                hint: Some(messages.contact_why),
                ..field(
                    "contact_email",
                    messages.contact_email,
                    Control::Input("email"),
                    e.contact_email,
                    "email",
                )
            },
        ]
        .into_iter()
        .map(|f| field_view(f, problems, messages))
        .collect::<Vec<_>>();
        // The address switch sits after the address itself.
        let mut fields = fields;
        let private = view! {
            <div class="check">
                <input
                    id=format!("{FORM}-address_private")
                    type="checkbox"
                    prop:checked=move || e.address_private.get()
                    on:change=move |ev| e.address_private.set(event_target_checked(&ev))
                />
                <label for=format!("{FORM}-address_private")>{messages.keep_private}</label>
            </div>
        };
        let after_address = fields.split_off(8);
        let status = move || match stage.get() {
            Stage::Sending => messages.sending,
            Stage::Waiting => messages.not_sent_yet,
            Stage::Done => messages.proposal_done,
            Stage::Refused => messages.refused,
            Stage::Closed | Stage::Open => "",
        };
        let busy = move || matches!(stage.get(), Stage::Sending | Stage::Waiting);
        let shows_form =
            move || matches!(stage.get(), Stage::Open | Stage::Sending | Stage::Waiting);
        let problem_summary = move || {
            problems
                .with(|p| !p.is_empty())
                .then_some(messages.fix_fields)
        };
        view! {
            <section class="propose" aria-labelledby=format!("{FORM}-heading")>
                <h3 id=format!("{FORM}-heading")>{messages.propose}</h3>
                <p>{messages.propose_intro}</p>
                <button
                    type="button"
                    class="propose-open"
                    hidden=move || stage.get() != Stage::Closed
                    on:click=open
                >
                    {messages.propose}
                </button>
                <form
                    id=FORM
                    class="propose-form"
                    novalidate
                    hidden=move || !shows_form()
                    aria-labelledby=format!("{FORM}-heading")
                    on:submit=submit
                >
                    <p class="error" role="alert">{problem_summary}</p>
                    {fields}
                    {private}
                    {after_address}
                    {honeypot(format!("{FORM}-website"), e.website)}
                    <button type="submit" class="send" disabled=busy>{messages.send_proposal}</button>
                </form>
                <p class="status" id=format!("{FORM}-status") tabindex="-1" role="status">{status}</p>
            </section>
        }
    }
}
