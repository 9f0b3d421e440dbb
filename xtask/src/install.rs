//! Installs the tools the build and tests need, each only when missing or at
//! the wrong version, from package registries only (crates.io, npm, Debian).

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, root, run};

/// Must equal the `wasm-bindgen` crate pinned in `widgets/Cargo.toml`.
const WASM_BINDGEN: &str = "0.2.130";
const TRUNK: &str = "0.21.14";
/// Debian's binaryen is too old and silently breaks the module; npm's is current.
const BINARYEN: &str = "132";
/// Minifies the loader and the wasm-bindgen glue, which trunk copies as is.
const ESBUILD: &str = "0.25.12";
const CARGO_DENY: &str = "0.20.2";
/// The accessibility checker the browser tests run on partner pages.
const AXE_CORE: &str = "4.10.3";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The proxy the deployment test puts in front of Chorus (`deploy/nginx.conf`).
const NGINX: &str = "/usr/sbin/nginx";
/// The PDF reader the hand-in test reads the document with (poppler's).
pub const PDFTOTEXT: &str = "/usr/bin/pdftotext";
const OPENSSL: &str = "/usr/bin/openssl";

/// Where npm installs binaryen and esbuild.
fn npm_prefix() -> PathBuf {
    root().join("target/tools")
}

/// `PATH` with the project's npm tools and cargo's bin folder in front.
pub fn tool_path() -> String {
    let mut dirs = vec![npm_prefix().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME").or_else(|| {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo").into_os_string())
    }) {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    let current = std::env::var_os("PATH").unwrap_or_default();
    dirs.extend(std::env::split_paths(&current));
    std::env::join_paths(dirs)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What `tool --version` prints, if it runs.
fn version_of(tool: &str) -> Option<String> {
    let output = Command::new(tool)
        .arg("--version")
        .env("PATH", tool_path())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn has_version(tool: &str, version: &str) -> bool {
    version_of(tool).is_some_and(|v| {
        v.split_whitespace()
            .any(|word| word.trim_start_matches('v') == version)
    })
}

fn cargo_install(krate: &str, version: &str, locked: bool) -> Result {
    let mut command = crate::cargo();
    command.args(["install", krate, "--version", version]);
    if locked {
        command.arg("--locked");
    }
    run(&mut command)
}

/// The wasm32 target, wasm-bindgen, trunk, wasm-opt and esbuild.
pub fn build_tools() -> Result {
    let targets = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed: {e}"))?;
    if !String::from_utf8_lossy(&targets.stdout).contains("wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    if !has_version("wasm-bindgen", WASM_BINDGEN) {
        // Not --locked: its lockfile pins a version the registry no longer has.
        cargo_install("wasm-bindgen-cli", WASM_BINDGEN, false)?;
    }
    if !has_version("trunk", TRUNK) {
        cargo_install("trunk", TRUNK, true)?;
    }
    // One npm command for both: each `npm install --no-save` removes what an
    // earlier one put in the same prefix.
    if !has_version("wasm-opt", BINARYEN) || !has_version("esbuild", ESBUILD) {
        run(Command::new("npm").args([
            "install",
            "--prefix",
            &npm_prefix().to_string_lossy(),
            "--no-save",
            "--no-audit",
            "--no-fund",
            &format!("binaryen@{BINARYEN}"),
            &format!("esbuild@{ESBUILD}"),
        ]))?;
    }
    Ok(())
}

/// The Python whose aiosmtpd the email tests run as their SMTP server,
/// whose feedparser the feed-reading tests read with, and whose icalendar
/// reads the events' calendars: Debian's, where `python3-aiosmtpd`,
/// `python3-feedparser` and `python3-icalendar` install them (a `python3`
/// earlier on the PATH, such as pyenv's, would have none).
pub const PYTHON: &str = "/usr/bin/python3";

/// Chromium and its driver for the browser tests, aiosmtpd for the email
/// tests, feedparser for the feed-reading tests, icalendar for the events'
/// calendars, nginx (and openssl for its test certificate) for the deployment
/// test, poppler's pdftotext for the hand-in's PDF, and cargo-deny.
pub fn test_tools() -> Result {
    if version_of(CHROMIUM).is_none() || version_of(CHROMEDRIVER).is_none() {
        apt(&["chromium", "chromium-driver"])?;
    }
    if !std::path::Path::new(NGINX).exists() || !std::path::Path::new(OPENSSL).exists() {
        // The light build has everything the shipped configuration uses.
        apt(&["nginx-light", "openssl"])?;
    }
    if !std::path::Path::new(PDFTOTEXT).exists() {
        apt(&["poppler-utils"])?;
    }
    // The SMTP server of the email tests, the feed reader mirrored feeds
    // are compared with, and the calendar reader events' files are read by.
    for (module, package) in [
        ("aiosmtpd", "python3-aiosmtpd"),
        ("feedparser", "python3-feedparser"),
        ("icalendar", "python3-icalendar"),
    ] {
        let present = Command::new(PYTHON)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !present {
            apt(&[package])?;
        }
    }
    if !has_version("cargo-deny", CARGO_DENY) {
        cargo_install("cargo-deny", CARGO_DENY, true)?;
    }
    // A prefix of its own: an `npm install --no-save` in the build tools'
    // prefix would remove it again.
    let axe = axe_prefix().join("node_modules/axe-core/package.json");
    let installed = std::fs::read_to_string(&axe).unwrap_or_default();
    if !installed.contains(&format!("\"version\": \"{AXE_CORE}\"")) {
        run(Command::new("npm").args([
            "install",
            "--prefix",
            &axe_prefix().to_string_lossy(),
            "--no-save",
            "--no-audit",
            "--no-fund",
            &format!("axe-core@{AXE_CORE}"),
        ]))?;
    }
    Ok(())
}

fn axe_prefix() -> PathBuf {
    root().join("target/axe")
}

/// axe-core's script, for the browser tests.
pub fn axe_script() -> PathBuf {
    axe_prefix().join("node_modules/axe-core/axe.min.js")
}

/// Installs Debian packages, through sudo unless already root.
pub fn apt(packages: &[&str]) -> Result {
    let command = |args: &[&str]| {
        let mut command = if is_root() {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut command(&["update", "-qq"]))?;
    run(command(&["install", "-y", "-qq"]).args(packages))
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
