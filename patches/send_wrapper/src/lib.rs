//! `SendWrapper<T>`: moves a value that is not `Send` between threads, and
//! panics when it is used or dropped on any thread but the one that made it.
//!
//! Leptos wraps DOM handles and closures in it so its reactive types can be
//! `Send` on the server. The crates.io version asks `std::thread::current()`
//! for every check. On WebAssembly without threads that call costs the
//! widget bundles about 9 KB before compression: the standard library
//! builds a `Thread` with its own copy of dlmalloc beside the bundle's
//! allocator. There, every value was made on the one thread there is, so
//! the owner is nothing and every check passes. Elsewhere the checks are
//! those of the original, so the server keeps them.

use std::fmt;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

#[cfg(feature = "futures")]
mod futures;

/// Which thread made a value.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Owner;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
impl Owner {
    /// A WebAssembly module without shared memory runs on one thread: a
    /// worker that loads it gets its own memory, so no value can reach it.
    fn current() -> Self {
        Owner
    }
}

/// Which thread made a value.
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Owner(std::thread::ThreadId);

#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
impl Owner {
    fn current() -> Self {
        Owner(std::thread::current().id())
    }
}

/// A value that may be moved to other threads but only used, and dropped,
/// on the thread that wrapped it.
pub struct SendWrapper<T> {
    // Dropped by hand: never on a thread that does not own it.
    data: ManuallyDrop<T>,
    owner: Owner,
}

impl<T> SendWrapper<T> {
    /// Wraps `data`, owned by the current thread.
    pub fn new(data: T) -> SendWrapper<T> {
        SendWrapper {
            data: ManuallyDrop::new(data),
            owner: Owner::current(),
        }
    }

    /// Whether the value may be used here: on the thread that wrapped it.
    pub fn valid(&self) -> bool {
        self.owner == Owner::current()
    }

    /// Unwraps the value.
    ///
    /// # Panics
    /// On any thread but the one that wrapped it.
    #[track_caller]
    pub fn take(self) -> T {
        self.check("taken");
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so `data` is moved out once and
        // never dropped in place.
        unsafe { ManuallyDrop::take(&mut this.data) }
    }

    #[track_caller]
    fn check(&self, use_: &str) {
        if !self.valid() {
            wrong_thread(use_);
        }
    }
}

#[cold]
#[track_caller]
fn wrong_thread(use_: &str) -> ! {
    panic!("a SendWrapper value was {use_} on a thread other than the one that made it")
}

// SAFETY: the value inside is reached only through `Deref`, `DerefMut`,
// `take`, `Clone`, `Debug` and polling, and each checks that the current
// thread is its owner; `Drop` never drops it anywhere else.
unsafe impl<T> Send for SendWrapper<T> {}
// SAFETY: as for `Send`: a shared reference is only read on the owner.
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    /// # Panics
    /// On any thread but the one that wrapped the value.
    #[track_caller]
    fn deref(&self) -> &T {
        self.check("read");
        &self.data
    }
}

impl<T> DerefMut for SendWrapper<T> {
    /// # Panics
    /// On any thread but the one that wrapped the value.
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.check("changed");
        &mut self.data
    }
}

impl<T> Drop for SendWrapper<T> {
    /// Drops the value on its owner. Elsewhere the value is leaked instead
    /// (dropping it there would be unsound), with a panic unless the thread
    /// is already panicking. A value with nothing to drop goes anywhere.
    #[track_caller]
    fn drop(&mut self) {
        if !std::mem::needs_drop::<T>() || self.valid() {
            // SAFETY: `data` is dropped once, here, and never used again.
            unsafe { ManuallyDrop::drop(&mut self.data) };
        } else if !std::thread::panicking() {
            wrong_thread("dropped");
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    /// # Panics
    /// On any thread but the one that wrapped the value.
    #[track_caller]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendWrapper")
            .field("data", self.deref())
            .field("owner", &self.owner)
            .finish()
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    /// # Panics
    /// On any thread but the one that wrapped the value.
    #[track_caller]
    fn clone(&self) -> Self {
        Self::new(self.deref().clone())
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;

    use super::SendWrapper;

    #[test]
    fn its_owner_reads_changes_clones_and_takes_the_value() {
        let mut wrapped = SendWrapper::new(Rc::new(41));
        *wrapped = Rc::new(**wrapped + 1);
        let copy = wrapped.clone();
        assert!(wrapped.valid());
        assert_eq!(*wrapped.take(), 42);
        assert!(format!("{copy:?}").contains("data: 42"));
    }

    #[test]
    fn another_thread_may_carry_it_back_but_not_use_it() {
        let wrapped = SendWrapper::new(Rc::new(7));
        let back = thread::spawn(move || {
            assert!(!wrapped.valid());
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| **wrapped));
            assert!(read.is_err(), "read on the wrong thread");
            wrapped
        })
        .join()
        .expect("the thread returns the value");
        assert_eq!(*back.take(), 7);
    }

    struct Counted(Arc<AtomicUsize>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn dropped_on_its_owner_it_drops_the_value_once() {
        let drops = Arc::new(AtomicUsize::new(0));
        drop(SendWrapper::new(Counted(drops.clone())));
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        let taken = SendWrapper::new(Counted(drops.clone())).take();
        assert_eq!(drops.load(Ordering::SeqCst), 1, "taking is not dropping");
        drop(taken);
        assert_eq!(drops.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn dropped_elsewhere_it_panics_and_leaks_the_value() {
        let drops = Arc::new(AtomicUsize::new(0));
        let wrapped = SendWrapper::new(Counted(drops.clone()));
        let outcome = thread::spawn(move || drop(wrapped)).join();
        assert!(outcome.is_err(), "dropping on the wrong thread panics");
        assert_eq!(
            drops.load(Ordering::SeqCst),
            0,
            "and never drops the value there"
        );
    }
}
