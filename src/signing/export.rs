//! `chorus signatures export`: a petition's signatures as CSV, streamed row
//! by row, safe to open in a spreadsheet: individuals first, then the
//! organisations that signed, in the same columns plus their own. Signers'
//! details are opened with the organisation's secret key, which the export
//! uses and forgets.

use std::io::Write;

use crate::personal::{OrgSecretKey, PersonalDetails};
use anyhow::Context;

use crate::storage::{EndorsementRecord, PetitionRecord, SignedRow, Store, StoreResult, rfc3339};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

/// The columns: an individual's, then (empty for individuals) an
/// organisation's. For an organisation, the first columns describe the
/// person who signed on its behalf, `signer_id` is the id `chorus review
/// --organisations` shows, and `status` its review's.
const HEADER: [&str; 21] = [
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
    "signer_id",
    "status",
    "signatory",
    "organisation",
    "organisation_website",
    "organisation_kind",
    "role",
    "domain_verified",
    "unnamed",
    "statement",
];

/// One row of the export.
enum Signatory {
    Individual(SignedRow),
    Organisation(EndorsementRecord),
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exported {
    pub rows: u64,
    /// Rows whose details were removed (retention, erasure): written
    /// without them.
    pub anonymised: u64,
    /// Rows whose details the key could not open (damaged): written without them.
    pub unopened: u64,
}

/// Writes every signer of the petition as CSV to `out`, opening their
/// details with `key` and holding one row in memory at a time. Refuses a
/// key that is not the petition's organisation's before writing anything.
pub async fn write_csv(
    store: &dyn Store,
    petition: &PetitionRecord,
    key: &OrgSecretKey,
    out: impl Write,
) -> anyhow::Result<Exported> {
    check_key(store, petition, key).await?;
    let organisations = store.endorsements(petition.id, None).await?;
    let mut exported = Exported::default();
    let mut open = |sealed: &Option<Vec<u8>>| match sealed {
        None => {
            exported.anonymised += 1;
            PersonalDetails::default()
        }
        Some(sealed) => key.open(sealed).unwrap_or_else(|_| {
            exported.unopened += 1;
            PersonalDetails::default()
        }),
    };
    let to_cells = |row: &Signatory| match row {
        Signatory::Individual(row) => individual(row, open(&row.sealed)),
        Signatory::Organisation(row) => organisation(row, open(&row.sealed)),
    };
    let rows = store
        .signed_rows(petition.id)
        .map(|row| row.map(Signatory::Individual))
        .chain(futures_util::stream::iter(
            organisations
                .into_iter()
                .map(|row| Ok(Signatory::Organisation(row))),
        ))
        .boxed();
    let rows = write_rows(&HEADER, rows, to_cells, out).await?;
    Ok(Exported { rows, ..exported })
}

/// Refuses a key that is not the petition's organisation's: it would open
/// nothing.
pub async fn check_key(
    store: &dyn Store,
    petition: &PetitionRecord,
    key: &OrgSecretKey,
) -> anyhow::Result<()> {
    let organisation = match petition.organisation_id {
        Some(id) => store.organisation(id).await?,
        None => None,
    };
    let organisation =
        organisation.with_context(|| format!("petition {} has no organisation", petition.slug))?;
    anyhow::ensure!(
        key.public_key() == organisation.public_key,
        "this secret key is not {}'s: it cannot open the signers' details of {}",
        organisation.name,
        petition.slug
    );
    Ok(())
}

/// Writes a header, then each row of `rows` as `to_cells` lays it out, with
/// formula cells defused. Returns how many rows were written.
pub(crate) async fn write_rows<T, const N: usize>(
    header: &[&str; N],
    mut rows: BoxStream<'_, StoreResult<T>>,
    mut to_cells: impl FnMut(&T) -> [String; N],
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

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

fn individual(row: &SignedRow, details: PersonalDetails) -> [String; 21] {
    let signed_at = rfc3339(row.signed_at).unwrap_or_default();
    let mut cells: [String; 21] = Default::default();
    let known = [
        signed_at,
        details.first_name,
        details.last_name,
        details.email,
        row.country.clone(),
        details.comment,
        row.lang.clone(),
        row.partner.clone().unwrap_or_default(),
        row.consent_version.clone(),
        yes_no(row.opt_in_organiser),
        yes_no(row.opt_in_partner),
        row.signer_id.to_string(),
        row.status.clone(),
        "individual".to_owned(),
    ];
    for (cell, value) in cells.iter_mut().zip(known) {
        *cell = value;
    }
    cells
}

fn organisation(row: &EndorsementRecord, signer: PersonalDetails) -> [String; 21] {
    let public = &row.public;
    [
        rfc3339(row.created_at).unwrap_or_default(),
        signer.first_name,
        signer.last_name,
        signer.email,
        public.country.clone(),
        String::new(),
        row.lang.clone(),
        row.partner.clone().unwrap_or_default(),
        row.consent_version.clone(),
        yes_no(row.opt_in_organiser),
        yes_no(row.opt_in_partner),
        row.id.to_string(),
        row.status.as_str().to_owned(),
        "organisation".to_owned(),
        public.organisation.clone(),
        public.website.clone(),
        public.kind.clone(),
        signer.role,
        yes_no(row.domain_verified),
        yes_no(public.unnamed),
        public.statement.clone(),
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
