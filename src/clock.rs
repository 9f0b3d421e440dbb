//! The time as Chorus's handlers read it: the system's, or, in tests, one
//! the test sets, so a storm can be seen before, during and after its hour
//! without waiting for it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::storage::{Millis, now_millis};

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// `None`: the system's clock.
    set: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that reads `at` until it is set again.
    pub fn fixed(at: Millis) -> Self {
        Self {
            set: Some(Arc::new(AtomicI64::new(at))),
        }
    }

    pub fn now(&self) -> Millis {
        match &self.set {
            Some(at) => at.load(Ordering::Relaxed),
            None => now_millis(),
        }
    }

    /// Moves a fixed clock to `at`; the system's cannot be moved.
    pub fn set(&self, at: Millis) {
        if let Some(set) = &self.set {
            set.store(at, Ordering::Relaxed);
        }
    }
}
