//! The proof of work a widget sends with a signature, in the ALTCHA
//! protocol: Chorus hands out a challenge, the SHA-256 of a salt followed by
//! a secret number no larger than `maxnumber`, signed with an HMAC; the widget
//! tries numbers until one hashes to the challenge and sends it back.
//!
//! The widget and the tests search with the same [`search`], so the work
//! Chorus asks for is the work measured.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The only algorithm Chorus asks for.
pub const ALGORITHM: &str = "SHA-256";

/// The error code of a signature whose proof of work is missing, expired,
/// spent or wrong: the widget fetches a new challenge and sends again.
pub const INVALID_PROOF: &str = "invalid_proof";

/// What `GET /api/v1/petitions/{slug}/challenge` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub algorithm: String,
    /// Hex SHA-256 of `salt` followed by the secret number in decimal.
    pub challenge: String,
    /// The secret number is at most this: the work asked for.
    pub maxnumber: u64,
    pub salt: String,
    /// Chorus's HMAC of `challenge`, in hex.
    pub signature: String,
}

/// What the widget sends back in the signing form's `proof`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Solution {
    pub algorithm: String,
    pub challenge: String,
    pub number: u64,
    pub salt: String,
    pub signature: String,
}

impl Solution {
    /// The challenge answered with `number`.
    pub fn new(challenge: &Challenge, number: u64) -> Self {
        Self {
            algorithm: challenge.algorithm.clone(),
            challenge: challenge.challenge.clone(),
            number,
            salt: challenge.salt.clone(),
            signature: challenge.signature.clone(),
        }
    }
}

/// The hash a number is tried for.
pub fn digest(salt: &str, number: u64) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(number.to_string().as_bytes());
    hasher.finalize().into()
}

/// The number in `numbers` that solves `challenge`, if one does. Called
/// with a slice of the range at a time, a widget can yield between slices.
pub fn search(challenge: &Challenge, numbers: std::ops::Range<u64>) -> Option<u64> {
    let mut wanted = [0_u8; 32];
    hex::decode_to_slice(&challenge.challenge, &mut wanted).ok()?;
    numbers
        .take_while(|n| *n <= challenge.maxnumber)
        .find(|n| digest(&challenge.salt, *n) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(salt: &str, number: u64, maxnumber: u64) -> Challenge {
        Challenge {
            algorithm: ALGORITHM.into(),
            challenge: hex::encode(digest(salt, number)),
            maxnumber,
            salt: salt.into(),
            signature: String::new(),
        }
    }

    #[test]
    fn the_hash_is_of_the_salt_then_the_number_in_decimal() {
        // Computed apart from this code: `printf salt123 | sha256sum`.
        assert_eq!(
            hex::encode(digest("salt", 123)),
            "c2fc6c6adf8ba0f575a35f48df52c0968a3dcd3c577c2769dc2f1035943b975e"
        );
    }

    #[test]
    fn search_finds_the_number_in_its_slice_and_not_beyond_the_maximum() {
        let c = challenge("s?expires=1&petition=p&", 1_234, 5_000);
        assert_eq!(search(&c, 0..1_000), None);
        assert_eq!(search(&c, 1_000..2_000), Some(1_234));
        let capped = challenge("s?expires=1&petition=p&", 1_234, 1_000);
        assert_eq!(search(&capped, 0..u64::MAX), None);
        let garbled = Challenge {
            challenge: "zz".into(),
            ..c
        };
        assert_eq!(search(&garbled, 0..5_000), None);
    }
}
