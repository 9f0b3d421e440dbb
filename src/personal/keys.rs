//! Chorus's own secret and the keys derived from it.
//!
//! Configuration holds one secret (`CHORUS_SECRET_KEY`: 32 random bytes in
//! hex). Each use gets its own key derived from it, so that a key exposed by
//! one use reveals nothing about another. Every instance of one deployment
//! must share the secret; changing it makes every stored email hash useless
//! for recognising a repeat signature.

use std::fmt;
use std::str::FromStr;

use crypto_box::aead::OsRng;
use crypto_secretbox::XSalsa20Poly1305;
use crypto_secretbox::aead::{Aead, AeadCore, KeyInit};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const KEY_BYTES: usize = 32;

/// The deployment's secret, from configuration. Never shown in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct MasterKey([u8; KEY_BYTES]);

impl MasterKey {
    /// A fresh random secret, for the demo and for tests.
    pub fn random() -> Self {
        use crypto_box::aead::rand_core::RngCore;
        let mut bytes = [0; KEY_BYTES];
        crypto_box::aead::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The secret as configuration writes it.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl FromStr for MasterKey {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let help = "CHORUS_SECRET_KEY must be 32 random bytes written as 64 hex digits \
                    (`openssl rand -hex 32` makes one)";
        let bytes = hex::decode(raw.trim()).map_err(|_| help.to_owned())?;
        let bytes: [u8; KEY_BYTES] = bytes.try_into().map_err(|_| help.to_owned())?;
        Ok(Self(bytes))
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(REDACTED)")
    }
}

/// The keys Chorus derives from its secret, one per use.
#[derive(Clone)]
pub struct ServerKeys {
    email: [u8; KEY_BYTES],
    outbox: [u8; KEY_BYTES],
    client: [u8; KEY_BYTES],
    proof: [u8; KEY_BYTES],
}

impl fmt::Debug for ServerKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerKeys(REDACTED)")
    }
}

impl ServerKeys {
    pub fn new(master: &MasterKey) -> Self {
        Self {
            email: derive(master, b"chorus email hash v1"),
            outbox: derive(master, b"chorus outbox v1"),
            client: derive(master, b"chorus client day keys v1"),
            proof: derive(master, b"chorus proof of work v1"),
        }
    }

    /// A new random key for one day's client hashes, and the same sealed
    /// for the database (only an instance with Chorus's secret opens it).
    pub fn new_day_key(&self) -> (DayKey, Vec<u8>) {
        let key: [u8; KEY_BYTES] = XSalsa20Poly1305::generate_key(&mut OsRng).into();
        let cipher = XSalsa20Poly1305::new(&self.client.into());
        let nonce = XSalsa20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher.encrypt(&nonce, key.as_slice()).unwrap_or_default();
        (DayKey(key), [nonce.as_slice(), &sealed].concat())
    }

    /// A day key as [`Self::new_day_key`] sealed it; `None` if it was sealed
    /// under another secret.
    pub fn open_day_key(&self, sealed: &[u8]) -> Option<DayKey> {
        let (nonce, sealed) = sealed.split_at_checked(24)?;
        let cipher = XSalsa20Poly1305::new(&self.client.into());
        let key = cipher.decrypt(nonce.into(), sealed).ok()?;
        key.try_into().ok().map(DayKey)
    }

    /// The key proof-of-work challenges are signed with.
    pub fn proof_key(&self) -> &[u8; KEY_BYTES] {
        &self.proof
    }

    /// The key the outbox encrypts waiting messages with.
    pub fn outbox_key(&self) -> &[u8; KEY_BYTES] {
        &self.outbox
    }

    /// The keyed hash of an email address, normalised first, so that two
    /// spellings of one mailbox hash alike. Without the key, the hash cannot
    /// be checked against a list of addresses.
    pub fn email_hash(&self, email: &str) -> EmailHash {
        EmailHash(mac(
            &self.email,
            crate::signing::email_key(email).as_bytes(),
        ))
    }
}

/// One day's random key for hashing clients' networks. Each day has its
/// own, so hashes link a client's requests within a day and never across
/// days; once the key is destroyed, nothing links that day's hashes to an
/// address.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DayKey([u8; KEY_BYTES]);

impl DayKey {
    /// The hash a client's network is counted under.
    pub fn client_hash(&self, network: &[u8]) -> [u8; KEY_BYTES] {
        mac(&self.0, network)
    }
}

impl fmt::Debug for DayKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DayKey(REDACTED)")
    }
}

/// The stored form of an email address: 32 bytes that recognise a repeat.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailHash(pub [u8; KEY_BYTES]);

impl EmailHash {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// A key for one use: the HMAC of its label under the secret (HKDF's expand
/// step with a single block).
fn derive(master: &MasterKey, label: &[u8]) -> [u8; KEY_BYTES] {
    mac(&master.0, label)
}

fn mac(key: &[u8], message: &[u8]) -> [u8; KEY_BYTES] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(hex: &str) -> ServerKeys {
        ServerKeys::new(&MasterKey::from_str(hex).expect("valid secret"))
    }

    #[test]
    fn one_mailbox_hashes_alike_and_the_key_changes_every_hash() {
        let a = keys(&"11".repeat(32));
        let b = keys(&"22".repeat(32));
        assert_eq!(
            a.email_hash("Ana.Lopez@gmail.com"),
            a.email_hash("analopez+x@googlemail.com")
        );
        assert_ne!(
            a.email_hash("ana@example.org"),
            a.email_hash("bo@example.org")
        );
        assert_ne!(
            a.email_hash("ana@example.org"),
            b.email_hash("ana@example.org")
        );
    }

    #[test]
    fn day_keys_are_random_and_open_only_under_the_secret_that_sealed_them() {
        let a = keys(&"11".repeat(32));
        let (first, sealed) = a.new_day_key();
        let (second, _) = a.new_day_key();
        assert_ne!(first, second, "random, not derived");
        assert_eq!(a.open_day_key(&sealed), Some(first));
        assert_eq!(keys(&"22".repeat(32)).open_day_key(&sealed), None);
        assert_eq!(a.open_day_key(&sealed[..10]), None);
        assert_ne!(
            first.client_hash(&[203, 0, 113, 7]),
            second.client_hash(&[203, 0, 113, 7])
        );
    }

    #[test]
    fn the_secret_must_be_32_bytes_of_hex_and_never_shows() {
        assert!(MasterKey::from_str("abc").is_err());
        assert!(MasterKey::from_str(&"zz".repeat(32)).is_err());
        assert!(MasterKey::from_str(&"ab".repeat(31)).is_err());
        let key = MasterKey::from_str(&format!(" {} ", "ab".repeat(32))).expect("valid");
        assert_eq!(key.to_hex(), "ab".repeat(32));
        assert!(!format!("{key:?}").contains("abab"));
    }
}
