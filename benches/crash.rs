//! Nothing lost to a crash: `chorus serve` killed with SIGKILL at random
//! moments while clients sign, 200 times, on SQLite and (when
//! `CHORUS_BENCH_POSTGRES` names a server) on PostgreSQL. Prints what it found;
//! asserts nothing. Run with `cargo xtask bench`.
//!
//! Environment: `CHORUS_BIN` (the release binary; default: Cargo's build),
//! `CHORUS_BENCH_CRASH_CYCLES` (default 200), `CHORUS_BENCH_POSTGRES` (optional).

mod common;

use common::Server;

#[tokio::main]
async fn main() {
    let cycles = std::env::var("CHORUS_BENCH_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let postgres = std::env::var("CHORUS_BENCH_POSTGRES").ok();
    let mut backends = vec![("SQLite", None)];
    if let Some(server) = postgres.as_deref() {
        backends.push(("PostgreSQL", Some(server)));
    }
    for (name, postgres) in backends {
        println!("\n== Crash test on {name}: {cycles} SIGKILLs while 8 clients sign ==");
        let started = std::time::Instant::now();
        let mut server = Server::start_on("crash", postgres).await;
        let report = common::crash::run(&mut server, cycles, 0x00c4_0705).await;
        println!(
            "acknowledged:      {} signatures ({} requests cut off by a kill, then retried)",
            report.acknowledged, report.retried
        );
        println!(
            "stored:            {} signers; missing {}; stored twice {}",
            report.stored, report.missing, report.duplicated
        );
        println!(
            "count:             {} in the database, {} served after the last restart",
            report.counted, report.served
        );
        println!(
            "verdict:           {} ({:.0} s)",
            if report.lost_nothing() {
                "nothing lost"
            } else {
                "LOSS OR DOUBLE COUNT"
            },
            started.elapsed().as_secs_f64()
        );
    }
}
