//! The proof of work as supporters meet it: the real petition widget, in
//! headless Chromium, solving the challenges a release `chorus serve` hands
//! out. Prints solve times for the normal work and for the raised work a
//! busy client is given, at full CPU speed and slowed four times (DevTools'
//! stand-in for a phone). Asserts nothing. Run with `cargo xtask bench`.
//!
//! Each run loads Chorus's own petition page afresh, focuses the form (the
//! widget starts solving then) and reads the `chorus:proof:{maxnumber}`
//! performance measure the widget records. The secret number is uniform up
//! to `maxnumber`, so single runs vary widely; the mean approaches the
//! time for half the work.
//!
//! Environment: `CHORUS_BIN` (the release binary; default: Cargo's build),
//! `CHORUS_BENCH_ASSETS` (the built widgets; default `dist`),
//! `CHORUS_BENCH_PROOF_RUNS` (page loads per level, default 12),
//! `CHROMEDRIVER`, `CHROMIUM`.

mod common;
#[path = "../tests/api/browser/driver.rs"]
#[allow(dead_code)]
mod driver;

use std::time::{Duration, Instant};

use chorus_wire::proof::Challenge;
use common::{Server, ms, percentile};
use driver::Browser;

const SLUG: &str = "proof";
/// Signatures sent from the benchmark's address before each level: the
/// work is normal up to three, then doubles with each.
const EARLIER_SIGNATURES: [u64; 4] = [0, 4, 5, 7];
const CPU_SLOWDOWNS: [f64; 2] = [1.0, 4.0];

#[tokio::main]
async fn main() {
    let runs = std::env::var("CHORUS_BENCH_PROOF_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12_usize)
        .max(1);
    let assets = std::env::var("CHORUS_BENCH_ASSETS").unwrap_or_else(|_| "dist".into());
    let server = Server::start_with(
        SLUG,
        None,
        Some(assets.into()),
        vec![(
            "CHORUS_PROOF_WORK".into(),
            chorus::guard::proof::NORMAL_WORK.to_string(),
        )],
    )
    .await;
    let browser = Browser::launch().await;
    let http = reqwest::Client::new();
    println!("proof of work in headless Chromium, {runs} page loads per line");
    println!(
        "{:>10} {:>8} {:>10} {:>10} {:>10} {:>10}",
        "maxnumber", "cpu", "mean ms", "median", "p90", "max"
    );
    let mut signed = 0;
    for earlier in EARLIER_SIGNATURES {
        while signed < earlier {
            sign(&http, &server, signed).await;
            signed += 1;
        }
        for slowdown in CPU_SLOWDOWNS {
            let mut times = Vec::with_capacity(runs);
            let mut asked = 0;
            for _ in 0..runs {
                let (maxnumber, time) = solve_in_page(&browser, &server, slowdown).await;
                asked = maxnumber;
                times.push(time);
            }
            let mean = times.iter().sum::<Duration>() / runs as u32;
            times.sort();
            println!(
                "{asked:>10} {:>7}x {:>10.0} {:>10.0} {:>10.0} {:>10.0}",
                slowdown,
                ms(mean),
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.9)),
                ms(times[times.len() - 1]),
            );
        }
    }
}

/// One page load: how much work the widget was given and how long it took.
async fn solve_in_page(browser: &Browser, server: &Server, slowdown: f64) -> (u64, Duration) {
    browser
        .goto(&format!("http://{}/frame/petition/{SLUG}", server.addr))
        .await;
    browser.throttle_cpu(slowdown).await;
    browser.widget("[data-chorus=petition]", "form.sign").await;
    browser
        .eval(
            "document.querySelector('[data-chorus=petition]').shadowRoot\
             .querySelector('#first-name').focus();",
            vec![],
        )
        .await;
    // The highest work on a slowed CPU takes longer than tests' patience.
    let started = Instant::now();
    let measure = loop {
        let found = browser
            .eval(
                "const m = performance.getEntriesByType('measure')\
                 .find(m => m.name.startsWith('chorus:proof:'));\
                 return m ? [m.name, m.duration] : null;",
                vec![],
            )
            .await;
        if !found.is_null() {
            break found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the widget never solved its challenge"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let maxnumber = measure[0]
        .as_str()
        .and_then(|name| name.rsplit(':').next())
        .and_then(|n| n.parse().ok())
        .expect("the measure names the work");
    let millis = measure[1].as_f64().expect("a duration");
    (maxnumber, Duration::from_secs_f64(millis / 1000.0))
}

/// A signature from the benchmark's address, with its proof solved here.
async fn sign(http: &reqwest::Client, server: &Server, n: u64) {
    let base = format!("http://{}/api/v1/petitions/{SLUG}", server.addr);
    let challenge: Challenge = http
        .get(format!("{base}/challenge"))
        .send()
        .await
        .expect("challenge asked")
        .json()
        .await
        .expect("a challenge");
    let proof = chorus::guard::proof::solve(&challenge).expect("solvable");
    let form = serde_json::json!({
        "idempotency_key": format!("proof-bench-{n:08}"),
        "first_name": "Signer",
        "email": format!("signer{n}@example.org"),
        "country": "FR",
        "lang": "en",
        "consent_version": "2026-11",
        "privacy_consent": true,
        "proof": proof,
    });
    let answer = http
        .post(format!("{base}/signatures"))
        .header("origin", format!("http://{}", server.addr))
        .json(&form)
        .send()
        .await
        .expect("signature sent");
    assert!(answer.status().is_success(), "signature refused");
}
