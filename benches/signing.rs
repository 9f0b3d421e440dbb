//! Signing under load, with the defences a deployment has: signatures
//! posted over loopback at a steady rate to release `chorus serve`
//! instances, each with a solved proof of work, through a trusted proxy's
//! `X-Forwarded-For`, under the default rate limits. Prints the rate
//! accepted, the `503`s, latency percentiles, the SQLite WAL's largest size,
//! and whether every signature was stored; asserts nothing. `cargo xtask
//! bench` runs it and compares its figures with the recorded ones.
//!
//! Three cases on each backend: the steady rate from many clients (none of
//! them over a limit), the steady rate from one client (held from its limit
//! on), and a surge from many clients. A signature answered `503` is sent
//! again after its `Retry-After`, as the widget does, until it is stored.
//! Latency is measured from when each attempt was due, not when it went
//! out, so a stalled server cannot hide its stall by slowing the sender.
//!
//! The proofs are made and solved before the clock starts, with the
//! server's key, at a low work level: what a proof costs a phone is
//! `benches/proof.rs`'s business; the server's checking and spending of it
//! costs the same at any level.
//!
//! Environment: `CHORUS_BIN` (the release binary; default: Cargo's build),
//! `CHORUS_BENCH_RATE` (the steady rate, default 2000 signatures/s),
//! `CHORUS_BENCH_SURGE` (the surge, default 5000/s), `CHORUS_BENCH_SECONDS`
//! (per run, default 60), `CHORUS_BENCH_POSTGRES` (`postgres://USER@HOST:PORT`,
//! optional), `CHORUS_BENCH_ONLY` (run only the cases whose name contains
//! it), `CHORUS_BENCH_RESULTS` (a file to append each case's figures to, as
//! JSON lines, for `cargo xtask bench`).

mod common;

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chorus::guard::{limits, proof};
use chorus::personal::{MasterKey, ServerKeys};
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
/// The proof of work's level here: a few dozen hashes per signature.
const CHEAP_WORK: u64 = 100;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Where the signatures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clients {
    /// A different address for each signature, as in a real surge.
    Many,
    /// One address for all: a stall's wifi, a carrier's NAT, or a bot.
    One,
}

impl Clients {
    /// The address the trusted proxy names for signature `n`.
    fn address(self, n: u64) -> String {
        match self {
            Self::Many => format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255),
            Self::One => "203.0.113.9".to_owned(),
        }
    }
}

struct Case {
    clients: Clients,
    rate: u64,
}

#[tokio::main]
async fn main() {
    let steady = env_or("CHORUS_BENCH_RATE", 2_000).max(1);
    let surge = env_or("CHORUS_BENCH_SURGE", 5_000).max(1);
    let seconds = env_or("CHORUS_BENCH_SECONDS", 60).max(1);
    let only = std::env::var("CHORUS_BENCH_ONLY").unwrap_or_default();
    let postgres = std::env::var("CHORUS_BENCH_POSTGRES").ok();
    let mut backends = vec![("SQLite", None, 1)];
    if let Some(server) = postgres.as_deref() {
        backends.push(("PostgreSQL", Some(server), 1));
        backends.push(("PostgreSQL", Some(server), 2));
    }
    let cases = [
        Case {
            clients: Clients::Many,
            rate: steady,
        },
        Case {
            clients: Clients::One,
            rate: steady,
        },
        Case {
            clients: Clients::Many,
            rate: surge,
        },
    ];
    for (backend, server, instances) in backends {
        for case in &cases {
            let clients = match case.clients {
                Clients::Many => "many clients",
                Clients::One => "one client",
            };
            let name = format!(
                "{backend}, {instances} instance(s), {}/s, {clients}",
                case.rate
            );
            if name.contains(&only) {
                run(&name, server, instances, case, seconds).await;
            }
        }
    }
}

/// What one signature's sending came to.
struct Sent {
    /// The answer to the attempt that was accepted: `None` if none was.
    accepted: Option<Duration>,
    /// Attempts answered `503` (or not at all), each sent again.
    turned_away: u64,
}

