//! Several Chorus instances on one database, as behind a load balancer. On
//! PostgreSQL this is the scaled-out set-up; on SQLite, two processes on one
//! file. The PostgreSQL-only tests are here too; `cargo xtask test` runs
//! them alone, last, since the outage test stops the server.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::helpers::{TestApp, form};

const PARTNER: &str = "https://amnesty-partner.example";
const PATIENCE: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_signature_through_one_instance_moves_the_counters_on_another() {
    let a = TestApp::spawn().await;
    let petition = a.create_petition("protect-defenders", None).await;
    a.add_partner(&petition, "Amnesty", PARTNER, false).await;
    let b = a.second_instance().await;
    let mut live_on_b = b.live("protect-defenders").await;
    assert_eq!(
        live_on_b.next_count(PATIENCE).await.map(|c| c.count),
        Some(0)
    );

    let response = a
        .sign(
            "protect-defenders",
            Some(PARTNER),
            &form("lea@example.org", "instance-a-key-0001"),
        )
        .await;
    assert_eq!(response.status(), 200);
    let update = live_on_b.next_count(PATIENCE).await.expect("B hears of it");

    assert_eq!(update.count, 1);
}

#[tokio::test]
async fn one_submission_sent_to_two_instances_at_once_is_one_signature() {
    let a = TestApp::spawn().await;
    let petition = a.create_petition("protect-defenders", None).await;
    a.add_partner(&petition, "Amnesty", PARTNER, false).await;
    let b = a.second_instance().await;
    let submission = form("kwame@example.org", "one-key-two-doors-0001");

    let mut answers = Vec::new();
    for _ in 0..10 {
        let (from_a, from_b) = tokio::join!(
            a.sign("protect-defenders", Some(PARTNER), &submission),
            b.sign("protect-defenders", Some(PARTNER), &submission),
        );
        for response in [from_a, from_b] {
            answers.push((response.status(), response.text().await.expect("body")));
        }
    }

    assert_eq!(a.signed_rows(&petition).await.len(), 1);
    assert_eq!(answers[0].0, 200);
    assert!(
        answers.iter().all(|answer| *answer == answers[0]),
        "{answers:?}"
    );
}

