//! `chorus petition signatories SLUG people|organisations|both`: who a
//! petition takes signatures from.

use crate::cli::open;
use crate::config::StorageConfig;
use crate::storage::Signatories;

#[derive(Debug, clap::Args)]
pub struct SignatoriesArgs {
    pub slug: String,
    /// `people` (the default), `organisations`, or `both`: the widget then
    /// asks whether one signs as an organisation or as an individual.
    #[arg(value_parser = ["people", "organisations", "both"])]
    pub signatories: String,
    #[command(flatten)]
    pub storage: StorageConfig,
}

pub async fn set(args: SignatoriesArgs) -> anyhow::Result<()> {
    let store = open(&args.storage).await?;
    let petition = crate::cli::find_petition(&*store, &args.slug).await?;
    let signatories = Signatories::parse(&args.signatories)
        .ok_or_else(|| anyhow::anyhow!("say people, organisations or both"))?;
    store.set_signatories(petition.id, signatories).await?;
    let who = match signatories {
        Signatories::People => "individuals",
        Signatories::Organisations => "organisations",
        Signatories::Both => "organisations and individuals",
    };
    println!(
        "petition {}: signed by {who} (within 5 s on every instance)",
        petition.slug
    );
    Ok(())
}
