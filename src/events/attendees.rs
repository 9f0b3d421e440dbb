//! `chorus event attendees ID`: who is coming to an event, as CSV, their
//! details opened with the organisation's secret key, which the command
//! uses and forgets (as signature exports do).

use std::io::Write;

use anyhow::Context;
use futures_util::StreamExt;

use crate::personal::OrgSecretKey;
use crate::signing::export::write_rows;
use crate::storage::{AttendeeRow, EventRecord, Store, StoreResult, rfc3339};

const HEADER: [&str; 6] = ["answered_at", "people", "name", "email", "lang", "status"];

/// What the list wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub rows: u64,
}

/// Writes every RSVP to `event` to `out`. Refuses a key that is not the
/// event's organisation's before writing anything.
pub async fn write_csv(
    store: &dyn Store,
    event: &EventRecord,
    key: &OrgSecretKey,
    out: impl Write,
) -> anyhow::Result<Written> {
    let organisation = store
        .organisation(event.organisation_id)
        .await?
        .with_context(|| format!("event {} has no organisation", event.public_id))?;
    anyhow::ensure!(
        key.public_key() == organisation.public_key,
        "this secret key is not {}'s: it cannot open the details of {}'s attendees",
        organisation.name,
        event.public_id
    );
    let rows: Vec<StoreResult<AttendeeRow>> = store
        .attendees(event.id)
        .await?
        .into_iter()
        .map(Ok)
        .collect();
    let to_cells = |row: &AttendeeRow| {
        let details = row
            .sealed
            .as_ref()
            .and_then(|sealed| key.open(sealed).ok())
            .unwrap_or_default();
        [
            rfc3339(row.created_at).unwrap_or_default(),
            row.people.to_string(),
            details.first_name,
            details.email,
            row.lang.clone(),
            if row.cancelled { "cancelled" } else { "coming" }.to_owned(),
        ]
    };
    let rows = write_rows(
        &HEADER,
        futures_util::stream::iter(rows).boxed(),
        to_cells,
        out,
    )
    .await?;
    Ok(Written { rows })
}
