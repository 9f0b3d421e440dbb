//! Work a signature leaves for after its answer (a repeat's email), so
//! that how long the answer takes tells nothing. Kept track of, so that
//! whoever needs to know (a test, a shutdown) can wait until it is done.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::watch;

/// Tasks started after an answer, and how many are still running.
#[derive(Debug, Clone)]
pub struct Later {
    running: Arc<watch::Sender<usize>>,
}

impl Default for Later {
    fn default() -> Self {
        Self {
            running: Arc::new(watch::Sender::new(0)),
        }
    }
}

impl Later {
    /// Runs `work` in the background.
    pub fn spawn(&self, work: impl Future<Output = ()> + Send + 'static) {
        self.running.send_modify(|n| *n += 1);
        let running = self.running.clone();
        tokio::spawn(async move {
            work.await;
            running.send_modify(|n| *n -= 1);
        });
    }

    /// Waits until every task started so far has finished.
    pub async fn settled(&self) {
        let mut running = self.running.subscribe();
        // The sender lives in `self`, so the channel cannot close here.
        let _ = running.wait_for(|n| *n == 0).await;
    }
}
