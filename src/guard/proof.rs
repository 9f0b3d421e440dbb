//! The proof of work a widget solves before it sends a signature, in the
//! ALTCHA protocol ([`chorus_wire::proof`]): Chorus signs each challenge
//! with an HMAC, and checks a solution's hash and its own signature.
//! It costs a person's device a moment and a bot farm real money, and it
//! needs no cookie, no third party and no fingerprint.
//!
//! The salt carries the challenge's expiry and petition, and ends with `&`
//! so that no other split of salt and number can produce the same string.

use chorus_wire::proof::{ALGORITHM, Challenge, Solution, digest};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::personal::ServerKeys;
use crate::storage::Millis;

/// How long a challenge may be solved and used.
pub const VALID_FOR_SECS: i64 = 10 * 60;

/// The largest secret number asked of a client with no recent signatures.
/// A phone tries about half of them: 50,000 SHA-256 hashes, a fraction of a
/// second (`cargo bench --bench proof` measures it in Chromium).
pub const NORMAL_WORK: u64 = 100_000;

/// Signatures a client may send in an hour before the work rises: a
/// household or an office shares one address.
const FREE_SIGNATURES: u64 = 3;

/// The work doubles for each signature beyond the free ones, up to 2^4
/// times. Not more: thousands of people can share one address behind a
/// mobile carrier's NAT, and at 16 times a phone still solves while its
/// owner types (`cargo bench --bench proof`: about 4 s on a 4x slowed CPU).
const MAX_DOUBLINGS: u64 = 4;

/// The work asked of a client that sent `recent` signatures within the
/// hour, when the normal work is `normal`.
pub fn work_for(normal: u64, recent: u64) -> u64 {
    let doublings = recent.saturating_sub(FREE_SIGNATURES).min(MAX_DOUBLINGS);
    normal.saturating_mul(1 << doublings)
}

/// Why a proof is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("no proof of work came with the signature")]
    Missing,
    #[error("the proof of work is not one Chorus asks for")]
    Malformed,
    #[error("the challenge was not made by this Chorus")]
    Forged,
    #[error("the challenge has expired")]
    Expired,
    #[error("the challenge was made for another petition")]
    OtherPetition,
    #[error("the number does not solve the challenge")]
    Unsolved,
}

/// A proof that checked out: spend its challenge once, until it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub challenge: String,
    pub expires_at: Millis,
}

/// A new challenge for `petition`, its number drawn from `0..=maxnumber`.
pub fn issue(keys: &ServerKeys, petition: &str, maxnumber: u64, now_secs: i64) -> Challenge {
    use crypto_box::aead::rand_core::RngCore;
    let mut random = [0_u8; 12];
    crypto_box::aead::OsRng.fill_bytes(&mut random);
    let salt = format!(
        "{}?expires={}&petition={}&",
        hex::encode(random),
        now_secs + VALID_FOR_SECS,
        petition
    );
    let number = crypto_box::aead::OsRng.next_u64() % maxnumber.saturating_add(1);
    let challenge = hex::encode(digest(&salt, number));
    Challenge {
        algorithm: ALGORITHM.to_owned(),
        signature: sign(keys, &challenge),
        challenge,
        maxnumber,
        salt,
    }
}

/// Checks a solution sent for `petition`.
pub fn verify(
    keys: &ServerKeys,
    solution: Option<&Solution>,
    petition: &str,
    now_secs: i64,
) -> Result<Verified, Refusal> {
    let solution = solution.ok_or(Refusal::Missing)?;
    if solution.algorithm != ALGORITHM {
        return Err(Refusal::Malformed);
    }
    // Compared in constant time: the signature is a MAC.
    let signed = hex::decode(&solution.signature)
        .is_ok_and(|given| mac(keys, &solution.challenge).verify_slice(&given).is_ok());
    if !signed {
        return Err(Refusal::Forged);
    }
    let expires: i64 = salt_param(&solution.salt, "expires")
        .and_then(|e| e.parse().ok())
        .ok_or(Refusal::Malformed)?;
    if expires < now_secs {
        return Err(Refusal::Expired);
    }
    if salt_param(&solution.salt, "petition") != Some(petition) {
        return Err(Refusal::OtherPetition);
    }
    if hex::encode(digest(&solution.salt, solution.number)) != solution.challenge {
        return Err(Refusal::Unsolved);
    }
    Ok(Verified {
        challenge: solution.challenge.clone(),
        expires_at: expires.saturating_mul(1000),
    })
}

