//! What both backends decide alike about a batch of signatures, once each
//! has asked its database: which signatures repeat one stored before or
//! earlier in the batch, which proofs of work were spent already, and what
//! became of each signature.

use std::collections::HashMap;

use super::{Millis, NewSignature, Stored};

/// A proof of work to spend for one submission.
pub(super) struct Spending<'a> {
    pub challenge: &'a str,
    pub idempotency_key: &'a str,
    pub expires_at: Millis,
}

/// The proofs `batch` spends: every signature's but a retry's (`seen` as
/// the same submission, by 1-based position), which may bring its own again.
pub(super) fn proofs_to_spend<'a>(
    batch: &'a [NewSignature],
    seen: &HashMap<i64, bool>,
) -> Vec<Spending<'a>> {
    batch
        .iter()
        .zip(1_i64..)
        .filter(|(_, i)| seen.get(i) != Some(&true))
        .filter_map(|(s, _)| {
            let proof = s.proof.as_ref()?;
            Some(Spending {
                challenge: &proof.challenge,
                idempotency_key: &s.signer.as_ref()?.idempotency_key,
                expires_at: proof.expires_at,
            })
        })
        .collect()
}

/// By position, whether a signature's proof bought another submission:
/// `spent_by` names the submission each challenge went to, before or
/// (the first to ask) in this batch.
pub(super) fn proofs_refused(
    batch: &[NewSignature],
    seen: &HashMap<i64, bool>,
    spent_by: &HashMap<String, String>,
) -> Vec<bool> {
    batch
        .iter()
        .zip(1_i64..)
        .map(|(s, i)| {
            let (Some(proof), Some(signer)) = (&s.proof, &s.signer) else {
                return false;
            };
            seen.get(&i) != Some(&true)
                && spent_by.get(&proof.challenge) != Some(&signer.idempotency_key)
        })
        .collect()
}

/// What becomes of each signature of `batch`: refused for a spent proof, a
/// repeat of an address or a submission that already signed the petition,
/// before or earlier in the batch, or `None`: a new signer.
pub(super) fn repeats_in(
    batch: &[NewSignature],
    seen_before: &HashMap<i64, bool>,
    proof_spent: &[bool],
) -> Vec<Option<Stored>> {
    let repeat = |same_submission: bool| {
        if same_submission {
            Stored::RepeatSubmission
        } else {
            Stored::RepeatAddress
        }
    };
    let mut in_batch = std::collections::HashSet::new();
    batch
        .iter()
        .zip(1_i64..)
        .zip(proof_spent)
        .map(|((signature, i), &proof_spent)| {
            // Simulated supporters (the demo) have no one to deduplicate.
            let signer = signature.signer.as_ref()?;
            if proof_spent {
                return Some(Stored::ProofSpent);
            }
            if let Some(&same_submission) = seen_before.get(&i) {
                return Some(repeat(same_submission));
            }
            let submission = (signature.petition_id, signer.idempotency_key.as_bytes());
            let address = (signature.petition_id, signer.email_hash.as_bytes());
            if in_batch.contains(&submission) {
                return Some(repeat(true));
            }
            if in_batch.contains(&address) {
                return Some(repeat(false));
            }
            in_batch.insert(submission);
            in_batch.insert(address);
            None
        })
        .collect()
}

/// What became of each signature, given what [`repeats_in`] found.
pub(super) fn outcomes(batch: &[NewSignature], repeats: Vec<Option<Stored>>) -> Vec<Stored> {
    batch
        .iter()
        .zip(repeats)
        .map(|(signature, repeat)| match repeat {
            Some(repeat) => repeat,
            None if signature.hold.is_some() => Stored::Held,
            None if signature.confirmation.is_some() => Stored::Waiting,
            None => Stored::Counted,
        })
        .collect()
}
