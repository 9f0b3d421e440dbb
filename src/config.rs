//! Typed configuration, read from flags and the environment (clap does both).

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

/// A database URL. It may hold a password, so `Debug` and `Display` show the
/// scheme and location only.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// The default: a SQLite file in the data directory.
    pub fn sqlite_in(data_dir: &std::path::Path) -> Self {
        Self(format!("sqlite://{}", data_dir.join("chorus.db").display()))
    }

    pub fn scheme(&self) -> &str {
        self.0.split_once(':').map_or("", |(scheme, _)| scheme)
    }

    /// The full URL, password included: for the database driver only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    // Kept as written: drivers read paths (`sqlite://data/x.db`) that a
    // generic URL parser would rewrite.
    fn from_str(raw: &str) -> Result<Self, String> {
        match raw.split_once("://") {
            Some((scheme, rest)) if !scheme.is_empty() && !rest.is_empty() => Ok(Self(raw.into())),
            _ => Err(format!(
                "{raw:?} is not a database URL; try sqlite://data/chorus.db"
            )),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials sit between `://` and `@`; query strings may carry more.
        let Some((scheme, rest)) = self.0.split_once("://") else {
            return f.write_str("REDACTED");
        };
        let rest = rest.split_once('?').map_or(rest, |(before, _)| before);
        match rest.rsplit_once('@') {
            Some((_, location)) => write!(f, "{scheme}://REDACTED@{location}"),
            None => write!(f, "{scheme}://{rest}"),
        }
    }
}

/// Where the database lives, shared by every subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct StorageConfig {
    /// The database: `sqlite://PATH` or `postgres://USER:PASSWORD@HOST/DATABASE`.
    /// Defaults to a SQLite file in the data directory.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<DatabaseUrl>,
    /// Where Chorus keeps its SQLite database when no URL is given.
    #[arg(long, env = "CHORUS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
}

impl StorageConfig {
    pub fn url(&self) -> DatabaseUrl {
        self.database_url
            .clone()
            .unwrap_or_else(|| DatabaseUrl::sqlite_in(&self.data_dir))
    }
}

/// How `chorus serve` runs.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeConfig {
    /// The address to listen on.
    #[arg(long, env = "CHORUS_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The folder with `embed.js` and the built widgets (`cargo xtask demo` builds it).
    #[arg(long, env = "CHORUS_ASSETS", default_value = "dist")]
    pub assets: PathBuf,
    #[command(flatten)]
    pub storage: StorageConfig,
    #[command(flatten)]
    pub payments: PaymentsConfig,
    /// How often mirrored update feeds are fetched, in seconds.
    #[arg(long, env = "CHORUS_MIRROR_EVERY_SECS", default_value_t = 900)]
    pub mirror_every_secs: u64,
    #[command(flatten)]
    pub keys: KeysConfig,
    /// Chorus's public address, which every absolute link it writes starts
    /// with (emails, feeds, the snippet page): `https://chorus.coalition.example`.
    /// Required: a link is never built from the request's `Host`, which
    /// anyone can set.
    #[arg(long, env = "CHORUS_PUBLIC_URL")]
    pub public_url: Option<PublicUrl>,
    #[command(flatten)]
    pub fetch: crate::outbound::FetchConfig,
    #[command(flatten)]
    pub mail: crate::mail::MailConfig,
    #[command(flatten)]
    pub guard: crate::guard::GuardConfig,
    /// Days after a petition closes before its signers' details are removed.
    #[arg(long, env = "CHORUS_RETENTION_DAYS", default_value_t = crate::personal::retention::DEFAULT_DAYS)]
    pub retention_days: u32,
    #[command(flatten)]
    pub wall: crate::wall::WallConfig,
}

impl ServeConfig {
    /// The configured public URL, or what to set.
    pub fn require_public_url(&self) -> anyhow::Result<&PublicUrl> {
        self.public_url.as_ref().ok_or_else(|| {
            anyhow::anyhow!(
                "CHORUS_PUBLIC_URL is not set: give Chorus the address supporters reach it at \
                 (`CHORUS_PUBLIC_URL=https://chorus.coalition.example`, or --public-url); \
                 every link in its emails, feeds and snippets starts with it"
            )
        })
    }
}

/// Chorus's public origin (`https://chorus.coalition.example`): scheme,
/// host and port, no path. The one place absolute links start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// The origin, without a trailing slash: `format!("{}/confirm/...", url.as_str())`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PublicUrl {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let url = url::Url::parse(raw.trim()).map_err(|e| {
            format!("{raw:?} is not a URL ({e}); try https://chorus.coalition.example")
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(format!("{raw:?} must be an http:// or https:// address"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "{raw:?} must be an origin only, without a path or query: Chorus serves from the root"
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!("{raw:?} must not carry a user name or password"));
        }
        Ok(Self(url.origin().ascii_serialization()))
    }
}

