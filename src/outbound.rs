//! The one way Chorus reaches out to other servers (mirrored feeds, items'
//! pictures): an HTTP client that connects to public addresses only.
//!
//! A feed's address comes from an organiser, and a picture's from whatever a
//! mirrored feed says, so either could point Chorus at its own loopback, the
//! private network it runs in or a cloud's metadata service. The guard sits
//! where the connection is made: the resolver hands the connector only
//! public addresses, so a DNS answer that changes between a check and the
//! connect (rebinding) has nothing to slip through; an address written in
//! the URL itself is checked before sending and on every redirect; and the
//! address the response actually came from is checked once more.

use std::error::Error as StdError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use ipnet::{IpNet, Ipv4Net};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{RequestBuilder, Response};
use url::{Host, Url};

/// Redirects followed before a fetch gives up.
pub const MAX_REDIRECTS: usize = 3;

/// Where outbound requests may go.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FetchConfig {
    /// Let Chorus fetch feeds and pictures from loopback and private
    /// networks: for intranet deployments, and for tests. Off by default.
    #[arg(long, env = "CHORUS_ALLOW_PRIVATE_FETCH")]
    pub allow_private_fetch: bool,
    /// Private networks Chorus may fetch from while the rest stay refused,
    /// comma-separated (`10.20.0.7/32` for one intranet feed server).
    #[arg(long, env = "CHORUS_ALLOW_FETCH_FROM", value_delimiter = ',')]
    pub allow_fetch_from: Vec<IpNet>,
}

impl FetchConfig {
    /// Whether a server at `ip` may be fetched from.
    pub fn may_reach(&self, ip: IpAddr) -> bool {
        self.allow_private_fetch
            || is_public(ip)
            || self.allow_fetch_from.iter().any(|net| net.contains(&ip))
    }
}

/// Why a fetch was not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error(
        "Chorus does not fetch from {0}: it is a loopback, private or reserved address \
         (an intranet deployment can allow it with CHORUS_ALLOW_PRIVATE_FETCH=1)"
    )]
    Private(String),
    #[error("the source redirected more than {MAX_REDIRECTS} times")]
    TooManyRedirects,
    #[error("Chorus fetches only http:// and https:// addresses, not {0}")]
    Scheme(String),
}

/// An HTTP client bound to the address guard.
#[derive(Debug, Clone)]
pub struct Outbound {
    http: reqwest::Client,
    reach: Arc<FetchConfig>,
}

impl Outbound {
    /// A client whose requests give up after `timeout`, naming itself
    /// `Chorus/VERSION (purpose)`.
    pub fn new(config: FetchConfig, timeout: Duration, purpose: &str) -> Self {
        let reach = Arc::new(config);
        let in_redirects = reach.clone();
        let builder = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(format!("Chorus/{} ({purpose})", env!("CARGO_PKG_VERSION")))
            // A proxy from the environment would be the address connected
            // to, and the guard could not see past it.
            .no_proxy()
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() > MAX_REDIRECTS {
                    return attempt.error(Refused::TooManyRedirects);
                }
                match check_url(attempt.url(), &in_redirects) {
                    Ok(()) => attempt.follow(),
                    Err(refused) => attempt.error(refused),
                }
            }))
            .dns_resolver(Arc::new(Guarded(reach.clone())));
        Self {
            http: builder.build().unwrap_or_default(),
            reach,
        }
    }

    /// A GET request to `url`, not yet sent.
    pub fn get(&self, url: &str) -> RequestBuilder {
        self.http.get(url)
    }

    /// Sends `request` if its address may be reached, and checks the
    /// address the answer came from. The error says why in plain words.
    pub async fn send(&self, request: RequestBuilder) -> Result<Response, String> {
        let (client, request) = request.build_split();
        let request = request.map_err(|e| describe(&e))?;
        check_url(request.url(), &self.reach).map_err(|e| e.to_string())?;
        let response = client.execute(request).await.map_err(|e| describe(&e))?;
        match response.remote_addr() {
            Some(peer) if !self.reach.may_reach(peer.ip()) => {
                Err(Refused::Private(peer.ip().to_string()).to_string())
            }
            _ => Ok(response),
        }
    }
}

/// An address written in the URL (`http://127.0.0.1/`, `http://[::1]/`)
/// never reaches the resolver, so it is checked here.
fn check_url(url: &Url, reach: &FetchConfig) -> Result<(), Refused> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refused::Scheme(format!("{}:", url.scheme())));
    }
    let ip = match url.host() {
        Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    if reach.may_reach(ip) {
        Ok(())
    } else {
        Err(Refused::Private(ip.to_string()))
    }
}

