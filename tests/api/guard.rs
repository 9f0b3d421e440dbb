//! Bots: a proof of work is asked with every signature and buys one;
//! signatures over the limits and honeypot catches are kept, held for
//! review, not counted, and answered exactly like any other.

use std::str::FromStr;

use serde_json::json;

use crate::helpers::{Options, TestApp, form};

const PARTNER: &str = "https://harbour.example";

pub(crate) async fn guarded(
    per_petition: u64,
    proxies: &str,
) -> (TestApp, chorus::storage::PetitionRecord) {
    let mut options = Options::default();
    options.guard.limits.per_petition = per_petition;
    options.guard.trusted_proxies =
        chorus::guard::address::TrustedProxies::from_str(proxies).expect("valid");
    spawned(options).await
}

/// A Chorus asking for a little proof of work: enough to be real, little
/// enough for a debug build to solve at once.
async fn proving(work: u64) -> (TestApp, chorus::storage::PetitionRecord) {
    let mut options = Options::default();
    options.guard.proof_work = work;
    spawned(options).await
}

async fn spawned(options: Options) -> (TestApp, chorus::storage::PetitionRecord) {
    let app = TestApp::spawn_with(options).await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    (app, petition)
}

fn with_proof(mut form: serde_json::Value, proof: &serde_json::Value) -> serde_json::Value {
    form["proof"] = proof.clone();
    form
}

async fn error_code(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.expect("JSON error");
    (
        status,
        body["error"]["code"].as_str().unwrap_or("").to_owned(),
    )
}

#[tokio::test]
async fn a_signature_needs_a_solved_proof_and_each_proof_buys_one() {
    let (app, petition) = proving(2_000).await;
    let first = form("ana@example.org", "k-aaaaaaaaaaaaaaaa");

    let bare = app.sign("p", Some(PARTNER), &first).await;
    assert_eq!(error_code(bare).await, (400, "invalid_proof".into()));
    let mut wrong = app.proof("p").await;
    wrong["number"] = json!(wrong["number"].as_u64().expect("a number") + 1);
    let unsolved = app
        .sign("p", Some(PARTNER), &with_proof(first.clone(), &wrong))
        .await;
    assert_eq!(error_code(unsolved).await, (400, "invalid_proof".into()));
    assert_eq!(
        app.stored_count(&petition).await,
        0,
        "nothing stored unproven"
    );

    let proof = app.proof("p").await;
    let signed = app
        .sign("p", Some(PARTNER), &with_proof(first.clone(), &proof))
        .await;
    assert_eq!(signed.status(), 200);
    // The answer was lost, say: the widget retries with the same proof.
    let retried = app
        .sign("p", Some(PARTNER), &with_proof(first, &proof))
        .await;
    assert_eq!(retried.status(), 200);
    assert_eq!(app.stored_count(&petition).await, 1);

    // The same proof for another submission buys nothing.
    let reused = app
        .sign(
            "p",
            Some(PARTNER),
            &with_proof(form("bea@example.org", "k-bbbbbbbbbbbbbbbb"), &proof),
        )
        .await;
    assert_eq!(error_code(reused).await, (400, "invalid_proof".into()));
    assert_eq!(app.stored_count(&petition).await, 1);

    // Nor does a proof made for another petition.
    app.create_petition("q", None).await;
    let elsewhere = app.proof("q").await;
    let misdirected = app
        .sign(
            "p",
            Some(PARTNER),
            &with_proof(form("bea@example.org", "k-cccccccccccccccc"), &elsewhere),
        )
        .await;
    assert_eq!(error_code(misdirected).await, (400, "invalid_proof".into()));
}

#[tokio::test]
async fn the_work_asked_rises_with_a_clients_signatures_and_is_never_cached() {
    let (app, _petition) = proving(1_000).await;
    let work = || async {
        let response = app
            .client
            .get(format!("{}/api/v1/petitions/p/challenge", app.origin))
            .send()
            .await
            .expect("challenge asked");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let challenge: chorus_wire::proof::Challenge = response.json().await.expect("JSON");
        challenge.maxnumber
    };
    let mut asked = vec![work().await];
    for n in 0..5 {
        let proof = app.proof("p").await;
        let signed = app
            .sign(
                "p",
                Some(PARTNER),
                &with_proof(
                    form(&format!("s{n}@example.org"), &format!("k-{n:016}")),
                    &proof,
                ),
            )
            .await;
        assert_eq!(signed.status(), 200);
        asked.push(work().await);
    }
    assert_eq!(asked, [1_000, 1_000, 1_000, 1_000, 2_000, 4_000]);
    let missing = app
        .client
        .get(format!("{}/api/v1/petitions/nope/challenge", app.origin))
        .send()
        .await
        .expect("asked");
    assert_eq!(missing.status(), 404);
}

