//! The organisers' command line, run as the real `chorus` binary on the test
//! server's database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::helpers::{TestApp, form};

const PARTNER: &str = "https://harbour.example";

pub(crate) fn chorus(app: &TestApp, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(args)
        .args(["--database-url", app.database.expose()])
        .env_remove("CHORUS_SECRET_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chorus runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .expect("stdin written");
    drop(input);
    child.wait_with_output().expect("chorus finishes")
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn an_organisation_keeps_its_secret_key_and_exports_with_it() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let key_file = dir.path().join("amnesty-north.key");
    let key_path = key_file.to_str().expect("UTF-8 path");

    let made = chorus(
        &app,
        &[
            "org",
            "keygen",
            "Amnesty North",
            "--secret-key-out",
            key_path,
        ],
        None,
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(text(&made.stderr).contains("chorus-public-1:"));
    assert!(
        text(&made.stdout).is_empty(),
        "the secret key went to the file only"
    );
    let secret = std::fs::read_to_string(&key_file).expect("key file");
    assert!(secret.starts_with("chorus-secret-1:"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }
    let again = chorus(
        &app,
        &[
            "org",
            "keygen",
            "Amnesty South",
            "--secret-key-out",
            key_path,
        ],
        None,
    );
    assert!(
        !again.status.success(),
        "an existing key file is never replaced"
    );
    assert_eq!(
        std::fs::read_to_string(&key_file).expect("key file"),
        secret
    );
    let listed = chorus(&app, &["org", "list"], None);
    assert!(
        !text(&listed.stdout).contains("Amnesty South"),
        "nothing registered without its saved key"
    );

    let created = chorus(
        &app,
        &[
            "petition",
            "create",
            "north",
            "--org",
            "Amnesty North",
            "--lang",
            "en",
            "--title",
            "Free them",
            "--summary",
            "Now.",
        ],
        None,
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let petition = app
        .store
        .petition_by_slug(&chorus::ident::Slug::parse("north").expect("slug"))
        .await
        .expect("read")
        .expect("created");
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    app.sign_accepted(
        "north",
        Some(PARTNER),
        &form("rosa@example.org", "k-4444444444444444"),
    )
    .await;

    let exported = chorus(
        &app,
        &[
            "signatures",
            "export",
            "north",
            "--secret-key-file",
            key_path,
        ],
        None,
    );
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    assert!(text(&exported.stdout).contains(",Aïcha,Ndiaye,rosa@example.org,SN,"));
    let from_stdin = chorus(
        &app,
        &["signatures", "export", "north", "--secret-key-file", "-"],
        Some(&secret),
    );
    assert!(text(&from_stdin.stdout).contains("rosa@example.org"));

    let wrong = chorus(
        &app,
        &["signatures", "export", "north", "--secret-key-file", "-"],
        Some(&app.org_key.to_text()),
    );
    assert!(!wrong.status.success());
    assert!(
        text(&wrong.stderr).contains("not Amnesty North's"),
        "{}",
        text(&wrong.stderr)
    );
    assert!(!text(&wrong.stdout).contains("rosa"));
}

#[tokio::test]
async fn erasing_needs_the_deployments_secret_and_reports_what_it_removed() {
    let app = TestApp::spawn().await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &form("rosa@example.org", "k-5555555555555555"),
    )
    .await;

    let without = chorus(&app, &["person", "erase", "rosa@example.org"], None);
    assert!(!without.status.success());
    assert!(text(&without.stderr).contains("CHORUS_SECRET_KEY is not set"));

    let erased = chorus(
        &app,
        &[
            "person",
            "erase",
            "Rosa@Example.org",
            "--secret-key",
            crate::helpers::SECRET_KEY,
        ],
        None,
    );
    assert!(erased.status.success(), "{}", text(&erased.stderr));
    let report = text(&erased.stdout);
    assert!(
        report.contains("details removed from 1 petition(s): p"),
        "{report}"
    );
    assert!(report.contains("donations: nothing to remove"), "{report}");
    assert_eq!(app.signed_rows(&petition).await[0].sealed, None);
}
