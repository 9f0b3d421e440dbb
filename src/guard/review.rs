//! `chorus review PETITION`: the organiser's look at held and suspicious
//! signatures, grouped by client (a day's hash of its network), by hour
//! and, given the organisation's secret key, by email domain; and the
//! decisions that count or discount a group. Every change to the count is
//! written to the audit log (`count_corrections`).

use std::path::PathBuf;

use anyhow::Context;
use futures_util::TryStreamExt;

use super::groups::{Group, Grouping, domain_of, hour_of};
use crate::cli::open;
use crate::config::StorageConfig;
use crate::ident::Slug;
use crate::personal::OrgSecretKey;
use crate::storage::{
    Cluster, Correction, Decision, PetitionRecord, ReviewScope, Store, now_millis, rfc3339,
};

/// How many hex digits of a client hash are shown and accepted.
pub const SHOWN: usize = 12;
/// Hours and domains listed beyond those with held signers.
pub const BUSIEST: usize = 5;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("scope").args(["client", "domain", "hour"])))]
pub struct ReviewArgs {
    pub petition: String,
    /// Count held signatures after all: every held one, or one group's.
    #[arg(long, conflicts_with = "invalidate")]
    pub accept: bool,
    /// Stop counting one group's signatures, held or counted.
    #[arg(long, requires = "scope")]
    pub invalidate: bool,
    /// The client, by the start of its hash as the list shows it.
    #[arg(long)]
    pub client: Option<String>,
    /// The signers whose email is at this domain (needs the secret key).
    #[arg(long, requires = "secret_key_file")]
    pub domain: Option<String>,
    /// The signers of one UTC hour, as the list shows it: `2026-11-22T05`.
    #[arg(long)]
    pub hour: Option<String>,
    /// The organisation's secret key (a file, or `-` for standard input), to
    /// group signers by email domain. It is not stored.
    #[arg(long)]
    pub secret_key_file: Option<PathBuf>,
    /// List the organisations that signed, waiting ones first.
    #[arg(long, conflicts_with_all = ["accept", "invalidate"])]
    pub organisations: bool,
    /// Approve one organisation, by the id the list shows: it is counted,
    /// and listed unless it asked not to be named.
    #[arg(long, value_name = "ID", conflicts_with_all = ["accept", "invalidate", "reject_organisation"])]
    pub approve_organisation: Option<i64>,
    /// Reject one organisation, by the id the list shows.
    #[arg(long, value_name = "ID", conflicts_with_all = ["accept", "invalidate"])]
    pub reject_organisation: Option<i64>,
    /// Why, for the audit log.
    #[arg(long, default_value = "review")]
    pub reason: String,
    #[command(flatten)]
    pub storage: StorageConfig,
}

/// The petition's signers by hour and, with a key, by email domain.
struct Groupings {
    by_hour: Grouping,
    by_domain: Option<Grouping>,
}

async fn group(
    store: &dyn Store,
    petition: &PetitionRecord,
    key: Option<&OrgSecretKey>,
) -> anyhow::Result<Groupings> {
    let mut by_hour = Grouping::default();
    let mut by_domain = key.map(|_| Grouping::default());
    let mut rows = store.signed_rows(petition.id);
    while let Some(row) = rows.try_next().await? {
        by_hour.add(hour_of(row.signed_at), &row);
        if let (Some(by_domain), Some(key), Some(sealed)) = (&mut by_domain, key, &row.sealed) {
            let domain = key.open(sealed).map(|d| domain_of(&d.email));
            by_domain.add(domain.unwrap_or_else(|_| "(unreadable)".into()), &row);
        }
    }
    Ok(Groupings { by_hour, by_domain })
}

