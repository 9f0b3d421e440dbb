//! `chorus signatures export`: a petition's signatures as CSV, streamed row
//! by row, safe to open in a spreadsheet.

use std::io::Write;

use futures_util::StreamExt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::storage::{SignedRow, Store};

const HEADER: [&str; 13] = [
    "signed_at",
    "first_name",
    "last_name",
    "email",
    "country",
    "comment",
    "lang",
    "partner",
    "consent_version",
    "opt_in_organiser",
    "opt_in_partner",
    "signature_id",
    "email_key",
];

/// Writes every signature of the petition as CSV to `out`, holding one row
/// in memory at a time. Returns how many rows were written.
pub async fn write_csv(
    store: &dyn Store,
    petition_id: i64,
    out: impl Write,
) -> anyhow::Result<u64> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(HEADER)?;
    let mut rows = store.signed_rows(petition_id);
    let mut written = 0;
    while let Some(row) = rows.next().await {
        csv.write_record(record(&row?).iter().map(|cell| defuse(cell)))?;
        written += 1;
    }
    csv.flush()?;
    Ok(written)
}

fn record(row: &SignedRow) -> [String; 13] {
    let signer = &row.signer;
    let signed_at =
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(row.signed_at) * 1_000_000)
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_default();
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    [
        signed_at,
        signer.first_name.clone(),
        signer.last_name.clone(),
        signer.email.clone(),
        signer.country.clone(),
        signer.comment.clone(),
        signer.lang.clone(),
        row.partner.clone().unwrap_or_default(),
        signer.consent_version.clone(),
        yes_no(signer.opt_in_organiser),
        yes_no(signer.opt_in_partner),
        row.signature_id.to_string(),
        signer.email_key.clone(),
    ]
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab
/// or carriage return first) is prefixed with `'`, which spreadsheets show as
/// text. OWASP's advice for CSV injection.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_and_others_kept() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-2+3"), "'-2+3");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("Zoë"), "Zoë");
        assert_eq!(defuse("a=b"), "a=b");
    }
}
