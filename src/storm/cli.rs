//! `chorus storm create|edit|list`: social-media storms for organisers.
//! A storm's words are given one language at a time (`--lang` with its
//! `--title` and messages), or whole as the organisers' API's JSON
//! (`--from FILE`).

use anyhow::Context;

use super::admin::{self, Refused};
use super::plan::{MessageInput, StormInput, TextsInput};
use crate::cli::{open, organisation};
use crate::config::StorageConfig;
use crate::storage::{StormRecord, rfc3339};

#[derive(Debug, clap::Subcommand)]
pub enum StormCommand {
    /// Create a storm for `data-chorus="storm" data-storm="SLUG"`.
    Create {
        slug: String,
        /// The organisation running it: whose API tokens may change it.
        #[arg(long)]
        org: String,
        /// The storm's plan as the organisers' API takes it (JSON); the
        /// flags below then change it.
        #[arg(long)]
        from: Option<std::path::PathBuf>,
        #[command(flatten)]
        plan: PlanFlags,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Change a storm: the flags given, and the words of `--lang` when
    /// `--title` or messages are given (replacing that language's).
    Edit {
        slug: String,
        #[arg(long)]
        from: Option<std::path::PathBuf>,
        #[command(flatten)]
        plan: PlanFlags,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Every storm, the soonest first, with its shares.
    List {
        #[command(flatten)]
        storage: StorageConfig,
    },
}

#[derive(Debug, clap::Args)]
pub struct PlanFlags {
    /// The instant it starts, in UTC or with an offset:
    /// 2026-12-18T17:00:00Z.
    #[arg(long)]
    starts: Option<String>,
    /// How long it lasts.
    #[arg(long)]
    minutes: Option<u32>,
    /// The language of `--title` and the messages; on create, also the
    /// storm's default language.
    #[arg(long)]
    lang: Option<String>,
    /// The language shown where a reader's has no words (on edit).
    #[arg(long)]
    default_lang: Option<String>,
    #[arg(long)]
    title: Option<String>,
    /// A hashtag, without `#`; repeat for several. On edit, replaces them.
    #[arg(long = "hashtag")]
    hashtags: Vec<String>,
    /// The page supporters share; Chorus adds its UTM tags.
    #[arg(long)]
    link: Option<String>,
    /// A message for every platform; repeat for variants.
    #[arg(long = "message")]
    messages: Vec<String>,
    /// A message for one platform: `x=Text`, `bluesky=Text`.
    #[arg(long = "message-on", value_name = "PLATFORM=TEXT")]
    messages_on: Vec<String>,
}

impl PlanFlags {
    /// `input` with these flags applied.
    fn apply(self, mut input: StormInput, creating: bool) -> anyhow::Result<StormInput> {
        if let Some(starts) = self.starts {
            input.starts_at = starts;
        }
        if let Some(minutes) = self.minutes {
            input.minutes = minutes;
        }
        if let Some(link) = self.link {
            input.link = link;
        }
        if !self.hashtags.is_empty() {
            input.hashtags = self.hashtags;
        }
        if let Some(lang) = self.default_lang {
            input.lang = lang;
        }
        let mut messages: Vec<MessageInput> = self
            .messages
            .into_iter()
            .map(|text| MessageInput {
                platform: None,
                text,
            })
            .collect();
        for pair in self.messages_on {
            let (platform, text) = pair
                .split_once('=')
                .with_context(|| format!("--message-on takes PLATFORM=TEXT, not {pair:?}"))?;
            messages.push(MessageInput {
                platform: Some(platform.trim().to_owned()),
                text: text.to_owned(),
            });
        }
        let words_given = self.title.is_some() || !messages.is_empty();
        let lang = match (self.lang, words_given) {
            (Some(lang), _) => lang,
            (None, false) => return Ok(input),
            (None, true) if !creating => input.lang.clone(),
            (None, true) => anyhow::bail!("say which language the words are in: --lang en"),
        };
        if creating && input.lang.is_empty() {
            input.lang = lang.clone();
        }
        if !words_given {
            return Ok(input);
        }
        match input.texts.iter_mut().find(|t| t.lang == lang) {
            Some(texts) => {
                if let Some(title) = self.title {
                    texts.title = title;
                }
                if !messages.is_empty() {
                    texts.messages = messages;
                }
            }
            None => input.texts.push(TextsInput {
                lang,
                title: self.title.unwrap_or_default(),
                messages,
            }),
        }
        Ok(input)
    }
}

fn read_from(file: Option<&std::path::Path>) -> anyhow::Result<Option<StormInput>> {
    let Some(file) = file else { return Ok(None) };
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let input = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a storm's JSON", file.display()))?;
    Ok(Some(input))
}

fn refused(refused: Refused) -> anyhow::Error {
    match refused {
        Refused::Invalid(problems) => {
            anyhow::anyhow!("the storm was not saved:\n  {}", problems.join("\n  "))
        }
        other => anyhow::Error::new(other),
    }
}

pub async fn storm(command: StormCommand) -> anyhow::Result<()> {
    match command {
        StormCommand::Create {
            slug,
            org,
            from,
            plan,
            storage,
        } => {
            let input = read_from(from.as_deref())?.unwrap_or_default();
            let input = plan.apply(input, true)?;
            let store = open(&storage).await?;
            let organisation = organisation(&*store, &org).await?;
            let storm = admin::create(&*store, organisation.id, &slug, &input)
                .await
                .map_err(refused)?;
            println!("created storm {}: {}", storm.slug, when(&storm));
        }
        StormCommand::Edit {
            slug,
            from,
            plan,
            storage,
        } => {
            let store = open(&storage).await?;
            let storm = admin::find(&*store, &slug).await.map_err(refused)?;
            let input = match read_from(from.as_deref())? {
                Some(input) => input,
                None => StormInput::from_plan(&storm.plan),
            };
            let input = plan.apply(input, false)?;
            let storm = admin::edit(&*store, &storm, &input)
                .await
                .map_err(refused)?;
            println!("saved storm {}: {}", storm.slug, when(&storm));
        }
        StormCommand::List { storage } => {
            let store = open(&storage).await?;
            for storm in store.storms().await? {
                let shares: u64 = store
                    .storm_shares(storm.id)
                    .await?
                    .iter()
                    .map(|(_, n)| n)
                    .sum();
                let langs: Vec<String> = storm
                    .plan
                    .titles
                    .iter()
                    .map(|(l, _)| l.to_string())
                    .collect();
                println!(
                    "{}\t{}\t{}\t{shares} shares",
                    storm.slug,
                    when(&storm),
                    langs.join(",")
                );
            }
        }
    }
    Ok(())
}

fn when(storm: &StormRecord) -> String {
    format!(
        "{} for {} minutes",
        rfc3339(storm.plan.starts_at).unwrap_or_default(),
        storm.plan.minutes
    )
}
