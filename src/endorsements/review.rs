//! `chorus review PETITION --organisations`: the organiser's look at the
//! organisations that signed (waiting ones first), and the decisions that
//! approve or reject one. Every decision goes to the audit log
//! (`endorsement_decisions`), which the view prints.

use anyhow::Context;

use crate::storage::{
    DecisionOutcome, EndorsementRecord, EndorsementStatus, PetitionRecord, Store, Verdict,
    now_millis, rfc3339,
};

/// What the organiser asked of the organisations view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    List,
    Decide(i64, Verdict),
}

/// Who the audit log names for a decision made on the command line.
const ACTOR: &str = "organiser";

pub async fn review(
    store: &dyn Store,
    petition: &PetitionRecord,
    ask: Ask,
    reason: &str,
) -> anyhow::Result<()> {
    match ask {
        Ask::List => list(store, petition).await,
        Ask::Decide(id, verdict) => {
            let outcome = store
                .decide_endorsement(petition.id, id, verdict, reason, ACTOR, now_millis())
                .await?;
            match outcome {
                DecisionOutcome::Made => {
                    println!(
                        "petition {}: organisation {id} {} ({reason}); counts change within a second",
                        petition.slug,
                        verdict.as_str()
                    );
                    Ok(())
                }
                DecisionOutcome::Unchanged => {
                    println!("organisation {id} is {} already", verdict.as_str());
                    Ok(())
                }
                DecisionOutcome::Unconfirmed => anyhow::bail!(
                    "organisation {id} has not confirmed its signature by email yet: decide once it has"
                ),
                DecisionOutcome::NoSuchEndorsement => {
                    anyhow::bail!("no organisation {id} signed {}", petition.slug)
                }
            }
        }
    }
}

async fn list(store: &dyn Store, petition: &PetitionRecord) -> anyhow::Result<()> {
    let all = store
        .endorsements(petition.id, None)
        .await
        .context("reading the organisations")?;
    if all.is_empty() {
        println!("no organisation has signed {} yet", petition.slug);
    }
    for status in [
        EndorsementStatus::Pending,
        EndorsementStatus::Unconfirmed,
        EndorsementStatus::Approved,
        EndorsementStatus::Rejected,
    ] {
        let group: Vec<&EndorsementRecord> = all.iter().filter(|e| e.status == status).collect();
        if group.is_empty() {
            continue;
        }
        println!("\n{} ({}):", heading(status), group.len());
        for e in group {
            println!("{}", line(e));
        }
    }
    let decisions = store.endorsement_decisions(petition.id).await?;
    if !decisions.is_empty() {
        println!("\ndecisions:");
        for d in decisions {
            println!(
                "{}  {} {} ({}) by {}: {}",
                rfc3339(d.at).unwrap_or_default(),
                d.decision,
                d.endorsement_id,
                d.organisation,
                d.actor,
                d.reason
            );
        }
    }
    if all.iter().any(|e| e.status == EndorsementStatus::Pending) {
        println!(
            "\n`--approve-organisation ID` counts and lists one; `--reject-organisation ID` \
             leaves it out. `--reason` says why, for the audit log."
        );
    }
    Ok(())
}

fn heading(status: EndorsementStatus) -> &'static str {
    match status {
        EndorsementStatus::Pending => "waiting for your decision",
        EndorsementStatus::Unconfirmed => "waiting for the signer's email confirmation",
        EndorsementStatus::Approved => "approved",
        EndorsementStatus::Rejected => "rejected",
    }
}

/// One organisation as the view lists it: what the public would see, and
/// what tells the organiser whether to trust it.
fn line(e: &EndorsementRecord) -> String {
    let p = &e.public;
    let mut marks = Vec::new();
    if e.domain_verified {
        marks.push("domain verified");
    } else if e.confirmed_at.is_some() {
        marks.push("confirmed from an address elsewhere");
    }
    if p.unnamed {
        marks.push("not to be named");
    }
    format!(
        "{:>6}  {}  {} ({}, {})  {}  [{}]  signed {}",
        e.id,
        p.organisation,
        p.domain,
        p.country,
        p.kind,
        p.website,
        marks.join(", "),
        rfc3339(e.created_at).unwrap_or_default()
    )
}
