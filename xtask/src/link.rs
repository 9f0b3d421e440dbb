//! The linker for the bundles' WebAssembly: rust-lld, told to export
//! nothing a widget does not use.
//!
//! Leptos always brings `server_fn`'s browser client, which brings
//! `wasm-streams`, whose `#[wasm_bindgen]` classes are exports; so is
//! Leptos's `wasm-split` marker. rustc names every export to the linker
//! (`--export NAME`), and an exported function keeps its code alive through
//! the linker's dead-code pass. Once that code is in the module's function
//! table, binaryen cannot drop it either, even after the export goes: about
//! 5 KB (brotli) of the petition bundle. So `cargo xtask` runs itself as the
//! linker, leaves those exports out, and hands the rest to rust-lld, which
//! then drops their code. `boundary.rs` removes their classes from the glue.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

use crate::Result;

/// Set, to rust-lld's path, when xtask runs as the linker.
const LINK_WITH: &str = "CHORUS_XTASK_LINK_WITH";

/// Exports no widget uses: `wasm-streams`' classes (their methods, their
/// `__wbg_…_free` finalizers and wasm-bindgen's `__wbindgen_describe_…`
/// functions all name the class) and the `wasm-split` marker.
pub fn unused_export(name: &str) -> bool {
    name.contains("intounderlying") || name.starts_with("_WASM_SPLIT_MARKER_")
}

/// The environment that makes the bundles' builds link through xtask.
pub fn linker_env() -> Result<[(&'static str, OsString); 2]> {
    let xtask = std::env::current_exe().map_err(|e| format!("where xtask runs from: {e}"))?;
    Ok([
        ("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", xtask.into()),
        (LINK_WITH, rust_lld()?.into()),
    ])
}

/// When xtask was started as the linker, links and returns the exit code.
pub fn if_linking() -> Option<ExitCode> {
    let lld = std::env::var_os(LINK_WITH)?;
    let args = match without_unused_exports(std::env::args_os().skip(1).collect()) {
        Ok(args) => args,
        Err(error) => {
            eprintln!("xtask linker: {error}");
            return Some(ExitCode::FAILURE);
        }
    };
    let status = Command::new(&lld).args(args).status();
    Some(match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!(
                "xtask linker: cannot start {}: {error}",
                lld.to_string_lossy()
            );
            ExitCode::FAILURE
        }
    })
}

/// The rust-lld that ships with the toolchain building the bundles.
fn rust_lld() -> Result<PathBuf> {
    let rustc = |args: &[&str]| -> Result<String> {
        let out = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .args(args)
            .output()
            .map_err(|e| format!("cannot start rustc: {e}"))?;
        String::from_utf8(out.stdout).map_err(|e| format!("rustc's answer: {e}"))
    };
    let sysroot = rustc(&["--print", "sysroot"])?;
    let version = rustc(&["-vV"])?;
    let host = version
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .ok_or("rustc -vV names no host")?;
    let lld = PathBuf::from(sysroot.trim())
        .join("lib/rustlib")
        .join(host.trim())
        .join("bin/rust-lld");
    if lld.is_file() {
        Ok(lld)
    } else {
        Err(format!("no rust-lld at {}", lld.display()))
    }
}

/// The linker's arguments without `--export NAME` pairs for unused names.
/// rustc passes long argument lists in a response file (`@path`, one
/// argument a line), which is filtered in place.
fn without_unused_exports(args: Vec<OsString>) -> Result<Vec<OsString>> {
    let mut kept = Vec::with_capacity(args.len());
    for arg in filtered(args, |arg| arg.to_str()) {
        match arg.to_str().and_then(|a| a.strip_prefix('@')) {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
                let lines: Vec<&str> = text.lines().collect();
                let lines = filtered(lines, |line| Some(*line));
                std::fs::write(path, lines.join("\n")).map_err(|e| format!("{path}: {e}"))?;
                kept.push(arg);
            }
            None => kept.push(arg),
        }
    }
    Ok(kept)
}

/// `items` without each `--export` that names an unused export, and that
/// name; `--export=NAME` too.
fn filtered<T>(items: Vec<T>, text: impl Fn(&T) -> Option<&str>) -> Vec<T> {
    let mut kept = Vec::with_capacity(items.len());
    let mut items = items.into_iter().peekable();
    while let Some(item) = items.next() {
        match text(&item) {
            Some("--export") if items.peek().and_then(&text).is_some_and(unused_export) => {
                items.next();
            }
            Some(arg) if arg.strip_prefix("--export=").is_some_and(unused_export) => {}
            _ => kept.push(item),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_unused_exports_are_left_out() {
        let args = [
            "-flavor",
            "wasm",
            "--export",
            "mount_84524a8edf99eade",
            "--export",
            "intounderlyingsource_pull_58a9338f50bce61c",
            "--export",
            "__wbindgen_describe_intounderlyingsink_write_58a9338f50bce61c",
            "--export=__wbg_intounderlyingbytesource_free_58a9338f50bce61c",
            "--export",
            "_WASM_SPLIT_MARKER_732e786d2a082da8version",
            "--export",
            "__wbindgen_malloc",
            "--gc-sections",
        ];
        let kept = filtered(args.to_vec(), |arg| Some(*arg));
        assert_eq!(
            kept,
            [
                "-flavor",
                "wasm",
                "--export",
                "mount_84524a8edf99eade",
                "--export",
                "__wbindgen_malloc",
                "--gc-sections"
            ]
        );
    }

    #[test]
    fn a_response_file_is_filtered_in_place() {
        let dir = std::env::temp_dir().join(format!("chorus-link-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let file = dir.join("linker-arguments");
        std::fs::write(
            &file,
            "--export\nintounderlyingsink_close_1\n--export\nmount_1\n-o\nout.wasm\n",
        )
        .expect("the file is written");
        let at = OsString::from(format!("@{}", file.display()));
        let kept = without_unused_exports(vec![at.clone()]).expect("filtered");
        assert_eq!(kept, [at]);
        let text = std::fs::read_to_string(&file).expect("the file reads");
        assert_eq!(text, "--export\nmount_1\n-o\nout.wasm");
        std::fs::remove_dir_all(&dir).expect("cleaned up");
    }
}