pub(crate) fn statuses(rows: &[chorus::storage::SignedRow]) -> Vec<&str> {
    rows.iter().map(|r| r.status.as_str()).collect()
}

#[tokio::test]
async fn signatures_over_the_limit_are_held_and_answered_the_same() {
    let (app, petition) = guarded(3, "").await;
    let mut answers = Vec::new();
    for n in 0..5 {
        let response = app
            .sign(
                "p",
                Some(PARTNER),
                &form(&format!("s{n}@example.org"), &format!("k-{n:016}")),
            )
            .await;
        answers.push((response.status(), response.bytes().await.expect("body")));
    }
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    assert_eq!(app.stored_count(&petition).await, 3);
    let rows = app.signed_rows(&petition).await;
    assert_eq!(
        statuses(&rows),
        ["counted", "counted", "counted", "held", "held"]
    );
    assert_eq!(
        app.details(&rows[4]).email,
        "s4@example.org",
        "kept, not lost"
    );
}

#[tokio::test]
async fn a_burst_from_one_client_is_held_from_exactly_its_limit_and_a_retry_counts_once() {
    let (app, petition) = guarded(3, "").await;
    let retried = form("s0@example.org", "k-0000000000000000");
    for _ in 0..4 {
        app.sign_accepted("p", Some(PARTNER), &retried).await;
    }
    // Ten at once: counted as they are checked, not as they are stored.
    let burst: Vec<_> = (1..=10)
        .map(|n| form(&format!("s{n}@example.org"), &format!("k-{n:016}")))
        .collect();
    let answers =
        futures_util::future::join_all(burst.iter().map(|f| app.sign("p", Some(PARTNER), f))).await;
    assert!(answers.iter().all(|a| a.status() == 200));
    let rows = app.signed_rows(&petition).await;
    let count = |status: &str| statuses(&rows).iter().filter(|s| **s == status).count();
    assert_eq!((count("counted"), count("held")), (3, 8));
}

#[tokio::test]
async fn one_proof_in_two_signatures_of_one_batch_buys_one_and_its_retry_is_a_retry() {
    use chorus::storage::{NewSignature, Signer, SpentProof, Stored};
    let (app, petition) = spawned(Options::default()).await;
    let keys = chorus::personal::ServerKeys::new(&chorus::personal::MasterKey::random());
    let proof = SpentProof {
        challenge: "c0ffee".into(),
        expires_at: chorus::storage::now_millis() + 60_000,
    };
    let signature = |who: &str| NewSignature {
        petition_id: petition.id,
        partner_id: None,
        signed_at: chorus::storage::now_millis(),
        signer: Some(Signer {
            email_hash: keys.email_hash(&format!("{who}@example.org")),
            idempotency_key: format!("k-{who:0>16}"),
            sealed: vec![1, 2, 3],
            country: "FR".into(),
            lang: "fr".into(),
            consent_version: "v1".into(),
            opt_in_organiser: false,
            opt_in_partner: false,
            client_hash: Some([7; 32]),
        }),
        confirmation: None,
        hold: None,
        proof: Some(proof.clone()),
    };
    let outcomes = app
        .store
        .record_signatures(&[signature("a"), signature("b")])
        .await
        .expect("stored");
    assert_eq!(outcomes, [Stored::Counted, Stored::ProofSpent]);
    let again = app
        .store
        .record_signatures(&[signature("a"), signature("c")])
        .await
        .expect("stored");
    assert_eq!(again, [Stored::RepeatSubmission, Stored::ProofSpent]);
    assert_eq!(app.stored_count(&petition).await, 1);
}

#[tokio::test]
async fn a_filled_in_honeypot_holds_the_signature_quietly() {
    let (app, petition) = guarded(0, "").await;
    let mut bot = form("bot@example.org", "k-bbbbbbbbbbbbbbbb");
    bot["website"] = json!("https://spam.example");
    let held = app.sign("p", Some(PARTNER), &bot).await;
    let person = app
        .sign(
            "p",
            Some(PARTNER),
            &form("ana@example.org", "k-aaaaaaaaaaaaaaaa"),
        )
        .await;
    assert_eq!(held.status(), person.status());
    assert_eq!(
        held.bytes().await.expect("body"),
        person.bytes().await.expect("body")
    );
    assert_eq!(app.stored_count(&petition).await, 1);
    assert_eq!(
        statuses(&app.signed_rows(&petition).await),
        ["held", "counted"]
    );
}

