//! `TestApp`: a Chorus on port 0 over a fresh database, with one method per
//! thing tests do to it. The database is a temporary SQLite file, or a new
//! database on the PostgreSQL server `cargo xtask test` names in
//! `CHORUS_TEST_POSTGRES`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chorus::admin::tokens::{self, Scope};
use chorus::config::{DatabaseUrl, PaymentsConfig, Secret};
use chorus::ident::{Lang, Slug};
use chorus::personal::{MasterKey, OrgSecretKey, PersonalDetails, ServerKeys};
use chorus::storage::{
    self, CampaignLinks, NewPetition, NewSignature, Partner, PetitionRecord, PetitionText,
    SignedRow, Store,
};
use futures_util::StreamExt;
use tokio::net::TcpListener;

use crate::stripe_standin::{self, StripeStandIn};

/// The organisers' API token every test server accepts.
/// The test organisation's API token, with every scope (a token's shape:
/// `chorus_` and 32 bytes in URL-safe base64).
pub const ADMIN_TOKEN: &str = "chorus_dGVzdHMtb3JnYW5pc2VyLXRva2VuLTMyLWJ5dGVzISE";
/// The deployment secret of every test server.
pub const SECRET_KEY: &str = "7a3f9c0e5b1d2a4c6e8f0a1b3c5d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f809";
/// The organisation every test petition belongs to.
pub const ORGANISATION: &str = "Coalition for Tests";

/// How a test server differs from the usual one.
pub struct Options {
    /// The SMTP server email goes through; `None`: email waits.
    pub smtp_url: Option<String>,
    /// Tests sign from one loopback address, so limits are off, and ask
    /// for no proof of work, unless a test turns them on (the guard tests,
    /// and the browser tests, where the widget does the work).
    pub guard: chorus::guard::GuardConfig,
    /// Chorus's public URL; `None`: the test server's own origin.
    pub public_url: Option<String>,
    /// Where outbound fetches may go. Test feeds and pictures are served
    /// from loopback, so by default anywhere.
    pub fetch: chorus::outbound::FetchConfig,
    /// Seconds in a batch of new names on walls: short, so a test can
    /// await a batch's close.
    pub wall: chorus::wall::WallConfig,
    /// The time storms are read by: the system's unless a test sets one.
    pub clock: chorus::clock::Clock,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            smtp_url: None,
            guard: chorus::guard::GuardConfig {
                trusted_proxies: Default::default(),
                limits: chorus::guard::limits::Limits {
                    per_petition: 0,
                    per_client: 0,
                },
                proof_work: 0,
                queue: Default::default(),
            },
            public_url: None,
            fetch: chorus::outbound::FetchConfig {
                allow_private_fetch: true,
                ..Default::default()
            },
            wall: chorus::wall::WallConfig { wall_batch_secs: 2 },
            clock: chorus::clock::Clock::system(),
        }
    }
}

impl Options {
    /// As `chorus serve` runs by default: limits on, proof of work asked.
    pub fn as_deployed() -> Self {
        Self {
            smtp_url: None,
            guard: chorus::guard::GuardConfig {
                trusted_proxies: Default::default(),
                limits: Default::default(),
                proof_work: chorus::guard::proof::NORMAL_WORK,
                queue: Default::default(),
            },
            ..Self::default()
        }
    }
}

pub struct TestApp {
    pub origin: String,
    /// What signatures leave for after their answer.
    pub later: chorus::signing::Later,
    pub client: reqwest::Client,
    /// The database, for a second instance or process on it.
    pub database: DatabaseUrl,
    pub store: Arc<dyn Store>,
    pub counts: chorus::live::Counts,
    pub signatures: chorus::signing::SignatureWriter,
    /// The Stripe this instance talks to.
    pub stripe: StripeStandIn,
    /// The secret key of the organisation running the test petitions.
    pub org_key: OrgSecretKey,
    /// Events' reminders, queued at whatever time a test names.
    pub reminders: chorus::events::Reminders,
    /// The clock it reads storms by; a fixed one moves when a test sets it.
    pub clock: chorus::clock::Clock,
    /// The "other process" of `sign_elsewhere`: one pool per test, opened on
    /// first use, since a burst of calls would otherwise exhaust the server's
    /// connections on PostgreSQL.
    elsewhere: tokio::sync::OnceCell<Arc<dyn Store>>,
    _dir: tempfile::TempDir,
}

