//! A batch of signatures stored on SQLite in a few statements, whatever its
//! size.
//!
//! Statement by statement, a signature cost four round trips between the
//! writer and SQLite's connection thread, each waiting its turn behind the
//! requests the server was answering: a batch of 512 took a quarter of a
//! second, and signing topped out near 1,700 a second. Here each step is one
//! statement over the whole batch, passed as a JSON array (`json_each`);
//! blobs travel as hex (`unhex`).

use std::collections::HashMap;

use serde_json::{Value, json};
use sqlx::{Sqlite, Transaction};

use super::read::missing_petition;
use super::{NewSignature, StoreResult, Stored, batching, status_of};

/// Stores `batch` in `tx`, which holds the write lock, and says what became
/// of each signature.
pub(super) async fn record(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &[NewSignature],
) -> StoreResult<Vec<Stored>> {
    let Some(petition_id) = batch.first().map(|s| s.petition_id) else {
        return Ok(Vec::new());
    };
    let seen = seen_before(tx, batch).await?;
    let proof_spent = spend_proofs(tx, batch, &seen).await?;
    let repeats = batching::repeats_in(batch, &seen, &proof_spent);
    let new: Vec<&NewSignature> = batch
        .iter()
        .zip(&repeats)
        .filter_map(|(signature, repeat)| repeat.is_none().then_some(signature))
        .collect();
    let signer_ids = insert_signers(tx, &new)
        .await
        .map_err(|e| missing_petition(e, petition_id))?;
    let signer_id = |s: &NewSignature| {
        let key = (s.petition_id, s.signer.as_ref()?.idempotency_key.clone());
        signer_ids.get(&key).copied()
    };
    let (waiting, counted): (Vec<&NewSignature>, Vec<&NewSignature>) = new
        .into_iter()
        .filter(|s| s.hold.is_none())
        .partition(|s| s.confirmation.is_some());
    if !counted.is_empty() {
        let entries: Vec<Value> = counted
            .iter()
            .map(|s| json!({"p": s.petition_id, "pa": s.partner_id, "t": s.signed_at, "id": signer_id(s)}))
            .collect();
        // In the batch's order: ids grow as the signatures came.
        sqlx::query(
            "INSERT INTO signatures (petition_id, partner_id, signed_at, signer_id)
             SELECT value->>'p', value->>'pa', value->>'t', value->>'id'
             FROM json_each(?1) ORDER BY key",
        )
        .bind(Value::from(entries).to_string())
        .execute(&mut **tx)
        .await
        .map_err(|e| missing_petition(e, petition_id))?;
    }
    let letters: Vec<Value> = waiting
        .iter()
        .filter_map(|s| {
            let confirmation = s.confirmation.as_ref()?;
            let listing = confirmation.listing.as_ref();
            Some(json!({
                "id": signer_id(s)?,
                "p": s.petition_id,
                "wf": listing.map(|w| &w.first_name),
                "wi": listing.map(|w| &w.initial),
                "wc": listing.map(|w| &w.country),
                "wy": listing.map(|w| &w.city),
                "ws": listing.map(|w| w.shuffle),
                "t": s.signed_at,
                "token": hex::encode(confirmation.token.0),
                "kind": confirmation.mail.kind.as_str(),
                "e": hex::encode(confirmation.mail.email_hash.as_bytes()),
                "z": hex::encode(&confirmation.mail.sealed),
            }))
        })
        .collect();
    if !letters.is_empty() {
        queue_confirmations(tx, &Value::from(letters).to_string()).await?;
    }
    Ok(batching::outcomes(batch, repeats))
}

/// The signatures of `batch` (by 1-based position) whose address or
/// submission already signed the petition: `true` for the same submission.
async fn seen_before(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &[NewSignature],
) -> StoreResult<HashMap<i64, bool>> {
    let asked: Vec<Value> = batch
        .iter()
        .zip(1_i64..)
        .filter_map(|(s, i)| {
            let signer = s.signer.as_ref()?;
            Some(json!({
                "i": i,
                "p": s.petition_id,
                "e": hex::encode(signer.email_hash.as_bytes()),
                "k": signer.idempotency_key,
            }))
        })
        .collect();
    if asked.is_empty() {
        return Ok(HashMap::new());
    }
    // Two lookups, each on its unique index, as on PostgreSQL.
    Ok(sqlx::query_as(
        "SELECT b.value->>'i', EXISTS (SELECT 1 FROM signers s
                 WHERE s.petition_id = b.value->>'p' AND s.idempotency_key = b.value->>'k')
         FROM json_each(?1) b
         WHERE EXISTS (SELECT 1 FROM signers s
                 WHERE s.petition_id = b.value->>'p' AND s.email_hash = unhex(b.value->>'e'))
            OR EXISTS (SELECT 1 FROM signers s
                 WHERE s.petition_id = b.value->>'p' AND s.idempotency_key = b.value->>'k')",
    )
    .bind(Value::from(asked).to_string())
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect())
}

