//! The events list API under a day of action's load of events: 5,000
//! events across 100 countries on one action day, read through a release
//! `chorus serve` a page at a time (the whole day, a country, a city
//! search, a kind, a date), on SQLite and, when given, PostgreSQL. Prints the
//! latency per page (p50, p99); asserts nothing. Run with `cargo xtask bench`.
//!
//! Environment: `CHORUS_BIN` (the release binary), `CHORUS_BENCH_POSTGRES`
//! (a PostgreSQL server, `postgres://USER@HOST:PORT`), `CHORUS_BENCH_EVENTS`
//! (default 5000).

mod common;

use std::time::{Duration, Instant};

use chorus::events::admin::{self, DayInput, EventInput};
use chorus_wire::events::{EventProposal, EventsPage, KINDS};
use common::{Server, ms, percentile};

const DAY: &str = "bench-day";
const DATE: &str = "2036-12-18";
const ZONES: [&str; 8] = [
    "Europe/Paris",
    "America/Mexico_City",
    "Africa/Nairobi",
    "Asia/Manila",
    "America/Argentina/Buenos_Aires",
    "Asia/Kathmandu",
    "Europe/London",
    "Pacific/Auckland",
];
/// How many times each listing is read from its first page to its last.
const ROUNDS: usize = 5;

#[tokio::main]
async fn main() {
    let events: usize = std::env::var("CHORUS_BENCH_EVENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000);
    println!("events list: {events} events across 100 countries, 50 a page, {ROUNDS} rounds");
    let postgres = std::env::var("CHORUS_BENCH_POSTGRES").ok();
    run(None, events).await;
    if let Some(server) = postgres.as_deref() {
        run(Some(server), events).await;
    }
}

async fn run(postgres: Option<&str>, events: usize) {
    let name = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let server = Server::start_on("bench", postgres).await;
    let store = &*server.store;
    admin::create_day(
        store,
        chorus::admin::Acting::Operator,
        &DayInput {
            slug: DAY.into(),
            day: DATE.into(),
            lang: "en".into(),
            name: "Benchmark day".into(),
            organisation: "Benchmark coalition".into(),
        },
    )
    .await
    .expect("day created");
    let countries: Vec<&str> = chorus_wire::country_codes().take(100).collect();
    let seeding = Instant::now();
    for n in 0..events {
        let country = countries[n % countries.len()];
        let hour = 8 + n % 12;
        let input = EventInput {
            event: EventProposal {
                day: DAY.into(),
                kind: KINDS[n % KINDS.len()].into(),
                lang: ["en", "fr", "es"][n % 3].into(),
                title: format!("Event {n} for the day of action"),
                description: "We gather to call for the convention's ratification.\n\nAll welcome."
                    .into(),
                starts: format!("{DATE}T{hour:02}:{:02}", n % 60),
                ends: format!("{DATE}T{:02}:{:02}", hour + 2, n % 60),
                time_zone: ZONES[n % ZONES.len()].into(),
                venue: format!("Hall {n}"),
                address: format!("{n} Main Street"),
                address_private: n % 10 == 0,
                city: format!("City {} of {country}", n % 7),
                country: country.into(),
                online_url: if KINDS[n % KINDS.len()] == "online" {
                    format!("https://meet.example/{n}")
                } else {
                    String::new()
                },
                capacity: (n % 4 == 0).then_some(100),
                host: format!("Host group {}", n % 300),
                ..EventProposal::default()
            },
            organisation: None,
            partner: None,
        };
        admin::create(store, chorus::admin::Acting::Operator, &input)
            .await
            .expect("event created");
    }
    println!(
        "  {name}: seeded in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let client = reqwest::Client::new();
    let base = format!("http://{}/api/v1/events", server.addr);
    let listings = [
        ("the whole day", format!("day={DAY}&per_page=50")),
        (
            "one country",
            format!("day={DAY}&country={}&per_page=50", countries[42]),
        ),
        (
            "a city search",
            format!("day={DAY}&city=city%203&per_page=50"),
        ),
        ("one kind", format!("day={DAY}&kind=vigil&per_page=50")),
        // Every event's own date: the widest window the store reads.
        ("one date", format!("day={DAY}&date={DATE}&per_page=50")),
    ];
    for (label, query) in listings {
        let mut latencies = Vec::new();
        let mut listed = 0;
        for _ in 0..ROUNDS {
            let mut next = Some(query.clone());
            listed = 0;
            while let Some(query) = next {
                let started = Instant::now();
                let page: EventsPage = client
                    .get(format!("{base}?{query}"))
                    .send()
                    .await
                    .expect("listed")
                    .json()
                    .await
                    .expect("a page");
                latencies.push(started.elapsed());
                listed += page.embedded.events.len();
                next = page
                    .next_cursor
                    .map(|c| format!("{query_base}&cursor={c}", query_base = strip_cursor(&query)));
            }
        }
        latencies.sort();
        report(name, label, listed, &latencies);
    }
}

fn strip_cursor(query: &str) -> String {
    query
        .split('&')
        .filter(|part| !part.starts_with("cursor="))
        .collect::<Vec<_>>()
        .join("&")
}

fn report(backend: &str, label: &str, listed: usize, sorted: &[Duration]) {
    println!(
        "  {backend}, {label}: {listed} events in {} pages; per page p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        sorted.len() / ROUNDS,
        ms(percentile(sorted, 0.50)),
        ms(percentile(sorted, 0.99)),
        ms(*sorted.last().expect("pages read")),
    );
}
