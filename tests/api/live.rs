//! The live connection: current counts at once, then every change.

use std::time::{Duration, Instant};

use crate::helpers::TestApp;

const PATIENCE: Duration = Duration::from_secs(5);

#[tokio::test]
async fn a_live_connection_starts_with_the_current_counts() {
    let app = TestApp::spawn().await;
    let first = app.create_petition("first", None).await;
    app.create_petition("second", Some(10)).await;
    app.sign_elsewhere(&first, 3).await;
    // The server has caught up with what another process wrote.
    let deadline = Instant::now() + PATIENCE;
    while app
        .counts
        .get(&first.slug)
        .await
        .ok()
        .flatten()
        .map(|c| c.count)
        != Some(3)
    {
        assert!(Instant::now() < deadline, "the count never reached 3");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let mut live = app.live("first,second").await;
    let a = live.next_count(PATIENCE).await.expect("first count");
    let b = live.next_count(PATIENCE).await.expect("second count");

    assert_eq!((a.petition.as_str(), a.count), ("first", 3));
    assert_eq!(
        (b.petition.as_str(), b.count, b.goal),
        ("second", 0, Some(10))
    );
}

#[tokio::test]
async fn a_signature_stored_by_another_process_reaches_live_connections() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("protect-defenders", None).await;
    let mut live = app.live("protect-defenders").await;
    assert_eq!(live.next_count(PATIENCE).await.map(|c| c.count), Some(0));

    let signed = Instant::now();
    app.sign_elsewhere(&petition, 1).await;
    let update = live.next_count(PATIENCE).await.expect("an update arrives");

    assert_eq!(update.count, 1);
    assert!(update.last_signed_at.is_some());
    eprintln!("signature to live event: {:?}", signed.elapsed());
}

#[tokio::test]
async fn a_connection_hears_only_about_its_own_petitions() {
    let app = TestApp::spawn().await;
    let watched = app.create_petition("watched", None).await;
    let other = app.create_petition("other", None).await;
    let mut live = app.live("watched").await;
    live.next_count(PATIENCE).await.expect("opening count");

    app.sign_elsewhere(&other, 2).await;
    app.sign_elsewhere(&watched, 1).await;
    let update = live.next_count(PATIENCE).await.expect("an update arrives");

    assert_eq!((update.petition.as_str(), update.count), ("watched", 1));
}

#[tokio::test]
async fn a_burst_of_signatures_is_coalesced_into_a_few_events() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("surge", None).await;
    let mut live = app.live("surge").await;
    live.next_count(PATIENCE).await.expect("opening count");

    for _ in 0..50 {
        app.sign_elsewhere(&petition, 4).await;
    }
    let mut events = 0;
    let mut last = 0;
    while last < 200 {
        last = live
            .next_count(PATIENCE)
            .await
            .expect("updates arrive")
            .count;
        events += 1;
    }

    assert_eq!(last, 200);
    assert!(events < 50, "{events} events for 50 separate commits");
}

#[tokio::test]
async fn following_an_unknown_petition_is_a_404() {
    let app = TestApp::spawn().await;
    app.create_petition("exists", None).await;
    let response = app.get("/api/v1/live?petitions=exists,missing").await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_connection_may_follow_at_most_twenty_petitions() {
    let app = TestApp::spawn().await;
    let many: Vec<String> = (0..21).map(|i| format!("p{i}")).collect();
    let response = app
        .get(&format!("/api/v1/live?petitions={}", many.join(",")))
        .await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn the_live_stream_is_marked_for_proxies_not_to_buffer() {
    let app = TestApp::spawn().await;
    app.create_petition("p", None).await;
    let response = app.get("/api/v1/live?petitions=p").await;
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert_eq!(response.headers()["x-accel-buffering"], "no");
}
