//! What the benchmarks share: release `chorus serve` instances on loopback
//! over a fresh database (SQLite, or PostgreSQL when given) holding one
//! petition, and small measuring helpers.

// Each benchmark compiles this module on its own and uses part of it.
#![allow(dead_code)]

pub mod crash;

use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chorus::config::DatabaseUrl;
use chorus::ident::{Lang, Slug};
use chorus::personal::OrgSecretKey;
use chorus::storage::{self, NewPetition, PetitionRecord, PetitionText, Store};
use tokio::net::TcpStream;

/// The deployment secret every benchmark server runs with: benchmarks that
/// make proofs of work need it too.
pub const SECRET_KEY: &str = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";

/// A running `chorus serve` process; killed when dropped, so a failed run
/// leaves nothing behind.
pub struct Instance {
    child: Child,
    pub addr: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Instance {
    async fn start(
        database: &DatabaseUrl,
        assets: &std::path::Path,
        env: &[(String, String)],
    ) -> Self {
        // `cargo xtask bench` names the release binary; otherwise the one
        // Cargo built for this benchmark or test.
        let binary =
            std::env::var("CHORUS_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_chorus").to_owned());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(&binary)
            .args([
                "serve",
                "--addr",
                &addr,
                "--database-url",
                database.expose(),
            ])
            .args(["--assets", &assets.display().to_string()])
            .env("CHORUS_LOG", "warn")
            .env("CHORUS_SECRET_KEY", SECRET_KEY)
            .env("CHORUS_PUBLIC_URL", format!("http://{addr}"))
            // Every benchmark signature comes from one loopback address,
            // and the server's own work is measured, not the proof of work
            // (`benches/proof.rs` measures that, in a browser).
            .env("CHORUS_LIMIT_PER_PETITION", "0")
            .env("CHORUS_LIMIT_PER_CLIENT", "0")
            .env("CHORUS_PROOF_WORK", "0")
            .envs(env.iter().map(|(name, value)| (name, value)))
            .stdout(Stdio::null())
            .spawn()
            .expect("chorus starts");
        let started = Instant::now();
        while TcpStream::connect(&addr).await.is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "server did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, addr }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no shutdown, no flushing, as in a power cut of the process.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Chorus over a fresh database holding one petition: one instance, and
/// more on the same database on request.
pub struct Server {
    instance: Instance,
    pub addr: String,
    pub database: DatabaseUrl,
    pub store: Arc<dyn Store>,
    pub petition: PetitionRecord,
    /// The secret key of the organisation running the petition.
    pub org_key: OrgSecretKey,
    /// Holds the SQLite database (and the default, empty assets) until the
    /// server is dropped.
    dir: tempfile::TempDir,
    assets: std::path::PathBuf,
    env: Vec<(String, String)>,
}

impl Server {
    /// Starts `$CHORUS_BIN serve` over a new database with petition `slug`:
    /// SQLite, or a new database on the PostgreSQL server at `postgres`
    /// (`postgres://USER@HOST:PORT`) when given.
    pub async fn start_on(slug: &str, postgres: Option<&str>) -> Self {
        Self::start_with(slug, postgres, None, Vec::new()).await
    }

    /// As [`Server::start_on`], serving the widgets in `assets` and with
    /// `env` set over the benchmarks' defaults.
    pub async fn start_with(
        slug: &str,
        postgres: Option<&str>,
        assets: Option<std::path::PathBuf>,
        env: Vec<(String, String)>,
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = match postgres {
            Some(server) => fresh_postgres_database(server).await,
            None => DatabaseUrl::from_str(&format!(
                "sqlite://{}",
                dir.path().join("bench.db").display()
            ))
            .expect("valid URL"),
        };
        let store = storage::open(&database).await.expect("database opens");
        let (public_key, org_key) = chorus::personal::sealed::keygen();
        let organisation = store
            .add_organisation("Benchmark coalition", &public_key)
            .await
            .expect("organisation added");
        let petition = store
            .create_petition(&NewPetition {
                slug: Slug::parse(slug).expect("valid slug"),
                organisation_id: organisation.id,
                goal: None,
                links: Default::default(),
                text: PetitionText {
                    lang: Lang::parse("en").expect("valid"),
                    title: "Benchmark".into(),
                    summary: "Benchmark petition.".into(),
                    body: String::new(),
                    share_message: String::new(),
                    hashtags: Vec::new(),
                },
            })
            .await
            .expect("petition created");
        let assets = assets.unwrap_or_else(|| dir.path().to_owned());
        let instance = Instance::start(&database, &assets, &env).await;
        Self {
            addr: instance.addr.clone(),
            instance,
            database,
            store,
            petition,
            org_key,
            dir,
            assets,
            env,
        }
    }

    /// Gives the petition the length of text a real one has: a summary and
    /// several paragraphs, which the first view must carry.
    pub async fn add_text(&self) {
        let paragraph = "Across the region, people who document abuses, defend workers \
             and accompany migrants at the border are followed, threatened and jailed \
             for their work. Governments that signed the declaration on human rights \
             defenders have promised to protect them, and many have not kept that promise.";
        self.store
            .put_petition_text(
                self.petition.id,
                &PetitionText {
                    lang: Lang::parse("en").expect("valid"),
                    title: "Protect the people who defend our rights".into(),
                    summary: "Ask every government in the coalition's region to end the \
                              harassment of human rights defenders."
                        .into(),
                    body: [paragraph; 4].join("\n\n"),
                    share_message: "I signed: protect human rights defenders.".into(),
                    hashtags: vec!["defenders".into()],
                },
            )
            .await
            .expect("text stored");
    }

    /// A donation campaign and an updates feed named like the petition, the
    /// feed with five updates of a paragraph each, for the first view of
    /// the donate and updates widgets.
    #[allow(dead_code)]
    pub async fn add_giving_and_news(&self) {
        use chorus::donations::campaign::{SettingsDraft, TextDraft, check_settings, check_text};
        use chorus::updates::item::{ItemDraft, check};

        let slug = self.petition.slug.clone();
        let settings = check_settings(&SettingsDraft {
            currency: "EUR".into(),
            goal: Some("20000".into()),
            min: "2".into(),
            max: "5000".into(),
            deadline: None,
            frequencies: vec!["monthly".into(), "once".into()],
            asks: vec!["monthly:5".into(), "monthly:10".into(), "once:25".into()],
            provider: chorus::storage::Provider::Link {
                template: "https://pay.example/give?amount={amount}".into(),
            },
        })
        .expect("valid settings");
        let text = check_text(
            &TextDraft {
                lang: "en".into(),
                title: "Fund the defenders' legal team".into(),
                impact: "Every gift pays for a lawyer's hour at a hearing.".into(),
                labels: Vec::new(),
            },
            &settings,
        )
        .expect("valid text");
        self.store
            .create_donation_campaign(&chorus::storage::NewDonationCampaign {
                slug: slug.clone(),
                settings,
                text,
            })
            .await
            .expect("campaign created");
        let feed = self
            .store
            .create_feed(&chorus::storage::NewFeed {
                slug,
                organisation_id: self
                    .petition
                    .organisation_id
                    .expect("the petition has an organisation"),
                title: "News from the coalition".into(),
                default_lang: Lang::parse("en").expect("valid"),
                source_url: None,
            })
            .await
            .expect("feed created");
        for n in 1..=5 {
            let content = check(&ItemDraft {
                title: format!("Hearing number {n} in the defenders' case"),
                body_markdown: "Lawyers for the defenders asked the court to drop the \
                                charges; the hearing resumes next week."
                    .into(),
                tags: "courts".into(),
                lang: "en".into(),
                publish_at: chorus::storage::rfc3339(chorus::storage::now_millis() - n * 3_600_000),
                ..ItemDraft::default()
            })
            .expect("valid update");
            self.store
                .post_item(feed.id, &content)
                .await
                .expect("posted");
        }
    }

    /// Makes `origin` a partner of the petition, so signatures from it count.
    pub async fn add_partner(&self, origin: &str) {
        let origin = chorus::ident::Origin::parse(origin).expect("valid origin");
        let partner = self
            .store
            // Named by origin: a bench may add several partners.
            .add_partner(&format!("Bench partner at {origin}"), &origin)
            .await
            .expect("partner added");
        self.store
            .put_petition_partner(self.petition.id, partner.id, false)
            .await
            .expect("partner joined");
    }

    /// Kills the first instance with SIGKILL, mid-whatever.
    pub fn kill(&mut self) {
        self.instance.kill();
    }

    /// Starts the first instance again on the same database (on a new port).
    pub async fn restart(&mut self) {
        self.instance = Instance::start(&self.database, &self.assets, &self.env).await;
        self.addr = self.instance.addr.clone();
    }

    /// Another instance on the same database, as behind a load balancer.
    pub async fn another_instance(&self) -> Instance {
        Instance::start(&self.database, &self.assets, &self.env).await
    }

    pub fn pid(&self) -> u32 {
        self.instance.pid()
    }

    /// The SQLite database's file, when the server runs on SQLite.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        self.database
            .expose()
            .starts_with("sqlite:")
            .then(|| self.dir.path().join("bench.db"))
    }
}

async fn fresh_postgres_database(server: &str) -> DatabaseUrl {
    use sqlx::{Connection, Executor};
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "chorus_bench_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres"))
        .await
        .expect("the PostgreSQL server answers");
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
        .await
        .expect("old bench database dropped");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("bench database created");
    DatabaseUrl::from_str(&format!("{server}/{name}")).expect("valid URL")
}

/// A field of `/proc/PID/status` in KiB (`VmRSS:`, `VmHWM:`).
pub fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The `p` quantile (0 to 1) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
