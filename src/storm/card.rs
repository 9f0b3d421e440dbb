//! A storm as the widget reads it, in one language: built here, from the
//! stored plan, for the API and the server's rendering alike.

use chorus_wire::storm::{Platform, PlatformLink, PostLength, Storm, StormMessage, StormState};

use super::length;
use crate::ident::{Lang, Slug};
use crate::storage::{Millis, StormRecord, rfc3339};

/// Where a storm stands at `now`.
pub fn state(storm: &StormRecord, now: Millis) -> StormState {
    state_at(storm.plan.starts_at, storm.ends_at(), now)
}

/// Where a storm from `starts_at` to `ends_at` stands at `now`.
pub fn state_at(starts_at: Millis, ends_at: Millis, now: Millis) -> StormState {
    if now < starts_at {
        StormState::Upcoming
    } else if now < ends_at {
        StormState::On
    } else {
        StormState::Over
    }
}

/// What a supporter posts: the message, then each hashtag it does not
/// already carry.
pub fn post(text: &str, hashtags: &[String]) -> String {
    let lower = text.to_lowercase();
    let mut post = text.to_owned();
    for tag in hashtags {
        if !lower.contains(&format!("#{}", tag.to_lowercase())) {
            post.push_str(" #");
            post.push_str(tag);
        }
    }
    post
}

/// The organiser's link with `utm_source` naming the platform, and the
/// medium and campaign, unless the organiser set them already.
pub fn share_link(link: &str, storm: &Slug, platform: Platform) -> String {
    let Ok(mut url) = url::Url::parse(link) else {
        return link.to_owned();
    };
    let present: Vec<String> = url
        .query_pairs()
        .map(|(name, _)| name.into_owned())
        .collect();
    let wanted = [
        ("utm_source", platform.name()),
        ("utm_medium", "social"),
        ("utm_campaign", storm.as_str()),
    ];
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in wanted {
            if !present.iter().any(|p| p == name) {
                query.append_pair(name, value);
            }
        }
    }
    url.to_string()
}

/// The language a reader who wants `wanted` is shown: theirs when the
/// storm has texts in it, else the default.
pub fn shown_lang(storm: &StormRecord, wanted: Option<&Lang>) -> Lang {
    wanted
        .filter(|lang| storm.plan.titles.iter().any(|(l, _)| l == *lang))
        .unwrap_or(&storm.plan.default_lang)
        .clone()
}

/// `storm` in `wanted` (or its default language), at `now`, with `shares`
/// counted; its calendar under `origin`.
pub fn card(
    storm: &StormRecord,
    wanted: Option<&Lang>,
    now: Millis,
    shares: u64,
    origin: &str,
) -> Storm {
    let lang = shown_lang(storm, wanted);
    let plan = &storm.plan;
    let title = plan
        .titles
        .iter()
        .find(|(l, _)| l == &lang)
        .map(|(_, title)| title.clone())
        .unwrap_or_default();
    let links: Vec<PlatformLink> = Platform::ALL
        .iter()
        .map(|&platform| PlatformLink {
            platform: platform.name().to_owned(),
            url: share_link(&plan.link, &storm.slug, platform),
        })
        .collect();
    let messages = plan
        .messages
        .iter()
        .filter(|m| m.lang == lang)
        .map(|m| {
            let text = post(&m.text, &plan.hashtags);
            let limited = Platform::ALL
                .into_iter()
                .filter(|p| m.platform.is_none_or(|only| only == *p));
            let lengths = limited
                .filter_map(|platform| {
                    let link = share_link(&plan.link, &storm.slug, platform);
                    let counted = length::length(platform, &format!("{text} {link}"))?;
                    Some(PostLength {
                        platform: platform.name().to_owned(),
                        length: u32::try_from(counted).unwrap_or(u32::MAX),
                        limit: platform.limit()?,
                    })
                })
                .collect();
            StormMessage {
                platform: m.platform.map(|p| p.name().to_owned()),
                text,
                lengths,
            }
        })
        .collect();
    Storm {
        storm: storm.slug.to_string(),
        lang: lang.to_string(),
        title,
        starts_at: rfc3339(plan.starts_at).unwrap_or_default(),
        ends_at: rfc3339(storm.ends_at()).unwrap_or_default(),
        now: rfc3339(now).unwrap_or_default(),
        state: state(storm, now),
        hashtags: plan.hashtags.clone(),
        links,
        messages,
        shares,
        calendar: format!(
            "{origin}{}/storms/{}/calendar.ics?lang={lang}",
            chorus_wire::API_PREFIX,
            storm.slug
        ),
    }
}
