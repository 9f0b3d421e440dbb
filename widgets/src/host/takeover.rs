//! Taking over from the server's rendering of a widget. The supporter may
//! have typed, ticked, chosen, opened the full text or put the caret in a
//! field before the WebAssembly arrived: all of it moves into the widget's
//! own rendering, and the widget hears each value as if typed, so what it
//! sends is what the supporter sees.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot};

/// Form controls are matched by `id`, unique within a widget.
const CONTROLS: &str = "input[id], textarea[id], select[id]";

thread_local! {
    /// The focused control's id and caret, between `carry_over` and
    /// `restore_focus`: focus can move only once the new rendering is in.
    static FOCUS: std::cell::RefCell<Option<(String, JsValue, JsValue)>> =
        const { std::cell::RefCell::new(None) };
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &key.into(), value);
}

/// Tells the widget's listeners a control changed, as the browser would.
fn fire(target: &Element, name: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    if let Ok(event) = web_sys::Event::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(found) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into().ok())
        .collect()
}

/// Copies what the supporter did in `old` (the server's rendering) into
/// `new` (the widget's), before `new` replaces it.
pub fn carry_over(root: &ShadowRoot, old: &Element, new: &Element) {
    for control in all(old, CONTROLS) {
        let Ok(Some(twin)) = new.query_selector(&format!("#{}", control.id())) else {
            continue;
        };
        let (control, twin_value): (JsValue, JsValue) = (control.into(), twin.clone().into());
        if get(&control, "type").as_string().as_deref() == Some("checkbox") {
            let checked = get(&control, "checked");
            if checked != get(&twin_value, "checked") {
                set(&twin_value, "checked", &checked);
                fire(&twin, "change");
            }
            continue;
        }
        let value = get(&control, "value");
        if value != get(&twin_value, "value") {
            set(&twin_value, "value", &value);
            let event = if twin.tag_name().eq_ignore_ascii_case("select") {
                "change"
            } else {
                "input"
            };
            fire(&twin, event);
        }
    }
    // Sections match by order: both renderings have the same ones.
    for (was, is) in all(old, "details").iter().zip(all(new, "details")) {
        set(&is, "open", &get(was, "open"));
    }
    let focused = root
        .active_element()
        .filter(|element| old.contains(Some(element)) && !element.id().is_empty());
    FOCUS.with_borrow_mut(|slot| {
        *slot = focused.map(|element| {
            let element: JsValue = element.into();
            let id = get(&element, "id").as_string().unwrap_or_default();
            (
                id,
                get(&element, "selectionStart"),
                get(&element, "selectionEnd"),
            )
        });
    });
}

/// Focuses, in `new`, the control that had focus in the server's
/// rendering, with the caret where it was, without scrolling the page.
pub fn restore_focus(new: &Element) {
    let Some((id, start, end)) = FOCUS.with_borrow_mut(Option::take) else {
        return;
    };
    let Ok(Some(twin)) = new.query_selector(&format!("#{id}")) else {
        return;
    };
    let Ok(twin) = twin.dyn_into::<HtmlElement>() else {
        return;
    };
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = twin.focus_with_options(&options);
    // Email fields have no caret: they answer `null`, and are left alone.
    let (Some(start), Some(end)) = (start.as_f64(), end.as_f64()) else {
        return;
    };
    let place_caret = move |twin: &HtmlElement| {
        if let Ok(select) = Reflect::get(twin, &"setSelectionRange".into())
            && let Ok(select) = select.dyn_into::<js_sys::Function>()
        {
            let _ = select.call2(twin, &start.into(), &end.into());
        }
    };
    place_caret(&twin);
    // The widget writes the carried value into the field once more when its
    // effects run (in a microtask queued before this one), which puts the
    // caret at the end: put it back, unless the supporter has typed since.
    let value = get(&twin, "value");
    leptos::prelude::queue_microtask(move || {
        if get(&twin, "value") == value && get(&twin, "selectionStart").as_f64() != Some(start) {
            place_caret(&twin);
        }
    });
}
