//! `cargo xtask`: the project's commands, so a fresh machine needs only cargo.
//!
//! - `demo`:  build the widgets for release and run the demo coalition.
//! - `test`:  every check CI runs (fmt, clippy host + wasm32, deny, tests,
//!   browser tests against the release bundle).
//! - `bench`: bundle sizes, the live fan-out, signing (failing when it is
//!   slower than recorded: `regression.rs`) and crash benchmarks.
//! - `sizes`: build the widgets for release and print the bundle sizes only.
//!
//! Each installs what the machine lacks first, from package registries only.

mod boundary;
mod install;
mod link;
mod postgres;
mod regression;
mod sizes;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    if let Some(code) = link::if_linking() {
        return code;
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(),
        Some("test") => test(),
        Some("bench") => bench(),
        Some("build") => install::build_tools().and_then(|()| build_widgets()),
        Some("sizes") => install::build_tools()
            .and_then(|()| build_widgets())
            .and_then(|()| sizes::check(&dist())),
        _ => Err("usage: cargo xtask <demo|test|bench|build|sizes>".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn dist() -> PathBuf {
    root().join("dist")
}

/// Runs a command from the repository root, failing on a non-zero exit.
fn run(command: &mut Command) -> Result {
    eprintln!("$ {}", describe(command));
    let status = command
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot start {}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|s| s.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.env("PATH", install::tool_path());
    command
}

/// Builds the release widget bundle into `dist/` and writes `.br` and `.gz`
/// copies beside each file for the server to send.
fn build_widgets() -> Result {
    let mut trunk = Command::new("trunk");
    trunk
        .args(["build", "--release"])
        .env("PATH", install::tool_path())
        .env(WASM_RUSTFLAGS, short_paths())
        .envs(link::linker_env()?);
    run(&mut trunk)?;
    build_partial_bundle("counter")?;
    build_partial_bundle("signup")?;
    build_partial_bundle("donate")?;
    build_partial_bundle("updates")?;
    build_partial_bundle("events")?;
    build_partial_bundle("storm")?;
    build_partial_bundle("campaign")?;
    build_partial_bundle("coalition")?;
    build_partial_bundle("all")?;
    for bundle in BUNDLES {
        boundary::shrink(&dist(), bundle)?;
    }
    write_stylesheets()?;
    minify("embed.js", None)?;
    minify("frame.js", Some("esm"))?;
    for bundle in BUNDLES {
        minify(&format!("{bundle}.js"), Some("esm"))?;
    }
    sizes::precompress(&dist())
}

/// Flags for the bundles' WebAssembly builds only.
const WASM_RUSTFLAGS: &str = "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS";

/// Panic messages carry the source file's path, which would name this
/// machine's directories in every bundle: each is cut to the path inside
/// its crate's registry directory or this repository. The bundle is then
/// the same on any machine, and a little smaller.
fn short_paths() -> String {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    let registries = std::fs::read_dir(home.join("registry/src"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path());
    // The flags are split at spaces: a path with one is left as it is.
    std::iter::once(root())
        .chain(registries)
        .map(|dir| dir.display().to_string())
        .filter(|dir| !dir.contains(' '))
        .map(|dir| format!("--remap-path-prefix={dir}/="))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The widget bundles in `dist/`: the petition's, the counter's alone, the
/// sign-up's, the donate button's, the updates feed's (with the toolkit
/// box), the events', the storm's (with the toolkit box), the campaign's
/// (the first three together), the coalition's (the petition, its wall and
/// the sign-up) and every widget's.
const BUNDLES: [&str; 10] = [
    "chorus-widgets",
    "chorus-counter",
    "chorus-signup",
    "chorus-donate",
    "chorus-updates",
    "chorus-events",
    "chorus-storm",
    "chorus-campaign",
    "chorus-coalition",
    "chorus-all",
];

/// The widgets' stylesheets in `dist/`, each joined from its sources in
/// the order they build on each other: `widgets.css`, which every widget
/// has, and the events', the wall's and the storm's own, which only pages
/// showing them download.
const STYLESHEETS: [(&str, &[&str]); 4] = [
    (
        "widgets.css",
        &[
            "widgets/src/style.css",
            "widgets/src/hidden.css",
            "widgets/src/petition/style.css",
            "widgets/src/donate/style.css",
            "widgets/src/updates/style.css",
        ],
    ),
    ("events.css", &["widgets/src/events/style.css"]),
    ("coalition.css", &["widgets/src/signers/style.css"]),
    ("storm.css", &["widgets/src/storm/style.css"]),
];

/// Writes the stylesheets into `dist/`: cached files, adopted into the
/// widgets' shadow roots by `embed.js` (and `widgets.css` linked by the
/// frame page), rather than bytes inside the WebAssembly.
fn write_stylesheets() -> Result {
    for (name, sources) in STYLESHEETS {
        let mut sheet = String::new();
        for file in sources {
            let path = root().join(file);
            sheet +=
                &std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let out = dist().join(name);
        std::fs::write(&out, sheet).map_err(|e| format!("{}: {e}", out.display()))?;
        minify(name, None)?;
    }
    Ok(())
}

/// A bundle other than the petition's (`www/{name}.html`: the counter alone,
/// the counter with the donate button or the updates feed, or every widget
/// for pages that show several kinds): built apart, then renamed into
/// `dist/` as `chorus-{name}` beside the full one.
fn build_partial_bundle(name: &str) -> Result {
    let out = root().join(format!("target/{name}-dist"));
    let mut trunk = Command::new("trunk");
    trunk
        .args(["build", &format!("www/{name}.html"), "--release", "--dist"])
        .arg(&out)
        .env("PATH", install::tool_path())
        .env(WASM_RUSTFLAGS, short_paths())
        .envs(link::linker_env()?);
    run(&mut trunk)?;
    for (built, renamed) in [
        ("chorus-widgets.js", format!("chorus-{name}.js")),
        ("chorus-widgets_bg.wasm", format!("chorus-{name}_bg.wasm")),
    ] {
        std::fs::copy(out.join(built), dist().join(&renamed))
            .map_err(|e| format!("copying the {name} bundle's {built}: {e}"))?;
    }
    Ok(())
}

/// Minifies a script in `dist/` in place. Every partner page downloads these,
/// and trunk copies them as written.
fn minify(file: &str, format: Option<&str>) -> Result {
    let path = dist().join(file);
    let mut esbuild = Command::new("esbuild");
    esbuild
        .arg(&path)
        .args([
            "--minify",
            "--target=es2022",
            "--allow-overwrite",
            "--log-level=warning",
        ])
        .arg(format!("--outfile={}", path.display()))
        .env("PATH", install::tool_path());
    if let Some(format) = format {
        esbuild.arg(format!("--format={format}"));
    }
    run(&mut esbuild)
}

fn demo() -> Result {
    install::build_tools()?;
    build_widgets()?;
    let mut chorus = cargo();
    chorus.args(["run", "--release", "--bin", "chorus", "--", "demo"]);
    chorus.env("CHORUS_ASSETS", dist());
    // Every link Chorus writes starts with its public URL: on this machine,
    // where the demo listens.
    if std::env::var_os("CHORUS_PUBLIC_URL").is_none() {
        let addr = std::env::var("CHORUS_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
        chorus.env("CHORUS_PUBLIC_URL", format!("http://{addr}"));
    }
    run(&mut chorus)
}

fn test() -> Result {
    install::build_tools()?;
    install::test_tools()?;
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // Every feature set: all widgets (development), and each bundle's: the
    // counter alone, the petition, the donate button, the updates feed,
    // the events, the storm's, and the campaign bundle's three.
    for features in [
        &[][..],
        &["--no-default-features"][..],
        &["--no-default-features", "--features", "donate"][..],
        &["--no-default-features", "--features", "petition"][..],
        &["--no-default-features", "--features", "updates,resources"][..],
        &["--no-default-features", "--features", "storm,resources"][..],
        &["--no-default-features", "--features", "events"][..],
        &[
            "--no-default-features",
            "--features",
            "petition,donate,updates",
        ][..],
    ] {
        run(cargo()
            .args([
                "clippy",
                "--package",
                "chorus-widgets",
                "--package",
                "chorus-wire",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .args(features)
            .args(["--", "-D", "warnings"]))?;
    }
    // Advisories need the RustSec database from the network; CI with internet
    // access should add `cargo deny check advisories`.
    run(cargo().args([
        "deny",
        "--log-level",
        "error",
        "check",
        "licenses",
        "bans",
        "sources",
    ]))?;
    build_widgets()?;
    // The bundle ceilings (issue 18) hold on every change, not only when
    // someone thinks to run `cargo xtask sizes`.
    sizes::check(&dist())?;
    let tests = || {
        let mut tests = cargo();
        tests
            .env("CHORUS_TEST_ASSETS", dist())
            .env("CHROMEDRIVER", install::CHROMEDRIVER)
            .env("CHROMIUM", install::CHROMIUM)
            .env("CHORUS_TEST_PYTHON", install::PYTHON)
            .env("CHORUS_TEST_PDFTOTEXT", install::PDFTOTEXT)
            .env("CHORUS_TEST_AXE", install::axe_script());
        tests
    };
    // The whole suite on SQLite, then the integration suite on PostgreSQL.
    // Both select the whole workspace, so features unify the same way and
    // the second run reuses the first one's build instead of making another.
    // The PostgreSQL-only tests run alone, last: the outage test stops the
    // server under everyone's feet.
    run_tests(tests().args(["test", "--workspace", "--", "--skip", POSTGRES_ONLY]))?;
    let server = postgres::Server::start()?;
    let on_postgres = || {
        let mut command = tests();
        command
            .env("CHORUS_TEST_POSTGRES", &server.url)
            .env("CHORUS_TEST_POSTGRES_CTL", server.control_command())
            .args(["test", "--workspace", "--test", "api", "--"]);
        command
    };
    run_tests(on_postgres().args(["--skip", POSTGRES_ONLY]))?;
    run_tests(on_postgres().args([POSTGRES_ONLY, "--test-threads=1"]))
}

/// The name prefix of the tests that need PostgreSQL itself (one stops and
/// restarts it).
const POSTGRES_ONLY: &str = "postgres_only";

/// Runs cargo test, echoing its output, and closes with one line that sums
/// every test binary: cargo's own last line is often a doc-test run of zero.
fn run_tests(command: &mut Command) -> Result {
    use std::io::{BufRead, BufReader};
    eprintln!("$ {}", describe(command));
    let mut child = command
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start cargo test: {e}"))?;
    let (mut passed, mut failed) = (0u64, 0u64);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::io::Result::ok)
        {
            println!("{line}");
            if let Some(summary) = line.strip_prefix("test result: ") {
                passed += count_before(summary, " passed");
                failed += count_before(summary, " failed");
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    println!("{passed} passed, {failed} failed");
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo test failed ({status})"))
    }
}

/// The number just before `label` in a line like "ok. 8 passed; 0 failed".
fn count_before(summary: &str, label: &str) -> u64 {
    summary
        .split(';')
        .find_map(|part| {
            part.trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ")
                .strip_suffix(label)?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

fn bench() -> Result {
    install::build_tools()?;
    build_widgets()?;
    sizes::report(&dist())?;
    run(cargo().args(["build", "--release", "--bin", "chorus"]))?;
    // Signing runs on PostgreSQL too, next to SQLite.
    let postgres = postgres::Server::start()?;
    let results = root().join("target/bench-signing.jsonl");
    // A stale file would mix an earlier run's figures into this one's.
    let _ = std::fs::remove_file(&results);
    for bench in ["fanout", "signing", "crash", "events", "wall"] {
        let mut command = cargo();
        command
            .args(["bench", "--bench", bench])
            .env("CHORUS_BIN", root().join("target/release/chorus"))
            .env("CHORUS_BENCH_POSTGRES", &postgres.url)
            .env("CHORUS_BENCH_RESULTS", &results);
        run(&mut command)?;
    }
    regression::check(&results, &root().join(regression::RECORDED))?;
    // In headless Chromium: the proof of work solved by the widget, and the
    // first view on a slow phone.
    install::test_tools()?;
    for bench in ["proof", "first_view"] {
        run(cargo()
            .args(["bench", "--bench", bench])
            .env("CHORUS_BIN", root().join("target/release/chorus"))
            .env("CHORUS_BENCH_ASSETS", dist())
            .env("CHROMEDRIVER", install::CHROMEDRIVER)
            .env("CHROMIUM", install::CHROMIUM))?;
    }
    Ok(())
}
