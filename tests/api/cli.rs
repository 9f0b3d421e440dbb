//! The organisers' command line, run as the real `chorus` binary on the test
//! server's database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::helpers::{TestApp, form};

const PARTNER: &str = "https://harbour.example";

pub(crate) fn chorus(app: &TestApp, args: &[&str], stdin: Option<&str>) -> Output {
    chorus_with_env(app, args, stdin, &[])
}

/// `chorus` with `env` set (the deployment's secret, say).
pub(crate) fn chorus_with_env(
    app: &TestApp,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(args)
        .args(["--database-url", app.database.expose()])
        .env_remove("CHORUS_SECRET_KEY")
        .envs(env.iter().copied())
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

    let without = chorus(&app, &["person", "erase"], Some("rosa@example.org\n"));
    assert!(!without.status.success());
    assert!(text(&without.stderr).contains("CHORUS_SECRET_KEY is not set"));

    // The address comes from standard input, never the command line, which
    // shell history keeps.
    let as_argument = chorus_with_env(
        &app,
        &["person", "erase", "rosa@example.org"],
        None,
        &[("CHORUS_SECRET_KEY", crate::helpers::SECRET_KEY)],
    );
    assert!(!as_argument.status.success());
    assert!(app.signed_rows(&petition).await[0].sealed.is_some());
    let erased = chorus_with_env(
        &app,
        &["person", "erase"],
        Some("Rosa@Example.org\n"),
        &[("CHORUS_SECRET_KEY", crate::helpers::SECRET_KEY)],
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

#[test]
fn secrets_are_never_taken_from_flags_or_shown_in_help() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_chorus"))
            .args(args)
            .env(
                "DATABASE_URL",
                "postgres://chorus:hunter2@db.internal/chorus",
            )
            .env("CHORUS_SECRET_KEY", crate::helpers::SECRET_KEY)
            .env("CHORUS_SMTP_URL", "smtps://mailer:hunter3@smtp.example")
            .output()
            .expect("chorus runs")
    };
    let help = run(&["serve", "--help"]);
    assert!(help.status.success());
    let shown = text(&help.stdout);
    for secret in ["hunter2", "hunter3", crate::helpers::SECRET_KEY] {
        assert!(!shown.contains(secret), "{secret} in help:\n{shown}");
    }
    assert!(shown.contains("CHORUS_SECRET_KEY_FILE"), "{shown}");
    let flag = run(&["serve", "--secret-key", crate::helpers::SECRET_KEY]);
    assert!(!flag.status.success());
    assert!(
        text(&flag.stderr).contains("unexpected argument"),
        "{}",
        text(&flag.stderr)
    );
}
