//! Email addresses: the strict check and the key that makes one address sign
//! a petition once.

/// Providers where a `+tag` reaches the same mailbox.
const PLUS_ALIASES: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "fastmail.com",
];

/// Whether `email` is an address mail can be sent to, by RFC 5322's rules.
pub fn is_deliverable_shape(email: &str) -> bool {
    email_address::EmailAddress::parse_with_options(
        email.trim(),
        email_address::Options::default()
            .without_display_text()
            .without_domain_literal(),
    )
    .is_ok()
}

/// The mailbox an address reaches: lower case, the domain in ASCII (IDNA),
/// `googlemail.com` as `gmail.com`, and where the provider ignores them,
/// `+tags` (and for Gmail, dots) removed. Two addresses with one key reach
/// one person.
pub fn email_key(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else {
        return email;
    };
    // A key must normalise to itself, and the next pass trims the whole
    // address. So trailing dots and the white space they hide go before
    // IDNA (whose success can hang on them) and again after it (it drops
    // ignorable characters, such as a soft hyphen, and can leave dots
    // behind them).
    let trailing = |c: char| c == '.' || c.is_whitespace();
    let domain = domain.trim_end_matches(trailing);
    let domain = idna::domain_to_ascii(domain).unwrap_or_else(|_| domain.to_owned());
    let domain = domain.trim_end_matches(trailing).to_owned();
    let domain = if domain == "googlemail.com" {
        "gmail.com".to_owned()
    } else {
        domain
    };
    let mut local = local.to_owned();
    if PLUS_ALIASES.contains(&domain.as_str())
        && let Some((base, _tag)) = local.split_once('+')
    {
        local = base.to_owned();
    }
    if domain == "gmail.com" {
        local.retain(|c| c != '.');
    }
    // Removing dots can bare white space at the start, as trimming dots did
    // at the end.
    format!("{}@{domain}", local.trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_of_one_mailbox_share_a_key() {
        let gmail = email_key("Ana.Lopez@gmail.com");
        for alias in [
            "analopez@gmail.com",
            "a.n.a.lopez+petitions@GMAIL.com",
            "ana.lopez@googlemail.com",
            " AnaLopez@gmail.com. ",
        ] {
            assert_eq!(email_key(alias), gmail, "{alias}");
        }
        assert_eq!(email_key("sam+news@outlook.com"), "sam@outlook.com");
    }

    #[test]
    fn other_providers_keep_dots_and_tags() {
        assert_eq!(email_key("Jo.Ng+x@example.org"), "jo.ng+x@example.org");
        assert_ne!(
            email_key("jo.ng@example.org"),
            email_key("jong@example.org")
        );
    }

    #[test]
    fn international_domains_are_compared_in_ascii() {
        assert_eq!(email_key("léa@bücher.de"), "léa@xn--bcher-kva.de");
        assert_eq!(email_key("léa@XN--BCHER-KVA.de"), "léa@xn--bcher-kva.de");
    }

    #[test]
    fn a_key_normalises_to_itself() {
        // Found by the `email_key` fuzz target: trimming around IDNA (it drops
        // a soft hyphen, and fails or not with trailing junk) left a key that
        // normalised differently the second time.
        for email in [
            "\"ja@@mple'\u{1}[\u{7f}\u{7f}..\u{ad}",
            "a@example.org.\u{ad}",
            "@BA\u{b}.",
            ".\u{b}a@gmail.com",
            "A.x@ec\u{c}\u{c}\u{c}\u{c}\u{c}\u{c}\u{c}\u{c}\u{c}\u{c}\u{c}\u{c}\u{c}.googlxnAl+\u{e9}a@\u{496}&\u{c}\u{c}.er1ogba.xn--\u{0}x<-p4e\u{c}\u{c}.",
        ] {
            let key = email_key(email);
            assert_eq!(email_key(&key), key, "{email:?}");
        }
    }

    #[test]
    fn the_strict_check_refuses_what_mail_cannot_reach() {
        assert!(is_deliverable_shape("ana@example.org"));
        assert!(!is_deliverable_shape("Ana <ana@example.org>"));
        assert!(!is_deliverable_shape("ana@[127.0.0.1]"));
        assert!(!is_deliverable_shape("ana..x@example.org"));
    }
}