/// A reqwest error in the organiser's words, with the guard's reason when
/// the guard refused (it arrives wrapped, as the error's source).
pub fn describe(error: &reqwest::Error) -> String {
    let mut source: Option<&(dyn StdError + 'static)> = error.source();
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<Refused>() {
            return refused.to_string();
        }
        source = cause.source();
    }
    if error.is_timeout() {
        "the source did not answer in time".into()
    } else if error.is_connect() {
        "the source could not be reached".into()
    } else {
        format!("fetching failed: {error}")
    }
}

/// Resolves names as the system does, then keeps only the addresses the
/// configuration allows.
#[derive(Debug)]
struct Guarded(Arc<FetchConfig>);

impl Resolve for Guarded {
    fn resolve(&self, name: Name) -> Resolving {
        let reach = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found
                .into_iter()
                .filter(|addr| reach.may_reach(addr.ip()))
                .collect();
            if public.is_empty() {
                return Err(Box::new(Refused::Private(host)) as Box<dyn StdError + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// IPv4 networks no public server lives in.
static NOT_PUBLIC_V4: LazyLock<Vec<Ipv4Net>> = LazyLock::new(|| {
    [
        "0.0.0.0/8",      // "this network", unspecified
        "10.0.0.0/8",     // private (RFC 1918)
        "100.64.0.0/10",  // carrier-grade NAT
        "127.0.0.0/8",    // loopback
        "169.254.0.0/16", // link-local, cloud metadata
        "172.16.0.0/12",  // private
        "192.0.0.0/24",   // IETF protocol assignments
        "192.168.0.0/16", // private
        "198.18.0.0/15",  // benchmarking
        "224.0.0.0/4",    // multicast
        "240.0.0.0/4",    // reserved, broadcast
    ]
    .iter()
    .filter_map(|net| net.parse().ok())
    .collect()
});

/// Whether a server at `ip` is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    !NOT_PUBLIC_V4.iter().any(|net| net.contains(&v4))
}

fn is_public_v6(v6: Ipv6Addr) -> bool {
    if let Some(v4) = embedded_v4(v6) {
        return is_public_v4(v4);
    }
    let not_public = [
        "::/128",    // unspecified
        "::1/128",   // loopback
        "fc00::/7",  // unique-local
        "fe80::/10", // link-local
        "fec0::/10", // site-local (deprecated, still routed inside some networks)
        "ff00::/8",  // multicast
        "100::/64",  // discard
    ];
    !not_public
        .iter()
        .filter_map(|net| net.parse::<IpNet>().ok())
        .any(|net| net.contains(&IpAddr::V6(v6)))
}

/// The IPv4 address inside an IPv6 one that carries it: IPv4-mapped
/// (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96`)
/// and 6to4 (`2002::/16`). Each reaches that IPv4 host.
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let o = v6.octets();
    let last_four = Ipv4Addr::new(o[12], o[13], o[14], o[15]);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(last_four),
        [0, 0, 0, 0, 0, 0, hi, _] if hi != 0 => Some(last_four),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(last_four),
        [0x2002, _, _, ..] => Some(Ipv4Addr::new(o[2], o[3], o[4], o[5])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(ip: &str) -> bool {
        is_public(ip.parse().expect("an IP address"))
    }

    #[test]
    fn private_reserved_and_local_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "127.1.2.3",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fd00::1",
            "fc00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::",
        ] {
            assert!(!public(ip), "{ip} was taken for public");
        }
    }

    #[test]
    fn ordinary_internet_addresses_are_public() {
        for ip in [
            "93.184.215.14",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:93.184.215.14",
            "2002:5db8:d70e::",
        ] {
            assert!(public(ip), "{ip} was refused");
        }
    }

    #[test]
    fn an_address_written_in_the_url_is_checked_before_any_request() {
        let url = |raw: &str| Url::parse(raw).expect("URL");
        let guarded = FetchConfig::default();
        let open = FetchConfig {
            allow_private_fetch: true,
            ..FetchConfig::default()
        };
        let one_host = FetchConfig {
            allow_fetch_from: vec!["10.20.0.7/32".parse().expect("network")],
            ..FetchConfig::default()
        };
        assert_eq!(
            check_url(&url("http://127.0.0.1:8080/feed"), &guarded),
            Err(Refused::Private("127.0.0.1".into()))
        );
        // WHATWG URL parsing turns other spellings into the same address.
        assert!(check_url(&url("http://2130706433/"), &guarded).is_err());
        assert!(check_url(&url("http://0x7f.1/"), &guarded).is_err());
        assert!(check_url(&url("http://[::ffff:7f00:1]/"), &guarded).is_err());
        assert!(check_url(&url("http://127.0.0.1/"), &open).is_ok());
        assert!(check_url(&url("http://10.20.0.7/"), &one_host).is_ok());
        assert!(check_url(&url("http://10.20.0.8/"), &one_host).is_err());
        assert!(check_url(&url("https://news.example/feed"), &guarded).is_ok());
        assert!(check_url(&url("file:///etc/passwd"), &open).is_err());
    }
}