/// The widget's work, done here for tests and benchmarks.
pub fn solve(challenge: &Challenge) -> Option<Solution> {
    chorus_wire::proof::search(challenge, 0..u64::MAX).map(|n| Solution::new(challenge, n))
}

fn mac(keys: &ServerKeys, challenge: &str) -> Hmac<Sha256> {
    let mut mac =
        <Hmac<Sha256>>::new_from_slice(keys.proof_key()).expect("HMAC takes a key of any length");
    mac.update(challenge.as_bytes());
    mac
}

fn sign(keys: &ServerKeys, challenge: &str) -> String {
    hex::encode(mac(keys, challenge).finalize().into_bytes())
}

/// A parameter of the salt's query (`…?expires=…&petition=…&`).
fn salt_param<'a>(salt: &'a str, name: &str) -> Option<&'a str> {
    let query = salt.split_once('?').map_or("", |(_, query)| query);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::personal::MasterKey;

    fn solved(challenge: &Challenge) -> Solution {
        solve(challenge).expect("solvable")
    }

    #[test]
    fn a_solved_challenge_verifies_for_its_petition_until_it_expires() {
        let keys = ServerKeys::new(&MasterKey::random());
        let challenge = issue(&keys, "p", 2_000, 1_000);
        let solution = solved(&challenge);
        let verified = verify(&keys, Some(&solution), "p", 1_000).expect("verifies");
        assert_eq!(verified.expires_at, (1_000 + VALID_FOR_SECS) * 1000);
        assert_eq!(
            verify(&keys, Some(&solution), "other", 1_000),
            Err(Refusal::OtherPetition)
        );
        assert_eq!(
            verify(&keys, Some(&solution), "p", 1_000 + VALID_FOR_SECS + 1),
            Err(Refusal::Expired)
        );
    }

    #[test]
    fn the_work_rises_with_a_clients_recent_signatures_up_to_a_ceiling() {
        assert_eq!(work_for(1_000, 0), 1_000);
        assert_eq!(work_for(1_000, FREE_SIGNATURES), 1_000);
        assert_eq!(work_for(1_000, FREE_SIGNATURES + 1), 2_000);
        assert_eq!(work_for(1_000, FREE_SIGNATURES + 3), 8_000);
        assert_eq!(work_for(1_000, 10_000), 16_000);
        assert_eq!(work_for(u64::MAX, 10_000), u64::MAX);
    }

    #[test]
    fn wrong_numbers_forged_challenges_and_junk_are_refused() {
        let keys = ServerKeys::new(&MasterKey::random());
        let challenge = issue(&keys, "p", 2_000, 1_000);
        let mut wrong = solved(&challenge);
        wrong.number += 1;
        assert_eq!(
            verify(&keys, Some(&wrong), "p", 1_000),
            Err(Refusal::Unsolved)
        );

        // A challenge of the sender's own making, with a later expiry.
        let mut forged = solved(&challenge);
        forged.salt = forged.salt.replace("expires=", "expires=9");
        forged.challenge = hex::encode(digest(&forged.salt, forged.number));
        assert_eq!(
            verify(&keys, Some(&forged), "p", 1_000),
            Err(Refusal::Forged)
        );
        let other_keys = ServerKeys::new(&MasterKey::random());
        assert_eq!(
            verify(&other_keys, Some(&solved(&challenge)), "p", 1_000),
            Err(Refusal::Forged)
        );
        assert_eq!(verify(&keys, None, "p", 1_000), Err(Refusal::Missing));
        let other_algorithm = Solution {
            algorithm: "SHA-1".into(),
            ..solved(&challenge)
        };
        assert_eq!(
            verify(&keys, Some(&other_algorithm), "p", 1_000),
            Err(Refusal::Malformed)
        );
    }
}