/// Signer `n` signs through a proxy that says the client is `client`.
async fn sign_forwarded(app: &TestApp, n: usize, client: &str) {
    let answer = app
        .client
        .post(format!("{}/api/v1/petitions/p/signatures", app.origin))
        .header("origin", PARTNER)
        .header("x-forwarded-for", client)
        .json(&form(&format!("s{n}@example.org"), &format!("k-{n:016}")))
        .send()
        .await
        .expect("sent");
    assert_eq!(answer.status(), 200);
}

#[tokio::test]
async fn no_address_is_stored_and_erasing_a_person_forgets_their_client() {
    use crate::cli::{chorus_with_env, text};
    let (app, petition) = guarded(0, "127.0.0.1, ::1").await;
    for n in 0..2 {
        sign_forwarded(&app, n, "198.51.100.7").await;
    }
    assert!(
        !crate::personal::everything_stored(&app)
            .await
            .contains("198.51.100")
    );
    let clusters = app.store.clusters(petition.id).await.expect("clusters");
    assert_eq!(clusters.len(), 1, "both signers are one client");
    assert_eq!(clusters[0].counted, 2);

    let erased = chorus_with_env(
        &app,
        &["person", "erase"],
        Some("s0@example.org"),
        &[("CHORUS_SECRET_KEY", crate::helpers::SECRET_KEY)],
    );
    assert!(erased.status.success(), "{}", text(&erased.stderr));
    // One signer is left with the client's hash: no cluster any more.
    let clusters = app.store.clusters(petition.id).await.expect("clusters");
    assert_eq!(clusters, []);
}

#[tokio::test]
async fn only_a_trusted_proxy_can_name_the_client() {
    // Untrusted: a forged header changes nothing, every request is one client.
    let (app, petition) = guarded(1, "").await;
    for n in 0..2 {
        sign_forwarded(&app, n, &format!("198.51.100.{n}")).await;
    }
    assert_eq!(
        statuses(&app.signed_rows(&petition).await),
        ["counted", "held"]
    );

    // Behind a trusted proxy (the test's own loopback), each forwarded
    // address is its own client.
    let (app, petition) = guarded(1, "127.0.0.1, ::1").await;
    for n in 0..2 {
        sign_forwarded(&app, n, &format!("198.51.100.{n}")).await;
    }
    assert_eq!(
        statuses(&app.signed_rows(&petition).await),
        ["counted", "counted"]
    );
}

#[tokio::test]
async fn the_organiser_reviews_held_signatures_and_every_correction_is_logged() {
    use crate::cli::{chorus, text};
    let (app, petition) = guarded(2, "").await;
    for n in 0..4 {
        app.sign(
            "p",
            Some(PARTNER),
            &form(&format!("s{n}@example.org"), &format!("k-{n:016}")),
        )
        .await;
    }
    assert_eq!(app.stored_count(&petition).await, 2);

    let listed = chorus(&app, &["review", "p"], None);
    let listing = text(&listed.stdout);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let row = listing.lines().nth(1).expect("one cluster listed");
    let fields: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(fields[1..3], ["2", "2"], "{listing}");
    let client = fields[0];

    let accepted = chorus(
        &app,
        &[
            "review",
            "p",
            "--accept",
            "--reason",
            "a school's computer room",
        ],
        None,
    );
    assert!(
        text(&accepted.stdout).contains("count changed by +2"),
        "{}",
        text(&accepted.stdout)
    );
    assert_eq!(app.stored_count(&petition).await, 4);

    let invalidated = chorus(
        &app,
        &["review", "p", "--invalidate", "--client", client],
        None,
    );
    assert!(
        text(&invalidated.stdout).contains("count changed by -4"),
        "{}",
        text(&invalidated.stdout)
    );
    assert_eq!(app.stored_count(&petition).await, 0);
    assert_eq!(
        statuses(&app.signed_rows(&petition).await),
        ["invalidated"; 4]
    );
    let unknown = chorus(
        &app,
        &["review", "p", "--invalidate", "--client", "ffffffffffff"],
        None,
    );
    assert!(!unknown.status.success());
    let log = text(&chorus(&app, &["review", "p"], None).stdout);
    assert!(
        log.contains("+2  by organiser: a school's computer room"),
        "{log}"
    );
    assert!(log.contains("-4  by organiser: review"), "{log}");
}

