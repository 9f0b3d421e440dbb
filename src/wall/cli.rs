//! `chorus petition wall SLUG`: how a petition's wall of signatories shows
//! people, and the countries it names no one from.

use crate::cli::open;
use crate::config::StorageConfig;
use crate::storage::WallSettings;

#[derive(Debug, clap::Args)]
pub struct WallArgs {
    pub slug: String,
    /// Show first names only ("Ana") rather than first name and initial ("Ana L.").
    #[arg(long)]
    pub first_names_only: bool,
    /// Show the city a listed signer gives beside their name ("Ana L.,
    /// Lyon"); the form then asks for one.
    #[arg(long)]
    pub show_city: bool,
    /// Never name anyone from these countries (ISO codes, comma-separated:
    /// `RU,BY`), where being listed endangers people. An empty value names
    /// every country again.
    #[arg(long, value_delimiter = ',')]
    pub hide_countries: Option<Vec<String>>,
    #[command(flatten)]
    pub storage: StorageConfig,
}

pub async fn set(args: WallArgs) -> anyhow::Result<()> {
    let store = open(&args.storage).await?;
    let petition = crate::cli::find_petition(&*store, &args.slug).await?;
    let mut settings = store.wall_settings(petition.id).await?;
    settings.first_name_only = args.first_names_only;
    settings.show_city = args.show_city;
    if let Some(countries) = args.hide_countries {
        settings.hidden_countries = countries
            .iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
        for country in &settings.hidden_countries {
            anyhow::ensure!(
                chorus_wire::signing::check_country(country).is_none(),
                "{country} is not an ISO 3166-1 country code"
            );
        }
    }
    store.set_wall_settings(petition.id, &settings).await?;
    print(&petition.slug, &settings);
    Ok(())
}

fn print(slug: &crate::ident::Slug, settings: &WallSettings) {
    let names = if settings.first_name_only {
        "first names only"
    } else {
        "first name and initial"
    };
    let names = if settings.show_city {
        format!("{names} with their city")
    } else {
        names.to_owned()
    };
    let hidden = if settings.hidden_countries.is_empty() {
        "every country named".to_owned()
    } else {
        format!("no one named from {}", settings.hidden_countries.join(", "))
    };
    println!("petition {slug}: the wall shows {names}; {hidden}");
}
