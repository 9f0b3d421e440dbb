//! Any string as an email address, through the strict check and the
//! normaliser that decides whether two addresses are one mailbox. Nothing
//! panics, and normalising is stable: a key normalises to itself, so an
//! address recognised once is recognised every time.

#![no_main]

use chorus::signing::{email_key, is_deliverable_shape};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|email: &str| {
    let _ = is_deliverable_shape(email);
    let key = email_key(email);
    assert_eq!(email_key(&key), key, "{email:?} normalised to {key:?}");
    assert!(!key.bytes().any(|b| b.is_ascii_uppercase()), "{key:?}");
});
