//! What both signing forms (an individual's and an organisation's) are made
//! of: labelled fields, selects and checkboxes whose problems show as the
//! supporter fixes them. Fields go by their JSON names, which are also the
//! keys of Chorus's per-field errors; an element's id is its name with
//! dashes.

use leptos::prelude::*;

use std::sync::Arc;

/// What every field needs from its form: the problem to show, and where to
/// report an edit (clears Chorus's complaint) or leaving the field (starts
/// showing the rules' verdict). Behind pointers rather than generic: each
/// form's closures would otherwise compile every field a second time into
/// every partner's download.
#[derive(Clone)]
pub struct Hooks {
    pub problem: Arc<dyn Fn(&'static str) -> Option<&'static str> + Send + Sync>,
    pub edited: Arc<dyn Fn(&'static str) + Send + Sync>,
    pub left: Arc<dyn Fn(&'static str) + Send + Sync>,
}

pub struct FieldView {
    pub name: &'static str,
    pub label: &'static str,
    pub optional: Option<&'static str>,
    pub kind: &'static str,
    pub autocomplete: &'static str,
}

fn id_of(name: &str) -> String {
    name.replace('_', "-")
}

/// `aria-invalid` for the field `name`.
fn invalid(
    problem: &Arc<dyn Fn(&'static str) -> Option<&'static str> + Send + Sync>,
    name: &'static str,
) -> impl Fn() -> String + Send + Sync + 'static + use<> {
    let problem = problem.clone();
    move || problem(name).is_some().to_string()
}

fn label(id: String, text: &'static str, optional: Option<&'static str>) -> impl IntoView {
    view! {
        <label for=id>
            {text}
            {optional.map(|o| view! { " " <span class="optional">{o}</span> })}
        </label>
    }
}

impl Hooks {
    pub fn text_field(&self, view: FieldView, value: RwSignal<String>) -> impl IntoView + use<> {
        let Hooks {
            problem,
            edited,
            left,
        } = self.clone();
        let name = view.name;
        let invalid = invalid(&problem, name);
        let id = id_of(name);
        let error_id = format!("{id}-error");
        view! {
            <div class="field">
                {label(id.clone(), view.label, view.optional)}
                <input
                    id=id
                    name=name
                    value=value.get_untracked()
                    type=view.kind
                    autocomplete=view.autocomplete
                    aria-invalid=invalid
                    aria-describedby=error_id.clone()
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        edited(name);
                    }
                    on:blur=move |_| left(name)
                />
                <p class="error" id=error_id>{move || problem(name)}</p>
            </div>
        }
    }

    /// A longer text, optional: a comment, a statement.
    #[cfg(feature = "petition")]
    pub fn text_area(
        &self,
        name: &'static str,
        text: &'static str,
        optional: &'static str,
        value: RwSignal<String>,
    ) -> impl IntoView + use<> {
        let Hooks {
            problem,
            edited,
            left,
        } = self.clone();
        let invalid = invalid(&problem, name);
        let id = id_of(name);
        let error_id = format!("{id}-error");
        view! {
            <div class="field">
                {label(id.clone(), text, Some(optional))}
                <textarea
                    id=id
                    name=name
                    rows="3"
                    aria-invalid=invalid
                    aria-describedby=error_id.clone()
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        edited(name);
                    }
                    on:blur=move |_| left(name)
                >
                    {value.get_untracked()}
                </textarea>
                <p class="error" id=error_id>{move || problem(name)}</p>
            </div>
        }
    }

    /// A choice among `options` (value, shown name), after a first empty
    /// one that says what to choose.
    pub fn select(
        &self,
        view: FieldView,
        choose: &'static str,
        options: Vec<(String, String)>,
        value: RwSignal<String>,
    ) -> impl IntoView + use<> {
        let Hooks {
            problem,
            edited,
            left,
        } = self.clone();
        let name = view.name;
        let invalid = invalid(&problem, name);
        let id = id_of(name);
        let error_id = format!("{id}-error");
        let chosen = value.get_untracked();
        let options = options
            .into_iter()
            .map(|(code, shown)| {
                let selected = code == chosen;
                view! { <option value=code selected=selected>{shown}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                {label(id.clone(), view.label, view.optional)}
                <select
                    id=id
                    name=name
                    autocomplete=view.autocomplete
                    aria-invalid=invalid
                    aria-describedby=error_id.clone()
                    prop:value=move || value.get()
                    on:change=move |ev| {
                        value.set(event_target_value(&ev));
                        edited(name);
                        left(name);
                    }
                >
                    <option value="">{choose}</option>
                    {options}
                </select>
                <p class="error" id=error_id>{move || problem(name)}</p>
            </div>
        }
    }

    /// A checkbox; `checked_name` names it when its problems matter (a
    /// consent that must be given).
    pub fn checkbox(
        &self,
        name: &'static str,
        checked: RwSignal<bool>,
        text: AnyView,
        checked_name: Option<&'static str>,
    ) -> impl IntoView + use<> {
        let Hooks {
            problem,
            edited,
            left,
        } = self.clone();
        let id = id_of(name);
        let error_id = format!("{id}-error");
        let shown = move || checked_name.and_then(|name| problem(name));
        let invalid = {
            let shown = shown.clone();
            move || shown().is_some().to_string()
        };
        view! {
            <div class="check">
                <input
                    id=id.clone()
                    name=name
                    checked=checked.get_untracked()
                    type="checkbox"
                    aria-invalid=invalid
                    aria-describedby=error_id.clone()
                    prop:checked=move || checked.get()
                    on:change=move |ev| {
                        checked.set(event_target_checked(&ev));
                        if let Some(name) = checked_name {
                            edited(name);
                            left(name);
                        }
                    }
                />
                <label for=id>{text}</label>
                <p class="error" id=error_id>{shown}</p>
            </div>
        }
    }
}

/// The honeypot: out of sight, out of the tab order and hidden from screen
/// readers, so only a bot fills it in.
pub fn honeypot(value: RwSignal<String>) -> impl IntoView + use<> {
    view! {
        <div class="visually-hidden" aria-hidden="true">
            <label for="website">"Website"</label>
            <input
                id="website"
                name="website"
                type="text"
                tabindex="-1"
                autocomplete="off"
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}
