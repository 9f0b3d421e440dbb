//! The `chorus` command line: serving, the demo, and organisers' commands.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{ServeConfig, StorageConfig};
use crate::ident::{Origin, Slug};
use crate::storage::{self, CampaignLinks, NewPetition, PetitionText, Store};

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
    /// Export a petition's signatures.
    #[command(subcommand)]
    Signatures(SignaturesCommand),
}

#[derive(Debug, Subcommand)]
pub enum SignaturesCommand {
    /// Write every signature with its consents, language, partner and time.
    Export {
        petition: String,
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// A file to write; without one, standard output.
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated, UTF-8, formula-safe for spreadsheets.
    Csv,
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
        /// The campaign's privacy notice, which signers agree to.
        #[arg(long)]
        privacy_url: Option<String>,
        /// Where shares point; without one, the page the supporter signed on.
        #[arg(long)]
        share_url: Option<String>,
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
    /// What supporters' shares say in this language.
    #[arg(long, default_value = "")]
    share_message: String,
    /// Hashtags for shares, such as "HumanRights,Defenders".
    #[arg(long, default_value = "")]
    hashtags: String,
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
    /// Make a partner one of a petition's partners: signatures are then
    /// accepted from its site and attributed to it.
    Join {
        /// The partner's name, as given to `partner add`.
        name: String,
        #[arg(long)]
        petition: String,
        /// The partner asks its signers whether it may write to them.
        #[arg(long)]
        contact_opt_in: bool,
        #[command(flatten)]
        storage: StorageConfig,
    },
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
        Command::Signatures(command) => signatures(command).await,
    }
}

async fn signatures(command: SignaturesCommand) -> anyhow::Result<()> {
    match command {
        SignaturesCommand::Export {
            petition,
            format: ExportFormat::Csv,
            output,
            storage,
        } => {
            let store = open(&storage).await?;
            let petition = find_petition(&*store, &petition).await?;
            let written = match output {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    crate::signing::export::write_csv(
                        &*store,
                        petition.id,
                        std::io::BufWriter::new(file),
                    )
                    .await?
                }
                None => {
                    crate::signing::export::write_csv(
                        &*store,
                        petition.id,
                        std::io::stdout().lock(),
                    )
                    .await?
                }
            };
            eprintln!("exported {written} signatures of {}", petition.slug);
        }
    }
    Ok(())
}

async fn open(storage: &StorageConfig) -> anyhow::Result<Arc<dyn Store>> {
    storage::open(&storage.url())
        .await
        .with_context(|| format!("opening {}", storage.url()))
}

fn parse_text(args: TextArgs) -> anyhow::Result<PetitionText> {
    crate::petitions::validate_text(crate::petitions::TextDraft {
        lang: args.lang,
        title: args.title,
        summary: args.summary,
        body: args.body,
        share_message: args.share_message,
        hashtags: args.hashtags,
    })
    .map_err(anyhow::Error::msg)
}

/// An organiser's link: absolute http(s) only.
fn parse_link(raw: Option<String>) -> anyhow::Result<Option<String>> {
    raw.map(|raw| {
        let url = url::Url::parse(&raw).map_err(|e| anyhow::anyhow!("{raw:?}: {e}"))?;
        anyhow::ensure!(
            matches!(url.scheme(), "http" | "https"),
            "{raw:?} is not an http(s) address"
        );
        Ok(url.to_string())
    })
    .transpose()
}

async fn petition(command: PetitionCommand) -> anyhow::Result<()> {
    match command {
        PetitionCommand::Create {
            slug,
            text,
            goal,
            privacy_url,
            share_url,
            storage,
        } => {
            let slug = Slug::parse(&slug).map_err(anyhow::Error::msg)?;
            if goal == Some(0) {
                anyhow::bail!("a goal must be at least 1 signature");
            }
            let text = parse_text(text)?;
            let links = CampaignLinks {
                privacy_url: parse_link(privacy_url)?,
                share_url: parse_link(share_url)?,
            };
            let petition = open(&storage)
                .await?
                .create_petition(&NewPetition {
                    slug,
                    goal,
                    links,
                    text,
                })
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
        PartnerCommand::Join {
            name,
            petition,
            contact_opt_in,
            storage,
        } => {
            let store = open(&storage).await?;
            let petition = find_petition(&*store, &petition).await?;
            let partner = store
                .partners()
                .await?
                .into_iter()
                .find(|p| p.name == name.trim())
                .with_context(|| {
                    format!("no partner {name:?}; `chorus partner list` shows them")
                })?;
            store
                .put_petition_partner(petition.id, partner.id, contact_opt_in)
                .await?;
            println!(
                "{} is a partner of {}; signatures from {} are accepted",
                partner.name, petition.slug, partner.origin
            );
        }
    }
    Ok(())
}
