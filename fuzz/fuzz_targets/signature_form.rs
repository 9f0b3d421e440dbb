//! Any body a signing request may carry, through what the signing route does
//! with it before storage: read as JSON, validated, the address hashed and
//! the details sealed, the proof of work checked. Nothing panics, a form is
//! either refused with field problems or accepted whole, what is sealed
//! opens to what was sent, and no proof this fuzzer makes up verifies.

#![no_main]

use std::sync::LazyLock;

use chorus::personal::{MasterKey, OrgPublicKey, OrgSecretKey, PersonalDetails, ServerKeys};
use chorus_wire::signing::{self, SignatureForm};
use libfuzzer_sys::fuzz_target;

static KEYS: LazyLock<(ServerKeys, OrgPublicKey, OrgSecretKey)> = LazyLock::new(|| {
    let (public, secret) = chorus::personal::sealed::keygen();
    (ServerKeys::new(&MasterKey::random()), public, secret)
});

fuzz_target!(|bytes: &[u8]| {
    let Ok(form) = serde_json::from_slice::<SignatureForm>(bytes) else {
        return;
    };
    // Without this deployment's key, no challenge can be signed.
    assert!(chorus::guard::proof::verify(&KEYS.0, form.proof.as_ref(), "p", 0).is_err());
    match chorus::signing::validate(&form) {
        Err(problems) => {
            assert!(!problems.is_empty());
            let mut fields: Vec<_> = problems.iter().map(|(field, _)| *field).collect();
            fields.dedup();
            assert_eq!(fields.len(), problems.len(), "one problem per field");
        }
        Ok(()) => {
            assert!(form.privacy_consent);
            assert!(!form.first_name.trim().is_empty());
            assert!(form.first_name.trim().chars().count() <= signing::NAME_MAX);
            assert!(form.comment.trim().chars().count() <= signing::COMMENT_MAX);
            assert!(form.email.contains('@'));
            let (keys, public, secret) = &*KEYS;
            let key = chorus::signing::email_key(&form.email);
            assert_eq!(keys.email_hash(&form.email), keys.email_hash(&key));
            let details = PersonalDetails {
                first_name: form.first_name.trim().to_owned(),
                last_name: form.last_name.trim().to_owned(),
                email: form.email.trim().to_owned(),
                comment: form.comment.trim().to_owned(),
            };
            assert_eq!(secret.open(&details.seal(public)).as_ref(), Ok(&details));
        }
    }
});