pub async fn review(args: ReviewArgs) -> anyhow::Result<()> {
    let store = open(&args.storage).await?;
    let slug = Slug::parse(&args.petition).map_err(anyhow::Error::msg)?;
    let petition = store
        .petition_by_slug(&slug)
        .await?
        .with_context(|| format!("no petition {slug}"))?;
    use crate::endorsements::review::{self as organisations, Ask};
    use crate::storage::Verdict;
    let ask = match (args.approve_organisation, args.reject_organisation) {
        (Some(id), _) => Some(Ask::Decide(id, Verdict::Approve)),
        (_, Some(id)) => Some(Ask::Decide(id, Verdict::Reject)),
        _ => args.organisations.then_some(Ask::List),
    };
    if let Some(ask) = ask {
        return organisations::review(&*store, &petition, ask, &args.reason).await;
    }
    let key = args
        .secret_key_file
        .as_deref()
        .map(crate::personal::cli::read_secret_key)
        .transpose()?;
    if let Some(key) = &key {
        crate::signing::export::check_key(&*store, &petition, key).await?;
    }
    let clusters = store.clusters(petition.id).await?;
    let groupings = group(&*store, &petition, key.as_ref()).await?;
    let decision = match (args.accept, args.invalidate) {
        (true, _) => Decision::Accept,
        (_, true) => Decision::Invalidate,
        _ => {
            print_clusters(&clusters);
            print_groups("hour (UTC)", groupings.by_hour.notable(BUSIEST));
            if let Some(by_domain) = groupings.by_domain {
                print_groups("email domain", by_domain.notable(BUSIEST));
            }
            print_corrections(&store.corrections(petition.id).await?);
            return Ok(());
        }
    };
    let members = |grouping: Option<Grouping>, key: &str| {
        grouping
            .and_then(|g| g.take(key.trim()))
            .map(|group: Group| group.signer_ids)
            .with_context(|| format!("no signer of {slug} to review in {key}"))
    };
    let scope = ReviewScope {
        petition_id: petition.id,
        client_hash: args
            .client
            .as_deref()
            .map(|prefix| find(&clusters, prefix).map_err(anyhow::Error::msg))
            .transpose()?,
        signer_ids: match (&args.hour, &args.domain) {
            (Some(hour), _) => Some(members(Some(groupings.by_hour), hour)?),
            (_, Some(domain)) => Some(members(groupings.by_domain, &domain.trim().to_lowercase())?),
            _ => None,
        },
    };
    let change = store
        .decide(&scope, decision, &args.reason, now_millis())
        .await?;
    println!(
        "petition {slug}: count changed by {change:+} ({})",
        args.reason
    );
    Ok(())
}

/// The one cluster whose hash starts with `prefix`.
pub fn find(clusters: &[Cluster], prefix: &str) -> Result<Vec<u8>, String> {
    let prefix = prefix.trim().to_ascii_lowercase();
    let matching: Vec<&Cluster> = clusters
        .iter()
        .filter(|c| hex::encode(&c.client_hash).starts_with(&prefix))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one.client_hash.clone()),
        [] => Err(format!("no client {prefix} among this petition's clusters")),
        _ => Err(format!(
            "{prefix} names several clients: give more of the hash"
        )),
    }
}

/// A petition's counted and held signers by the UTC hour they signed in.
pub async fn by_hour(
    store: &dyn Store,
    petition: &PetitionRecord,
) -> crate::storage::StoreResult<Grouping> {
    let mut by_hour = Grouping::default();
    let mut rows = store.signed_rows(petition.id);
    while let Some(row) = rows.try_next().await? {
        by_hour.add(hour_of(row.signed_at), &row);
    }
    Ok(by_hour)
}

fn print_corrections(corrections: &[Correction]) {
    if corrections.is_empty() {
        return;
    }
    println!("\ncorrections to the count:");
    for c in corrections {
        println!(
            "{}  {:+}  by {}: {}",
            rfc3339(c.at).unwrap_or_default(),
            c.change,
            c.actor,
            c.reason
        );
    }
}

/// A grouping's notable groups, under a heading naming its key.
fn print_groups(key: &str, groups: Vec<(String, Group)>) {
    if groups.is_empty() {
        return;
    }
    println!("\n{key:<24}  counted   held  first signed           last signed");
    for (name, group) in groups {
        println!(
            "{name:<24}  {:>7}  {:>5}  {}  {}",
            group.counted,
            group.held,
            rfc3339(group.first).unwrap_or_default(),
            rfc3339(group.last).unwrap_or_default(),
        );
    }
}

fn print_clusters(clusters: &[Cluster]) {
    if clusters.is_empty() {
        println!("nothing to review: no held signatures, and no client signed twice");
        return;
    }
    println!(
        "{:<width$}  {:>7}  {:>5}  first signed           last signed",
        "client",
        "counted",
        "held",
        width = SHOWN
    );
    for cluster in clusters {
        let hash = hex::encode(&cluster.client_hash);
        println!(
            "{:<width$}  {:>7}  {:>5}  {}  {}",
            &hash[..SHOWN.min(hash.len())],
            cluster.counted,
            cluster.held,
            rfc3339(cluster.first).unwrap_or_default(),
            rfc3339(cluster.last).unwrap_or_default(),
            width = SHOWN
        );
    }
    println!(
        "\n`--accept` counts every held signature; add `--client HASH`, `--hour HOUR`\n\
         or `--domain DOMAIN` (with `--secret-key-file`) for one group's.\n\
         `--invalidate` with one of those stops counting the group's signatures."
    );
}
