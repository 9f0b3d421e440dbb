//! The organisers' feed commands: `chorus feed create|list` and
//! `chorus update post|edit|unpublish|list`.

use anyhow::Context;
use clap::Subcommand;

use super::item::{self, ItemDraft};
use crate::cli::open;
use crate::config::StorageConfig;
use crate::ident::{Lang, Slug};
use crate::storage::{FeedRecord, NewFeed, Store, rfc3339};

#[derive(Debug, Subcommand)]
pub enum FeedCommand {
    /// Create a feed that organisers post updates to.
    Create {
        slug: String,
        /// The organisation whose feed it is: whose API tokens may post to it.
        #[arg(long)]
        org: String,
        #[arg(long)]
        title: String,
        /// The feed's main language: en, fr, es, ...
        #[arg(long, default_value = "en")]
        lang: String,
        /// Mirror the organisation's own RSS, Atom or JSON Feed at this address.
        #[arg(long)]
        source_url: Option<String>,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// List feeds, with how each mirror's last fetch went.
    List(StorageConfig),
    /// Fetch a mirrored feed's source now.
    Fetch {
        slug: String,
        #[command(flatten)]
        fetch: crate::outbound::FetchConfig,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

#[derive(Debug, clap::Args)]
pub struct ItemArgs {
    #[arg(long)]
    title: String,
    /// The body, in Markdown.
    #[arg(long, default_value = "")]
    body: String,
    /// Plain text; without one, the start of the body.
    #[arg(long, default_value = "")]
    summary: String,
    #[arg(long)]
    image_url: Option<String>,
    /// What the image shows, for people who cannot see it. Required with an image.
    #[arg(long, default_value = "")]
    image_alt: String,
    /// Where "read more" leads.
    #[arg(long)]
    link: Option<String>,
    /// Such as "africa,treaty-bodies".
    #[arg(long, default_value = "")]
    tags: String,
    /// The item's language; without one, the feed's.
    #[arg(long)]
    lang: Option<String>,
    /// When it appears (RFC 3339); without one, now.
    #[arg(long)]
    publish_at: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum UpdateCommand {
    /// Post an update to a feed.
    Post {
        feed: String,
        #[command(flatten)]
        item: ItemArgs,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Replace an update's content.
    Edit {
        id: i64,
        #[command(flatten)]
        item: ItemArgs,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Take an update out of its feed (`--undo` puts it back).
    Unpublish {
        id: i64,
        #[arg(long)]
        undo: bool,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// Attach a file to an update: a PDF, PNG, JPEG or WebP, at most 8 MB.
    Attach {
        id: i64,
        file: std::path::PathBuf,
        /// What the download is called: "Flyer (English)".
        #[arg(long)]
        title: String,
        /// The file's language.
        #[arg(long)]
        lang: String,
        /// The attachment of this update it is the same file of, in
        /// another language.
        #[arg(long)]
        alternate_of: Option<i64>,
        #[command(flatten)]
        storage: StorageConfig,
    },
    /// List a feed's updates, unpublished and scheduled ones too.
    List {
        feed: String,
        #[command(flatten)]
        storage: StorageConfig,
    },
}

pub async fn feed(command: FeedCommand) -> anyhow::Result<()> {
    match command {
        FeedCommand::Create {
            slug,
            org,
            title,
            lang,
            source_url,
            storage,
        } => {
            let title = super::sanitise::text(&title);
            anyhow::ensure!(
                (1..=200).contains(&title.chars().count()),
                "a feed title has 1 to 200 characters"
            );
            let store = open(&storage).await?;
            let organisation = crate::cli::organisation(&*store, &org).await?;
            let feed = store
                .create_feed(&NewFeed {
                    slug: Slug::parse(&slug).map_err(anyhow::Error::msg)?,
                    organisation_id: organisation.id,
                    title,
                    default_lang: Lang::parse(&lang).map_err(anyhow::Error::msg)?,
                    source_url: source_url
                        .as_deref()
                        .map(|u| item::web_address(u, "source"))
                        .transpose()
                        .map_err(anyhow::Error::msg)?,
                })
                .await?;
            println!("created feed {} ({})", feed.slug, feed.default_lang);
        }
        FeedCommand::List(storage) => {
            let store = open(&storage).await?;
            for feed in store.feeds().await? {
                println!("{:<32} {:<4} {}", feed.slug, feed.default_lang, feed.title);
                if let Some(source) = store.feed_source(feed.id).await? {
                    let checked = source.checked_at.and_then(rfc3339);
                    let status = match (&checked, &source.error) {
                        (None, _) => "not fetched yet".to_owned(),
                        (Some(at), None) => format!("fetched {at}"),
                        (Some(at), Some(error)) => format!("FAILED {at}: {error}"),
                    };
                    println!("    mirrors {}: {status}", source.url);
                }
            }
        }
        FeedCommand::Fetch {
            slug,
            fetch,
            storage,
        } => {
            let store = open(&storage).await?;
            let feed = find_feed(&*store, &slug).await?;
            let mirror = super::mirror::Mirror::new(fetch, std::time::Duration::from_secs(10));
            match mirror.fetch(&*store, &feed).await? {
                None => anyhow::bail!("feed {slug} is not a mirror; organisers post to it"),
                Some(fetched) if fetched.not_modified => {
                    println!("{slug}: unchanged at the source")
                }
                Some(fetched) => println!(
                    "{slug}: {} new, {} changed, {} skipped",
                    fetched.added, fetched.changed, fetched.skipped
                ),
            }
        }
    }
    Ok(())
}

pub async fn update(command: UpdateCommand) -> anyhow::Result<()> {
    match command {
        UpdateCommand::Post {
            feed,
            item,
            storage,
        } => {
            let store = open(&storage).await?;
            let feed = find_feed(&*store, &feed).await?;
            let content = item::check(&draft(item, &feed)).map_err(anyhow::Error::msg)?;
            let posted = store.post_item(feed.id, &content).await?;
            println!("posted update {} to {}", posted.id, feed.slug);
        }
        UpdateCommand::Edit { id, item, storage } => {
            let store = open(&storage).await?;
            let existing = store
                .item(id)
                .await?
                .with_context(|| format!("no update {id}"))?;
            let feed = store
                .feeds()
                .await?
                .into_iter()
                .find(|f| f.id == existing.feed_id)
                .context("the update's feed is gone")?;
            let content = item::check(&draft(item, &feed)).map_err(anyhow::Error::msg)?;
            store.edit_item(id, &content).await?;
            println!("update {id} edited");
        }
        UpdateCommand::Unpublish { id, undo, storage } => {
            let found = open(&storage).await?.set_unpublished(id, !undo).await?;
            anyhow::ensure!(found, "no update {id}");
            println!(
                "update {id} {}",
                if undo {
                    "published again"
                } else {
                    "unpublished"
                }
            );
        }
        UpdateCommand::Attach {
            id,
            file,
            title,
            lang,
            alternate_of,
            storage,
        } => {
            let size = std::fs::metadata(&file)
                .with_context(|| format!("reading {}", file.display()))?
                .len();
            anyhow::ensure!(
                size <= super::attachments::MAX_BYTES as u64,
                "{} is {} KB; attachments are at most {} KB",
                file.display(),
                size / 1024,
                super::attachments::MAX_BYTES / 1024
            );
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let upload = super::attachments::Upload {
                item_id: id,
                alternate_of,
                title,
                lang,
                file_name: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                bytes,
            };
            let attachment = super::attachments::check(upload).map_err(anyhow::Error::msg)?;
            let attached = open(&storage).await?.attach(&attachment).await?;
            println!(
                "attached {} to update {id} as {} ({}, {} bytes, SHA-256 {})",
                attached.id,
                attached.file_name,
                attached.media_type,
                attached.length,
                attached.sha256.unwrap_or_default()
            );
        }
        UpdateCommand::List { feed, storage } => {
            let store = open(&storage).await?;
            let feed = find_feed(&*store, &feed).await?;
            for item in store.all_items(feed.id).await? {
                let state = if item.unpublished { "unpublished" } else { "" };
                println!(
                    "{:>6}  {}  {:<3} {:<12} {}",
                    item.id,
                    rfc3339(item.content.published_at).unwrap_or_default(),
                    item.content.lang,
                    state,
                    item.content.title
                );
            }
        }
    }
    Ok(())
}

async fn find_feed(store: &dyn Store, slug: &str) -> anyhow::Result<FeedRecord> {
    let slug = Slug::parse(slug).map_err(anyhow::Error::msg)?;
    store
        .feed_by_slug(&slug)
        .await?
        .with_context(|| format!("no feed {slug}; `chorus feed list` shows them"))
}

fn draft(args: ItemArgs, feed: &FeedRecord) -> ItemDraft {
    ItemDraft {
        title: args.title,
        summary: args.summary,
        body_markdown: args.body,
        image_url: args.image_url,
        image_alt: args.image_alt,
        link: args.link,
        tags: args.tags,
        lang: args.lang.unwrap_or_else(|| feed.default_lang.to_string()),
        publish_at: args.publish_at,
    }
}
