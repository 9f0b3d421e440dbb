//! One event as the list shows it: what, when (at the event and on the
//! reader's clock), where, who hosts, how many are coming, and its links.

use leptos::prelude::*;

use super::Board;
use super::page::Event;
use super::rsvp::rsvp_view;
use crate::i18n::fill;

impl Board {
    pub(super) fn event_view(&self, event: Event) -> impl IntoView + use<> {
        let messages = self.messages;
        let title_id = format!("event-{}", event.id);
        let when = self.when_view(&event);
        let place = if event.address.is_empty() {
            event
                .address_private
                .then(|| messages.address_private.to_owned())
        } else {
            Some(event.address.clone())
        };
        let place = [Some(event.venue.clone()), place]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let place = (!place.is_empty() && !event.is_online()).then(|| {
            view! { <p class="where" dir="auto">{place}</p> }
        });
        let host = (!event.host.is_empty()).then(|| {
            view! { <p class="host" dir="auto">{fill(messages.hosted_by, &[("host", &event.host)])}</p> }
        });
        let access = (!event.accessibility.is_empty()).then(|| {
            view! {
                <p class="access" dir="auto">
                    <strong>{messages.accessibility} ": "</strong>
                    {event.accessibility.clone()}
                </p>
            }
        });
        let about = (!event.description.is_empty()).then(|| {
            let paragraphs = event
                .description
                .split("\n\n")
                .filter(|p| !p.trim().is_empty())
                .map(|p| view! { <p>{p.trim().to_owned()}</p> })
                .collect::<Vec<_>>();
            view! {
                <details class="about" lang=event.lang.clone() dir="auto">
                    <summary>{messages.more_about}</summary>
                    {paragraphs}
                </details>
            }
        });
        let going = self.going_view(&event);
        let online = event.online_url.clone().map(|href| {
            view! {
                <a href=href target="_blank" rel="noopener noreferrer">
                    {messages.join_online}
                    <span class="visually-hidden">" " {messages.new_tab}</span>
                </a>
            }
        });
        let cancelled = event
            .cancelled
            .then(|| view! { <span class="cancelled">{messages.cancelled}</span> });
        let rsvp = (!event.cancelled).then(|| rsvp_view(self, &event));
        let kind = messages.kind_name(&event.kind);
        let labelled_by = title_id.clone();
        view! {
            <li class="event" data-event=event.id.clone() tabindex="-1" aria-labelledby=labelled_by>
                <p class="kind">{kind} {cancelled}</p>
                <h5 class="event-title" id=title_id lang=event.lang.clone() dir="auto">
                    {event.title.clone()}
                </h5>
                {when}
                {place}
                {host}
                {access}
                {going}
                {about}
                <p class="links">
                    <a href=event.ics_url.clone() download="">{messages.add_to_calendar}</a>
                    <a href=event.browser_url.clone() target="_blank" rel="noopener">
                        {messages.event_page}
                        <span class="visually-hidden">" " {messages.new_tab}</span>
                    </a>
                    {online}
                </p>
                {rsvp}
            </li>
        }
    }

    /// "Friday, December 18, 6:00 PM – 7:30 PM (Europe/Paris)", and the
    /// start on the reader's clock where it differs.
    fn when_view(&self, event: &Event) -> impl IntoView + use<> {
        let locale = &self.setup.locale;
        let start = locale.wall_time(&event.local_start);
        let end_same_day = event
            .local_end
            .get(..10)
            .is_some_and(|day| event.local_start.starts_with(day));
        let end = if end_same_day {
            locale.wall_time(&event.local_end)
        } else {
            format!(
                "{} {}",
                locale.wall_day(&event.local_end),
                locale.wall_time(&event.local_end)
            )
        };
        let time = fill(
            self.messages.at_event,
            &[
                ("time", &format!("{start}\u{2013}{end}")),
                ("zone", &event.time_zone.replace('_', " ")),
            ],
        );
        let day = locale.wall_day(&event.local_start);
        let yours = locale
            .reader_time(&event.start_date, &event.utc_offset, &event.local_start)
            .map(|time| fill(self.messages.your_time, &[("time", &time)]))
            .unwrap_or_default();
        view! {
            <p class="when">
                <time datetime=event.start_date.clone()>{day} ", " {time}</time>
                " "
                <span class="yours">{yours}</span>
            </p>
        }
    }

    /// "12 people going", "12 of 40 places taken", "Full": live.
    fn going_view(&self, event: &Event) -> impl IntoView + use<> {
        let (messages, locale) = (self.messages, self.setup.locale.clone());
        let (id, first, capacity) = (event.id.clone(), event.going, event.capacity);
        let going = self.going;
        let text = move || {
            let count = going
                .with(|all| all.iter().find(|(e, _)| *e == id).map(|(_, n)| *n))
                .unwrap_or(first);
            let shown = locale.number(count);
            match capacity {
                Some(capacity) if count >= capacity => messages.full.to_owned(),
                Some(capacity) => fill(
                    messages.places,
                    &[("count", &shown), ("capacity", &locale.number(capacity))],
                ),
                None => {
                    let message = if locale.is_one(count) {
                        messages.going_one
                    } else {
                        messages.going_other
                    };
                    fill(message, &[("count", &shown)])
                }
            }
        };
        view! { <p class="going">{text}</p> }
    }
}
