//! Who is asking, as far as rate limits need to know: the client's network,
//! hashed with a key that changes every day. No address is kept.
//!
//! Behind a reverse proxy, every request comes from the proxy. Chorus then
//! believes `X-Forwarded-For` only as far as the proxies it was told to
//! trust: walking the header from the right, the first address that is not
//! a trusted proxy is the client. A header from anyone else is ignored, so
//! no one can pick the address they are counted under.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` Chorus believes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// Comma-separated addresses or networks: `127.0.0.1,10.0.0.0/8`.
    fn from_str(raw: &str) -> Result<Self, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse::<IpNet>()
                    .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{part:?} is not an IP address or network"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: the peer, or when the peer is a trusted proxy,
    /// the nearest untrusted address it forwarded for.
    pub fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer.ip());
        if !self.trusts(peer) {
            return peer;
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        let mut client = peer;
        for hop in forwarded.iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>().map(canonical) else {
                // A garbled hop: stop at the last address known good.
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// IPv4 addresses written as IPv6 (`::ffff:203.0.113.7`) are IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// What one client is counted by: an IPv4 address, or an IPv6 /64 (one
/// household or phone usually holds a whole /64).
pub fn network(ip: IpAddr) -> Vec<u8> {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets()[..8].to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_str(value).expect("ASCII"),
        );
        headers
    }

    fn peer(ip: &str) -> SocketAddr {
        SocketAddr::new(ip.parse().expect("IP"), 40000)
    }

    #[test]
    fn a_header_from_an_untrusted_peer_is_ignored() {
        let trusted = TrustedProxies::from_str("10.0.0.0/8").expect("valid");
        let client = trusted.client(peer("203.0.113.7"), &forwarded("198.51.100.1"));
        assert_eq!(client, "203.0.113.7".parse::<IpAddr>().expect("IP"));
        let nobody = TrustedProxies::default();
        assert_eq!(
            nobody.client(peer("10.0.0.1"), &forwarded("198.51.100.1")),
            "10.0.0.1".parse::<IpAddr>().expect("IP")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client() {
        let trusted = TrustedProxies::from_str("10.0.0.0/8, 127.0.0.1").expect("valid");
        // The client forged the first entry; the proxies appended the rest.
        let headers = forwarded("1.2.3.4, 198.51.100.9, 10.0.0.5");
        assert_eq!(
            trusted.client(peer("127.0.0.1"), &headers),
            "198.51.100.9".parse::<IpAddr>().expect("IP")
        );
        assert_eq!(
            trusted.client(peer("::ffff:127.0.0.1"), &HeaderMap::new()),
            "127.0.0.1".parse::<IpAddr>().expect("IP")
        );
        assert_eq!(
            trusted.client(peer("127.0.0.1"), &forwarded("garbage, 198.51.100.9")),
            "198.51.100.9".parse::<IpAddr>().expect("IP")
        );
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_and_ipv4_by_address() {
        let a = network("2001:db8:1:2:aaaa::1".parse().expect("IP"));
        let b = network("2001:db8:1:2:bbbb::9".parse().expect("IP"));
        let c = network("2001:db8:1:3::1".parse().expect("IP"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            network("::ffff:192.0.2.1".parse().expect("IP")),
            vec![192, 0, 2, 1]
        );
        assert!(TrustedProxies::from_str("10.0.0.0/33").is_err());
        assert!(TrustedProxies::from_str("proxy.internal").is_err());
    }
}
