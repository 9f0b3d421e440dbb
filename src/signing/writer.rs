//! The one writer of signatures, with group commit.
//!
//! Handlers queue signatures here and wait. The writer takes everything queued
//! while the previous commit was on disk and stores it in one transaction, so
//! a burst costs one fsync per batch rather than one per signature, and a
//! signature is acknowledged only once its transaction has committed
//! (`synchronous=FULL`).
//!
//! The queue has a bound. Past it, a signature is turned away at once
//! (`503` with `Retry-After`: the widget keeps it on the device and sends it
//! again) rather than left waiting behind thousands of others: the ones
//! accepted stay fast, and none waits long enough for its sender to give up.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::live::Counts;
use crate::storage::{NewSignature, Store, StoreError, Stored};

/// The most signatures one transaction takes; a larger burst waits for the
/// next commit, a few milliseconds later.
const MAX_BATCH: usize = 512;

/// How many signatures may be on their way to the writer at once, from
/// their request's arrival to its answer, before more are turned away.
#[derive(Debug, Clone, clap::Args)]
pub struct QueueBound {
    /// Signatures being taken in at once beyond which Chorus answers `503`
    /// with `Retry-After` (the widget sends them again shortly).
    #[arg(long = "signing-queue", env = "CHORUS_SIGNING_QUEUE", default_value_t = QueueBound::default().signing_queue)]
    pub signing_queue: usize,
}

impl Default for QueueBound {
    fn default() -> Self {
        Self { signing_queue: 256 }
    }
}

/// One admitted signature's place, given back when dropped.
#[derive(Debug)]
pub struct Admission {
    waiting: Arc<AtomicUsize>,
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.waiting.fetch_sub(1, Ordering::AcqRel);
    }
}

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
    /// Signatures admitted and not yet answered.
    waiting: Arc<AtomicUsize>,
    bound: usize,
    /// Signatures turned away since the last overload report.
    turned_away: Arc<AtomicU64>,
    /// Transactions committed so far: fewer than signatures under load.
    commits: Arc<AtomicU64>,
}

impl SignatureWriter {
    /// Starts the writer. `counts` is woken after each commit that stored
    /// something, so counters move at once.
    pub fn spawn(store: Arc<dyn Store>, counts: Counts, bound: &QueueBound) -> Self {
        let bound = bound.signing_queue.max(1);
        // The channel holds everything admitted: admission is the bound.
        let (queue, incoming) = mpsc::channel(bound);
        let commits = Arc::new(AtomicU64::new(0));
        let turned_away = Arc::new(AtomicU64::new(0));
        let writing = write_batches(incoming, store, counts, commits.clone());
        // Its own thread: on the server's runtime, each wake-up of the writer
        // (at every statement) waited behind the hundreds of requests a
        // commit had just answered, a quarter of a second per batch of 512.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the signature writer");
        std::thread::Builder::new()
            .name("chorus-writer".into())
            .spawn(move || runtime.block_on(writing))
            .expect("the signature writer's thread starts");
        tokio::spawn(report_overload(Arc::downgrade(&turned_away)));
        Self {
            queue,
            waiting: Arc::default(),
            bound,
            turned_away,
            commits,
        }
    }

    /// Signatures admitted and not yet answered.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// How many transactions the writer has committed.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Room for one more signature, held until it is answered: `None` when
    /// the bound is reached. Asked before the request's body is read, so an
    /// overloaded server spends little on the signatures it turns away.
    pub fn admit(&self) -> Option<Admission> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.bound {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            self.turned_away.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        Some(Admission {
            waiting: self.waiting.clone(),
        })
    }

    /// Stores one signature, admitted in `_room`, and returns once it is on
    /// disk (or known to be a repeat). An error means nothing was stored.
    pub async fn record(&self, _room: &Admission, signature: NewSignature) -> Outcome {
        let (reply, answer) = oneshot::channel();
        let stopped = || Arc::new(StoreError::Unsafe("the signature writer stopped".into()));
        self.queue
            .send(Queued { signature, reply })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// One log line per second while signatures are being turned away, with
/// how many were, instead of a line for each.
async fn report_overload(turned_away: std::sync::Weak<AtomicU64>) {
    let mut every = tokio::time::interval(Duration::from_secs(1));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let Some(turned_away) = turned_away.upgrade() else {
            return;
        };
        let count = turned_away.swap(0, Ordering::Relaxed);
        if count > 0 {
            tracing::warn!(
                turned_away = count,
                "signing overloaded: signatures answered 503 with Retry-After in the last second"
            );
        }
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
        let started = std::time::Instant::now();
        match store.record_signatures(&signatures).await {
            Ok(outcomes) => {
                tracing::debug!(
                    batch = outcomes.len(),
                    micros = started.elapsed().as_micros(),
                    "signatures stored"
                );
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
