//! The wall of signatories under a coalition's load: 5,000 approved
//! organisations across 100 countries (a tenth of them not to be named) on
//! one petition, read through a release `chorus serve` from its first page
//! to its last, and searched, on SQLite and, when given, PostgreSQL.
//! Prints the server's time per page (p50, p99) as the client sees it on
//! loopback; asserts nothing. Run with `cargo xtask bench`.
//!
//! Environment: `CHORUS_BIN` (the release binary), `CHORUS_BENCH_POSTGRES`
//! (a PostgreSQL server, `postgres://USER@HOST:PORT`),
//! `CHORUS_BENCH_ORGANISATIONS` (default 5000).

mod common;

use std::time::{Duration, Instant};

use chorus::storage::{
    EndorserPublic, MailKind, NewEndorsement, SealedMail, Signatories, Verdict, now_millis,
};
use chorus_wire::endorsements::KINDS;
use chorus_wire::wall::Wall;
use common::{Server, ms, percentile};

/// How many times each listing is read from its first page to its last.
const ROUNDS: usize = 5;

#[tokio::main]
async fn main() {
    let organisations: usize = std::env::var("CHORUS_BENCH_ORGANISATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000);
    println!(
        "wall: {organisations} approved organisations across 100 countries, 50 a page, {ROUNDS} rounds"
    );
    run(None, organisations).await;
    if let Some(server) = std::env::var("CHORUS_BENCH_POSTGRES").ok().as_deref() {
        run(Some(server), organisations).await;
    }
}

async fn run(postgres: Option<&str>, organisations: usize) {
    let name = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let server = Server::start_on("bench-wall", postgres).await;
    let store = &*server.store;
    let petition = &server.petition;
    store
        .set_signatories(petition.id, Signatories::Both)
        .await
        .expect("signatories set");
    let countries: Vec<&str> = chorus_wire::country_codes().take(100).collect();
    let public_key = server.org_key.public_key();
    let keys = chorus::personal::ServerKeys::new(&chorus::personal::MasterKey::random());
    let seeding = Instant::now();
    for n in 0..organisations {
        let domain = format!("member{n}.org");
        let (_, token) = chorus::signing::confirm::new_link_token();
        let at = now_millis();
        let endorsement = NewEndorsement {
            petition_id: petition.id,
            partner_id: None,
            idempotency_key: format!("bench-endorsement-{n:08}"),
            public: EndorserPublic {
                organisation: format!("Member organisation {n}"),
                website: format!("https://{domain}/"),
                domain: domain.clone(),
                country: countries[n % countries.len()].into(),
                kind: KINDS[n % KINDS.len()].into(),
                statement: "We stand with migrant workers and their families.".into(),
                logo_url: None,
                unnamed: n % 10 == 0,
            },
            email_at_domain: true,
            logo: None,
            sealed: chorus::personal::PersonalDetails {
                first_name: format!("Signer {n}"),
                email: format!("office@{domain}"),
                ..Default::default()
            }
            .seal(&public_key),
            email_hash: keys.email_hash(&format!("office@{domain}")),
            lang: "en".into(),
            consent_version: "1".into(),
            opt_in_organiser: false,
            opt_in_partner: false,
            client_hash: None,
            token,
            confirm: SealedMail {
                kind: MailKind::EndorsementConfirm,
                email_hash: keys.email_hash(&format!("office@{domain}")),
                sealed: Vec::new(),
            },
            proof: None,
            at,
        };
        store
            .record_endorsement(&endorsement)
            .await
            .expect("stored");
        store
            .confirm_endorsement(&token, at)
            .await
            .expect("confirmed");
    }
    for e in store.endorsements(petition.id, None).await.expect("read") {
        store
            .decide_endorsement(
                petition.id,
                e.id,
                Verdict::Approve,
                "bench",
                "organiser",
                now_millis(),
            )
            .await
            .expect("approved");
    }
    println!(
        "  {name}: seeded in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let client = reqwest::Client::new();
    let base = format!(
        "http://{}/api/v1/petitions/{}/signers",
        server.addr, petition.slug
    );
    for (label, query) in [
        ("the whole wall", String::new()),
        ("a search", "q=organisation%204".to_owned()),
    ] {
        let mut latencies = Vec::new();
        let mut listed = 0;
        for _ in 0..ROUNDS {
            let mut next = Some(None::<String>);
            listed = 0;
            while let Some(after) = next {
                let url = match &after {
                    Some(cursor) => format!("{base}?{query}&organisations_after={cursor}"),
                    None => format!("{base}?{query}"),
                };
                let started = Instant::now();
                let wall: Wall = client
                    .get(url)
                    .send()
                    .await
                    .expect("read")
                    .json()
                    .await
                    .expect("a wall");
                latencies.push(started.elapsed());
                listed += wall.organisations.len();
                next = wall.organisations_next.map(Some);
            }
        }
        latencies.sort();
        report(name, label, listed, &latencies);
    }
}

fn report(backend: &str, label: &str, listed: usize, sorted: &[Duration]) {
    println!(
        "  {backend}, {label}: {listed} organisations in {} pages; per page p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        sorted.len() / ROUNDS,
        ms(percentile(sorted, 0.50)),
        ms(percentile(sorted, 0.99)),
        ms(*sorted.last().expect("pages read")),
    );
}
