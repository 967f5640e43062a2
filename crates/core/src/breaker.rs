//! The eval breaker: the analogue of CPython's `eval_breaker`, one atomic word per thread
//! that a kernel reads after each tick.
//!
//! Invariant: a bit is set by another thread (a canceller, the lock) and cleared only by the
//! owner of the breaker — the thread that runs kernels with it — between two tasks.

use std::sync::atomic::{AtomicU32, Ordering};

/// Ask the running task to stop at its next tick.
pub const CANCEL: u32 = 1 << 0;

/// Why a kernel stopped before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupted {
    /// Its task was cancelled (an aborted `AbortSignal`, a pool shut down with
    /// `cancelFutures`).
    Cancelled,
}

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Interrupted::Cancelled => f.write_str("the task was cancelled"),
        }
    }
}

impl std::error::Error for Interrupted {}

/// One thread's eval breaker.
#[derive(Debug, Default)]
pub struct EvalBreaker {
    bits: AtomicU32,
}

impl EvalBreaker {
    pub const fn new() -> Self {
        EvalBreaker { bits: AtomicU32::new(0) }
    }

    /// Sets `bits`; the thread that runs with this breaker sees them at its next tick.
    pub fn raise(&self, bits: u32) {
        self.bits.fetch_or(bits, Ordering::Release);
    }

    /// Clears `bits`. Only the breaker's own thread calls this, between tasks.
    pub fn clear(&self, bits: u32) {
        self.bits.fetch_and(!bits, Ordering::AcqRel);
    }

    pub fn is_raised(&self, bits: u32) -> bool {
        self.bits.load(Ordering::Acquire) & bits != 0
    }

    pub fn ticker(&self) -> Ticker<'_> {
        Ticker { breaker: self }
    }
}

/// What a kernel holds while it runs: its way to check the breaker between ticks.
pub struct Ticker<'a> {
    breaker: &'a EvalBreaker,
}

impl<'a> Ticker<'a> {
    /// Marks the end of one tick. Costs one relaxed load when nothing is asked.
    #[inline(always)]
    pub fn tick(&mut self) -> Result<(), Interrupted> {
        #[cfg(feature = "probe-ticks")]
        crate::tick_probe::record();
        if cfg!(feature = "unchecked-ticks") {
            return Ok(()); // benchmark/ticks.js's build without the check, to price it
        }
        let bits = self.breaker.bits.load(Ordering::Relaxed);
        if bits == 0 {
            Ok(())
        } else {
            self.interrupt(bits)
        }
    }

    /// Whether this task has been asked to stop; for blocking waits that poll between
    /// short slices instead of ticking.
    pub fn cancel_requested(&self) -> bool {
        self.breaker.is_raised(CANCEL)
    }

    /// The breaker this ticker reads, for a blocking wait inside [`Ticker::allow_threads`]
    /// (which holds the ticker) to look at the cancel bit between slices.
    pub fn breaker(&self) -> &'a EvalBreaker {
        self.breaker
    }

    /// Runs `blocking` — a sleep, a read, a pipe round-trip — as CPython runs code between
    /// `Py_BEGIN_ALLOW_THREADS` and `Py_END_ALLOW_THREADS`: with the emulated GIL on, the
    /// lock is released before and taken again after. I/O-bound tasks call this around
    /// every blocking call, so that the cost of taking the lock back shows.
    pub fn allow_threads<R>(&mut self, blocking: impl FnOnce() -> R) -> R {
        blocking()
    }

    #[cold]
    #[inline(never)]
    fn interrupt(&mut self, bits: u32) -> Result<(), Interrupted> {
        if bits & CANCEL != 0 {
            return Err(Interrupted::Cancelled);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quiet_breaker_lets_every_tick_pass() {
        let breaker = EvalBreaker::new();
        let mut ticker = breaker.ticker();
        for _ in 0..1000 {
            assert_eq!(ticker.tick(), Ok(()));
        }
    }

    #[test]
    fn cancel_stops_the_next_tick_until_cleared() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(breaker.ticker().tick(), Err(Interrupted::Cancelled));
        breaker.clear(CANCEL);
        assert_eq!(breaker.ticker().tick(), Ok(()));
    }
}
