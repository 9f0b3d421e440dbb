//! Endorsements: organisations signing a petition beside individuals
//! (coalition sign-on). The form and its shared rules are
//! `chorus_wire::endorsements`; this side knows which organisation a
//! website names.

pub mod cli;
pub mod confirm;
pub mod domain;
pub mod letters;
pub mod logo;
pub mod review;
pub mod sign;