async fn run(name: &str, postgres: Option<&str>, instances: usize, case: &Case, seconds: u64) {
    let env = [
        ("CHORUS_TRUSTED_PROXIES", "127.0.0.1".to_owned()),
        (
            "CHORUS_LIMIT_PER_PETITION",
            limits::PER_PETITION_PER_HOUR.to_string(),
        ),
        (
            "CHORUS_LIMIT_PER_CLIENT",
            limits::PER_CLIENT_PER_HOUR.to_string(),
        ),
        ("CHORUS_PROOF_WORK", CHEAP_WORK.to_string()),
    ];
    let env = env.map(|(k, v)| (k.to_owned(), v)).to_vec();
    let server = Server::start_with(SLUG, postgres, None, env).await;
    let mut others = Vec::new();
    for _ in 1..instances {
        others.push(server.another_instance().await);
    }
    server.add_partner(PARTNER).await;

    println!("\n== Signing: {name}, for {seconds} s on loopback ==");
    let total = case.rate * seconds;
    let prepared = Instant::now();
    let bodies = solved_forms(0..total);
    println!(
        "prepared:              {total} signatures with solved proofs in {:.1} s",
        prepared.elapsed().as_secs_f64()
    );

    let urls: Vec<String> = std::iter::once(&server.addr)
        .chain(others.iter().map(|o| &o.addr))
        .map(|addr| format!("http://{addr}/api/v1/petitions/{SLUG}/signatures"))
        .collect();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(IN_FLIGHT)
        .build()
        .expect("client");
    let wal = server
        .sqlite_file()
        .map(|db| watch_size(db.with_extension("db-wal")));
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let interval = Duration::from_secs_f64(1.0 / case.rate as f64);
    let start = Instant::now();
    let mut requests = Vec::with_capacity(bodies.len());
    for (n, body) in (0_u64..).zip(bodies) {
        let due = start + interval * u32::try_from(n).unwrap_or(u32::MAX);
        tokio::time::sleep_until(due).await;
        let client = client.clone();
        let url = urls[n as usize % urls.len()].clone();
        let address = case.clients.address(n);
        requests.push(tokio::spawn(send_until_answered(
            client,
            gate.clone(),
            url,
            address,
            body,
            due,
        )));
    }
    let offered = start.elapsed();
    let mut latencies = Vec::with_capacity(requests.len());
    let mut first_time = 0_u64;
    let mut turned_away = 0_u64;
    let mut failed = 0_u64;
    for request in requests {
        match request.await {
            Ok(Sent {
                accepted: Some(latency),
                turned_away: again,
            }) => {
                latencies.push(latency);
                first_time += u64::from(again == 0);
                turned_away += again;
            }
            _ => failed += 1,
        }
    }
    let all_answered = start.elapsed();
    latencies.sort();
    let acknowledged = latencies.len() as u64;
    let statuses = server
        .store
        .signed_rows(server.petition.id)
        .fold(
            std::collections::BTreeMap::<String, u64>::new(),
            |mut n, row| async move {
                if let Ok(row) = row {
                    *n.entry(row.status).or_default() += 1;
                }
                n
            },
        )
        .await;
    let stored: u64 = statuses.values().sum();

    let accepted_rate = first_time as f64 / offered.as_secs_f64();
    println!(
        "accepted at once:      {first_time} of {total} = {accepted_rate:.0} signatures/s over the {:.1} s offered",
        offered.as_secs_f64()
    );
    println!(
        "answered 503:          {turned_away} attempts, each sent again after a pause, as the widget does; all stored after {:.1} s",
        all_answered.as_secs_f64()
    );
    println!("acknowledged:          {acknowledged} of {total} ({failed} failed)");
    let (p50, p99, max) = if latencies.is_empty() {
        (0.0, 0.0, 0.0)
    } else {
        (
            ms(percentile(&latencies, 0.50)),
            ms(percentile(&latencies, 0.99)),
            ms(percentile(&latencies, 1.0)),
        )
    };
    println!("latency of accepted:   p50 {p50:.1} ms   p99 {p99:.1} ms   max {max:.1} ms");
    let lost = acknowledged.saturating_sub(stored) + failed;
    let verdict = if lost == 0 && stored == acknowledged {
        "none lost"
    } else {
        "MISMATCH"
    };
    println!("stored in the database: {stored} ({verdict}): {statuses:?}");
    if case.clients == Clients::One {
        println!(
            "held as the limits say: {} counted, the limit being {} per client per petition per hour on each instance reached",
            statuses.get("counted").copied().unwrap_or(0),
            limits::PER_PETITION_PER_HOUR
        );
    }
    let wal_peak = wal.map(|peak| peak.load(Ordering::Relaxed));
    if let Some(peak) = wal_peak {
        println!("SQLite WAL, largest:   {:.1} MB", peak as f64 / 1_048_576.0);
    }
    println!(
        "server RSS peak:       {:.1} MB (first instance)",
        rss_kib(server.pid(), "VmHWM:") as f64 / 1024.0
    );
    if let Some(other) = others.first() {
        let counted = statuses.get("counted").copied().unwrap_or(0);
        let delays = cross_instance_delays(&client, &urls[0], &other.addr, counted).await;
        if !delays.is_empty() {
            println!(
                "signed on A, seen live on B: p50 {:.0} ms   max {:.0} ms   ({} of {CROSS_PROBES} probes)",
                ms(percentile(&delays, 0.50)),
                ms(percentile(&delays, 1.0)),
                delays.len()
            );
        }
    }
    record(&serde_json::json!({
        "case": name,
        "offered_per_s": case.rate,
        "accepted_per_s": accepted_rate,
        "turned_away": turned_away,
        "p50_ms": p50,
        "p99_ms": p99,
        "lost": lost,
        "wal_peak_bytes": wal_peak,
    }));
}

