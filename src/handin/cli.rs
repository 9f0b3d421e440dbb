//! `chorus petition hand-in SLUG --out DIR`: writes `SLUG-hand-in.html`
//! and `SLUG-hand-in.pdf`.

use std::path::PathBuf;

use anyhow::Context;

use crate::cli::open;
use crate::config::StorageConfig;

#[derive(Debug, clap::Args)]
pub struct HandInArgs {
    pub slug: String,
    /// The document's language, where the petition has its text in it:
    /// en, fr, es, ...
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// The folder the two files are written to.
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    #[command(flatten)]
    pub storage: StorageConfig,
}

pub async fn write(args: HandInArgs) -> anyhow::Result<()> {
    let store = open(&args.storage).await?;
    let petition = crate::cli::find_petition(&*store, &args.slug).await?;
    let directory = crate::directory::Directory::new(store.clone());
    let campaign = directory
        .campaign(&petition.slug)
        .await?
        .with_context(|| format!("no petition {}", petition.slug))?;
    let hand_in = super::gather(&*store, &campaign, &args.lang).await?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let base = args.out.join(format!("{}-hand-in", petition.slug));
    let html = base.with_extension("html");
    std::fs::write(&html, hand_in.html()?)
        .with_context(|| format!("writing {}", html.display()))?;
    let pdf = base.with_extension("pdf");
    std::fs::write(&pdf, hand_in.pdf()).with_context(|| format!("writing {}", pdf.display()))?;
    println!(
        "petition {}: {} individuals, {} organisations; wrote {} and {}",
        petition.slug,
        hand_in.people,
        hand_in.organisations,
        html.display(),
        pdf.display()
    );
    Ok(())
}
