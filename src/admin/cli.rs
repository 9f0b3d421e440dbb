//! `chorus token create|list|revoke`: an organisation's API tokens, and
//! `chorus audit`: its audit log. A new token is printed once, alone on
//! standard output (so a script can keep it); Chorus keeps only its
//! digest. Making and revoking tokens is audited.

use clap::Subcommand;

use super::tokens::{self, Scope, TokenRequest};
use crate::cli::{open, organisation};
use crate::config::StorageConfig;
use crate::storage::{ApiTokenRecord, now_millis, rfc3339};

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a token for one organisation's tools, with what it may do.
    Create {
        /// The organisation whose content the token reaches.
        #[arg(long)]
        org: String,
        /// Who or what will use it ("Website CMS", "Ana's laptop").
        #[arg(long)]
        label: String,
        /// What it may do; repeat for several: write:updates,
        /// write:storms, write:events.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// How many days it works.
        #[arg(long, default_value_t = tokens::DEFAULT_DAYS)]
        days: u32,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// An organisation's tokens: label, scopes, expiry, last use.
    List {
        #[arg(long)]
        org: String,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Stop a token working at once.
    Revoke {
        #[arg(long)]
        org: String,
        /// The token's number, as `chorus token list` shows it.
        id: i64,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

pub async fn token(command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create {
            org,
            label,
            scopes,
            days,
            storage,
        } => {
            let scopes = scopes
                .iter()
                .map(|name| {
                    Scope::parse(name.trim()).ok_or_else(|| {
                        anyhow::anyhow!(
                            "no scope {name:?}: choose from {}",
                            Scope::ALL.map(Scope::name).join(", ")
                        )
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let store = open(&storage).await?;
            let organisation = organisation(&*store, &org).await?;
            let request = TokenRequest {
                organisation_id: organisation.id,
                label,
                scopes,
                days,
            };
            let issued = tokens::issue(request, now_millis()).map_err(anyhow::Error::msg)?;
            let record = store.create_api_token(&issued.stored).await?;
            super::audit::record(
                &*store,
                organisation.id,
                super::audit::OPERATOR,
                "token.created",
                format!("token {} ({}): {}", record.id, record.label, record.scopes),
            )
            .await?;
            println!("{}", issued.token);
            eprintln!(
                "token {} for {}: {}, until {}. It is shown this once; Chorus keeps only its digest.",
                record.id,
                organisation.name,
                record.scopes,
                time(record.expires_at)
            );
        }
        TokenCommand::List { org, storage } => {
            let store = open(&storage).await?;
            let organisation = organisation(&*store, &org).await?;
            let now = now_millis();
            for token in store.api_tokens(organisation.id).await? {
                println!("{}", describe(&token, now));
            }
        }
        TokenCommand::Revoke { org, id, storage } => {
            let store = open(&storage).await?;
            let organisation = organisation(&*store, &org).await?;
            anyhow::ensure!(
                store
                    .revoke_api_token(organisation.id, id, now_millis())
                    .await?,
                "{} has no working token {id}: see chorus token list",
                organisation.name
            );
            super::audit::record(
                &*store,
                organisation.id,
                super::audit::OPERATOR,
                "token.revoked",
                format!("token {id}"),
            )
            .await?;
            eprintln!("token {id} of {} revoked", organisation.name);
        }
    }
    Ok(())
}

/// `chorus audit --org NAME`: the newest lines first.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[arg(long)]
    org: String,
    /// How many lines.
    #[arg(long, default_value_t = 50)]
    limit: u32,
    #[command(flatten)]
    storage: StorageConfig,
}

pub async fn audit(args: AuditArgs) -> anyhow::Result<()> {
    let store = open(&args.storage).await?;
    let organisation = organisation(&*store, &args.org).await?;
    let limit = args.limit.clamp(1, 10_000);
    for line in store.audit_log(organisation.id, None, limit).await? {
        println!(
            "{}\t{}\t{}\t{}",
            time(line.at),
            line.actor,
            line.action,
            line.detail
        );
    }
    Ok(())
}

fn time(millis: i64) -> String {
    rfc3339(millis).unwrap_or_else(|| millis.to_string())
}

/// One line of `chorus token list`.
fn describe(token: &ApiTokenRecord, now: i64) -> String {
    let state = match token.revoked_at {
        Some(at) => format!("revoked {}", time(at)),
        None if token.expires_at <= now => format!("expired {}", time(token.expires_at)),
        None => format!("until {}", time(token.expires_at)),
    };
    let used = token.last_used_at.map_or_else(
        || "never used".to_owned(),
        |at| format!("last used {}", time(at)),
    );
    format!(
        "{}\t{}\t{}\t{state}\t{used}",
        token.id, token.label, token.scopes
    )
}
