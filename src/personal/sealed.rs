//! Organisations' key pairs, and the sealed boxes signers' details are
//! stored in.
//!
//! A sealed box (libsodium's `crypto_box_seal`: X25519, XSalsa20-Poly1305,
//! an ephemeral key per box) can be opened only with the organisation's
//! secret key. Chorus keeps the public key; the organisation keeps the
//! secret key and gives it only to an export, which does not store it.

use std::fmt;
use std::str::FromStr;

use crypto_box::aead::OsRng;
use serde::{Deserialize, Serialize};

/// How the text forms of keys begin: the kind, and the format's version.
const PUBLIC_PREFIX: &str = "chorus-public-1:";
const SECRET_PREFIX: &str = "chorus-secret-1:";
/// The first byte of every stored box, so the format can change later.
const BOX_VERSION: u8 = 1;
/// Details are padded to a multiple of this before sealing, so a box's size
/// says little about the length of a name or a comment.
const PAD_TO: usize = 128;

/// An organisation's public key: what Chorus seals signers' details to.
#[derive(Clone, PartialEq, Eq)]
pub struct OrgPublicKey(crypto_box::PublicKey);

/// An organisation's secret key: opens what was sealed to its public key.
#[derive(Clone)]
pub struct OrgSecretKey(crypto_box::SecretKey);

/// A new key pair.
pub fn keygen() -> (OrgPublicKey, OrgSecretKey) {
    let secret = crypto_box::SecretKey::generate(&mut OsRng);
    (OrgPublicKey(secret.public_key()), OrgSecretKey(secret))
}

impl OrgPublicKey {
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(crypto_box::PublicKey::from_bytes(bytes)))
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Display for OrgPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PUBLIC_PREFIX}{}", hex::encode(self.0.as_bytes()))
    }
}

impl fmt::Debug for OrgPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl OrgSecretKey {
    pub fn public_key(&self) -> OrgPublicKey {
        OrgPublicKey(self.0.public_key())
    }

    /// The text form to keep somewhere safe: Chorus prints it once.
    pub fn to_text(&self) -> String {
        format!("{SECRET_PREFIX}{}", hex::encode(self.0.to_bytes()))
    }

    /// Opens a stored box. Fails for a box sealed to another key, or damaged.
    pub fn open(&self, sealed: &[u8]) -> Result<PersonalDetails, OpenError> {
        let Some((&BOX_VERSION, sealed)) = sealed.split_first() else {
            return Err(OpenError);
        };
        let padded = self.0.unseal(sealed).map_err(|_| OpenError)?;
        serde_json::from_slice(&padded).map_err(|_| OpenError)
    }
}

impl FromStr for OrgSecretKey {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let help = || format!("a secret key is {SECRET_PREFIX} followed by 64 hex digits");
        let hex = raw.trim().strip_prefix(SECRET_PREFIX).ok_or_else(help)?;
        let bytes: [u8; 32] = hex::decode(hex)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(help)?;
        Ok(Self(crypto_box::SecretKey::from_bytes(bytes)))
    }
}

impl fmt::Debug for OrgSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OrgSecretKey(REDACTED)")
    }
}

/// A box that this key cannot open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("sealed to another key, or damaged")]
pub struct OpenError;

/// What a signer tells Chorus that identifies them: stored only sealed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDetails {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub comment: String,
    /// The signer's role in the organisation they sign for (endorsements).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
}

impl PersonalDetails {
    /// The details sealed to `to`, as stored.
    pub fn seal(&self, to: &OrgPublicKey) -> Vec<u8> {
        let mut plain = serde_json::to_vec(self).expect("strings always serialise");
        // JSON ignores trailing whitespace, so padding needs no length field.
        plain.resize(plain.len().div_ceil(PAD_TO) * PAD_TO, b' ');
        let sealed =
            to.0.seal(&mut OsRng, &plain)
                .expect("sealing fails only for messages near 4 GiB");
        let mut stored = Vec::with_capacity(1 + sealed.len());
        stored.push(BOX_VERSION);
        stored.extend_from_slice(&sealed);
        stored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> PersonalDetails {
        PersonalDetails {
            first_name: "Aïcha".into(),
            last_name: "Ndiaye".into(),
            email: "aicha@example.org".into(),
            comment: "Free them now.".into(),
            role: String::new(),
        }
    }

    #[test]
    fn only_the_organisations_secret_key_opens_a_box() {
        let (public, secret) = keygen();
        let (_, other) = keygen();
        let sealed = details().seal(&public);
        assert_eq!(secret.open(&sealed), Ok(details()));
        assert_eq!(other.open(&sealed), Err(OpenError));
        let mut damaged = sealed.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        assert_eq!(secret.open(&damaged), Err(OpenError));
        assert_eq!(secret.open(&[]), Err(OpenError));
    }

    #[test]
    fn nothing_readable_is_stored_and_lengths_are_hidden() {
        let (public, _) = keygen();
        let sealed = details().seal(&public);
        let text = String::from_utf8_lossy(&sealed);
        assert!(!text.contains("Ndiaye") && !text.contains("example.org"));
        let mut longer = details();
        longer.last_name.push_str("-Diallo");
        assert_eq!(longer.seal(&public).len(), sealed.len());
        // Each box has its own ephemeral key: one signer sealed twice differs.
        assert_ne!(details().seal(&public), sealed);
    }

    #[test]
    fn a_secret_key_survives_its_text_form_and_never_shows() {
        let (public, secret) = keygen();
        let text = secret.to_text();
        let again = OrgSecretKey::from_str(&format!("{text}\n")).expect("parses");
        assert_eq!(again.public_key(), public);
        assert!(!format!("{secret:?}").contains(&text[SECRET_PREFIX.len()..]));
        assert!(OrgSecretKey::from_str("chorus-secret-1:abcd").is_err());
        assert!(OrgSecretKey::from_str(&public.to_string()).is_err());
    }
}
