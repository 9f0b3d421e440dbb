//! Signing under load: signatures posted over loopback at a steady rate to a
//! release `chorus serve`, as a partner page would send them. Prints the rate
//! achieved, latency percentiles and whether every acknowledged signature is
//! stored. Asserts nothing. Run with `cargo xtask bench`.
//!
//! Latency is measured from when each request was due, not when it went out,
//! so a stalled server cannot hide its stall by slowing the sender.
//!
//! It runs on SQLite, then, when `CHORUS_BENCH_POSTGRES` names a server
//! (`cargo xtask bench` starts one), on PostgreSQL; each with one instance
//! and with two behind a round-robin "load balancer" (the sender).
//!
//! Environment: `CHORUS_BIN` (the release binary; default: Cargo's build),
//! `CHORUS_BENCH_RATE` (signatures per second, default 2000),
//! `CHORUS_BENCH_SECONDS` (per run, default 60),
//! `CHORUS_BENCH_POSTGRES` (`postgres://USER@HOST:PORT`, optional).

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Server, ms, percentile, rss_kib};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::time::Instant;

const SLUG: &str = "load";
const PARTNER: &str = "https://partner.example";
/// Requests in flight at most: a server that falls behind shows up as
/// latency, not as an ever-growing pile of sockets.
const IN_FLIGHT: usize = 1_024;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn form(n: u64) -> String {
    format!(
        r#"{{"idempotency_key":"bench-{n:016}","first_name":"Signer","last_name":"Number","email":"signer{n}@example.org","country":"FR","lang":"en","consent_version":"2026-11","privacy_consent":true}}"#
    )
}

#[tokio::main]
async fn main() {
    let rate = env_or("CHORUS_BENCH_RATE", 2_000).max(1);
    let seconds = env_or("CHORUS_BENCH_SECONDS", 60).max(1);
    let postgres = std::env::var("CHORUS_BENCH_POSTGRES").ok();
    let mut backends = vec![("SQLite", None)];
    if let Some(server) = postgres.as_deref() {
        backends.push(("PostgreSQL", Some(server)));
    }
    for (name, server) in backends {
        for instances in [1, 2] {
            run(name, server, instances, rate, seconds).await;
        }
    }
}

async fn run(backend: &str, postgres: Option<&str>, instances: usize, rate: u64, seconds: u64) {
    let server = Server::start_on(SLUG, postgres).await;
    let mut others = Vec::new();
    for _ in 1..instances {
        others.push(server.another_instance().await);
    }
    server.add_partner(PARTNER).await;

    println!(
        "\n== Signing on {backend}, {instances} instance(s): {rate} signatures/s for {seconds} s on loopback =="
    );
    let urls: Vec<String> = std::iter::once(&server.addr)
        .chain(others.iter().map(|o| &o.addr))
        .map(|addr| format!("http://{addr}/api/v1/petitions/{SLUG}/signatures"))
        .collect();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(IN_FLIGHT)
        .build()
        .expect("client");
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let total = rate * seconds;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let start = Instant::now();
    let mut requests = Vec::with_capacity(total as usize);
    for n in 0..total {
        let due = start + interval * u32::try_from(n).unwrap_or(u32::MAX);
        tokio::time::sleep_until(due).await;
        let permit = gate.clone().acquire_owned().await.expect("gate open");
        let client = client.clone();
        let url = urls[n as usize % urls.len()].clone();
        requests.push(tokio::spawn(async move {
            let _permit = permit;
            let sent = client
                .post(&url)
                .header("origin", PARTNER)
                .header("content-type", "application/json")
                .body(form(n))
                .send()
                .await;
            let ok = matches!(&sent, Ok(r) if r.status() == 200);
            (ok, due.elapsed())
        }));
    }
    let mut latencies = Vec::with_capacity(requests.len());
    let mut failed = 0_u64;
    for request in requests {
        match request.await {
            Ok((true, latency)) => latencies.push(latency),
            _ => failed += 1,
        }
    }
    let elapsed = start.elapsed();
    latencies.sort();
    let acknowledged = latencies.len() as u64;
    let stored = server
        .store
        .signed_rows(server.petition.id)
        .fold(0_u64, |n, row| async move { n + u64::from(row.is_ok()) })
        .await;

    println!(
        "acknowledged:          {acknowledged} of {total} in {:.1} s = {:.0} signatures/s ({failed} failed)",
        elapsed.as_secs_f64(),
        acknowledged as f64 / elapsed.as_secs_f64()
    );
    if !latencies.is_empty() {
        println!(
            "latency:               p50 {:.1} ms   p99 {:.1} ms   max {:.1} ms",
            ms(percentile(&latencies, 0.50)),
            ms(percentile(&latencies, 0.99)),
            ms(percentile(&latencies, 1.0))
        );
    }
    let verdict = if stored == acknowledged {
        "none lost"
    } else {
        "MISMATCH"
    };
    println!("stored in the database: {stored} ({verdict})");
    println!(
        "server RSS peak:       {:.1} MB (first instance)",
        rss_kib(server.pid(), "VmHWM:") as f64 / 1024.0
    );
    if let Some(other) = others.first() {
        let delays = cross_instance_delays(&client, &urls[0], &other.addr, stored).await;
        if !delays.is_empty() {
            println!(
                "signed on A, seen live on B: p50 {:.0} ms   max {:.0} ms   ({} of {CROSS_PROBES} probes)",
                ms(percentile(&delays, 0.50)),
                ms(percentile(&delays, 1.0)),
                delays.len()
            );
        }
    }
}

/// Signatures sent one at a time through instance A after the load run,
/// each timed until a live connection on instance B carries its count.
const CROSS_PROBES: u64 = 20;

async fn cross_instance_delays(
    client: &reqwest::Client,
    url_on_a: &str,
    addr_of_b: &str,
    stored: u64,
) -> Vec<Duration> {
    let Ok(mut live_on_b) = TcpStream::connect(addr_of_b).await else {
        return Vec::new();
    };
    let request =
        format!("GET /api/v1/live?petitions={SLUG} HTTP/1.1\r\nHost: {addr_of_b}\r\n\r\n");
    if live_on_b.write_all(request.as_bytes()).await.is_err()
        || !read_until(&mut live_on_b, &format!("\"count\":{stored},")).await
    {
        return Vec::new();
    }
    let mut delays = Vec::new();
    for probe in 1..=CROSS_PROBES {
        let sent = Instant::now();
        let acknowledged = client
            .post(url_on_a)
            .header("origin", PARTNER)
            .header("content-type", "application/json")
            .body(form(u64::MAX - probe))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200);
        let expected = format!("\"count\":{},", stored + probe);
        if !acknowledged || !read_until(&mut live_on_b, &expected).await {
            break;
        }
        delays.push(sent.elapsed());
    }
    delays.sort();
    delays
}

/// Reads the live stream until `needle` appears, for at most five seconds.
async fn read_until(stream: &mut TcpStream, needle: &str) -> bool {
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    let reading = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return false,
                Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            }
            if seen.contains(needle) {
                return true;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), reading)
        .await
        .unwrap_or(false)
}
