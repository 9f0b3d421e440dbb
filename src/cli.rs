//! The `chorus` command line: serving, the demo, and organisers' commands.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{ServeConfig, StorageConfig};
use crate::ident::{Origin, Slug};
use crate::storage::{self, CampaignLinks, NewPetition, PetitionText, Store, rfc3339};

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
    /// Register organisations and make their key pairs.
    #[command(subcommand)]
    Org(crate::personal::cli::OrgCommand),
    /// Erase a person's data.
    #[command(subcommand)]
    Person(crate::personal::cli::PersonCommand),
    /// Review held and suspicious signatures of a petition; count or discount them.
    Review(crate::guard::review::ReviewArgs),
    /// Create, translate and list donation campaigns.
    #[command(subcommand)]
    Campaign(CampaignCommand),
    /// Export a donation campaign's donations.
    #[command(subcommand)]
    Donations(DonationsCommand),
    /// Create and list update feeds.
    #[command(subcommand)]
    Feed(crate::updates::cli::FeedCommand),
    /// Post, edit, unpublish and list a feed's updates.
    #[command(subcommand)]
    Update(crate::updates::cli::UpdateCommand),
    /// Action days, local events, proposals and who is coming.
    #[command(subcommand)]
    Event(crate::events::cli::EventCommand),
    /// "Join us" sign-up lists: create, list, export.
    #[command(subcommand)]
    Signup(crate::signup::cli::SignupCommand),
    /// Social-media storms: plan one, change it, list them.
    #[command(subcommand)]
    Storm(crate::storm::cli::StormCommand),
    /// An organisation's API tokens.
    #[command(subcommand)]
    Token(crate::admin::cli::TokenCommand),
    /// An organisation's audit log, the newest first.
    Audit(crate::admin::cli::AuditArgs),
}