/// Appends one case's figures to `CHORUS_BENCH_RESULTS`, if set.
fn record(figures: &serde_json::Value) {
    use std::io::Write;
    let Ok(path) = std::env::var("CHORUS_BENCH_RESULTS") else {
        return;
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .expect("results file opens");
    writeln!(file, "{figures}").expect("results written");
}

/// The longest the widget waits before sending a signature again.
const MAX_PAUSE: Duration = Duration::from_secs(30);

/// Sends one signature, and again after each `503`, until Chorus gives
/// another answer: as the widget does, after a pause that doubles from one
/// second up to [`MAX_PAUSE`], and never sooner than `Retry-After`.
async fn send_until_answered(
    client: reqwest::Client,
    gate: Arc<Semaphore>,
    url: String,
    address: String,
    body: String,
    mut due: Instant,
) -> Sent {
    let mut turned_away = 0;
    let mut pause = Duration::from_secs(1);
    loop {
        let answer = {
            let _permit = gate.acquire().await.expect("gate open");
            client
                .post(&url)
                .header("origin", PARTNER)
                .header("content-type", "application/json")
                .header("x-forwarded-for", &address)
                .body(body.clone())
                .send()
                .await
        };
        let latency = due.elapsed();
        // No answer (a connection cut) is sent again like a 503, as the
        // widget does; any other answer is final.
        let asked = match &answer {
            Ok(answer) if answer.status() == 200 => {
                return Sent {
                    accepted: Some(latency),
                    turned_away,
                };
            }
            Ok(answer) if answer.status() == 503 => answer
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .map_or(Duration::ZERO, Duration::from_secs),
            Ok(_) => {
                return Sent {
                    accepted: None,
                    turned_away,
                };
            }
            Err(_) => Duration::ZERO,
        };
        turned_away += 1;
        tokio::time::sleep(pause.max(asked)).await;
        pause = (pause * 2).min(MAX_PAUSE);
        due = Instant::now();
    }
}

/// Signature forms `numbers`, each with a proof of work solved for it,
/// made on every core.
fn solved_forms(numbers: std::ops::Range<u64>) -> Vec<String> {
    let keys = ServerKeys::new(
        &MasterKey::from_str(common::SECRET_KEY).expect("the benchmarks' key is valid"),
    );
    let now = chorus::storage::now_millis() / 1000;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let chunk = (numbers.end - numbers.start).div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let keys = &keys;
                let from = numbers.start + t * chunk;
                let to = (from + chunk).min(numbers.end);
                scope.spawn(move || {
                    (from..to)
                        .map(|n| {
                            let challenge = proof::issue(keys, SLUG, CHEAP_WORK, now);
                            let solution = proof::solve(&challenge).expect("solvable");
                            form(n, &serde_json::to_value(solution).expect("serialisable"))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("solver finished"))
            .collect()
    })
}

fn form(n: u64, proof: &serde_json::Value) -> String {
    serde_json::json!({
        "idempotency_key": format!("bench-{n:016}"),
        "first_name": "Signer",
        "last_name": "Number",
        "email": format!("signer{n}@example.org"),
        "country": "FR",
        "lang": "en",
        "consent_version": "2026-11",
        "privacy_consent": true,
        "proof": proof,
    })
    .to_string()
}

/// The largest size `file` reaches while the benchmark runs, sampled every
/// 20 ms.
fn watch_size(file: std::path::PathBuf) -> Arc<AtomicU64> {
    let peak = Arc::new(AtomicU64::new(0));
    let watched = Arc::downgrade(&peak);
    tokio::spawn(async move {
        while let Some(peak) = watched.upgrade() {
            let size = std::fs::metadata(&file).map_or(0, |m| m.len());
            peak.fetch_max(size, Ordering::Relaxed);
            drop(peak);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    peak
}

/// Signatures sent one at a time through instance A after the load run,
/// each timed until a live connection on instance B carries its count.
const CROSS_PROBES: u64 = 20;

async fn cross_instance_delays(
    client: &reqwest::Client,
    url_on_a: &str,
    addr_of_b: &str,
    counted: u64,
) -> Vec<Duration> {
    let Ok(mut live_on_b) = TcpStream::connect(addr_of_b).await else {
        return Vec::new();
    };
    let request =
        format!("GET /api/v1/live?petitions={SLUG} HTTP/1.1\r\nHost: {addr_of_b}\r\n\r\n");
    if live_on_b.write_all(request.as_bytes()).await.is_err()
        || !read_until(&mut live_on_b, &format!("\"count\":{counted},")).await
    {
        return Vec::new();
    }
    let probes = solved_forms(u64::MAX - CROSS_PROBES..u64::MAX);
    let mut delays = Vec::new();
    for (probe, body) in (1..).zip(probes) {
        let sent = Instant::now();
        let acknowledged = client
            .post(url_on_a)
            .header("origin", PARTNER)
            .header("content-type", "application/json")
            .header("x-forwarded-for", format!("192.0.2.{probe}"))
            .body(body)
            .send()
            .await
            .is_ok_and(|r| r.status() == 200);
        let expected = format!("\"count\":{},", counted + probe);
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
