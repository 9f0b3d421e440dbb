//! Live fan-out: N connections to a release `chorus serve` on loopback, one
//! signature, and how long the update takes to reach them. Prints numbers;
//! asserts nothing. Run with `cargo xtask bench`.
//!
//! Environment: `CHORUS_BIN` (the release binary; default: Cargo's build),
//! `CHORUS_BENCH_CONNECTIONS` (default 10000).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chorus::storage::{self, NewSignature};
use common::{Server, ms, percentile, rss_kib};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

const SLUG: &str = "fanout";
/// Connections opened at once while ramping up: a crowd arrives over seconds.
const CONNECTING_AT_ONCE: usize = 256;
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens one live connection and waits for its opening count event.
async fn connect(addr: &str) -> std::io::Result<TcpStream> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!("GET /api/v1/live?petitions={SLUG} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut seen = Vec::new();
    let mut buf = [0u8; 2048];
    while !String::from_utf8_lossy(&seen).contains("\"count\":0") {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        seen.extend_from_slice(&buf[..n]);
    }
    Ok(stream)
}

/// Waits for the event carrying count 1; returns when it arrived.
async fn await_update(mut stream: TcpStream) -> Option<Instant> {
    let mut seen = String::new();
    let mut buf = [0u8; 2048];
    loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        if seen.contains("\"count\":1,") {
            return Some(Instant::now());
        }
    }
}

#[tokio::main]
async fn main() {
    let connections: usize = std::env::var("CHORUS_BENCH_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let server = Server::start_on(SLUG, None).await;
    let (addr, store, petition, pid) = (
        server.addr.clone(),
        server.store.clone(),
        server.petition.clone(),
        server.pid(),
    );
    let idle_rss = rss_kib(pid, "VmRSS:");

    println!("\n== Live fan-out: {connections} SSE connections on loopback ==");
    let ramp = Instant::now();
    let gate = Arc::new(Semaphore::new(CONNECTING_AT_ONCE));
    let mut opening = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (gate, addr) = (gate.clone(), addr.clone());
        opening.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.ok()?;
            connect(&addr).await.ok()
        }));
    }
    let mut streams = Vec::with_capacity(connections);
    for task in opening {
        if let Ok(Some(stream)) = task.await {
            streams.push(stream);
        }
    }
    println!(
        "connected:             {} of {connections} in {:.1} s",
        streams.len(),
        ramp.elapsed().as_secs_f64()
    );
    let waiting: Vec<_> = streams
        .into_iter()
        .map(|s| tokio::spawn(await_update(s)))
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let held_rss = rss_kib(pid, "VmRSS:");

    // Written by this process, not the server: the server must notice it
    // (tailing the signatures table) and fan it out.
    store
        .record_signatures(&[NewSignature {
            petition_id: petition.id,
            partner_id: None,
            signed_at: storage::now_millis(),
            signer: None,
            confirmation: None,
            hold: None,
            proof: None,
        }])
        .await
        .expect("signature stored");
    let signed = Instant::now();
    let mut delays = Vec::with_capacity(waiting.len());
    let deadline = tokio::time::Instant::now() + DELIVERY_TIMEOUT;
    for task in waiting {
        if let Ok(Ok(Some(arrived))) = tokio::time::timeout_at(deadline, task).await {
            delays.push(arrived.saturating_duration_since(signed));
        }
    }
    delays.sort();
    if delays.is_empty() {
        println!("no connection received the update within {DELIVERY_TIMEOUT:?}");
        return;
    }
    println!("received the update:   {} of {connections}", delays.len());
    println!(
        "signature to update:   p50 {:.0} ms   p99 {:.0} ms   all {:.0} ms",
        ms(percentile(&delays, 0.50)),
        ms(percentile(&delays, 0.99)),
        ms(percentile(&delays, 1.0))
    );
    println!(
        "server RSS:            idle {:.1} MB   holding {} connections {:.1} MB   peak {:.1} MB",
        idle_rss as f64 / 1024.0,
        delays.len(),
        held_rss as f64 / 1024.0,
        rss_kib(pid, "VmHWM:") as f64 / 1024.0
    );
    println!("(the server polls for signatures written by other processes every 250 ms)");
}