// Parsed once per process: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Create a donation campaign with its words in its default language.
    Create {
        slug: String,
        /// ISO 4217: EUR, USD, GBP, ...
        #[arg(long)]
        currency: String,
        /// What the campaign hopes to raise, in the currency: 20000 or 2500.50
        #[arg(long)]
        goal: Option<String>,
        /// The smallest gift accepted.
        #[arg(long, default_value = "1")]
        min: String,
        /// The largest gift accepted.
        #[arg(long, default_value = "10000")]
        max: String,
        /// The last day gifts are taken (2026-12-18, ending at midnight UTC)
        /// or an RFC 3339 time.
        #[arg(long)]
        deadline: Option<String>,
        /// The frequencies offered, the default first.
        #[arg(long, value_delimiter = ',', default_value = "monthly,once,yearly")]
        frequencies: Vec<String>,
        /// A suggested amount: `monthly:5`. Repeat for more.
        #[arg(long = "ask")]
        asks: Vec<String>,
        #[command(flatten)]
        provider: ProviderArgs,
        #[command(flatten)]
        text: CampaignTextArgs,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Add or replace the campaign's words in another language.
    Translate {
        slug: String,
        #[command(flatten)]
        text: CampaignTextArgs,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// List donation campaigns with their totals.
    List(StorageConfig),
}

#[derive(Debug, clap::Args)]
pub struct ProviderArgs {
    /// Where donors pay.
    #[arg(long, value_enum, default_value_t = ProviderKind::Stripe)]
    pub provider: ProviderKind,
    /// With `--provider paypal`: the hosted button id from PayPal.
    #[arg(long, required_if_eq("provider", "paypal"))]
    pub paypal_button: Option<String>,
    /// With `--provider link`: the payment page's address, with placeholders
    /// {amount} {amount_minor} {currency} {frequency} {campaign} {lang}
    /// {return_url} {cancel_url}.
    #[arg(long, required_if_eq("provider", "link"))]
    pub link_template: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProviderKind {
    /// Stripe Checkout, with the key in CHORUS_STRIPE_SECRET_KEY.
    Stripe,
    /// A PayPal donate button (one-off gifts).
    Paypal,
    /// Any other provider's page, from a URL template.
    Link,
}

#[derive(Debug, clap::Args)]
pub struct CampaignTextArgs {
    /// The language of these words: en, fr, es, ...
    #[arg(long)]
    pub lang: String,
    #[arg(long)]
    pub title: String,
    /// One line on what a gift does.
    #[arg(long, default_value = "")]
    pub impact: String,
    /// A suggested amount's label: "monthly:5=A coffee a day". Repeat for more.
    #[arg(long = "label")]
    pub labels: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum DonationsCommand {
    /// Write every donation with its amount, frequency, partner and time.
    Export {
        campaign: String,
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// A file to write; without one, standard output.
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

#[derive(Debug, Subcommand)]
pub enum SignaturesCommand {
    /// Write every signature with its consents, language, partner and time,
    /// and the signer's details opened with the organisation's secret key.
    Export {
        petition: String,
        /// The file `chorus org keygen` wrote the organisation's secret key
        /// to, or `-` to read it from standard input. It is not stored.
        #[arg(long)]
        secret_key_file: std::path::PathBuf,
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// A file to write; without one, standard output.
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated, UTF-8, formula-safe for spreadsheets.
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum PetitionCommand {
    /// Create a petition with its text in its default language.
    Create {
        slug: String,
        /// The organisation running it (`chorus org keygen` registers one):
        /// signers' details are sealed to its key.
        #[arg(long)]
        org: String,
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
    /// Stop taking signatures. Signers' details are removed once the
    /// retention period (CHORUS_RETENTION_DAYS) after closing has passed.
    Close {
        slug: String,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Take signatures again after a close.
    Reopen {
        slug: String,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Switch signing off for now (under attack, say), or back `on`.
    Signing {
        slug: String,
        #[arg(value_parser = ["on", "off"])]
        setting: String,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Write the document a delegation hands in: the text, the totals,
    /// organisations and individuals by country (HTML and PDF).
    HandIn(crate::handin::cli::HandInArgs),
    /// How the wall of signatories shows people, and whom it never names.
    Wall(crate::wall::cli::WallArgs),
    /// Who signs: individuals, organisations, or both.
    Signatories(crate::endorsements::cli::SignatoriesArgs),
    /// Count a signature only once its address confirms by email (`on`),
    /// or at once (`off`, the default). Needs CHORUS_SMTP_URL when on.
    ConfirmByEmail {
        slug: String,
        #[arg(value_parser = ["on", "off"])]
        setting: String,
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
    /// Make a partner one of a petition's (or a donation campaign's)
    /// partners: signatures and gifts are then accepted from its site and
    /// attributed to it.
    #[command(group(clap::ArgGroup::new("target").required(true).args(["petition", "campaign"])))]
    Join {
        /// The partner's name, as given to `partner add`.
        name: String,
        #[arg(long)]
        petition: Option<String>,
        /// A donation campaign, instead of a petition.
        #[arg(long)]
        campaign: Option<String>,
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
        Command::Org(command) => crate::personal::cli::org(command).await,
        Command::Person(command) => crate::personal::cli::person(command).await,
        Command::Review(args) => crate::guard::review::review(args).await,
        Command::Campaign(command) => crate::donations::cli::campaign(command).await,
        Command::Donations(command) => crate::donations::cli::donations(command).await,
        Command::Feed(command) => crate::updates::cli::feed(command).await,
        Command::Update(command) => crate::updates::cli::update(command).await,
        Command::Event(command) => crate::events::cli::event(command).await,
        Command::Signup(command) => crate::signup::cli::signup(command).await,
        Command::Storm(command) => crate::storm::cli::storm(command).await,
        Command::Token(command) => crate::admin::cli::token(command).await,
        Command::Audit(args) => crate::admin::cli::audit(args).await,
    }
}

async fn signatures(command: SignaturesCommand) -> anyhow::Result<()> {
    match command {
        SignaturesCommand::Export {
            petition,
            secret_key_file,
            format: ExportFormat::Csv,
            output,
            storage,
        } => {
            let key = crate::personal::cli::read_secret_key(&secret_key_file)?;
            let store = open(&storage).await?;
            let petition = find_petition(&*store, &petition).await?;
            let exported = match output {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    let out = std::io::BufWriter::new(file);
                    crate::signing::export::write_csv(&*store, &petition, &key, out).await?
                }
                None => {
                    let out = std::io::stdout().lock();
                    crate::signing::export::write_csv(&*store, &petition, &key, out).await?
                }
            };
            eprintln!("exported {} signatures of {}", exported.rows, petition.slug);
            if exported.anonymised > 0 {
                eprintln!(
                    "{} of them anonymised: no details left",
                    exported.anonymised
                );
            }
            if exported.unopened > 0 {
                eprintln!(
                    "{} of them damaged: their details could not be opened",
                    exported.unopened
                );
            }
        }
    }
    Ok(())
}

pub(crate) async fn open(storage: &StorageConfig) -> anyhow::Result<Arc<dyn Store>> {
    storage::open(&storage.url())
        .await
        .with_context(|| format!("opening {}", storage.url()))
}

/// The organisation an organiser named on the command line.
pub(crate) async fn organisation(
    store: &dyn Store,
    name: &str,
) -> anyhow::Result<crate::storage::Organisation> {
    store
        .organisation_by_name(name.trim())
        .await?
        .with_context(|| {
            format!("no organisation {name:?}; `chorus org keygen NAME` registers one")
        })
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

fn parse_link(raw: Option<String>) -> anyhow::Result<Option<String>> {
    raw.map(|raw| crate::petitions::web_link(&raw).map_err(anyhow::Error::msg))
        .transpose()
}

async fn petition(command: PetitionCommand) -> anyhow::Result<()> {
    match command {
        PetitionCommand::Create {
            slug,
            org,
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
            let store = open(&storage).await?;
            let organisation = organisation(&*store, &org).await?;
            let petition = store
                .create_petition(&NewPetition {
                    slug,
                    organisation_id: organisation.id,
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
            if let Some(closed_at) = petition.closed_at.and_then(rfc3339) {
                println!("closed    {closed_at}");
            }
            for text in store.petition_texts(petition.id).await? {
                println!(
                    "\n[{}] {}\n{}\n\n{}",
                    text.lang, text.title, text.summary, text.body
                );
            }
        }
        PetitionCommand::Close { slug, storage } => {
            let store = open(&storage).await?;
            let petition = find_petition(&*store, &slug).await?;
            store
                .set_petition_closed(petition.id, Some(crate::storage::now_millis()))
                .await?;
            println!("petition {} is closed to new signatures", petition.slug);
        }
        PetitionCommand::Signing {
            slug,
            setting,
            storage,
        } => {
            let store = open(&storage).await?;
            let petition = find_petition(&*store, &slug).await?;
            let paused = setting == "off";
            store.set_paused(petition.id, paused).await?;
            if paused {
                println!(
                    "petition {}: signing paused (within 5 s on every instance)",
                    petition.slug
                );
            } else {
                println!("petition {}: signing on", petition.slug);
            }
        }
        PetitionCommand::HandIn(args) => crate::handin::cli::write(args).await?,
        PetitionCommand::Wall(args) => crate::wall::cli::set(args).await?,
        PetitionCommand::Signatories(args) => crate::endorsements::cli::set(args).await?,
        PetitionCommand::ConfirmByEmail {
            slug,
            setting,
            storage,
        } => {
            let store = open(&storage).await?;
            let petition = find_petition(&*store, &slug).await?;
            let on = setting == "on";
            store.set_confirm_by_email(petition.id, on).await?;
            if on {
                println!(
                    "petition {}: signatures count once their address confirms by email",
                    petition.slug
                );
            } else {
                println!("petition {}: signatures count at once", petition.slug);
            }
        }
        PetitionCommand::Reopen { slug, storage } => {
            let store = open(&storage).await?;
            let petition = find_petition(&*store, &slug).await?;
            store.set_petition_closed(petition.id, None).await?;
            println!("petition {} takes signatures again", petition.slug);
        }
    }
    Ok(())
}

fn count_of(tally: &crate::storage::TallySince, petition_id: i64) -> u64 {
    tally
        .tallies
        .iter()
        .find(|t| t.petition_id == petition_id)
        .map_or(0, |t| u64::try_from(t.change).unwrap_or(0))
}

pub(crate) async fn find_petition(
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
            campaign,
            contact_opt_in,
            storage,
        } => {
            let store = open(&storage).await?;
            let partner = store
                .partners()
                .await?
                .into_iter()
                .find(|p| p.name == name.trim())
                .with_context(|| {
                    format!("no partner {name:?}; `chorus partner list` shows them")
                })?;
            let Some(petition) = petition else {
                let campaign = crate::donations::cli::find_campaign(
                    &*store,
                    campaign.as_deref().unwrap_or_default(),
                )
                .await?;
                store.put_donation_partner(campaign.id, partner.id).await?;
                println!(
                    "{} is a partner of {}; gifts from {} are accepted",
                    partner.name, campaign.slug, partner.origin
                );
                return Ok(());
            };
            let petition = find_petition(&*store, &petition).await?;
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