#[tokio::test]
async fn the_organiser_sees_signers_by_hour_and_by_email_domain_and_can_discount_one() {
    use crate::cli::{chorus, text};
    let (app, petition) = guarded(0, "").await;
    for (n, email) in [
        "a@bot.example",
        "b@bot.example",
        "c@BOT.example",
        "ana@example.org",
        "bea@example.org",
    ]
    .into_iter()
    .enumerate()
    {
        app.sign("p", Some(PARTNER), &form(email, &format!("k-{n:016}")))
            .await;
    }
    let key = app.org_key.to_text();
    let hour = chorus::guard::groups::hour_of(chorus::storage::now_millis());

    let listed = chorus(&app, &["review", "p", "--secret-key-file", "-"], Some(&key));
    let listing = text(&listed.stdout);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let line = |start: &str| {
        listing
            .lines()
            .find(|l| l.starts_with(start))
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>())
    };
    assert_eq!(
        line(&hour),
        Some(vec![hour.as_str(), "5", "0"]),
        "{listing}"
    );
    assert_eq!(line("bot.example"), Some(vec!["bot.example", "3", "0"]));
    assert_eq!(line("example.org"), Some(vec!["example.org", "2", "0"]));

    // Domains are sealed with the details: not without the key.
    let keyless = chorus(&app, &["review", "p"], None);
    assert!(!text(&keyless.stdout).contains("bot.example"));
    let refused = chorus(
        &app,
        &["review", "p", "--invalidate", "--domain", "bot.example"],
        None,
    );
    assert!(!refused.status.success());

    let invalidated = chorus(
        &app,
        &[
            "review",
            "p",
            "--invalidate",
            "--domain",
            "bot.example",
            "--secret-key-file",
            "-",
            "--reason",
            "throwaway domain",
        ],
        Some(&key),
    );
    assert!(
        text(&invalidated.stdout).contains("count changed by -3"),
        "{}{}",
        text(&invalidated.stdout),
        text(&invalidated.stderr)
    );
    assert_eq!(app.stored_count(&petition).await, 2);
    let invalidated_hour = chorus(
        &app,
        &["review", "p", "--invalidate", "--hour", &hour],
        None,
    );
    assert!(text(&invalidated_hour.stdout).contains("count changed by -2"));
    assert_eq!(app.stored_count(&petition).await, 0);
    let nobody = chorus(
        &app,
        &["review", "p", "--invalidate", "--hour", "1999-01-01T00"],
        None,
    );
    assert!(!nobody.status.success());
}

#[tokio::test]
async fn each_days_client_key_is_random_shared_by_instances_and_destroyed_after_review() {
    let (app, petition) = guarded(0, "").await;
    let other = app.second_instance().await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &form("a@example.org", "k-a000000000000000"),
    )
    .await;
    other
        .sign_accepted(
            "p",
            Some(PARTNER),
            &form("b@example.org", "k-b000000000000000"),
        )
        .await;
    let clusters = app.store.clusters(petition.id).await.expect("clusters");
    assert_eq!(clusters.len(), 1, "both instances hash the client alike");
    assert_eq!(clusters[0].counted, 2);

    // The same secret and the same address on the same day, over another
    // database: a different hash. The key is not derived from the secret, so
    // the secret and a dump cannot recompute a hash from a guessed address.
    let (elsewhere, elsewhere_petition) = guarded(0, "").await;
    elsewhere
        .sign_accepted(
            "p",
            Some(PARTNER),
            &form("a@example.org", "k-a000000000000000"),
        )
        .await;
    elsewhere
        .sign_accepted(
            "p",
            Some(PARTNER),
            &form("b@example.org", "k-b000000000000000"),
        )
        .await;
    let theirs = elsewhere
        .store
        .clusters(elsewhere_petition.id)
        .await
        .expect("clusters");
    assert_ne!(theirs[0].client_hash, clusters[0].client_hash);

    // Keys of days whose hashes are all forgotten are destroyed; today's stays.
    let today = chorus::storage::now_millis().div_euclid(chorus::guard::DAY);
    let old_day = today - i64::from(chorus::personal::retention::CLIENT_HASH_DAYS) - 2;
    assert_eq!(
        app.store
            .client_day_key(old_day, b"old")
            .await
            .expect("kept"),
        b"old"
    );
    chorus::personal::retention::forget_review_data(&*app.store)
        .await
        .expect("forgotten");
    assert_eq!(
        app.store
            .client_day_key(old_day, b"new")
            .await
            .expect("read"),
        b"new",
        "the old day's key was destroyed"
    );
    assert_ne!(
        app.store
            .client_day_key(today, b"other")
            .await
            .expect("read"),
        b"other",
        "today's key is kept"
    );
}
