//! Files attached to a feed's items, as the updates feed and the resources
//! box list them: one line per file, in the reader's language where the
//! file has an alternate in it, with the others offered beside it.

mod messages;

use leptos::prelude::*;

use crate::feed::Attachment;
use crate::i18n::{Locale, fill};
pub use messages::Messages;

/// The files of `attachments` in groups (alternates of one file), each
/// group in the order it first appears.
fn groups(attachments: Vec<Attachment>) -> Vec<Vec<Attachment>> {
    let mut groups: Vec<Vec<Attachment>> = Vec::new();
    for attachment in attachments {
        match groups.iter_mut().find(|g| g[0].group == attachment.group) {
            Some(group) => group.push(attachment),
            None => groups.push(vec![attachment]),
        }
    }
    groups
}

/// The group's file in `lang` (a primary subtag) first, else its first.
fn reader_first(mut group: Vec<Attachment>, lang: &str) -> Vec<Attachment> {
    let primary = |a: &Attachment| chorus_wire::lang::primary_subtag(&a.lang);
    if let Some(at) = group
        .iter()
        .position(|a| primary(a).as_deref() == Some(lang))
    {
        let chosen = group.remove(at);
        group.insert(0, chosen);
    }
    group
}

/// "PDF", "PNG": what a supporter calls the kind of file.
fn kind(media_type: &str) -> String {
    match media_type {
        "application/pdf" => "PDF".into(),
        "image/webp" => "WebP".into(),
        other => other
            .rsplit('/')
            .next()
            .unwrap_or(other)
            .to_ascii_uppercase(),
    }
}

/// "240 KB", "1.5 MB", as the language writes them.
fn size(messages: &Messages, bytes: u64) -> String {
    if bytes < 1_000_000 {
        let kilobytes = bytes.div_ceil(1_000).max(1).to_string();
        return fill(messages.kilobytes, &[("n", &kilobytes)]);
    }
    let tenths = (bytes + 50_000) / 100_000;
    let (whole, tenth) = ((tenths / 10).to_string(), (tenths % 10).to_string());
    fill(messages.megabytes, &[("whole", &whole), ("tenth", &tenth)])
}

/// "PDF, 240 KB, English".
fn about(locale: &Locale, messages: &Messages, file: &Attachment) -> String {
    let mut parts = vec![kind(&file.media_type), size(messages, file.length)];
    if let Some(lang) = chorus_wire::lang::primary_subtag(&file.lang) {
        parts.push(locale.language_name(&lang));
    }
    parts.join(", ")
}

/// The list of downloads, or nothing when there are none. `checksums`
/// shows each kept file's SHA-256 (the toolkit box does; a feed's item
/// keeps to its reading).
pub fn downloads_view(
    locale: &Locale,
    attachments: Vec<Attachment>,
    checksums: bool,
) -> Option<impl IntoView + use<>> {
    if attachments.is_empty() {
        return None;
    }
    let messages = messages::for_tag(&locale.tag);
    let lang = chorus_wire::lang::primary_subtag(&locale.tag).unwrap_or_else(|| "en".into());
    let lines = groups(attachments)
        .into_iter()
        .map(|group| {
            let mut group = reader_first(group, &lang).into_iter();
            let file = group.next()?;
            let about = about(locale, messages, &file);
            let alternates = group
                .map(|other| {
                    let label = about_alternate(locale, messages, &other);
                    let hreflang = other.lang.clone();
                    view! {
                        <a href=other.url hreflang=hreflang lang=other.lang download="">
                            {label}
                        </a>
                    }
                })
                .collect::<Vec<_>>();
            let alternates = (!alternates.is_empty()).then(|| {
                view! { <p class="alternates">{messages.also_in} " " {alternates}</p> }
            });
            let checksum = file.sha256.filter(|_| checksums).map(|hash| {
                view! {
                    <p class="checksum">
                        {messages.checksum} " " <code>{hash}</code>
                    </p>
                }
            });
            let hreflang = file.lang.clone();
            Some(view! {
                <li class="download">
                    <a class="file" href=file.url hreflang=hreflang download="">
                        <span lang=file.lang dir="auto">{file.title}</span>
                    </a>
                    <span class="about">" — " {about}</span>
                    {alternates}
                    {checksum}
                </li>
            })
        })
        .collect::<Vec<_>>();
    Some(view! {
        <ul class="downloads" aria-label=messages.downloads>{lines}</ul>
    })
}

/// An alternate's link: its language, then its kind and size.
fn about_alternate(locale: &Locale, messages: &Messages, file: &Attachment) -> String {
    let language = chorus_wire::lang::primary_subtag(&file.lang)
        .map(|lang| locale.language_name(&lang))
        .unwrap_or_else(|| file.title.clone());
    format!(
        "{language} ({}, {})",
        kind(&file.media_type),
        size(messages, file.length)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(group: u64, lang: &str) -> Attachment {
        Attachment {
            group,
            title: format!("Flyer {lang}"),
            lang: lang.into(),
            media_type: "application/pdf".into(),
            length: 240_000,
            url: format!("https://chorus.example/{group}/{lang}.pdf"),
            sha256: None,
        }
    }

    #[test]
    fn alternates_group_together_with_the_readers_language_first() {
        let grouped = groups(vec![file(1, "en"), file(2, "en"), file(1, "es")]);
        assert_eq!(grouped.len(), 2);
        let spanish_first = reader_first(grouped[0].clone(), "es");
        assert_eq!(spanish_first[0].lang, "es");
        assert_eq!(spanish_first[1].lang, "en");
        // No file in the reader's language: the group's own order.
        assert_eq!(reader_first(grouped[0].clone(), "fr")[0].lang, "en");
    }

    #[test]
    fn sizes_and_kinds_read_as_people_say_them() {
        let (en, fr) = (messages::for_tag("en"), messages::for_tag("fr"));
        assert_eq!(size(en, 240_000), "240 KB");
        assert_eq!(size(en, 1), "1 KB");
        assert_eq!(size(en, 1_460_000), "1.5 MB");
        assert_eq!(size(fr, 1_460_000), "1,5\u{a0}Mo");
        assert_eq!(kind("image/jpeg"), "JPEG");
        assert_eq!(kind("image/webp"), "WebP");
        let locale = Locale::negotiate(["en"]);
        assert_eq!(about(&locale, en, &file(1, "es")), "PDF, 240 KB, Spanish");
    }
}
