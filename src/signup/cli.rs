//! `chorus signup create|list|export`: sign-up lists for organisers.

use std::io::Write;

use anyhow::Context;
use futures_util::StreamExt;

use crate::cli::open;
use crate::config::StorageConfig;
use crate::ident::Slug;
use crate::personal::{OrgSecretKey, PersonalDetails};
use crate::storage::{NewSignupList, SignupList, SignupRow, Store, StoreError, rfc3339};

#[derive(Debug, clap::Subcommand)]
pub enum SignupCommand {
    /// Create a list for `data-chorus="signup" data-list="SLUG"`.
    Create {
        slug: String,
        /// How the widget and the emails name it: "Coalition news".
        #[arg(long)]
        name: String,
        /// The organisation whose key its people are sealed to.
        #[arg(long)]
        org: String,
        /// The privacy notice people agree to.
        #[arg(long)]
        privacy_url: Option<String>,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Every list with its confirmed people.
    List {
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Write a list's people as CSV, with their details opened with the
    /// organisation's secret key: the confirmed, and those still waiting.
    Export {
        slug: String,
        /// The file `chorus org keygen` wrote the organisation's secret key
        /// to, or `-` to read it from standard input. It is not stored.
        #[arg(long)]
        secret_key_file: std::path::PathBuf,
        /// A file to write; without one, standard output.
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

pub async fn signup(command: SignupCommand) -> anyhow::Result<()> {
    match command {
        SignupCommand::Create {
            slug,
            name,
            org,
            privacy_url,
            storage,
        } => {
            let store = open(&storage).await?;
            let slug = Slug::parse(&slug).map_err(anyhow::Error::msg)?;
            anyhow::ensure!(
                !name.trim().is_empty() && name.chars().count() <= 120,
                "give the list a name of at most 120 characters"
            );
            if let Some(url) = &privacy_url {
                anyhow::ensure!(
                    url.starts_with("https://") || url.starts_with("http://"),
                    "the privacy notice must be a web address"
                );
            }
            let organisation = crate::cli::organisation(&*store, &org).await?;
            let list = store
                .create_signup_list(&NewSignupList {
                    slug,
                    organisation_id: organisation.id,
                    name: name.trim().to_owned(),
                    privacy_url,
                })
                .await
                .map_err(|error| match error {
                    StoreError::AlreadyExists(_) => anyhow::anyhow!("a list with this slug exists"),
                    other => other.into(),
                })?;
            println!(
                "list {}: embed it with <div data-chorus=\"signup\" data-list=\"{}\"></div>",
                list.slug, list.slug
            );
            Ok(())
        }
        SignupCommand::List { storage } => {
            let store = open(&storage).await?;
            for list in store.signup_lists().await? {
                let count = store.signup_count(list.id).await?;
                println!("{}\t{}\t{count} confirmed", list.slug, list.name);
            }
            Ok(())
        }
        SignupCommand::Export {
            slug,
            secret_key_file,
            output,
            storage,
        } => {
            let key = crate::personal::cli::read_secret_key(&secret_key_file)?;
            let store = open(&storage).await?;
            let slug = Slug::parse(&slug).map_err(anyhow::Error::msg)?;
            let list = store
                .signup_list_by_slug(&slug)
                .await?
                .with_context(|| format!("no sign-up list named {slug}"))?;
            let rows = match output {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    write_csv(&*store, &list, &key, std::io::BufWriter::new(file)).await?
                }
                None => write_csv(&*store, &list, &key, std::io::stdout().lock()).await?,
            };
            eprintln!("{rows} people exported");
            Ok(())
        }
    }
}

const HEADER: [&str; 10] = [
    "joined_at",
    "first_name",
    "email",
    "country",
    "lang",
    "partner",
    "status",
    "confirmed_at",
    "consent_version",
    "consent",
];

/// Writes the list's people as CSV to `out`, formula-safe; refuses a key
/// that is not the list's organisation's before writing anything.
pub async fn write_csv(
    store: &dyn Store,
    list: &SignupList,
    key: &OrgSecretKey,
    out: impl Write,
) -> anyhow::Result<u64> {
    let organisation = store
        .organisation(list.organisation_id)
        .await?
        .with_context(|| format!("list {} has no organisation", list.slug))?;
    anyhow::ensure!(
        key.public_key() == organisation.public_key,
        "this secret key is not {}'s: it cannot open the people of {}",
        organisation.name,
        list.slug
    );
    let rows = store.signups(list.id).await?;
    let to_cells = |row: &SignupRow| {
        let details = key
            .open(&row.sealed)
            .unwrap_or_else(|_| PersonalDetails::default());
        [
            rfc3339(row.created_at).unwrap_or_default(),
            details.first_name,
            details.email,
            row.country.clone(),
            row.lang.clone(),
            row.partner.clone().unwrap_or_default(),
            row.status.clone(),
            row.confirmed_at.and_then(rfc3339).unwrap_or_default(),
            row.consent_version.clone(),
            row.consent.clone(),
        ]
    };
    let stream = futures_util::stream::iter(rows.into_iter().map(Ok)).boxed();
    crate::signing::export::write_rows(&HEADER, stream, to_cells, out).await
}
