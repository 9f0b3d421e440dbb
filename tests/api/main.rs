//! Chorus through its public interfaces: HTTP on a real socket over a fresh
//! SQLite database, and the widgets in headless Chromium.

mod browser;
mod cors;
mod helpers;
mod live;
mod petitions;
mod signing;
