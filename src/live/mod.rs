//! Live counts: every petition's count held in memory, derived from the
//! signatures table, and pushed to widgets over Server-Sent Events.
//!
//! Invariant: no row is updated per signature. The engine tails the
//! signatures table by id (ids only grow), so a surge of signatures costs one
//! small indexed read per tick, and signatures written by other processes (the
//! CLI, another instance) are counted too. A periodic full tally corrects
//! anything the tail cannot see, such as deleted signatures.

mod counts;
mod routes;

pub use counts::{CountUpdate, Counts};
pub use routes::router;
