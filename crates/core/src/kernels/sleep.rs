//! `sleep`: a blocking sleep of the thread that runs it — not a timer — as Python's
//! `time.sleep` is: one `allow_threads` section for the whole sleep, so that a sleep costs
//! one release and one re-take of the lock, as `time.sleep` does.
//!
//! The sleep is cut into slices of at most [`SLICE`], with a look at the cancel bit between
//! two, so that a cancelled sleep ends within a slice; the deadline is fixed up front, so
//! the slices add no drift.

use std::time::{Duration, Instant};

use crate::breaker::CANCEL;
use crate::{Interrupted, Ticker};

/// The longest sleep accepted, in milliseconds: setTimeout's own limit, about 24.8 days.
pub const SLEEP_MS_MAX: f64 = i32::MAX as f64;

/// The longest slice between two looks at the cancel bit.
const SLICE: Duration = Duration::from_millis(2);

/// Blocks this thread for `ms` milliseconds (fractions allowed), or until cancelled.
pub fn sleep(ms: f64, ticker: &mut Ticker) -> Result<(), Interrupted> {
    assert!((0.0..=SLEEP_MS_MAX).contains(&ms), "sleep: ms = {ms} is out of range");
    let deadline = Instant::now() + Duration::from_secs_f64(ms / 1000.0);
    let breaker = ticker.breaker();
    ticker.allow_threads(|| loop {
        if breaker.is_raised(CANCEL) {
            return Err(Interrupted::Cancelled);
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(());
        }
        std::thread::sleep((deadline - now).min(SLICE));
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EvalBreaker;

    #[test]
    fn sleeps_at_least_as_long_as_asked() {
        for ms in [0.0, 0.5, 7.0, 25.0] {
            let started = Instant::now();
            sleep(ms, &mut EvalBreaker::new().ticker()).unwrap();
            let slept = started.elapsed().as_secs_f64() * 1000.0;
            assert!(slept >= ms && slept < ms + 50.0, "asked {ms} ms, slept {slept} ms");
        }
    }

    #[test]
    fn a_cancel_from_another_thread_ends_a_long_sleep_within_a_slice() {
        let breaker = EvalBreaker::new();
        let started = Instant::now();
        std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(Duration::from_millis(20));
                breaker.raise(CANCEL);
            });
            assert_eq!(sleep(10_000.0, &mut breaker.ticker()), Err(Interrupted::Cancelled));
        });
        assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
    }
}
