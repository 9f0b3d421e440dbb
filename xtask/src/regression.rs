//! The signing benchmark's gate: `cargo xtask bench` fails when a case's
//! figures fall behind the last recorded ones by more than the margins
//! below, so a change that slows signing cannot land unnoticed.
//!
//! The margins are wide because the figures move between identical runs on
//! a 2-core machine that also runs the load generator: p99 at 2,000/s was
//! seen anywhere from 55 to 175 ms. A collapse like issue 17's (a twentieth
//! of the rate) fails by far.
//!
//! `CHORUS_BENCH_RECORD=1 cargo xtask bench` writes the new figures as the
//! record, after a change that is meant to move them.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::Result;

/// The recorded figures, in the repository.
pub const RECORDED: &str = "benches/signing-recorded.json";
/// A case fails when its accepted rate is below the recorded one by more
/// than this share…
const RATE_MARGIN: f64 = 0.15;
/// …or its p99 above this many times the recorded one (and by 10 ms at
/// least, so that tiny figures do not fail on noise)…
const P99_FACTOR: f64 = 2.0;
const P99_SLACK_MS: f64 = 10.0;
// …or when any signature was lost, whatever was recorded.

/// Compares the results the benchmark wrote (`results`, JSON lines) with
/// the record at `recorded`, printing both; records them instead when asked.
pub fn check(results: &Path, recorded: &Path) -> Result {
    let now = read_cases(&std::fs::read_to_string(results).map_err(|e| {
        format!(
            "cannot read the benchmark's results {}: {e}",
            results.display()
        )
    })?)?;
    if std::env::var("CHORUS_BENCH_RECORD").is_ok_and(|v| v == "1") {
        let record: BTreeMap<_, _> = now.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let text = serde_json::to_string_pretty(&record).map_err(|e| e.to_string())?;
        std::fs::write(recorded, text + "\n")
            .map_err(|e| format!("cannot write {}: {e}", recorded.display()))?;
        eprintln!("recorded the signing figures in {}", recorded.display());
        return Ok(());
    }
    let before: BTreeMap<String, Value> = std::fs::read_to_string(recorded)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    println!(
        "\n== Signing against the record ({}) ==",
        recorded.display()
    );
    let mut failures = Vec::new();
    for (case, figures) in &now {
        let number = |v: &Value, name: &str| v[name].as_f64().unwrap_or(0.0);
        let (rate, p99, lost) = (
            number(figures, "accepted_per_s"),
            number(figures, "p99_ms"),
            number(figures, "lost"),
        );
        let Some(was) = before.get(case) else {
            println!("{case}: {rate:.0}/s, p99 {p99:.1} ms (nothing recorded)");
            continue;
        };
        let (was_rate, was_p99) = (number(was, "accepted_per_s"), number(was, "p99_ms"));
        println!(
            "{case}: {rate:.0}/s (recorded {was_rate:.0}/s), p99 {p99:.1} ms (recorded {was_p99:.1} ms)"
        );
        if lost > 0.0 {
            failures.push(format!("{case}: {lost} signatures lost"));
        }
        if rate < was_rate * (1.0 - RATE_MARGIN) {
            failures.push(format!(
                "{case}: {rate:.0}/s accepted, more than {:.0} % below the recorded {was_rate:.0}/s",
                RATE_MARGIN * 100.0
            ));
        }
        if p99 > (was_p99 * P99_FACTOR).max(was_p99 + P99_SLACK_MS) {
            failures.push(format!(
                "{case}: p99 {p99:.1} ms, more than {P99_FACTOR} times the recorded {was_p99:.1} ms"
            ));
        }
    }
    if failures.is_empty() {
        println!("within the margins of the record");
        Ok(())
    } else {
        Err(format!(
            "SIGNING IS SLOWER THAN RECORDED:\n  {}",
            failures.join("\n  ")
        ))
    }
}

/// Each case's figures, the last run of a case winning.
fn read_cases(text: &str) -> Result<BTreeMap<String, Value>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let figures: Value =
                serde_json::from_str(line).map_err(|e| format!("a result is not JSON: {e}"))?;
            let case = figures["case"]
                .as_str()
                .ok_or("a result names no case")?
                .to_owned();
            Ok((case, figures))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(recorded: &str, result: &str) -> Result {
        let dir = std::env::temp_dir().join(format!("chorus-gate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let (results, record) = (dir.join("results.jsonl"), dir.join("recorded.json"));
        std::fs::write(&results, result).expect("written");
        std::fs::write(&record, recorded).expect("written");
        let outcome = check(&results, &record);
        std::fs::remove_dir_all(&dir).expect("removed");
        outcome
    }

    const RECORD: &str = r#"{"steady": {"accepted_per_s": 2000, "p99_ms": 40}}"#;

    #[test]
    fn figures_within_the_margins_pass_and_a_fall_fails() {
        let line = |rate: f64, p99: f64, lost: u64| {
            format!(
                r#"{{"case": "steady", "accepted_per_s": {rate}, "p99_ms": {p99}, "lost": {lost}}}"#
            )
        };
        assert!(run(RECORD, &line(1_800.0, 70.0, 0)).is_ok());
        assert!(run(RECORD, &line(87.0, 40.0, 0)).is_err());
        assert!(run(RECORD, &line(2_000.0, 95.0, 0)).is_err());
        assert!(run(RECORD, &line(2_000.0, 40.0, 1)).is_err());
    }
}
