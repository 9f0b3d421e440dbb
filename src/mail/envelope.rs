//! What a waiting email holds, and how it is kept: encrypted with a key
//! derived from Chorus's secret (XSalsa20-Poly1305), so the outbox in the
//! database and its backups name no one. The row is deleted once sent.

use crypto_box::aead::OsRng;
use crypto_secretbox::XSalsa20Poly1305;
use crypto_secretbox::aead::{Aead, AeadCore, KeyInit};
use serde::{Deserialize, Serialize};

use crate::personal::ServerKeys;

/// Everything needed to write one email to a signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub to: String,
    pub first_name: String,
    /// The signer's language, as they signed in it.
    pub lang: String,
    pub petition_title: String,
    /// Counts the signature; only in a confirmation request.
    pub confirm_url: Option<String>,
    /// Removes the signature: "it wasn't me".
    pub withdraw_url: String,
    /// Takes the signer's name off the wall; only for a signer who asked
    /// to be listed.
    #[serde(default)]
    pub unlist_url: Option<String>,
}

const NONCE_BYTES: usize = 24;

impl Envelope {
    pub fn seal(&self, keys: &ServerKeys) -> Vec<u8> {
        seal_json(self, keys)
    }

    /// `None` for a message sealed under another secret, or damaged.
    pub fn open(sealed: &[u8], keys: &ServerKeys) -> Option<Self> {
        open_json(sealed, keys)
    }
}

/// `value` as JSON, encrypted with the outbox key under a fresh nonce.
pub(super) fn seal_json<T: Serialize>(value: &T, keys: &ServerKeys) -> Vec<u8> {
    let cipher = XSalsa20Poly1305::new(keys.outbox_key().into());
    let nonce = XSalsa20Poly1305::generate_nonce(&mut OsRng);
    let plain = serde_json::to_vec(value).expect("strings always serialise");
    let sealed = cipher
        .encrypt(&nonce, plain.as_slice())
        .expect("encryption fails only for messages near 256 GiB");
    [nonce.as_slice(), &sealed].concat()
}

pub(super) fn open_json<T: for<'de> Deserialize<'de>>(
    sealed: &[u8],
    keys: &ServerKeys,
) -> Option<T> {
    if sealed.len() < NONCE_BYTES {
        return None;
    }
    let (nonce, sealed) = sealed.split_at(NONCE_BYTES);
    let cipher = XSalsa20Poly1305::new(keys.outbox_key().into());
    let plain = cipher.decrypt(nonce.into(), sealed).ok()?;
    serde_json::from_slice(&plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::personal::MasterKey;

    #[test]
    fn only_the_same_secret_opens_a_sealed_envelope() {
        let keys = ServerKeys::new(&MasterKey::random());
        let envelope = Envelope {
            to: "ana@example.org".into(),
            first_name: "Ana".into(),
            lang: "es".into(),
            petition_title: "Liberad a los defensores".into(),
            confirm_url: Some("https://chorus.example/confirm/abc".into()),
            withdraw_url: "https://chorus.example/withdraw/abc".into(),
            unlist_url: None,
        };
        let sealed = envelope.seal(&keys);
        assert!(!String::from_utf8_lossy(&sealed).contains("ana@example.org"));
        assert_eq!(Envelope::open(&sealed, &keys), Some(envelope));
        assert_eq!(
            Envelope::open(&sealed, &ServerKeys::new(&MasterKey::random())),
            None
        );
        assert_eq!(Envelope::open(&sealed[..10], &keys), None);
    }
}
