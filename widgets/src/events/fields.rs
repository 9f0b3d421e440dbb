//! The labelled fields of the RSVP and proposal forms: each with its
//! `<label for>`, an optional hint, and its problem in a paragraph the
//! field is described by, cleared as soon as the field is edited.

use chorus_wire::signing::Problem;
use leptos::prelude::*;

use super::messages::Messages;

/// The problems shown on a form, by field name.
pub type Problems = RwSignal<Vec<(String, Problem)>>;

/// How a field takes its value.
pub enum Control {
    /// `<input type=...>`.
    Input(&'static str),
    TextArea,
    /// `<select>` of (value, label).
    Select(Vec<(String, String)>),
}

/// One field. `name` is the wire's field name, which Chorus's problems
/// name; `id` is unique within the widget.
pub struct Field {
    pub name: &'static str,
    pub id: String,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub control: Control,
    pub value: RwSignal<String>,
    pub autocomplete: &'static str,
}

/// The message for `name`'s problem, if it has one.
pub fn problem_of(
    problems: Problems,
    name: &str,
    messages: &'static Messages,
) -> Option<&'static str> {
    problems.with(|all| {
        all.iter()
            .find(|(field, _)| field == name)
            .map(|(_, problem)| messages.problem(*problem))
    })
}

pub fn field_view(field: Field, problems: Problems, messages: &'static Messages) -> impl IntoView {
    let Field {
        name,
        id,
        label,
        hint,
        control,
        value,
        autocomplete,
    } = field;
    let (error_id, hint_id) = (format!("{id}-error"), format!("{id}-hint"));
    let problem = move || problem_of(problems, name, messages);
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if problem().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || problem().is_some().then_some("true");
    let edited = move |text: String| {
        value.set(text);
        problems.update(|all| all.retain(|(field, _)| field != name));
    };
    let control = match control {
        Control::Input(kind) => view! {
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                prop:value=move || value.get()
                on:input=move |ev| edited(event_target_value(&ev))
                aria-invalid=invalid
                aria-describedby=described.clone()
            />
        }
        .into_any(),
        Control::TextArea => view! {
            <textarea
                id=id.clone()
                name=name
                rows="4"
                prop:value=move || value.get()
                on:input=move |ev| edited(event_target_value(&ev))
                aria-invalid=invalid
                aria-describedby=described.clone()
            ></textarea>
        }
        .into_any(),
        Control::Select(options) => {
            let options = options
                .into_iter()
                .map(|(code, text)| {
                    let selected = code == value.get_untracked();
                    view! { <option value=code selected=selected>{text}</option> }
                })
                .collect::<Vec<_>>();
            view! {
                <select
                    id=id.clone()
                    name=name
                    on:change=move |ev| edited(event_target_value(&ev))
                    aria-invalid=invalid
                    aria-describedby=described.clone()
                >
                    {options}
                </select>
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {control}
            <p class="error" id=error_id>{problem}</p>
        </div>
    }
}

/// The honeypot: hidden from people, filled in only by bots.
pub fn honeypot(id: String, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="visually-hidden" aria-hidden="true">
            <label for=id.clone()>"Website"</label>
            <input
                id=id
                name="website"
                type="text"
                tabindex="-1"
                autocomplete="off"
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}
