//! Personal data at rest: sealed to the organisation's key, recognised by a
//! keyed hash, removed on request and after a closed petition's retention.

use serde_json::json;

use crate::helpers::{TestApp, body, form};

const PARTNER: &str = "https://harbour.example";

/// Every byte of the database as text: the SQLite files (WAL included), or
/// every row of every table on PostgreSQL.
pub(crate) async fn everything_stored(app: &TestApp) -> String {
    if !app.on_postgres() {
        let path = app.database.expose().trim_start_matches("sqlite://");
        let mut all = Vec::new();
        for suffix in ["", "-wal"] {
            if let Ok(bytes) = std::fs::read(format!("{path}{suffix}")) {
                all.extend(bytes);
            }
        }
        return String::from_utf8_lossy(&all).into_owned();
    }
    use sqlx::Connection;
    let mut db = sqlx::PgConnection::connect(app.database.expose())
        .await
        .expect("database answers");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_all(&mut db)
    .await
    .expect("tables listed");
    let mut all = String::new();
    for table in tables {
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT row_to_json(t)::text FROM \"{table}\" t"))
                .fetch_all(&mut db)
                .await
                .expect("rows read");
        all.push_str(&rows.join("\n"));
    }
    all
}

#[tokio::test]
async fn no_signers_name_address_or_comment_is_stored_readably() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, true).await;
    let mut submission = form("Distinctive.Mailbox@example.org", "k-0123456789abcdef");
    submission["first_name"] = json!("Quillonette");
    submission["last_name"] = json!("Zabrowskaya");
    submission["comment"] = json!("Marmalade-signal solidarity");
    app.sign_accepted("p", Some(PARTNER), &submission).await;

    let stored = everything_stored(&app).await;
    assert!(stored.len() > 1_000, "the database was read");
    for secret in [
        "Quillonette",
        "Zabrowskaya",
        "Marmalade",
        "Distinctive",
        "distinctive",
        "mailbox@example.org",
    ] {
        assert!(!stored.contains(secret), "{secret} is stored readably");
    }
    // What statistics need stays readable, and the organisation's key opens the rest.
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows[0].country, "SN");
    let details = app.details(&rows[0]);
    assert_eq!(details.first_name, "Quillonette");
    assert_eq!(details.email, "Distinctive.Mailbox@example.org");
    assert_eq!(details.comment, "Marmalade-signal solidarity");
}

#[tokio::test]
async fn an_export_needs_the_organisations_own_secret_key() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &form("a@example.org", "k-aaaaaaaaaaaaaaaa"),
    )
    .await;

    let (_, stranger) = chorus::personal::sealed::keygen();
    let mut csv = Vec::new();
    let refused =
        chorus::signing::export::write_csv(&*app.store, &petition, &stranger, &mut csv).await;
    let message = refused
        .expect_err("a stranger's key is refused")
        .to_string();
    assert!(message.contains("not Coalition for Tests's"), "{message}");
    assert!(csv.is_empty(), "nothing written before the key is checked");
}

#[tokio::test]
async fn erasing_a_person_removes_them_from_every_petition_and_keeps_the_counts() {
    let app = TestApp::spawn().await;
    for slug in ["first", "second"] {
        let petition = app.create_petition(slug, None).await;
        app.add_partner(
            &petition,
            &format!("Harbour {slug}"),
            &format!("https://{slug}.example"),
            false,
        )
        .await;
    }
    // One mailbox under two spellings, and somebody else.
    let signings = [
        ("first", "Ana.Lopez@gmail.com", "k-1111111111111111"),
        (
            "second",
            "analopez+petitions@googlemail.com",
            "k-2222222222222222",
        ),
        ("first", "bo@example.org", "k-3333333333333333"),
    ];
    for (slug, email, key) in signings {
        let origin = format!("https://{slug}.example");
        app.sign_accepted(slug, Some(&origin), &form(email, key))
            .await;
    }
    let keys = chorus::personal::ServerKeys::new(
        &crate::helpers::SECRET_KEY.parse().expect("valid secret"),
    );

    let erasure = chorus::personal::erase::erase(&*app.store, &keys, "ana.lopez@gmail.com")
        .await
        .expect("erased");
    let slugs: Vec<&str> = erasure.petitions.iter().map(|s| s.as_str()).collect();
    assert_eq!(slugs, ["first", "second"]);
    assert!(
        erasure
            .to_string()
            .contains("details removed from 2 petition(s): first, second")
    );

    let first = app
        .store
        .petition_by_slug(&chorus::ident::Slug::parse("first").expect("slug"))
        .await
        .expect("read")
        .expect("exists");
    let rows = app.signed_rows(&first).await;
    assert_eq!(rows.len(), 2, "the signature stays, naming no one");
    assert_eq!(rows[0].sealed, None);
    assert_eq!(rows[0].country, "SN");
    assert_eq!(
        app.details(&rows[1]).email,
        "bo@example.org",
        "others are untouched"
    );
    assert_eq!(app.stored_count(&first).await, 2);

    let again = chorus::personal::erase::erase(&*app.store, &keys, "ana.lopez@gmail.com")
        .await
        .expect("erased");
    assert!(again.petitions.is_empty());
    assert!(again.to_string().contains("none found"));
}

#[tokio::test]
async fn a_closed_petition_takes_no_signatures_and_forgets_its_signers_after_retention() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &form("a@example.org", "k-aaaaaaaaaaaaaaaa"),
    )
    .await;

    app.store
        .set_petition_closed(petition.id, Some(chorus::storage::now_millis()))
        .await
        .expect("closed");
    // The directory keeps petitions for a few seconds; a new instance reads afresh.
    let fresh = app.second_instance().await;
    let (status, answer) = body(
        fresh
            .sign(
                "p",
                Some(PARTNER),
                &form("b@example.org", "k-bbbbbbbbbbbbbbbb"),
            )
            .await,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(answer["error"]["code"], "petition_closed");

    let retention = chorus::personal::retention::DEFAULT_DAYS;
    let early = chorus::personal::retention::anonymise_expired(&*app.store, retention)
        .await
        .expect("runs");
    assert_eq!(
        early, 0,
        "closed today: details are kept for the retention period"
    );
    assert!(app.signed_rows(&petition).await[0].sealed.is_some());

    let late = chorus::personal::retention::anonymise_expired(&*app.store, 0)
        .await
        .expect("runs");
    assert_eq!(late, 1);
    let rows = app.signed_rows(&petition).await;
    assert_eq!(rows[0].sealed, None);
    assert_eq!(
        app.stored_count(&petition).await,
        1,
        "the count is unchanged"
    );
}
