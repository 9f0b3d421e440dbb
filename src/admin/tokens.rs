//! Organisations' API tokens: what one looks like, what it may do, and the
//! digest storage keeps instead of it.
//!
//! A token is `chorus_` and 256 random bits in URL-safe base64: the prefix
//! lets secret scanners and people recognise one in a leaked file, and the
//! randomness makes a plain SHA-256 digest safe to keep (there is nothing
//! to guess from it).

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::storage::{Millis, NewApiToken};

const PREFIX: &str = "chorus_";
const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The longest a token may be valid, and the default.
pub const MAX_DAYS: u32 = 730;
pub const DEFAULT_DAYS: u32 = 90;
const MAX_LABEL_CHARS: usize = 100;

/// What a token may do. Each organisers' route needs one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// See petitions, their counts and how signing went, by hour or day.
    ReadCounts,
    /// Take the signers' sealed details, to open with the organisation's key.
    ExportSignatures,
    /// Read the organisation's audit log.
    ReadAudit,
    /// Create petitions, translate them, set their goal, pause or close them.
    WritePetitions,
    /// Say which partners' sites carry the organisation's petitions.
    ManagePartners,
    /// See held and suspicious signatures, and count or discount them.
    ReviewSignatures,
    /// Post, edit and unpublish updates, attach files; see the feeds.
    WriteUpdates,
    /// Create and edit storms; see their shares.
    WriteStorms,
    /// Create action days and events, decide on proposed ones.
    WriteEvents,
}

impl Scope {
    pub const ALL: [Self; 9] = [
        Self::ReadCounts,
        Self::ExportSignatures,
        Self::ReadAudit,
        Self::WritePetitions,
        Self::ManagePartners,
        Self::ReviewSignatures,
        Self::WriteUpdates,
        Self::WriteStorms,
        Self::WriteEvents,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::ReadCounts => "read:counts",
            Self::ExportSignatures => "export:signatures",
            Self::ReadAudit => "read:audit",
            Self::WritePetitions => "write:petitions",
            Self::ManagePartners => "manage:partners",
            Self::ReviewSignatures => "review:signatures",
            Self::WriteUpdates => "write:updates",
            Self::WriteStorms => "write:storms",
            Self::WriteEvents => "write:events",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// The scopes as storage keeps them: names, space-separated.
pub fn scopes_text(scopes: &[Scope]) -> String {
    let mut scopes = scopes.to_vec();
    scopes.sort();
    scopes.dedup();
    scopes
        .iter()
        .map(|s| s.name())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether stored scopes include `wanted`. Names Chorus no longer knows
/// grant nothing.
pub fn grants(stored: &str, wanted: Scope) -> bool {
    stored.split_whitespace().any(|name| name == wanted.name())
}

/// What an owner asks for when creating a token.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub organisation_id: i64,
    pub label: String,
    pub scopes: Vec<Scope>,
    pub days: u32,
}

/// A token to show once, and what storage keeps of it.
#[derive(Debug)]
pub struct Issued {
    pub token: String,
    pub stored: NewApiToken,
}

/// Checks a request and makes its token; `Err` says what to change.
pub fn issue(request: TokenRequest, now: Millis) -> Result<Issued, String> {
    let label = request.label.trim().to_owned();
    if label.is_empty() {
        return Err("give the token a label: who or what will use it".into());
    }
    if label.chars().count() > MAX_LABEL_CHARS || label.chars().any(char::is_control) {
        return Err(format!(
            "a label is one line of at most {MAX_LABEL_CHARS} characters"
        ));
    }
    if request.scopes.is_empty() {
        return Err(format!(
            "give the token at least one scope: {}",
            Scope::ALL.map(Scope::name).join(", ")
        ));
    }
    if !(1..=MAX_DAYS).contains(&request.days) {
        return Err(format!(
            "a token lasts from 1 to {MAX_DAYS} days, not {}",
            request.days
        ));
    }
    let token = fresh();
    Ok(Issued {
        stored: NewApiToken {
            organisation_id: request.organisation_id,
            label,
            digest: digest(&token),
            scopes: scopes_text(&request.scopes),
            expires_at: now + i64::from(request.days) * 24 * 3600 * 1000,
        },
        token,
    })
}

fn fresh() -> String {
    use crypto_box::aead::rand_core::RngCore;
    let mut random = [0_u8; 32];
    crypto_box::aead::OsRng.fill_bytes(&mut random);
    format!("{PREFIX}{}", BASE64.encode(random))
}

/// The digest storage finds a presented token by.
pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Whether `text` has a token's shape, so anything else is refused before
/// storage is asked.
pub fn looks_like_token(text: &str) -> bool {
    text.strip_prefix(PREFIX)
        .and_then(|rest| BASE64.decode(rest).ok())
        .is_some_and(|bytes| bytes.len() == 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> TokenRequest {
        TokenRequest {
            organisation_id: 7,
            label: "  Website CMS ".into(),
            scopes: vec![Scope::WriteStorms, Scope::WriteUpdates, Scope::WriteStorms],
            days: 30,
        }
    }

    #[test]
    fn an_issued_token_is_stored_only_as_its_digest() {
        let issued = issue(request(), 1_000).expect("valid");
        assert!(looks_like_token(&issued.token), "{}", issued.token);
        assert_eq!(issued.stored.digest, digest(&issued.token));
        assert_eq!(issued.stored.label, "Website CMS");
        assert_eq!(issued.stored.scopes, "write:updates write:storms");
        assert_eq!(issued.stored.expires_at, 1_000 + 30 * 86_400_000);
        let again = issue(request(), 1_000).expect("valid");
        assert_ne!(again.token, issued.token, "every token is fresh");
    }

    #[test]
    fn requests_without_label_scope_or_sane_lifetime_are_refused() {
        let refused = |change: fn(&mut TokenRequest)| {
            let mut r = request();
            change(&mut r);
            issue(r, 0).expect_err("refused")
        };
        assert!(refused(|r| r.label = " ".into()).contains("label"));
        assert!(refused(|r| r.label = "a\nb".into()).contains("one line"));
        assert!(refused(|r| r.scopes.clear()).contains("export:signatures"));
        assert!(refused(|r| r.days = 0).contains("1 to 730"));
        assert!(refused(|r| r.days = 731).contains("731"));
    }

    #[test]
    fn stored_scopes_grant_only_what_they_name() {
        assert!(grants("write:updates write:storms", Scope::WriteStorms));
        assert!(!grants("write:updates", Scope::WriteEvents));
        assert!(!grants("write:updatesx", Scope::WriteUpdates));
        assert_eq!(Scope::parse("write:events"), Some(Scope::WriteEvents));
        assert_eq!(Scope::parse("admin"), None);
    }

    #[test]
    fn only_token_shapes_are_looked_up() {
        assert!(!looks_like_token("organiser-token"));
        assert!(!looks_like_token("chorus_short"));
        assert!(!looks_like_token(""));
    }
}
