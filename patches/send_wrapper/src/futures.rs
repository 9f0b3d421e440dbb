//! A wrapped future or stream is polled on its owner only.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::SendWrapper;

impl<T> SendWrapper<T> {
    /// The pinned value inside, after checking the thread.
    #[track_caller]
    fn pinned(self: Pin<&mut Self>) -> Pin<&mut T> {
        self.check("polled");
        // SAFETY: `data` is structurally pinned: nothing moves it out of a
        // pinned wrapper (`take` needs the wrapper by value, which a pin
        // forbids unless `T: Unpin`), and `Drop` drops it in place.
        unsafe { self.map_unchecked_mut(|this| &mut *this.data) }
    }
}

impl<F: Future> Future for SendWrapper<F> {
    type Output = F::Output;

    /// # Panics
    /// On any thread but the one that wrapped the future.
    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.pinned().poll(cx)
    }
}

impl<S: Stream> Stream for SendWrapper<S> {
    type Item = S::Item;

    /// # Panics
    /// On any thread but the one that wrapped the stream.
    #[track_caller]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.pinned().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (**self).size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::future::{Future, ready};
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::thread;

    use futures_core::Stream;

    use crate::SendWrapper;

    #[test]
    fn a_wrapped_future_resolves_on_its_owner() {
        assert_eq!(futures_executor::block_on(SendWrapper::new(ready(5))), 5);
    }

    struct Countdown(u8);

    impl Stream for Countdown {
        type Item = u8;

        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<u8>> {
            self.0 = self.0.saturating_sub(1);
            Poll::Ready((self.0 > 0).then_some(self.0))
        }
    }

    #[test]
    fn a_wrapped_stream_yields_on_its_owner() {
        let mut stream = SendWrapper::new(Countdown(3));
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut next = || Pin::new(&mut stream).poll_next(&mut cx);
        assert_eq!(next(), Poll::Ready(Some(2)));
        assert_eq!(next(), Poll::Ready(Some(1)));
        assert_eq!(next(), Poll::Ready(None));
    }

    #[test]
    fn polling_on_another_thread_panics() {
        let wrapped = SendWrapper::new(ready(1));
        let outcome = thread::spawn(move || {
            let mut wrapped = Box::pin(wrapped);
            let mut cx = Context::from_waker(std::task::Waker::noop());
            let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _ = wrapped.as_mut().poll(&mut cx);
            }));
            // Back on no thread's stack: leak rather than drop it here.
            std::mem::forget(wrapped);
            polled
        })
        .join()
        .expect("the thread ends");
        assert!(outcome.is_err());
    }
}
