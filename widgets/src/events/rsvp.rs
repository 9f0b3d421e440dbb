//! "I'll come": an RSVP with a count alone, or with an email for the
//! private address and the reminder. Until the WebAssembly runs, the
//! button is a link to the event's page on Chorus, whose form works
//! without script.

use chorus_wire::events::{EVENT_FULL, MAX_GUESTS, RsvpForm, check_rsvp};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::Board;
use super::fields::{Control, Field, Problems, field_view, honeypot};
use super::page::Event;
use crate::client::{encode, field, new_key, whole};
use crate::host::focus_later;
use crate::i18n::fill;
use crate::send::{Outcome, send, to_json};

#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Closed,
    Open,
    Sending,
    /// Chorus could not be reached; the answer is sent again.
    Waiting,
    Done {
        emailed: bool,
    },
    /// Too many for the places left: the form stays, to send fewer.
    Full,
    /// Chorus refused for good: its message.
    Refused(&'static str),
}

pub fn rsvp_view(board: &Board, event: &Event) -> impl IntoView + use<> {
    let messages = board.messages;
    if !board.live {
        let href = format!("{}#rsvp", event.browser_url);
        return Either::Left(view! { <a class="rsvp-open" href=href>{messages.rsvp}</a> });
    }
    let stage = RwSignal::new(Stage::Closed);
    let guests = RwSignal::new("0".to_owned());
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let problems: Problems = RwSignal::new(Vec::new());
    let id = event.id.clone();
    let (board_for_full, first, capacity) = (board.clone(), event.going, event.capacity);
    let id_for_full = id.clone();
    let full = move || capacity.is_some_and(|c| board_for_full.going_of(&id_for_full, first) >= c);
    let form_id = format!("rsvp-{id}");
    let challenge = format!("/events/{}/challenge", encode(&id));
    let open = {
        let (form_id, challenge) = (form_id.clone(), challenge.clone());
        let anchor = board.setup.placeholder.clone();
        move |_| {
            stage.set(Stage::Open);
            crate::proof::prepare(&challenge);
            focus_later(&anchor, format!("#{form_id}-guests"));
        }
    };
    let lang = board.setup.locale.tag.clone();
    let board_for_send = board.clone();
    let submit = {
        let (id, form_id) = (id.clone(), form_id.clone());
        let key = StoredValue::new(new_key());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if matches!(stage.get_untracked(), Stage::Sending | Stage::Waiting) {
                return;
            }
            let form = RsvpForm {
                idempotency_key: key.get_value(),
                guests: guests.get_untracked().parse().unwrap_or(0),
                email: email.get_untracked().trim().to_owned(),
                name: name.get_untracked().trim().to_owned(),
                lang: lang.clone(),
                website: website.get_untracked(),
                proof: None,
            };
            let found = check_rsvp(&form);
            if let Some((first, _)) = found.first() {
                focus_later(
                    &board_for_send.setup.placeholder,
                    format!("#{form_id}-{first}"),
                );
                problems.set(found.into_iter().map(|(f, p)| (f.to_owned(), p)).collect());
                return;
            }
            stage.set(Stage::Sending);
            let json = to_json(
                &[
                    ("idempotency_key", form.idempotency_key),
                    ("email", form.email),
                    ("name", form.name),
                    ("lang", form.lang),
                    ("website", form.website),
                ],
                &[("guests", JsValue::from(form.guests))],
            );
            let (board, id, challenge) = (board_for_send.clone(), id.clone(), challenge.clone());
            let form_id = form_id.clone();
            spawn_local(async move {
                let path = format!("/events/{}/rsvps", encode(&id));
                let outcome = send(&path, &challenge, &json, || stage.set(Stage::Waiting)).await;
                let messages = board.messages;
                match outcome {
                    Outcome::Taken(answer) => {
                        if let Some(total) = field(&answer, "total_accepted").and_then(whole) {
                            board.set_going(&id, total);
                        }
                        let emailed =
                            field(&answer, "emailed").and_then(|e| e.as_bool()) == Some(true);
                        stage.set(Stage::Done { emailed });
                    }
                    Outcome::Problems(found) => {
                        stage.set(Stage::Open);
                        if let Some((first, _)) = found.first() {
                            focus_later(&board.setup.placeholder, format!("#{form_id}-{first}"));
                        }
                        problems.set(found);
                        return;
                    }
                    Outcome::Conflict(code) if code == EVENT_FULL => stage.set(Stage::Full),
                    Outcome::Conflict(_) => stage.set(Stage::Refused(messages.event_closed)),
                    Outcome::Refused => stage.set(Stage::Refused(messages.refused)),
                }
                focus_later(&board.setup.placeholder, format!("#{form_id}-status"));
            });
        }
    };
    let guest_options = (0..=MAX_GUESTS)
        .map(|n| {
            let label = if n == 0 {
                messages.just_me.to_owned()
            } else {
                fill(messages.me_and, &[("count", &n.to_string())])
            };
            (n.to_string(), label)
        })
        .collect();
    let fields = vec![
        Field {
            name: "guests",
            id: format!("{form_id}-guests"),
            label: messages.guests,
            hint: None,
            control: Control::Select(guest_options),
            value: guests,
            autocomplete: "off",
        },
        Field {
            name: "email",
            id: format!("{form_id}-email"),
            label: messages.email_optional,
            hint: Some(messages.email_why),
            control: Control::Input("email"),
            value: email,
            autocomplete: "email",
        },
        Field {
            name: "name",
            id: format!("{form_id}-name"),
            label: messages.name_optional,
            hint: None,
            control: Control::Input("text"),
            value: name,
            autocomplete: "name",
        },
    ]
    .into_iter()
    .map(|f| field_view(f, problems, messages))
    .collect::<Vec<_>>();
    let status = move || match stage.get() {
        Stage::Sending => messages.sending.to_owned(),
        Stage::Waiting => messages.not_sent_yet.to_owned(),
        Stage::Done { emailed: true } => {
            format!("{} {}", messages.rsvp_done, messages.rsvp_emailed)
        }
        Stage::Done { emailed: false } => messages.rsvp_done.to_owned(),
        Stage::Refused(text) => text.to_owned(),
        Stage::Full => messages.event_full.to_owned(),
        Stage::Closed | Stage::Open => String::new(),
    };
    let shows_form = move || {
        matches!(
            stage.get(),
            Stage::Open | Stage::Sending | Stage::Waiting | Stage::Full
        )
    };
    let busy = move || matches!(stage.get(), Stage::Sending | Stage::Waiting);
    let opener = move || {
        (stage.get() == Stage::Closed && !full()).then(|| {
            view! {
                <button type="button" class="rsvp-open" on:click=open.clone()>
                    {messages.rsvp}
                </button>
            }
        })
    };
    Either::Right(view! {
        <div class="rsvp">
            {opener}
            <form
                id=form_id.clone()
                class="rsvp-form"
                novalidate
                hidden=move || !shows_form()
                aria-label=messages.rsvp
                on:submit=submit
            >
                {fields}
                {honeypot(format!("{form_id}-website"), website)}
                <button type="submit" class="send" disabled=busy>{messages.send_rsvp}</button>
            </form>
            <p class="status" id=format!("{form_id}-status") tabindex="-1" role="status">{status}</p>
        </div>
    })
}
