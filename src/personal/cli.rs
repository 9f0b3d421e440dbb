//! The personal-data commands: `chorus org keygen|list` and
//! `chorus person erase`, and reading an organisation's secret key for an
//! export.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::Context;
use clap::Subcommand;

use super::{OrgSecretKey, ServerKeys, erase, sealed};
use crate::cli::open;
use crate::config::{KeysConfig, StorageConfig};
use crate::storage::rfc3339;

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Register an organisation with a new key pair. Chorus keeps the public
    /// key; the secret key is written once, for the organisation to keep.
    Keygen {
        name: String,
        /// Write the secret key to this new file (readable by you alone)
        /// instead of standard output.
        #[arg(long)]
        secret_key_out: Option<PathBuf>,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// List organisations with their public keys.
    List(StorageConfig),
    /// Make an organisation the owner of feeds and storms made before
    /// Chorus kept owners, so its API tokens reach them.
    Adopt {
        name: String,
        #[arg(long = "feed")]
        feeds: Vec<String>,
        #[arg(long = "storm")]
        storms: Vec<String>,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Erase everything Chorus holds about the people whose addresses are
    /// read from standard input, or from a file, one per line (never from
    /// the command line, which shell history keeps).
    Erase {
        /// A file with the addresses, one per line; `-` or nothing: standard input.
        #[arg(long)]
        from_file: Option<PathBuf>,
        #[command(flatten)]
        keys: KeysConfig,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

pub async fn org(command: OrgCommand) -> anyhow::Result<()> {
    match command {
        OrgCommand::Keygen {
            name,
            secret_key_out,
            storage,
        } => {
            let name = name.trim();
            anyhow::ensure!(
                !name.is_empty() && name.chars().count() <= 120,
                "an organisation's name is 1 to 120 characters"
            );
            let store = open(&storage).await?;
            let (public, secret) = sealed::keygen();
            // The file first: a key pair whose secret half was not saved
            // must never be registered.
            if let Some(path) = &secret_key_out {
                write_new_private_file(path, &secret.to_text())?;
            }
            if let Err(error) = store.add_organisation(name, &public).await {
                if let Some(path) = &secret_key_out {
                    let _ = std::fs::remove_file(path);
                }
                return Err(error.into());
            }
            eprintln!("registered {name} with public key {public}");
            match secret_key_out {
                Some(path) => eprintln!("its secret key is in {}", path.display()),
                None => println!("{}", secret.to_text()),
            }
            eprintln!(
                "Keep the secret key safe and away from this server: Chorus does not keep it, \
                 and without it no one can read the signers' details."
            );
        }
        OrgCommand::List(storage) => {
            let store = open(&storage).await?;
            for org in store.organisations().await? {
                let since = rfc3339(org.created_at).unwrap_or_default();
                println!("{:<32} {}  {since}", org.name, org.public_key);
            }
        }
        OrgCommand::Adopt {
            name,
            feeds,
            storms,
            storage,
        } => {
            let store = open(&storage).await?;
            let organisation = crate::cli::organisation(&*store, &name).await?;
            for slug in feeds {
                let feed = store
                    .feed_by_slug(&crate::ident::Slug::parse(&slug).map_err(anyhow::Error::msg)?)
                    .await?
                    .with_context(|| format!("no feed {slug}"))?;
                store.set_feed_owner(feed.id, organisation.id).await?;
                eprintln!("feed {slug} is {}'s", organisation.name);
            }
            for slug in storms {
                let storm = store
                    .storm_by_slug(&crate::ident::Slug::parse(&slug).map_err(anyhow::Error::msg)?)
                    .await?
                    .with_context(|| format!("no storm {slug}"))?;
                store.set_storm_owner(storm.id, organisation.id).await?;
                eprintln!("storm {slug} is {}'s", organisation.name);
            }
        }
    }
    Ok(())
}

pub async fn person(command: PersonCommand) -> anyhow::Result<()> {
    match command {
        PersonCommand::Erase {
            from_file,
            keys,
            storage,
        } => {
            let keys = ServerKeys::new(&keys.require()?);
            let addresses = read_addresses(from_file.as_deref())?;
            let store = open(&storage).await?;
            for email in &addresses {
                let erasure = erase::erase(&*store, &keys, email).await?;
                println!("{erasure}");
            }
        }
    }
    Ok(())
}

/// The addresses to erase, one per line, from `path` or standard input
/// (where a person at a terminal is asked for them).
fn read_addresses(path: Option<&Path>) -> anyhow::Result<Vec<String>> {
    let text = match path {
        Some(path) if path != Path::new("-") => std::fs::read_to_string(path)
            .with_context(|| format!("reading addresses from {}", path.display()))?,
        _ => {
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprintln!("The addresses to erase, one per line, then Ctrl-D:");
            }
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading addresses from standard input")?;
            text
        }
    };
    let addresses: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if addresses.is_empty() {
        anyhow::bail!("no address to erase: give them on standard input or with --from-file");
    }
    Ok(addresses)
}

/// Reads an organisation's secret key from a file, or from standard input
/// for `-`, so that it never appears in a command line or the environment.
pub fn read_secret_key(path: &Path) -> anyhow::Result<OrgSecretKey> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the secret key from standard input")?;
    } else {
        text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the secret key from {}", path.display()))?;
    }
    OrgSecretKey::from_str(&text).map_err(anyhow::Error::msg)
}

/// Creates `path` (never replacing a file) readable by its owner only.
fn write_new_private_file(path: &Path, contents: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    writeln!(file, "{contents}")?;
    file.sync_all()?;
    Ok(())
}