/// Signs `key` until Chorus acknowledges it, as the widget does: the same
/// idempotency key after every failure.
async fn sign_until_acknowledged(app: &TestApp, email: &str, key: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let response = app
            .client
            .post(format!(
                "{}/api/v1/petitions/protect-defenders/signatures",
                app.origin
            ))
            .header("origin", PARTNER)
            .json(&form(email, key))
            .send()
            .await;
        match response {
            Ok(response) if response.status() == 200 => return,
            Ok(response) => assert_eq!(response.status(), 503, "only 'try again' is expected"),
            Err(_) => {}
        }
        assert!(Instant::now() < deadline, "{key} never landed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs `pg_ctl ACTION` on the test server (`cargo xtask test` says how).
async fn pg_ctl(action: &'static str) {
    let control = std::env::var("CHORUS_TEST_POSTGRES_CTL")
        .expect("needs the PostgreSQL server that `cargo xtask test` starts");
    let status = tokio::task::spawn_blocking(move || {
        // The restarted server must not hold the test's output open.
        std::process::Command::new("sh")
            .args(["-c", &format!("{control} {action}")])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
    })
    .await
    .expect("pg_ctl ran")
    .expect("pg_ctl runs");
    assert!(status.success(), "pg_ctl {action}");
}

#[tokio::test]
async fn postgres_only_outage_and_restart_lose_no_acknowledged_signature() {
    let app = TestApp::spawn().await;
    assert!(
        app.on_postgres(),
        "runs on the PostgreSQL server of `cargo xtask test`"
    );
    let petition = app.create_petition("protect-defenders", None).await;
    app.add_partner(&petition, "Amnesty", PARTNER, false).await;
    let mut live = app.live("protect-defenders").await;
    assert_eq!(live.next_count(PATIENCE).await.map(|c| c.count), Some(0));
    assert_eq!(
        app.get("/api/v1/petitions/protect-defenders")
            .await
            .status(),
        200
    );

    // Down: reads answer from memory, even once the copy is no longer fresh;
    // writes and readiness say "try again".
    pg_ctl("stop").await;
    tokio::time::sleep(Duration::from_millis(5_500)).await;
    assert_eq!(
        app.get("/api/v1/petitions/protect-defenders")
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get("/api/v1/petitions/protect-defenders/count")
            .await
            .status(),
        200
    );
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 503);
    let refused = app
        .sign(
            "protect-defenders",
            Some(PARTNER),
            &form("first@example.org", "outage-key-000001"),
        )
        .await;
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "2");
    pg_ctl("start").await;

    // Restarted in the middle of a signing run: signers sign one after
    // another, retrying like the widget, until the restart is over and then
    // a few more.
    const SIGNERS: usize = 4;
    const AFTER: usize = 10;
    sign_until_acknowledged(&app, "first@example.org", "outage-key-000001").await;
    let app = Arc::new(app);
    let restarted = Arc::new(AtomicBool::new(false));
    let signers: Vec<_> = (0..SIGNERS)
        .map(|signer| {
            let (app, restarted) = (app.clone(), restarted.clone());
            tokio::spawn(async move {
                let (mut signed, mut after) = (0, 0);
                while after < AFTER {
                    let (email, key) = (
                        format!("signer{signer}-{signed}@example.org"),
                        format!("restart-key-{signer:02}-{signed:06}"),
                    );
                    sign_until_acknowledged(&app, &email, &key).await;
                    signed += 1;
                    if restarted.load(Ordering::Relaxed) {
                        after += 1;
                    }
                }
                signed
            })
        })
        .collect();
    let started_before = server_start_time(&app).await;
    // In the middle of the run: once every signer has been acknowledged at
    // least once.
    let deadline = std::time::Instant::now() + PATIENCE;
    while app.signed_rows(&petition).await.len() < 1 + SIGNERS {
        assert!(
            std::time::Instant::now() < deadline,
            "the signers never got going"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    pg_ctl("restart").await;
    restarted.store(true, Ordering::Relaxed);
    let mut acknowledged = 1;
    for signer in signers {
        acknowledged += signer.await.expect("signer finished");
    }

    assert_ne!(
        server_start_time(&app).await,
        started_before,
        "the server restarted"
    );
    assert_eq!(app.signed_rows(&petition).await.len(), acknowledged);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut last = 0;
    while last != acknowledged as u64 && Instant::now() < deadline {
        if let Some(count) = live.next_count(PATIENCE).await {
            last = count.count;
        }
    }
    assert_eq!(
        last, acknowledged as u64,
        "the live connection resumed and is exact"
    );
}

#[tokio::test]
async fn postgres_only_a_commit_is_announced_to_every_instance_at_once() {
    let app = TestApp::spawn().await;
    assert!(
        app.on_postgres(),
        "runs on the PostgreSQL server of `cargo xtask test`"
    );
    let petition = app.create_petition("protect-defenders", None).await;
    let other = chorus::storage::open(&app.database)
        .await
        .expect("a second instance's store opens");
    // The listener announces itself once it listens: from then on, every
    // commit anywhere must reach it.
    let listening = tokio::time::timeout(PATIENCE, other.signatures_committed()).await;
    assert!(listening.is_ok(), "the listener connected");

    app.sign_elsewhere(&petition, 1).await;
    let announced = tokio::time::timeout(PATIENCE, other.signatures_committed()).await;

    assert!(announced.is_ok(), "the other store heard of the commit");
}

/// When the PostgreSQL server behind `app` last started.
async fn server_start_time(app: &TestApp) -> String {
    use sqlx::Connection;
    let mut connection = sqlx::PgConnection::connect(app.database.expose())
        .await
        .expect("the server answers");
    sqlx::query_scalar("SELECT pg_postmaster_start_time()::text")
        .fetch_one(&mut connection)
        .await
        .expect("start time")
}
