//! The `chorus` command line: serving, the demo, and organisers' commands.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{ServeConfig, StorageConfig};
use crate::ident::{Origin, Slug};
use crate::storage::{self, NewPetition, PetitionText, Store};

#[derive(Debug, Parser)]
#[command(
    name = "chorus",
    version,
    about = "Embeddable campaign widgets for coalitions"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API, the live counts, the embed script and the widgets.
    Serve(ServeConfig),
    /// Create or upgrade the database, then exit.
    Migrate(StorageConfig),
    /// Seed a demo coalition and serve it with a partner site on a second origin.
    Demo {
        #[command(flatten)]
        serve: ServeConfig,
        /// Where the demo partner's website listens.
        #[arg(long, env = "CHORUS_PARTNER_ADDR", default_value = "127.0.0.1:8081")]
        partner_addr: SocketAddr,
    },
    /// Create, translate and inspect petitions.
    #[command(subcommand)]
    Petition(PetitionCommand),
    /// Register partner organisations and the origins their sites are served from.
    #[command(subcommand)]
    Partner(PartnerCommand),
}

#[derive(Debug, Subcommand)]
pub enum PetitionCommand {
    /// Create a petition with its text in its default language.
    Create {
        slug: String,
        #[command(flatten)]
        text: TextArgs,
        /// A fixed signature goal; without one, widgets raise the goal as the count grows.
        #[arg(long)]
        goal: Option<u64>,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Add or replace the petition's text in another language.
    Translate {
        slug: String,
        #[command(flatten)]
        text: TextArgs,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// List petitions with their counts.
    List(StorageConfig),
    /// Show a petition's texts and count.
    Show {
        slug: String,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

#[derive(Debug, clap::Args)]
pub struct TextArgs {
    /// The language of this text: en, fr, es, ...
    #[arg(long)]
    lang: String,
    #[arg(long)]
    title: String,
    #[arg(long)]
    summary: String,
    /// The full text; paragraphs separated by blank lines.
    #[arg(long, default_value = "")]
    body: String,
}

#[derive(Debug, Subcommand)]
pub enum PartnerCommand {
    /// Register a partner organisation and the origin of its website.
    Add {
        name: String,
        /// The partner site's origin, such as https://partner.example
        #[arg(long)]
        origin: String,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// List partner organisations.
    List(StorageConfig),
}

/// Runs one command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(config) => crate::serve(config).await,
        Command::Migrate(storage) => {
            storage::open(&storage.url()).await?;
            println!("database {} is up to date", storage.url());
            Ok(())
        }
        Command::Demo {
            serve,
            partner_addr,
        } => crate::demo_serve(serve, partner_addr).await,
        Command::Petition(command) => petition(command).await,
        Command::Partner(command) => partner(command).await,
    }
}

async fn open(storage: &StorageConfig) -> anyhow::Result<Arc<dyn Store>> {
    storage::open(&storage.url())
        .await
        .with_context(|| format!("opening {}", storage.url()))
}

fn parse_text(args: TextArgs) -> anyhow::Result<PetitionText> {
    crate::petitions::validate_text(&args.lang, args.title, args.summary, args.body)
        .map_err(anyhow::Error::msg)
}

async fn petition(command: PetitionCommand) -> anyhow::Result<()> {
    match command {
        PetitionCommand::Create {
            slug,
            text,
            goal,
            storage,
        } => {
            let slug = Slug::parse(&slug).map_err(anyhow::Error::msg)?;
            if goal == Some(0) {
                anyhow::bail!("a goal must be at least 1 signature");
            }
            let text = parse_text(text)?;
            let petition = open(&storage)
                .await?
                .create_petition(&NewPetition { slug, goal, text })
                .await?;
            println!(
                "created petition {} ({})",
                petition.slug, petition.default_lang
            );
        }
        PetitionCommand::Translate {
            slug,
            text,
            storage,
        } => {
            let store = open(&storage).await?;
            let petition = find_petition(&*store, &slug).await?;
            let text = parse_text(text)?;
            store.put_petition_text(petition.id, &text).await?;
            println!("petition {} now has a {} text", petition.slug, text.lang);
        }
        PetitionCommand::List(storage) => {
            let store = open(&storage).await?;
            let tally = store.tally_since(0).await?;
            println!("{:<32} {:>10} {:>10}  languages", "slug", "count", "goal");
            for petition in store.petitions().await? {
                let count = count_of(&tally, petition.id);
                let langs: Vec<String> = store
                    .petition_texts(petition.id)
                    .await?
                    .into_iter()
                    .map(|t| t.lang.to_string())
                    .collect();
                let goal = petition
                    .goal
                    .map_or_else(|| "auto".into(), |g| g.to_string());
                println!(
                    "{:<32} {count:>10} {goal:>10}  {}",
                    petition.slug,
                    langs.join(",")
                );
            }
        }
        PetitionCommand::Show { slug, storage } => {
            let store = open(&storage).await?;
            let petition = find_petition(&*store, &slug).await?;
            let count = count_of(&store.tally_since(0).await?, petition.id);
            println!("petition  {}", petition.slug);
            println!("count     {count}");
            let goal = petition
                .goal
                .map_or_else(|| "auto".into(), |g| g.to_string());
            println!("goal      {goal}");
            println!("default   {}", petition.default_lang);
            for text in store.petition_texts(petition.id).await? {
                println!(
                    "\n[{}] {}\n{}\n\n{}",
                    text.lang, text.title, text.summary, text.body
                );
            }
        }
    }
    Ok(())
}

fn count_of(tally: &crate::storage::TallySince, petition_id: i64) -> u64 {
    tally
        .tallies
        .iter()
        .find(|t| t.petition_id == petition_id)
        .map_or(0, |t| t.count)
}

async fn find_petition(
    store: &dyn Store,
    slug: &str,
) -> anyhow::Result<crate::storage::PetitionRecord> {
    let slug = Slug::parse(slug).map_err(anyhow::Error::msg)?;
    store
        .petition_by_slug(&slug)
        .await?
        .with_context(|| format!("no petition {slug}; `chorus petition list` shows them"))
}

async fn partner(command: PartnerCommand) -> anyhow::Result<()> {
    match command {
        PartnerCommand::Add {
            name,
            origin,
            storage,
        } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 120 {
                anyhow::bail!("a partner name has 1 to 120 characters");
            }
            let origin = Origin::parse(&origin).map_err(anyhow::Error::msg)?;
            let partner = open(&storage).await?.add_partner(name, &origin).await?;
            println!("added partner {:?} at {}", partner.name, partner.origin);
        }
        PartnerCommand::List(storage) => {
            for partner in open(&storage).await?.partners().await? {
                println!("{:<40} {}", partner.name, partner.origin);
            }
        }
    }
    Ok(())
}