/// A new, empty database: a SQLite file in `dir`, or a database of its own on
/// the test PostgreSQL server.
/// Stores `token` as one of `organisation_id`'s, granting `scopes`, for a
/// year: as `chorus token create` does, with a token the test knows.
pub async fn add_token(
    store: &dyn chorus::storage::Store,
    organisation_id: i64,
    token: &str,
    scopes: &[Scope],
) {
    store
        .create_api_token(&chorus::storage::NewApiToken {
            organisation_id,
            label: "tests".into(),
            digest: tokens::digest(token),
            scopes: tokens::scopes_text(scopes),
            expires_at: chorus::storage::now_millis() + 365 * 86_400_000,
        })
        .await
        .expect("token stored");
}

async fn fresh_database(dir: &std::path::Path) -> DatabaseUrl {
    let Some(server) = postgres_server() else {
        return DatabaseUrl::from_str(&format!("sqlite://{}", dir.join("t.db").display()))
            .expect("valid URL");
    };
    use sqlx::{Connection, Executor};
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "chorus_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres"))
        .await
        .expect("the test PostgreSQL server answers");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("test database created");
    DatabaseUrl::from_str(&format!("{server}/{name}")).expect("valid URL")
}

/// The PostgreSQL server to test on, if this run is the PostgreSQL run.
pub fn postgres_server() -> Option<String> {
    std::env::var("CHORUS_TEST_POSTGRES").ok()
}

