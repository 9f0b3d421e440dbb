//! A storm's plan as an organiser writes it (the CLI's flags, the
//! organisers' API's JSON), checked into what storage keeps: every field
//! within its limits, and every message fitting each platform it is for,
//! with the hashtags it lacks and the link added, counted as that platform
//! counts.

use chorus_wire::storm::Platform;
use serde::{Deserialize, Serialize};

use super::card::{post, share_link};
use super::length;
use crate::ident::{Lang, Slug};
use crate::storage::{StormPlan, StormText};

pub const TITLE_MAX: usize = 120;
/// Before hashtags and link; a platform's own limit is checked apart.
pub const MESSAGE_MAX: usize = 1_000;
pub const MAX_HASHTAGS: usize = 10;
pub const HASHTAG_MAX: usize = 60;
/// Variants per language and platform: enough that posts differ.
pub const MAX_VARIANTS: usize = 20;
pub const MAX_LANGUAGES: usize = 20;
/// A storm lasts an hour or so; a day at most.
pub const MAX_MINUTES: u32 = 24 * 60;
pub const LINK_MAX: usize = 500;

/// A storm as the organisers' API takes it, whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StormInput {
    /// RFC 3339: `2026-12-18T17:00:00Z`.
    pub starts_at: String,
    pub minutes: u32,
    /// The language shown where the reader's has no texts.
    pub lang: String,
    #[serde(default)]
    pub hashtags: Vec<String>,
    pub link: String,
    pub texts: Vec<TextsInput>,
}

/// A storm's words in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextsInput {
    pub lang: String,
    pub title: String,
    pub messages: Vec<MessageInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    /// For one platform only (`x`, `bluesky`, ...); none: for every one.
    #[serde(default)]
    pub platform: Option<String>,
    pub text: String,
}

impl StormInput {
    /// The input a stored plan was checked from, for an edit to start at.
    pub fn from_plan(plan: &StormPlan) -> Self {
        let texts = plan
            .titles
            .iter()
            .map(|(lang, title)| TextsInput {
                lang: lang.to_string(),
                title: title.clone(),
                messages: plan
                    .messages
                    .iter()
                    .filter(|m| &m.lang == lang)
                    .map(|m| MessageInput {
                        platform: m.platform.map(|p| p.name().to_owned()),
                        text: m.text.clone(),
                    })
                    .collect(),
            })
            .collect();
        Self {
            starts_at: crate::storage::rfc3339(plan.starts_at).unwrap_or_default(),
            minutes: plan.minutes,
            lang: plan.default_lang.to_string(),
            hashtags: plan.hashtags.clone(),
            link: plan.link.clone(),
            texts,
        }
    }
}

