//! Chorus: embeddable campaign widgets for human-rights coalitions. This crate
//! is the server: the API, live counts, the embed assets, the command line.
//! `ARCHITECTURE.md` maps the modules.

pub mod admin;
pub mod app;
pub mod assets;
pub mod bodies;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod directory;
pub mod donations;
pub mod embed;
pub mod endorsements;
pub mod error;
pub mod events;
pub mod extract;
pub mod frame;
pub mod guard;
pub mod handin;
pub mod health;
pub mod ident;
pub mod live;
pub mod mail;
pub mod outbound;
pub mod personal;
pub mod petitions;
pub mod pinned;
pub mod server;
pub mod signing;
pub mod signup;
pub mod site;
pub mod storage;
pub mod storm;
pub mod updates;
pub mod wall;
pub mod widget_page;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;

use crate::app::AppState;
use crate::config::ServeConfig;
use crate::ident::Origin;
use crate::live::Counts;
use crate::server::{bind, run_until_stopped};

/// Opens storage, loads the counts and starts keeping them fresh: everything
/// the HTTP application needs.
pub async fn start(
    config: &ServeConfig,
    public_url: &config::PublicUrl,
    secret: &personal::MasterKey,
) -> anyhow::Result<AppState> {
    let url = config.storage.url();
    let store = storage::open(&url)
        .await
        .with_context(|| format!("opening the database {url}"))?;
    personal::retention::spawn(store.clone(), config.retention_days);
    let settings = Settings {
        assets: config.assets.clone(),
        data_dir: &config.storage.data_dir,
        public_url,
        fetch: config.fetch.clone(),
        payments: &config.payments,
        mail: &config.mail,
        guard: &config.guard,
        wall: config.wall,
        clock: clock::Clock::system(),
    };
    state_for(store, &settings, personal::ServerKeys::new(secret)).await
}

/// What the application is configured with, besides its storage and keys.
#[derive(Debug)]
pub struct Settings<'a> {
    pub assets: std::path::PathBuf,
    pub data_dir: &'a std::path::Path,
    /// Where every absolute link Chorus writes starts.
    pub public_url: &'a config::PublicUrl,
    /// Which addresses outbound fetches may reach.
    pub fetch: outbound::FetchConfig,
    pub payments: &'a config::PaymentsConfig,
    pub mail: &'a mail::MailConfig,
    pub guard: &'a guard::GuardConfig,
    pub wall: wall::WallConfig,
    /// The time handlers read: the system's, or a test's.
    pub clock: clock::Clock,
}

/// The application state over an already open store.
pub async fn state_for(
    store: Arc<dyn storage::Store>,
    settings: &Settings<'_>,
    keys: personal::ServerKeys,
) -> anyhow::Result<AppState> {
    let Settings {
        assets,
        data_dir,
        public_url,
        fetch,
        payments,
        mail,
        guard,
        wall,
        clock,
    } = settings;
    let data_dir: &std::path::Path = data_dir;
    let counts = Counts::load(store.clone()).await?;
    counts.spawn_refresher();
    let totals = donations::Totals::load(store.clone()).await?;
    totals.spawn_refresher();
    let feed_watch = updates::FeedWatch::load(store.clone()).await?;
    feed_watch.spawn_refresher();
    let attendance = events::Attendance::load(store.clone()).await?;
    attendance.spawn_refresher();
    let storm_watch = storm::StormWatch::load(store.clone(), clock.clone()).await?;
    storm_watch.spawn_refresher();
    events::Reminders::new(store.clone(), keys.clone(), public_url.as_str()).spawn();
    let signatures = signing::SignatureWriter::spawn(store.clone(), counts.clone(), &guard.queue);
    mail::Outbox::new(store.clone(), keys.clone(), mail)?.spawn();
    let pinned = pinned::pin(assets, data_dir)
        .with_context(|| format!("pinning embed.js in {}", data_dir.display()))?;
    Ok(AppState {
        directory: directory::Directory::new(store.clone()),
        store,
        counts,
        signatures,
        later: signing::Later::default(),
        totals,
        stripe: donations::Stripe::new(payments),
        feed_watch,
        attendance,
        item_images: updates::ItemImages::new(fetch.clone(), std::time::Duration::from_secs(10)),
        assets: Arc::new(assets.clone()),
        keys: keys.clone(),
        pinned,
        data_dir: Arc::new(data_dir.to_owned()),
        public_url: (*public_url).clone(),
        guard: guard::Guard::new(guard, keys),
        wall: *wall,
        clock: clock.clone(),
        storm_watch,
        share_clicks: storm::ShareClicks::default(),
    })
}

