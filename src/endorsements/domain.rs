//! Which organisation a website or an email address belongs to: its
//! registrable domain by the Public Suffix List, so `www.apoyo.org.mx` and
//! `apoyo.org.mx` are one organisation, and `org.mx` is nobody's.

use url::{Host, Url};

/// The registrable domain of an organisation's website, lower case and in
/// its ASCII (punycode) form; `None` for anything that is not a public
/// `http(s)` website on a registrable domain (an IP address, `localhost`,
/// a bare suffix such as `co.uk`, a user name in the address).
pub fn of_website(website: &str) -> Option<String> {
    let url = Url::parse(website.trim()).ok()?;
    if !matches!(url.scheme(), "https" | "http") || !url.username().is_empty() {
        return None;
    }
    match url.host()? {
        Host::Domain(host) => registrable(host),
        Host::Ipv4(_) | Host::Ipv6(_) => None,
    }
}

/// The registrable domain of an email address's domain.
pub fn of_email(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let ascii = idna::domain_to_ascii(domain).ok()?;
    registrable(&ascii)
}

/// Whether an email address is at the organisation's own domain (or a
/// subdomain of it): the signer then reads mail there, which verifies
/// them as speaking for it.
pub fn email_is_at(email: &str, organisation_domain: &str) -> bool {
    of_email(email).is_some_and(|domain| domain == organisation_domain)
}

fn registrable(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let domain = psl::domain_str(&host)?;
    // A name the list does not know has only its own wildcard rule: not
    // enough to say who owns it (`localhost`, `intranet`).
    let known = psl::suffix(domain.as_bytes()).is_some_and(|suffix| suffix.is_known());
    known.then(|| domain.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_website_names_its_registrable_domain() {
        for (site, domain) in [
            (
                "https://apoyo-migrante.org.mx/quienes-somos",
                "apoyo-migrante.org.mx",
            ),
            ("https://WWW.Migrants-Rights.example.co.uk", "example.co.uk"),
            ("http://sindicato.es/", "sindicato.es"),
            // Expected forms from Python's own IDNA codec.
            ("https://solidarité.fr", "xn--solidarit-j4a.fr"),
            ("https://a.b.unión.org", "xn--unin-sqa.org"),
        ] {
            assert_eq!(of_website(site).as_deref(), Some(domain), "{site}");
        }
    }

    #[test]
    fn addresses_that_name_no_organisation_are_refused() {
        for site in [
            "https://co.uk",
            "https://localhost",
            "https://intranet/",
            // Under no suffix the list knows: anybody's name on their own network.
            "https://wiki.intranet/",
            "https://printer.local/",
            "https://192.0.2.1/",
            "https://[2001:db8::1]/",
            "ftp://sindicato.es",
            "https://trusted.org@evil.example/",
            "not a url",
        ] {
            assert_eq!(of_website(site), None, "{site}");
        }
    }

    #[test]
    fn an_email_verifies_only_at_the_organisations_own_domain() {
        let domain = of_website("https://www.apoyo-migrante.org.mx").expect("a domain");
        assert!(email_is_at("lucia@apoyo-migrante.org.mx", &domain));
        assert!(email_is_at("Lucia@Correo.Apoyo-Migrante.org.MX", &domain));
        for other in [
            "lucia@gmail.com",
            "lucia@org.mx",
            "lucia@apoyo-migrante.org.mx.evil.example",
            "lucia@otra-apoyo-migrante.org.mx",
            "no-at-sign",
        ] {
            assert!(!email_is_at(other, &domain), "{other}");
        }
        let unicode = of_website("https://solidarité.fr").expect("a domain");
        assert!(email_is_at("marie@solidarité.fr", &unicode));
    }
}