/// `input` as a plan for storm `slug`, or every problem found, each said
/// so the organiser can mend it.
pub fn check(slug: &Slug, input: &StormInput) -> Result<StormPlan, Vec<String>> {
    let mut problems = Vec::new();
    let starts_at = input
        .starts_at
        .trim()
        .parse::<jiff::Timestamp>()
        .map(|t| t.as_millisecond());
    let starts_at = starts_at.unwrap_or_else(|_| {
        problems.push(format!(
            "starts_at: {:?} is not an instant such as 2026-12-18T17:00:00Z",
            input.starts_at
        ));
        0
    });
    if input.minutes == 0 || input.minutes > MAX_MINUTES {
        problems.push(format!("minutes: from 1 to {MAX_MINUTES}"));
    }
    let default_lang = Lang::parse(&input.lang).map_err(|e| problems.push(format!("lang: {e}")));
    let hashtags: Vec<String> = input
        .hashtags
        .iter()
        .map(|tag| tag.trim().trim_start_matches('#').to_owned())
        .collect();
    if hashtags.len() > MAX_HASHTAGS {
        problems.push(format!("hashtags: at most {MAX_HASHTAGS}"));
    }
    for tag in &hashtags {
        let letters = |c: char| c.is_alphanumeric() || c == '_';
        if tag.is_empty() || tag.chars().count() > HASHTAG_MAX || !tag.chars().all(letters) {
            problems.push(format!(
                "hashtags: {tag:?} is not a hashtag (letters, digits and _, at most {HASHTAG_MAX})"
            ));
        }
    }
    let link = input.link.trim();
    if let Err(problem) = check_link(link) {
        problems.push(format!("link: {problem}"));
    }
    let mut titles = Vec::new();
    let mut messages = Vec::new();
    if input.texts.len() > MAX_LANGUAGES {
        problems.push(format!("texts: at most {MAX_LANGUAGES} languages"));
    }
    for texts in &input.texts {
        let Ok(lang) = Lang::parse(&texts.lang) else {
            problems.push(format!("texts: {:?} is not a language tag", texts.lang));
            continue;
        };
        if titles.iter().any(|(l, _)| l == &lang) {
            problems.push(format!("texts: {lang} is given twice"));
            continue;
        }
        if let Some(problem) = chorus_wire::events::check_text(&texts.title, true, TITLE_MAX) {
            problems.push(format!("title ({lang}): {}", said(problem, TITLE_MAX)));
        }
        titles.push((lang.clone(), texts.title.trim().to_owned()));
        for message in &texts.messages {
            let platform = match message.platform.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(name) => match Platform::parse(name) {
                    Some(platform) if platform.takes_text() => Some(platform),
                    _ => {
                        let names: Vec<_> = Platform::ALL
                            .iter()
                            .filter(|p| p.takes_text())
                            .map(|p| p.name())
                            .collect();
                        problems.push(format!(
                            "messages ({lang}): {name:?} is not a platform that takes a message: {}",
                            names.join(", ")
                        ));
                        continue;
                    }
                },
            };
            if let Some(problem) = chorus_wire::events::check_text(&message.text, true, MESSAGE_MAX)
            {
                problems.push(format!("message ({lang}): {}", said(problem, MESSAGE_MAX)));
                continue;
            }
            messages.push(StormText {
                lang: lang.clone(),
                platform,
                text: message.text.trim().to_owned(),
            });
        }
    }
    for (lang, _) in &titles {
        let mut by_platform = std::collections::BTreeMap::<Option<Platform>, usize>::new();
        for message in messages.iter().filter(|m| &m.lang == lang) {
            *by_platform.entry(message.platform).or_default() += 1;
        }
        if !by_platform.contains_key(&None) {
            problems.push(format!(
                "messages ({lang}): give at least one for every platform (no platform named)"
            ));
        }
        if by_platform.values().any(|n| *n > MAX_VARIANTS) {
            problems.push(format!(
                "messages ({lang}): at most {MAX_VARIANTS} variants for each platform"
            ));
        }
    }
    let default_lang = default_lang.ok();
    if let Some(lang) = &default_lang
        && !titles.iter().any(|(l, _)| l == lang)
    {
        problems.push(format!("texts: give the default language's ({lang})"));
    }
    // Too long for a platform, once hashtags and link are added.
    for message in &messages {
        let text = post(&message.text, &hashtags);
        let platforms: Vec<Platform> = match message.platform {
            Some(platform) => vec![platform],
            None => Platform::ALL.to_vec(),
        };
        for platform in platforms {
            let Some(limit) = platform.limit() else {
                continue;
            };
            let shared = format!("{text} {}", share_link(link, slug, platform));
            let counted = length::length(platform, &shared).unwrap_or(0);
            if counted > limit as usize {
                problems.push(format!(
                    "message ({}) is {counted} long on {} with its hashtags and link, over the {limit} it takes: {:?}",
                    message.lang,
                    platform.name(),
                    message.text
                ));
            }
        }
    }
    match (default_lang, problems.is_empty()) {
        (Some(default_lang), true) => Ok(StormPlan {
            default_lang,
            starts_at,
            minutes: input.minutes,
            hashtags,
            link: link.to_owned(),
            titles,
            messages,
        }),
        _ => Err(problems),
    }
}

fn said(problem: chorus_wire::signing::Problem, max: usize) -> String {
    use chorus_wire::signing::Problem;
    match problem {
        Problem::Required => "required".into(),
        Problem::TooLong => format!("at most {max} characters"),
        _ => "control or invisible characters".into(),
    }
}

/// A web address supporters can open: `https` or `http`, a host with a
/// dot, no password in it.
fn check_link(link: &str) -> Result<(), &'static str> {
    if link.len() > LINK_MAX {
        return Err("at most 500 characters");
    }
    let url =
        url::Url::parse(link).map_err(|_| "a web address such as https://coalition.example/")?;
    let host = url.host_str().unwrap_or_default();
    if !matches!(url.scheme(), "https" | "http") || !host.contains('.') {
        return Err("a web address such as https://coalition.example/");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a web address without a user name or password in it");
    }
    Ok(())
}
