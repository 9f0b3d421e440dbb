//! The one writer of signatures, with group commit.
//!
//! Handlers queue signatures here and wait. The writer takes everything queued
//! while the previous commit was on disk and stores it in one transaction, so
//! a burst costs one fsync per batch rather than one per signature, and a
//! signature is acknowledged only once its transaction has committed
//! (`synchronous=FULL`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{mpsc, oneshot};

use crate::live::Counts;
use crate::storage::{NewSignature, Store, StoreError, Stored};

/// The most signatures one transaction takes; a larger burst waits for the
/// next commit, a few milliseconds later.
const MAX_BATCH: usize = 512;
/// Signatures waiting beyond this make handlers wait for room, which slows
/// a flood down instead of growing memory without bound.
const QUEUE: usize = 8_192;

/// What became of one signature.
pub type Outcome = Result<Stored, Arc<StoreError>>;

struct Queued {
    signature: NewSignature,
    reply: oneshot::Sender<Outcome>,
}

/// A handle to the writer task; cheap to clone.
#[derive(Debug, Clone)]
pub struct SignatureWriter {
    queue: mpsc::Sender<Queued>,
    /// Transactions committed so far: fewer than signatures under load.
    commits: Arc<AtomicU64>,
}

impl SignatureWriter {
    /// Starts the writer. `counts` is woken after each commit that stored
    /// something, so counters move at once.
    pub fn spawn(store: Arc<dyn Store>, counts: Counts) -> Self {
        let (queue, incoming) = mpsc::channel(QUEUE);
        let commits = Arc::new(AtomicU64::new(0));
        tokio::spawn(write_batches(incoming, store, counts, commits.clone()));
        Self { queue, commits }
    }

    /// How many transactions the writer has committed.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Stores one signature and returns once it is on disk (or known to be a
    /// repeat). An error means nothing was stored.
    pub async fn record(&self, signature: NewSignature) -> Outcome {
        let (reply, answer) = oneshot::channel();
        let stopped = || Arc::new(StoreError::Unsafe("the signature writer stopped".into()));
        self.queue
            .send(Queued { signature, reply })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn write_batches(
    mut incoming: mpsc::Receiver<Queued>,
    store: Arc<dyn Store>,
    counts: Counts,
    commits: Arc<AtomicU64>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while incoming.recv_many(&mut batch, MAX_BATCH).await > 0 {
        // The signatures go to storage, the reply channels stay here: no copy.
        let (signatures, replies): (Vec<NewSignature>, Vec<_>) =
            batch.drain(..).map(|q| (q.signature, q.reply)).unzip();
        match store.record_signatures(&signatures).await {
            Ok(outcomes) => {
                commits.fetch_add(1, Ordering::Relaxed);
                if outcomes.contains(&Stored::Counted) {
                    counts.wake();
                }
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(error) => {
                tracing::error!(%error, batch = replies.len(), "cannot store signatures");
                let error = Arc::new(error);
                for reply in replies {
                    let _ = reply.send(Err(error.clone()));
                }
            }
        }
    }
}