/// Spends the batch's proofs of work; by position, whether a signature's
/// had bought another submission.
async fn spend_proofs(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &[NewSignature],
    seen: &HashMap<i64, bool>,
) -> StoreResult<Vec<bool>> {
    let spending = batching::proofs_to_spend(batch, seen);
    if spending.is_empty() {
        return Ok(vec![false; batch.len()]);
    }
    let proofs = Value::from(
        spending
            .iter()
            .map(|p| json!({"c": p.challenge, "k": p.idempotency_key, "x": p.expires_at}))
            .collect::<Vec<_>>(),
    )
    .to_string();
    // `WHERE true` tells SQLite's parser the `ON CONFLICT` is the insert's.
    sqlx::query(
        "INSERT INTO spent_proofs (challenge, idempotency_key, expires_at)
         SELECT value->>'c', value->>'k', value->>'x' FROM json_each(?1) WHERE true
         ON CONFLICT (challenge) DO NOTHING",
    )
    .bind(&proofs)
    .execute(&mut **tx)
    .await?;
    let spent_by: HashMap<String, String> = sqlx::query_as(
        "SELECT challenge, idempotency_key FROM spent_proofs
         WHERE challenge IN (SELECT value->>'c' FROM json_each(?1))",
    )
    .bind(&proofs)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    Ok(batching::proofs_refused(batch, seen, &spent_by))
}

/// Stores the new signers of `new`; their ids by petition and submission.
async fn insert_signers(
    tx: &mut Transaction<'_, Sqlite>,
    new: &[&NewSignature],
) -> Result<HashMap<(i64, String), i64>, sqlx::Error> {
    let rows: Vec<Value> = new
        .iter()
        .filter_map(|s| {
            let signer = s.signer.as_ref()?;
            Some(json!({
                "p": s.petition_id,
                "pa": s.partner_id,
                "t": s.signed_at,
                "s": status_of(s),
                "e": hex::encode(signer.email_hash.as_bytes()),
                "k": signer.idempotency_key,
                "z": hex::encode(&signer.sealed),
                "c": signer.country,
                "l": signer.lang,
                "v": signer.consent_version,
                "oo": signer.opt_in_organiser,
                "op": signer.opt_in_partner,
                "h": signer.client_hash.map(hex::encode),
                "r": s.hold,
            }))
        })
        .collect();
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let stored: Vec<(i64, i64, String)> = sqlx::query_as(
        "INSERT INTO signers (petition_id, partner_id, signed_at, status, email_hash,
             idempotency_key, sealed, country, lang, consent_version, opt_in_organiser,
             opt_in_partner, client_hash, held_reason)
         SELECT value->>'p', value->>'pa', value->>'t', value->>'s', unhex(value->>'e'),
             value->>'k', unhex(value->>'z'), value->>'c', value->>'l', value->>'v',
             value->>'oo', value->>'op', unhex(value->>'h'), value->>'r'
         FROM json_each(?1) ORDER BY key
         RETURNING id, petition_id, idempotency_key",
    )
    .bind(Value::from(rows).to_string())
    .fetch_all(&mut **tx)
    .await?;
    Ok(stored
        .into_iter()
        .map(|(id, petition_id, key)| ((petition_id, key), id))
        .collect())
}

/// The tokens and outbox messages of signers waiting for confirmation, and
/// the wall names of those who asked to be listed once confirmed.
async fn queue_confirmations(tx: &mut Transaction<'_, Sqlite>, letters: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO wall_names (signer_id, petition_id, first_name, initial, country, city,
             shuffle)
         SELECT value->>'id', value->>'p', value->>'wf', value->>'wi', value->>'wc',
             value->>'wy', value->>'ws'
         FROM json_each(?1) WHERE value->>'wf' IS NOT NULL",
    )
    .bind(letters)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO signer_tokens (token_hash, signer_id, created_at)
         SELECT unhex(value->>'token'), value->>'id', value->>'t' FROM json_each(?1)",
    )
    .bind(letters)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO outbox (kind, signer_id, email_hash, sealed, created_at, next_attempt_at)
         SELECT value->>'kind', value->>'id', unhex(value->>'e'), unhex(value->>'z'),
             value->>'t', value->>'t'
         FROM json_each(?1)",
    )
    .bind(letters)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
