//! What a partner page downloads: compressed copies for the server to send,
//! and the report `cargo xtask bench` prints.

use std::io::Write;
use std::path::Path;

use crate::Result;

/// What a page downloads for a widget, and the most it may download, in
/// brotli bytes. The ceilings are the sizes measured when the size targets
/// gave way to rendering on the server (issue 18): they must not grow, and
/// a change that crosses one says why. Issue 19 raised three, by what its
/// code needs on the pages that run it: "show my name" (and its city) in
/// every petition, organisations on every counter (about 1.2 KB), and the
/// organisation's form, the wall and the sign-up on the page with every
/// widget; the organisation's form is only in the bundles that need it.
/// The feed's "more" kept through a live refresh added 0.4 KB to pages
/// with several kinds. Issue 21 raised three by what its code needs on
/// the pages that run it: each item's files in the updates feed (and the
/// toolkit box in its bundle), and the storm and the box on the page with
/// every widget.
struct Download {
    what: &'static str,
    files: &'static [&'static str],
    ceiling: usize,
}

const DOWNLOADS: [Download; 10] = [
    Download {
        what: "a page with counters",
        files: &[
            "embed.js",
            "widgets.css",
            "chorus-counter.js",
            "chorus-counter_bg.wasm",
        ],
        ceiling: 63_000,
    },
    Download {
        // The sign-up arrived after the ceilings were set (issue 19): its
        // page's ceiling is its size when it arrived.
        what: "a page with a sign-up",
        files: &[
            "embed.js",
            "widgets.css",
            "chorus-signup.js",
            "chorus-signup_bg.wasm",
        ],
        ceiling: 100_000,
    },
    Download {
        what: "a page with a donate button",
        files: &[
            "embed.js",
            "widgets.css",
            "chorus-donate.js",
            "chorus-donate_bg.wasm",
        ],
        ceiling: 104_000,
    },
    Download {
        what: "a page with an updates feed",
        files: &[
            "embed.js",
            "widgets.css",
            "chorus-updates.js",
            "chorus-updates_bg.wasm",
        ],
        ceiling: 94_000,
    },
    Download {
        // Frame mode adds the frame page's HTML (served by Chorus, not in
        // dist/); inline mode leaves frame.js out.
        what: "a page with a petition",
        files: &[
            "embed.js",
            "widgets.css",
            "frame.js",
            "chorus-widgets.js",
            "chorus-widgets_bg.wasm",
        ],
        ceiling: 122_000,
    },
    Download {
        // One bundle with the petition, the donate button and the updates
        // feed, so such a page runs one module and one live connection
        // (embed.js picks it).
        what: "a page with several kinds of widget",
        files: &[
            "embed.js",
            "widgets.css",
            "chorus-campaign.js",
            "chorus-campaign_bg.wasm",
        ],
        ceiling: 166_000,
    },
    Download {
        // The events widget arrived after the ceilings were set (issue
        // 20): its ceiling is its size when it arrived.
        what: "a page with events",
        files: &[
            "embed.js",
            "widgets.css",
            "events.css",
            "chorus-events.js",
            "chorus-events_bg.wasm",
        ],
        ceiling: 148_000,
    },
    Download {
        // The storm and the toolkit box arrived after the ceilings were
        // set (issue 21): their page's ceiling is its size when it arrived.
        what: "a page with a storm and a toolkit box",
        files: &[
            "embed.js",
            "widgets.css",
            "storm.css",
            "chorus-storm.js",
            "chorus-storm_bg.wasm",
        ],
        ceiling: 108_500,
    },
    Download {
        // The wall arrived after the ceilings were set (issue 19): its
        // page's ceiling is its size when it arrived.
        what: "a page with a petition, its wall and a sign-up",
        files: &[
            "embed.js",
            "widgets.css",
            "coalition.css",
            "chorus-coalition.js",
            "chorus-coalition_bg.wasm",
        ],
        ceiling: 160_500,
    },
    Download {
        what: "a page with events and other kinds",
        files: &[
            "embed.js",
            "widgets.css",
            "events.css",
            "chorus-all.js",
            "chorus-all_bg.wasm",
        ],
        ceiling: 290_000,
    },
];

fn brotli(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out)
}

fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

/// Writes `NAME.br` and `NAME.gz` beside every JS, WASM, CSS and HTML file.
pub fn precompress(dir: &Path) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "js" | "wasm" | "css" | "html"));
        if !compressible {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (suffix, packed) in [("br", brotli(&data)?), ("gz", gzip(&data)?)] {
            let mut name = path.clone().into_os_string();
            name.push(format!(".{suffix}"));
            std::fs::write(&name, packed).map_err(|e| format!("{name:?}: {e}"))?;
        }
    }
    Ok(())
}

/// Fails when any page downloads more than its ceiling.
pub fn check(dir: &Path) -> Result {
    let over = report(dir)?;
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!("over the size ceiling: {}", over.join(", ")))
    }
}

/// Prints raw, gzip and brotli bytes of what pages with each widget
/// download; returns the pages over their ceiling.
pub fn report(dir: &Path) -> Result<Vec<&'static str>> {
    let mut over = Vec::new();
    for download in DOWNLOADS {
        println!("\n== Bundle: what {} downloads ==", download.what);
        println!("{:<26} {:>9} {:>9} {:>9}", "file", "raw", "gzip", "brotli");
        let mut totals = [0usize; 3];
        for name in download.files {
            let data = std::fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
            let sizes = [data.len(), gzip(&data)?.len(), brotli(&data)?.len()];
            for (total, size) in totals.iter_mut().zip(sizes) {
                *total += size;
            }
            println!("{name:<26} {:>9} {:>9} {:>9}", sizes[0], sizes[1], sizes[2]);
        }
        println!(
            "{:<26} {:>9} {:>9} {:>9}",
            "total", totals[0], totals[1], totals[2]
        );
        let within = totals[2] <= download.ceiling;
        println!(
            "{}: {} bytes brotli, {} the {}-byte ceiling",
            download.what,
            totals[2],
            if within { "within" } else { "OVER" },
            download.ceiling
        );
        if !within {
            over.push(download.what);
        }
    }
    Ok(over)
}