/// The built widget bundle: `cargo xtask test` builds it and says where.
pub fn assets_dir() -> PathBuf {
    std::env::var_os("CHORUS_TEST_ASSETS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist"),
        PathBuf::from,
    )
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    /// Seeds what `chorus demo` seeds, with the demo partner at
    /// `https://lighthouse.example`.
    pub async fn seed_demo(&self) {
        let keys = ServerKeys::new(&MasterKey::from_str(SECRET_KEY).expect("valid secret"));
        let partner = chorus::ident::Origin::parse("https://lighthouse.example").expect("origin");
        chorus::demo::seed(&*self.store, &keys, &self.origin, &partner)
            .await
            .expect("seeded");
    }

    /// A Chorus that sends email through the SMTP server at `smtp_url`.
    pub async fn spawn_with_mail(smtp_url: Option<String>) -> Self {
        Self::spawn_with(Options {
            smtp_url,
            ..Options::default()
        })
        .await
    }

    /// A Chorus defended as `chorus serve` is by default, for the browser
    /// tests: the widget must solve its proof of work.
    pub async fn spawn_as_deployed(smtp_url: Option<String>) -> Self {
        Self::spawn_with(Options {
            smtp_url,
            ..Options::as_deployed()
        })
        .await
    }

    pub async fn spawn_with(options: Options) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = fresh_database(dir.path()).await;
        let (public_key, org_key) = chorus::personal::sealed::keygen();
        let store = storage::open(&database).await.expect("database opens");
        let organisation = store
            .add_organisation(ORGANISATION, &public_key)
            .await
            .expect("organisation added");
        add_token(&*store, organisation.id, ADMIN_TOKEN, &Scope::ALL).await;
        Self::spawn_on(database, org_key, dir, options).await
    }

    /// Another instance of Chorus on this one's database, as behind a load
    /// balancer.
    pub async fn second_instance(&self) -> Self {
        self.second_instance_with(Options::default()).await
    }

    /// Another instance on this one's database, configured with `options`.
    pub async fn second_instance_with(&self, options: Options) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::spawn_on(self.database.clone(), self.org_key.clone(), dir, options).await
    }

    async fn spawn_on(
        database: DatabaseUrl,
        org_key: OrgSecretKey,
        dir: tempfile::TempDir,
        options: Options,
    ) -> Self {
        let store = storage::open(&database).await.expect("database opens");
        let stripe = StripeStandIn::start().await;
        let payments = PaymentsConfig {
            stripe_secret_key: Some(Secret::from_str(stripe_standin::SECRET_KEY).expect("key")),
            stripe_webhook_secrets: [
                stripe_standin::WEBHOOK_SECRET,
                stripe_standin::OLD_WEBHOOK_SECRET,
            ]
            .map(|s| Secret::from_str(s).expect("secret"))
            .into(),
            stripe_api_base: url::Url::parse(&stripe.base).expect("stand-in URL"),
        };
        let keys = ServerKeys::new(&MasterKey::from_str(SECRET_KEY).expect("valid secret"));
        let reminders_keys = keys.clone();
        let mail = chorus::mail::MailConfig {
            smtp_url: options
                .smtp_url
                .map(|url| Secret::from_str(&url).expect("URL")),
            mail_from: "Coalition for Tests <no-reply@coalition.example>".into(),
            // An outage test waits for the retry: keep it short.
            mail_retry_secs: 1,
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("port 0");
        let addr: SocketAddr = listener.local_addr().expect("bound");
        let origin = format!("http://{addr}");
        let public_url = match &options.public_url {
            Some(url) => url.parse().expect("a public URL"),
            None => origin.parse().expect("the test server's origin"),
        };
        let settings = chorus::Settings {
            assets: assets_dir(),
            data_dir: dir.path(),
            public_url: &public_url,
            // Test feeds and pictures are served from loopback.
            fetch: options.fetch.clone(),
            payments: &payments,
            mail: &mail,
            guard: &options.guard,
            wall: options.wall,
            clock: options.clock.clone(),
        };
        let state = chorus::state_for(store.clone(), &settings, keys)
            .await
            .expect("state loads");
        let reminders =
            chorus::events::Reminders::new(store.clone(), reminders_keys, public_url.as_str());
        let counts = state.counts.clone();
        let signatures = state.signatures.clone();
        let later = state.later.clone();
        // The accept loop `chorus serve` runs, not a test stand-in.
        tokio::spawn(chorus::server::serve_until(
            listener,
            chorus::app::router(state),
            std::future::pending(),
        ));
        Self {
            origin,
            client: reqwest::Client::new(),
            database,
            store,
            counts,
            signatures,
            later,
            stripe,
            org_key,
            reminders,
            clock: options.clock,
            elsewhere: tokio::sync::OnceCell::new(),
            _dir: dir,
        }
    }

    /// Waits until `n` signatures are admitted and not yet answered.
    pub async fn until_waiting(&self, n: usize) {
        let started = tokio::time::Instant::now();
        while self.signatures.waiting() < n {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "only {} of {n} signatures reached the writer",
                self.signatures.waiting()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub fn on_postgres(&self) -> bool {
        self.database.scheme() == "postgres"
    }

    /// The test organisation's id.
    pub async fn organisation_id(&self) -> i64 {
        self.store
            .organisation_by_name(ORGANISATION)
            .await
            .expect("organisations read")
            .expect("the test organisation exists")
            .id
    }

    /// A request to the organisers' API (`/api/v1/admin{path}`) with
    /// `token`, carrying `json` if given.
    pub async fn admin_request(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        json: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, format!("{}/api/v1/admin{path}", self.origin))
            .bearer_auth(token);
        if let Some(json) = json {
            request = request.json(&json);
        }
        request.send().await.expect("request sent")
    }

    /// [`Self::admin_request`]'s status and JSON (`null` for an empty body).
    pub async fn admin_json(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        json: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let response = self.admin_request(token, method, path, json).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }

    /// Another organisation on this Chorus, "Harbour Rights", with `token`
    /// granting every scope.
    pub async fn other_organisation(&self, token: &str) -> i64 {
        let (public_key, _) = chorus::personal::sealed::keygen();
        let other = self
            .store
            .add_organisation("Harbour Rights", &public_key)
            .await
            .expect("organisation added");
        add_token(&*self.store, other.id, token, &Scope::ALL).await;
        other.id
    }

    pub async fn create_petition(&self, slug: &str, goal: Option<u64>) -> PetitionRecord {
        let petition = self
            .store
            .create_petition(&NewPetition {
                slug: Slug::parse(slug).expect("valid slug"),
                organisation_id: self.organisation_id().await,
                goal,
                links: CampaignLinks {
                    privacy_url: Some("https://coalition.example/privacy".into()),
                    share_url: None,
                },
                text: text("en", &format!("{slug} title"), "Summary in English."),
            })
            .await
            .expect("petition created");
        self.store
            .put_petition_text(
                petition.id,
                &text("fr", &format!("{slug} titre"), "Résumé en français."),
            )
            .await
            .expect("translation stored");
        petition
    }

    /// Records `n` signatures through a separate connection pool on the same
    /// file, as the CLI or another process would: the running server is not
    /// told, and must notice by itself.
    pub async fn sign_elsewhere(&self, petition: &PetitionRecord, n: usize) {
        let other = self
            .elsewhere
            .get_or_init(|| async {
                storage::open(&self.database)
                    .await
                    .expect("second pool opens")
            })
            .await;
        let batch: Vec<NewSignature> = (0..n)
            .map(|_| NewSignature {
                petition_id: petition.id,
                partner_id: None,
                signed_at: storage::now_millis(),
                signer: None,
                confirmation: None,
                hold: None,
                proof: None,
            })
            .collect();
        other
            .record_signatures(&batch)
            .await
            .expect("signatures stored");
    }

    /// Registers `origin` as a partner of `petition`.
    pub async fn add_partner(
        &self,
        petition: &PetitionRecord,
        name: &str,
        origin: &str,
        contact_opt_in: bool,
    ) -> Partner {
        let origin = chorus::ident::Origin::parse(origin).expect("valid origin");
        let partner = self
            .store
            .add_partner(name, &origin)
            .await
            .expect("partner added");
        self.store
            .put_petition_partner(petition.id, partner.id, contact_opt_in)
            .await
            .expect("partner joined");
        partner
    }

    /// Posts a signing form to `slug`, sent from a page on `origin`.
    pub async fn sign(
        &self,
        slug: &str,
        origin: Option<&str>,
        form: &serde_json::Value,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!(
                "{}/api/v1/petitions/{slug}/signatures",
                self.origin
            ))
            .json(form);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send().await.expect("request sent")
    }

    /// Signs through the API and insists the signature is accepted, showing
    /// Chorus's answer when it is not.
    pub async fn sign_accepted(&self, slug: &str, origin: Option<&str>, form: &serde_json::Value) {
        let (status, answer) = body(self.sign(slug, origin, form).await).await;
        assert_eq!(status, 200, "signature refused: {answer}");
    }

    /// A challenge for `slug`, solved as the widget would solve it.
    pub async fn proof(&self, slug: &str) -> serde_json::Value {
        let challenge: chorus_wire::proof::Challenge = self
            .client
            .get(format!("{}/api/v1/petitions/{slug}/challenge", self.origin))
            .send()
            .await
            .expect("challenge asked")
            .json()
            .await
            .expect("a challenge");
        let solution = chorus::guard::proof::solve(&challenge).expect("solvable");
        serde_json::to_value(solution).expect("JSON")
    }

    /// Every stored signature of `petition` with its signer.
    pub async fn signed_rows(&self, petition: &PetitionRecord) -> Vec<SignedRow> {
        self.store
            .signed_rows(petition.id)
            .map(|row| row.expect("row reads"))
            .collect()
            .await
    }

    /// The petition's count as the database holds it.
    pub async fn stored_count(&self, petition: &PetitionRecord) -> i64 {
        let tally = self.store.tally_since(0).await.expect("tally reads");
        tally
            .tallies
            .iter()
            .find(|t| t.petition_id == petition.id)
            .map_or(0, |t| t.change)
    }

    /// A stored signer's details, opened with the organisation's key.
    pub fn details(&self, row: &SignedRow) -> PersonalDetails {
        let sealed = row.sealed.as_ref().expect("details not anonymised");
        self.org_key
            .open(sealed)
            .expect("sealed to the test organisation")
    }

    /// Live connections the server holds open.
    pub fn live_connections(&self) -> usize {
        self.counts.listeners()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.origin))
            .send()
            .await
            .expect("request sent")
    }

    /// Opens `GET /api/v1/live` for these petitions.
    pub async fn live(&self, petitions: &str) -> EventReader {
        let response = self
            .get(&format!("/api/v1/live?petitions={petitions}"))
            .await;
        assert_eq!(response.status(), 200, "live connection refused");
        EventReader::from_response(response)
    }
}