/// `chorus serve`.
pub async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    // Deployment-wide tokens reached every organisation's content; they
    // were replaced by each organisation's own. Starting without them
    // silently would leave an operator's tools failing with no reason.
    anyhow::ensure!(
        std::env::var_os("CHORUS_ADMIN_TOKENS").is_none(),
        "CHORUS_ADMIN_TOKENS is no longer read: give each organisation's tools their own \
         token with `chorus token create --org NAME --label WHO --scope SCOPE`, then unset it"
    );
    let public_url = config.require_public_url()?;
    let state = start(&config, public_url, &config.keys.require()?).await?;
    if config.fetch.allow_private_fetch {
        tracing::warn!(
            "CHORUS_ALLOW_PRIVATE_FETCH is on: feeds and pictures may be fetched from \
             loopback and private networks"
        );
    }
    updates::mirror::spawn_schedule(
        state.store.clone(),
        config.fetch.clone(),
        std::time::Duration::from_secs(config.mirror_every_secs.max(60)),
    );
    let listener = bind(config.addr).await?;
    tracing::info!(addr = %config.addr, database = %config.storage.url(), "serving");
    run_until_stopped(listener, app::router(state)).await
}

/// `chorus demo`: seeds, then serves Chorus and the partner site side by side.
pub async fn demo_serve(config: ServeConfig, partner_addr: SocketAddr) -> anyhow::Result<()> {
    let chorus_listener = bind(config.addr).await?;
    let partner_listener = bind(partner_addr).await?;
    let chorus_origin = format!("http://{}", chorus_listener.local_addr()?);
    let partner_origin = Origin::parse(&format!("http://{}", partner_listener.local_addr()?))
        .map_err(anyhow::Error::msg)?;

    // The demo's signers are made up: a throwaway secret will do.
    let secret = if config.keys.is_set() {
        config.keys.require()?
    } else {
        personal::MasterKey::random()
    };
    // `cargo xtask demo` sets the public URL; run by hand, the demo's own
    // listening address is the one (never a request's `Host`).
    let public_url = match &config.public_url {
        Some(url) => url.clone(),
        None => chorus_origin.parse().map_err(anyhow::Error::msg)?,
    };
    let state = start(&config, &public_url, &secret).await?;
    demo::seed(
        &*state.store,
        &state.keys,
        public_url.as_str(),
        &partner_origin,
    )
    .await?;
    state.counts.wake();
    demo::simulate_signers(state.store.clone(), state.counts.clone());

    println!("Chorus (snippet page):   {}/", public_url.as_str());
    println!("Demo partner site:       {partner_origin}/");
    println!(
        "Migrants Day events:     {}/api/v1/events?day={day} (calendar: {}/days/{day}.ics)",
        public_url.as_str(),
        public_url.as_str(),
        day = demo::DAY_SLUG
    );
    println!("A simulated supporter signs every few seconds. Ctrl-C stops the demo.");
    let partner_site = demo::partner_site(chorus_origin, partner_origin, state.store.clone());
    let partner = run_until_stopped(partner_listener, partner_site);
    tokio::select! {
        result = run_until_stopped(chorus_listener, app::router(state)) => result,
        result = partner => result,
    }
}