/// The deployment's own secret, which Chorus derives its keys from. It is
/// read from the environment or a file, never from a flag: a command line
/// shows in `ps` and in shell history.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct KeysConfig {
    /// 32 random bytes as 64 hex digits (`openssl rand -hex 32`), the same on
    /// every instance. Keep it with the database's credentials: changing it
    /// stops Chorus from recognising people who signed before.
    #[arg(skip = std::env::var("CHORUS_SECRET_KEY").ok().and_then(|raw| raw.parse().ok()))]
    pub secret_key: Option<Secret>,
    /// A file holding the secret key (instead of `CHORUS_SECRET_KEY`).
    #[arg(long, env = "CHORUS_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,
}

impl KeysConfig {
    /// Whether a secret was given at all.
    pub fn is_set(&self) -> bool {
        self.secret_key.is_some() || self.secret_key_file.is_some()
    }

    /// The configured secret, or why there is none.
    pub fn require(&self) -> anyhow::Result<crate::personal::MasterKey> {
        let raw = match (&self.secret_key_file, &self.secret_key) {
            (Some(path), _) => std::fs::read_to_string(path).map_err(|e| {
                anyhow::anyhow!("reading the secret key from {}: {e}", path.display())
            })?,
            (None, Some(raw)) => raw.expose().to_owned(),
            (None, None) => anyhow::bail!(
                "CHORUS_SECRET_KEY is not set: give Chorus 32 random bytes as 64 hex digits \
                 (`openssl rand -hex 32` makes them), the same on every instance, in \
                 CHORUS_SECRET_KEY or in a file named by CHORUS_SECRET_KEY_FILE"
            ),
        };
        raw.trim()
            .parse()
            .map_err(|e| anyhow::anyhow!("the secret key: {e}"))
    }
}

/// A secret from configuration (an API key, a webhook signing secret):
/// never shown in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for Secret {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("a secret cannot be empty".into());
        }
        Ok(Self(raw.to_owned()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(REDACTED)")
    }
}

/// The organisation's payment provider accounts. Secrets come from here,
/// never from a campaign's stored settings and never from a widget.
#[derive(Debug, Clone, clap::Args)]
pub struct PaymentsConfig {
    /// The organisation's Stripe secret key (`sk_live_...`), for Checkout Sessions.
    #[arg(long, env = "CHORUS_STRIPE_SECRET_KEY", hide_env_values = true)]
    pub stripe_secret_key: Option<Secret>,
    /// Stripe webhook signing secrets (`whsec_...`), comma-separated: during a
    /// rotation, the old and the new one are both accepted.
    #[arg(
        long,
        env = "CHORUS_STRIPE_WEBHOOK_SECRETS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub stripe_webhook_secrets: Vec<Secret>,
    /// Stripe's API address; tests point it at a local stand-in.
    #[arg(
        long,
        env = "CHORUS_STRIPE_API_BASE",
        default_value = "https://api.stripe.com"
    )]
    pub stripe_api_base: url::Url,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_password_never_reaches_debug_output() {
        let url =
            DatabaseUrl::from_str("postgres://chorus:hunter2@db.internal/chorus?sslmode=require")
                .expect("valid URL");
        let shown = format!("{url:?} {url}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("db.internal"), "{shown}");
        assert_eq!(
            url.expose(),
            "postgres://chorus:hunter2@db.internal/chorus?sslmode=require"
        );
    }

    #[test]
    fn a_secret_never_reaches_debug_output() {
        let secret = Secret::from_str(" sk_test_hunter2 ").expect("non-empty");
        assert_eq!(secret.expose(), "sk_test_hunter2");
        assert!(!format!("{secret:?}").contains("hunter2"));
        assert!(Secret::from_str("  ").is_err());
    }

    #[test]
    fn a_public_url_is_an_origin_and_keeps_its_scheme() {
        let url = PublicUrl::from_str("https://Chorus.Coalition.example/").expect("origin");
        assert_eq!(url.as_str(), "https://chorus.coalition.example");
        let with_port = PublicUrl::from_str("http://127.0.0.1:8080").expect("origin");
        assert_eq!(with_port.as_str(), "http://127.0.0.1:8080");
        for refused in [
            "chorus.example",
            "ftp://chorus.example",
            "https://chorus.example/chorus",
            "https://chorus.example/?x=1",
            "https://user:pw@chorus.example",
        ] {
            assert!(PublicUrl::from_str(refused).is_err(), "{refused} accepted");
        }
    }

    #[test]
    fn the_default_database_is_a_sqlite_file_in_the_data_directory() {
        let url = DatabaseUrl::sqlite_in(std::path::Path::new("data"));
        assert_eq!(url.scheme(), "sqlite");
        assert!(url.expose().ends_with("data/chorus.db"), "{}", url.expose());
    }
}
