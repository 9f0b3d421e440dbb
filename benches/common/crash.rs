//! The crash test: signatures sent over loopback by several clients while
//! `chorus serve` is killed with SIGKILL at random moments and started again.
//! Clients retry what was not acknowledged with the same idempotency key, as
//! the widget does. At the end every signature sent must be stored exactly
//! once, and the count (in the database and as served) must equal the
//! signers stored.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;

use super::Server;

const PARTNER: &str = "https://partner.example";
const CLIENTS: usize = 8;

/// What a crash run found.
#[derive(Debug, Default)]
pub struct Report {
    pub cycles: u32,
    /// Signatures sent and acknowledged (every one, after retries).
    pub acknowledged: u64,
    /// Requests that failed because the server died under them, later retried.
    pub retried: u64,
    /// Acknowledged signatures missing from the database.
    pub missing: u64,
    /// Signatures stored more than once.
    pub duplicated: u64,
    /// Signers stored.
    pub stored: u64,
    /// The count as the database sums it.
    pub counted: i64,
    /// The count a freshly started server serves.
    pub served: u64,
}

impl Report {
    pub fn lost_nothing(&self) -> bool {
        self.missing == 0
            && self.duplicated == 0
            && self.stored == self.acknowledged
            && self.counted == i64::try_from(self.stored).unwrap_or(-1)
            && self.served == self.stored
    }
}

/// Signature numbers to send, and what became of them.
#[derive(Default)]
struct Ledger {
    next: u64,
    retry: VecDeque<u64>,
    acknowledged: Vec<u64>,
    retried: u64,
}

impl Ledger {
    fn take(&mut self) -> u64 {
        self.retry.pop_front().unwrap_or_else(|| {
            self.next += 1;
            self.next
        })
    }
}

fn form(n: u64) -> String {
    format!(
        r#"{{"idempotency_key":"crash-{n:016}","first_name":"Signer","last_name":"Number","email":"signer{n}@example.org","country":"FR","lang":"en","consent_version":"2026-11","privacy_consent":true}}"#
    )
}

/// Runs `cycles` kill-and-restart cycles on `server`, each after a random
/// 20 to 400 ms of signing, then checks the database.
pub async fn run(server: &mut Server, cycles: u32, seed: u64) -> Report {
    server.add_partner(PARTNER).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut rng = fastrand::Rng::with_seed(seed);
    for _ in 0..cycles {
        let stop = Arc::new(AtomicBool::new(false));
        let url = signing_url(server);
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                tokio::spawn(sign_until(
                    client.clone(),
                    url.clone(),
                    ledger.clone(),
                    stop.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(rng.u64(20..400))).await;
        server.kill();
        stop.store(true, Ordering::Relaxed);
        for client in clients {
            client.await.expect("client finished");
        }
        server.restart().await;
    }
    // The last instance stays up: whatever is left is retried until acknowledged.
    let url = signing_url(server);
    loop {
        let Some(n) = ledger.lock().expect("ledger").retry.pop_front() else {
            break;
        };
        assert!(
            send(&client, &url, n).await,
            "signature {n} refused by a running server"
        );
        ledger.lock().expect("ledger").acknowledged.push(n);
    }
    let ledger = std::mem::take(&mut *ledger.lock().expect("ledger"));
    check(server, cycles, &client, &ledger).await
}

fn signing_url(server: &Server) -> String {
    format!(
        "http://{}/api/v1/petitions/{}/signatures",
        server.addr, server.petition.slug
    )
}

async fn sign_until(
    client: reqwest::Client,
    url: String,
    ledger: Arc<Mutex<Ledger>>,
    stop: Arc<AtomicBool>,
) {
    while !stop.load(Ordering::Relaxed) {
        let n = ledger.lock().expect("ledger").take();
        let acknowledged = send(&client, &url, n).await;
        let mut ledger = ledger.lock().expect("ledger");
        if acknowledged {
            ledger.acknowledged.push(n);
        } else {
            ledger.retried += 1;
            ledger.retry.push_back(n);
        }
    }
}

async fn send(client: &reqwest::Client, url: &str, n: u64) -> bool {
    let sent = client
        .post(url)
        .header("origin", PARTNER)
        .header("content-type", "application/json")
        .body(form(n))
        .send()
        .await;
    matches!(sent, Ok(response) if response.status() == 200)
}

async fn check(server: &Server, cycles: u32, client: &reqwest::Client, ledger: &Ledger) -> Report {
    let mut stored: BTreeMap<u64, u64> = BTreeMap::new();
    let mut rows = server.store.signed_rows(server.petition.id);
    while let Some(row) = rows.next().await {
        let row = row.expect("row reads");
        let details = server
            .org_key
            .open(row.sealed.as_deref().expect("not anonymised"))
            .expect("details open");
        let n: u64 = details
            .email
            .trim_start_matches("signer")
            .trim_end_matches("@example.org")
            .parse()
            .expect("a crash-test address");
        *stored.entry(n).or_default() += 1;
    }
    let tally = server.store.tally_since(0).await.expect("tally");
    let counted = tally
        .tallies
        .iter()
        .find(|t| t.petition_id == server.petition.id)
        .map_or(0, |t| t.change);
    let count_url = format!(
        "http://{}/api/v1/petitions/{}/count",
        server.addr, server.petition.slug
    );
    // The served count follows commits within moments: wait for it to settle.
    let stored_total: u64 = stored.values().sum();
    let mut served = u64::MAX;
    for _ in 0..50 {
        let answer: serde_json::Value = client
            .get(&count_url)
            .send()
            .await
            .expect("count answered")
            .json()
            .await
            .expect("count JSON");
        served = answer["count"].as_u64().unwrap_or(u64::MAX);
        if served == stored_total {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Report {
        cycles,
        acknowledged: ledger.acknowledged.len() as u64,
        retried: ledger.retried,
        missing: ledger
            .acknowledged
            .iter()
            .filter(|n| !stored.contains_key(n))
            .count() as u64,
        duplicated: stored.values().filter(|&&times| times > 1).count() as u64,
        stored: stored_total,
        counted,
        served,
    }
}
