//! Personal data: what Chorus keeps about the people who sign, and how.
//!
//! A signer's name, address and comment are sealed to the organisation's
//! public key before they are stored ([`sealed`]); Chorus cannot read them
//! back, and neither can anyone holding a copy of the database. What Chorus
//! must compare without reading (is this address signing twice?) is kept as
//! a keyed hash ([`keys`]). Personal data of closed petitions is removed after
//! a while ([`retention`]), and anyone's on request ([`erase`]).

pub mod cli;
pub mod erase;
pub mod keys;
pub mod retention;
pub mod sealed;

pub use keys::{DayKey, EmailHash, MasterKey, ServerKeys};
pub use sealed::{OrgPublicKey, OrgSecretKey, PersonalDetails};