/// A response's status and JSON body.
/// A transaction on another connection that holds the lock the signature
/// writer needs, until it is committed.
pub enum WriteLock {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl WriteLock {
    pub async fn take(app: &TestApp) -> Self {
        use sqlx::{Connection, Executor};
        let url = app.database.expose();
        if app.on_postgres() {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("connects");
            conn.execute("BEGIN; LOCK TABLE signatures IN EXCLUSIVE MODE")
                .await
                .expect("locked");
            Self::Postgres(conn)
        } else {
            let mut conn = sqlx::SqliteConnection::connect(url)
                .await
                .expect("connects");
            conn.execute("BEGIN IMMEDIATE").await.expect("locked");
            Self::Sqlite(conn)
        }
    }

    pub async fn release(self) {
        use sqlx::Executor;
        match self {
            Self::Sqlite(mut conn) => conn.execute("COMMIT").await.map(drop),
            Self::Postgres(mut conn) => conn.execute("COMMIT").await.map(drop),
        }
        .expect("released");
    }
}

pub async fn body(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

/// A valid signing form; tests change the fields they are about.
pub fn form(email: &str, key: &str) -> serde_json::Value {
    serde_json::json!({
        "idempotency_key": key,
        "first_name": "Aïcha",
        "last_name": "Ndiaye",
        "email": email,
        "country": "SN",
        "comment": "",
        "lang": "fr",
        "consent_version": "2026-11",
        "privacy_consent": true,
        "opt_in_organiser": true,
        "opt_in_partner": true
    })
}

fn text(lang: &str, title: &str, summary: &str) -> PetitionText {
    PetitionText {
        lang: Lang::parse(lang).expect("valid lang"),
        title: title.into(),
        summary: summary.into(),
        body: String::new(),
        share_message: format!("{title}: sign with me"),
        hashtags: vec!["HumanRights".into()],
    }
}

/// Reads Server-Sent Events off a streaming response.
pub struct EventReader {
    body: futures_util::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

/// One event: its name and data.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    pub event: String,
    pub data: String,
}

impl EventReader {
    pub fn from_response(response: reqwest::Response) -> Self {
        Self {
            body: response.bytes_stream().boxed(),
            buffer: String::new(),
        }
    }

    /// The next event, or `None` if none arrives within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<SseEvent> {
        tokio::time::timeout(wait, self.next()).await.ok().flatten()
    }

    async fn next(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    event: "message".into(),
                    data: String::new(),
                };
                for line in block.lines() {
                    if let Some(name) = line.strip_prefix("event:") {
                        event.event = name.trim().into();
                    } else if let Some(data) = line.strip_prefix("data:") {
                        event.data.push_str(data.trim_start());
                    }
                }
                if !event.data.is_empty() {
                    return Some(event);
                }
                continue;
            }
            let chunk = self.body.next().await?.ok()?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The count carried by the next `count` event within `wait`.
    pub async fn next_count(&mut self, wait: Duration) -> Option<chorus_wire::PetitionCount> {
        let event = self.next_within(wait).await?;
        assert_eq!(event.event, "count");
        Some(serde_json::from_str(&event.data).expect("count JSON"))
    }
}
