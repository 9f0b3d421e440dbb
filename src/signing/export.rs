//! `chorus signatures export`: a petition's signatures as CSV, streamed row
//! by row, safe to open in a spreadsheet.

use std::io::Write;

use crate::storage::{SignedRow, Store, StoreResult, rfc3339};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

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
    write_rows(&HEADER, store.signed_rows(petition_id), record, out).await
}

/// Writes a header, then each row of `rows` as `to_cells` lays it out, with
/// formula cells defused. Returns how many rows were written.
pub(crate) async fn write_rows<T, const N: usize>(
    header: &[&str; N],
    mut rows: BoxStream<'_, StoreResult<T>>,
    to_cells: fn(&T) -> [String; N],
    out: impl Write,
) -> anyhow::Result<u64> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(header)?;
    let mut written = 0;
    while let Some(row) = rows.next().await {
        csv.write_record(to_cells(&row?).iter().map(|cell| defuse(cell)))?;
        written += 1;
    }
    csv.flush()?;
    Ok(written)
}

fn record(row: &SignedRow) -> [String; 13] {
    let signer = &row.signer;
    let signed_at = rfc3339(row.signed_at).unwrap_or_default();
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
