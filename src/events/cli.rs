//! The organisers' event commands: `chorus event day|create|edit|translate|
//! cancel|list|review|attendees`.

use anyhow::Context;
use chorus_wire::events::EventProposal;
use clap::Subcommand;

use super::admin::{self, DayInput, Decision, EventInput, Refused, TextInput};
use crate::admin::Acting;
use crate::cli::open;
use crate::config::{KeysConfig, PublicUrl, StorageConfig};
use crate::personal::ServerKeys;
use crate::storage::{EventRecord, EventStatus};

#[derive(Debug, Subcommand)]
pub enum EventCommand {
    /// Create an action day: many events on one calendar day.
    Day {
        slug: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "en")]
        lang: String,
        /// The organisation whose key RSVPs and hosts are sealed to.
        #[arg(long)]
        organisation: String,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Create an event, approved at once.
    Create {
        #[command(flatten)]
        event: EventArgs,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Replace an event's details and its words in their language.
    Edit {
        id: String,
        #[command(flatten)]
        event: EventArgs,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Add or replace an event's words in another language.
    Translate {
        id: String,
        #[arg(long)]
        lang: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        description: String,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Cancel an event: it stays listed, marked cancelled.
    Cancel {
        id: String,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// List events still to come.
    List {
        /// pending, approved, rejected or cancelled; without one, the public ones.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Show proposals waiting for approval, or decide one (the host is
    /// told by email).
    Review {
        id: Option<String>,
        #[arg(long, conflicts_with = "reject", requires = "id")]
        approve: bool,
        #[arg(long, requires = "id")]
        reject: bool,
        #[command(flatten)]
        keys: KeysConfig,
        #[arg(long, env = "CHORUS_PUBLIC_URL")]
        public_url: Option<PublicUrl>,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Who is coming to an event, their details opened with the
    /// organisation's secret key.
    Attendees {
        id: String,
        /// The file `chorus org keygen` wrote the organisation's secret key
        /// to, or `-` for standard input. It is not stored.
        #[arg(long)]
        secret_key_file: std::path::PathBuf,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

/// An event's details as flags.
#[derive(Debug, Clone, clap::Args)]
pub struct EventArgs {
    /// The action day's slug; without one, name the organisation.
    #[arg(long, default_value = "")]
    day: String,
    #[arg(long)]
    organisation: Option<String>,
    /// rally, march, vigil, gathering, potluck, press, online or other.
    #[arg(long)]
    kind: String,
    #[arg(long)]
    title: String,
    #[arg(long, default_value = "")]
    description: String,
    #[arg(long, default_value = "en")]
    lang: String,
    /// The wall-clock start at the event: 2026-12-18T18:00.
    #[arg(long)]
    starts: String,
    #[arg(long)]
    ends: String,
    /// The IANA zone: Europe/Paris.
    #[arg(long)]
    time_zone: String,
    #[arg(long, default_value = "")]
    venue: String,
    #[arg(long, default_value = "")]
    address: String,
    /// Send the address only to people who RSVP with an email.
    #[arg(long)]
    private_address: bool,
    #[arg(long)]
    city: String,
    /// ISO 3166-1 alpha-2: FR.
    #[arg(long)]
    country: String,
    #[arg(long, default_value = "")]
    online_url: String,
    #[arg(long, default_value = "")]
    accessibility: String,
    #[arg(long)]
    capacity: Option<u32>,
    /// The host organisation's public name.
    #[arg(long)]
    host: String,
    /// A partner hosting it, by origin.
    #[arg(long)]
    partner: Option<String>,
}

impl EventArgs {
    fn input(self) -> EventInput {
        EventInput {
            event: EventProposal {
                day: self.day,
                kind: self.kind,
                lang: self.lang,
                title: self.title,
                description: self.description,
                starts: self.starts,
                ends: self.ends,
                time_zone: self.time_zone,
                venue: self.venue,
                address: self.address,
                address_private: self.private_address,
                city: self.city,
                country: self.country.to_ascii_uppercase(),
                online_url: self.online_url,
                accessibility: self.accessibility,
                capacity: self.capacity,
                host: self.host,
                ..EventProposal::default()
            },
            organisation: self.organisation,
            partner: self.partner,
        }
    }
}

fn refused(error: Refused) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}

pub async fn event(command: EventCommand) -> anyhow::Result<()> {
    match command {
        EventCommand::Day {
            slug,
            date,
            name,
            lang,
            organisation,
            storage,
        } => {
            let store = open(&storage).await?;
            let input = DayInput {
                slug,
                day: date,
                lang,
                name,
                organisation,
            };
            let day = admin::create_day(&*store, Acting::Operator, &input)
                .await
                .map_err(refused)?;
            println!("created action day {} on {}", day.slug, day.day);
        }
        EventCommand::Create { event, storage } => {
            let store = open(&storage).await?;
            let created = admin::create(&*store, Acting::Operator, &event.input())
                .await
                .map_err(refused)?;
            println!("created event {}", summary(&created));
        }
        EventCommand::Edit { id, event, storage } => {
            let store = open(&storage).await?;
            let edited = admin::edit(&*store, Acting::Operator, &id, &event.input())
                .await
                .map_err(refused)?;
            println!("edited event {}", summary(&edited));
        }
        EventCommand::Translate {
            id,
            lang,
            title,
            description,
            storage,
        } => {
            let store = open(&storage).await?;
            let input = TextInput {
                lang,
                title,
                description,
            };
            admin::put_text(&*store, Acting::Operator, &id, &input)
                .await
                .map_err(refused)?;
            println!("event {id} now has a {} text", input.lang);
        }
        EventCommand::Cancel { id, storage } => {
            let store = open(&storage).await?;
            let event = admin::decide(&*store, None, "", Acting::Operator, &id, Decision::Cancel)
                .await
                .map_err(refused)?;
            println!("cancelled event {}", summary(&event));
        }
        EventCommand::List { status, storage } => {
            let store = open(&storage).await?;
            let status = status
                .map(|s| {
                    EventStatus::parse(&s)
                        .context("status: pending, approved, rejected or cancelled")
                })
                .transpose()?;
            let events = admin::upcoming(&*store, status, 10_000)
                .await
                .map_err(refused)?;
            for event in &events {
                println!("{}", summary(event));
            }
            eprintln!("{} event(s)", events.len());
        }
        EventCommand::Review {
            id,
            approve,
            reject,
            keys,
            public_url,
            storage,
        } => {
            let store = open(&storage).await?;
            let Some(id) = id else {
                let pending = admin::upcoming(&*store, Some(EventStatus::Pending), 10_000)
                    .await
                    .map_err(refused)?;
                for event in &pending {
                    println!("{}", summary(event));
                }
                eprintln!(
                    "{} proposal(s) waiting; decide with `chorus event review ID --approve` or `--reject`",
                    pending.len()
                );
                return Ok(());
            };
            let decision = match (approve, reject) {
                (true, false) => Decision::Approve,
                (false, true) => Decision::Reject,
                _ => anyhow::bail!("say --approve or --reject"),
            };
            let keys = ServerKeys::new(&keys.require()?);
            let origin =
                public_url.context("the host's email links to the event: set CHORUS_PUBLIC_URL")?;
            let event = admin::decide(
                &*store,
                Some(&keys),
                origin.as_str(),
                Acting::Operator,
                &id,
                decision,
            )
            .await
            .map_err(refused)?;
            println!("{} event {}", event.status.as_str(), summary(&event));
        }
        EventCommand::Attendees {
            id,
            secret_key_file,
            storage,
        } => {
            let key = crate::personal::cli::read_secret_key(&secret_key_file)?;
            let store = open(&storage).await?;
            let event = admin::find(&*store, Acting::Operator, &id)
                .await
                .map_err(refused)?;
            let out = std::io::stdout().lock();
            let written = super::attendees::write_csv(&*store, &event, &key, out).await?;
            eprintln!(
                "{} RSVP(s), {} people coming to {}",
                written.rows, event.going, event.public_id
            );
        }
    }
    Ok(())
}

/// One line about an event: id, state, start at the event, place, title.
fn summary(event: &EventRecord) -> String {
    let (local, _) = super::event::wall_clock(event.details.starts_at, &event.details.time_zone);
    let title = event
        .texts
        .iter()
        .find(|t| t.lang == event.default_lang)
        .map_or("", |t| t.title.as_str());
    format!(
        "{}  {:<9} {} {}  {}, {}  {} coming  {}",
        event.public_id,
        event.status.as_str(),
        local.replace('T', " "),
        event.details.time_zone,
        event.details.place.city,
        event.details.place.country,
        event.going,
        title,
    )
}
