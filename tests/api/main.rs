//! Chorus through its public interfaces: HTTP on a real socket over a fresh
//! database, and the widgets in headless Chromium. `cargo xtask test` runs
//! it on SQLite, then again on PostgreSQL.

mod attachments;
mod bodies;
mod browser;
mod cli;
mod confirmation;
mod cors;
mod crash;
mod donate_page;
mod donations;
mod embed;
mod endorsements;
mod events;
mod feed_reading;
mod guard;
mod hand_in;
mod helpers;
mod instances;
mod live;
mod mirror;
mod organisers;
mod outbound;
mod overload;
mod personal;
mod petitions;
mod picture_host;
mod proxy;
mod public_url;
mod signing;
mod signup;
mod site;
mod smtp;
mod storm;
mod stripe_standin;
mod tokens;
mod updates;
mod wall;
mod without_script;
