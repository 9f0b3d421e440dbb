//! `chorus donations export`: a campaign's donations as CSV, streamed row by
//! row. There is no donor in it: Chorus stores none.

use std::io::Write;

use super::money;
use crate::signing::export::write_rows;
use crate::storage::{DonationRow, Store, rfc3339};

const HEADER: [&str; 7] = [
    "donated_at",
    "amount",
    "currency",
    "frequency",
    "partner",
    "provider",
    "donation_id",
];

/// Writes every donation of the campaign as CSV to `out`. Returns how many
/// rows were written.
pub async fn write_csv(
    store: &dyn Store,
    campaign_id: i64,
    out: impl Write,
) -> anyhow::Result<u64> {
    write_rows(&HEADER, store.donation_rows(campaign_id), record, out).await
}

fn record(row: &DonationRow) -> [String; 7] {
    let exponent = money::currency(&row.currency).map_or(2, |(_, e)| e);
    [
        rfc3339(row.donated_at).unwrap_or_default(),
        // A decimal, as spreadsheets sum it: 5.00, not 500 cents.
        money::format_major(row.amount, exponent),
        row.currency.clone(),
        row.frequency.as_str().to_owned(),
        row.partner.clone().unwrap_or_default(),
        row.provider.clone(),
        row.id.to_string(),
    ]
}
