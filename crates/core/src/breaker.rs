//! The eval breaker: the analogue of CPython's `eval_breaker`, one atomic word per thread
//! that a kernel reads after each tick.
//!
//! Invariants: only the owner of the breaker — the thread that runs kernels with it — clears
//! a bit: `CANCEL` between two tasks, `DROP` and `GIL_CHANGED` at the tick that handles them
//! (taking them atomically, so that a bit raised meanwhile is not lost). Other threads raise
//! `CANCEL` (a canceller), `DROP` and `GIL_CHANGED` (the lock); `COUNT_TICKS` is the owner's
//! own, raised and cleared by it alone.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::gil::{Gil, GilThread, Seat};

/// Ask the running task to stop at its next tick.
pub const CANCEL: u32 = 1 << 0;
/// Drop the emulated GIL: a thread waiting for it has waited a whole switch interval.
pub const DROP: u32 = 1 << 1;
/// The emulated GIL's mode or switch interval changed: re-read them.
pub const GIL_CHANGED: u32 = 1 << 2;
/// The GIL is in legacy mode: count every tick towards its periodic release.
pub const COUNT_TICKS: u32 = 1 << 3;

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

    /// Clears `bits` and returns which of them were raised. Only the breaker's own thread
    /// calls this.
    fn take(&self, bits: u32) -> u32 {
        self.bits.fetch_and(!bits, Ordering::AcqRel) & bits
    }

    pub fn is_raised(&self, bits: u32) -> bool {
        self.bits.load(Ordering::Acquire) & bits != 0
    }

    /// A ticker for a task that runs without the GIL: kernels' unit tests.
    pub fn ticker(&self) -> Ticker<'_> {
        Ticker { breaker: self, seat: None }
    }
}

/// What a kernel holds while it runs: its way to check the breaker between ticks, and, for a
/// task that runs under the emulated GIL, its hold on the lock.
pub struct Ticker<'a> {
    breaker: &'a EvalBreaker,
    seat: Option<Seat<'a>>,
}

impl<'a> Ticker<'a> {
    /// The ticker of a task that runs on `thread` under `gil`: it takes the lock now (unless
    /// it is off), follows the lock's requests at every tick, and releases it when dropped.
    pub fn under_gil(gil: &'a Gil, thread: &'a GilThread) -> Ticker<'a> {
        Ticker { breaker: thread.breaker(), seat: Some(Seat::enter(gil, thread)) }
    }

    /// Whether this task's thread holds the GIL now.
    pub fn holds_gil(&self) -> bool {
        self.seat.as_ref().is_some_and(Seat::holds)
    }

    /// Ends the task's hold on the GIL, as dropping the ticker would: for a task whose result
    /// is handed on after its work, so that whoever receives it sees the lock released.
    pub fn leave_gil(&mut self) {
        if let Some(seat) = &mut self.seat {
            seat.leave();
        }
    }

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
        if let Some(seat) = &mut self.seat {
            seat.release_for_blocking();
        }
        let result = blocking();
        if let Some(seat) = &mut self.seat {
            seat.follow_mode();
        }
        result
    }

    #[cold]
    #[inline(never)]
    fn interrupt(&mut self, bits: u32) -> Result<(), Interrupted> {
        if bits & CANCEL != 0 {
            return Err(Interrupted::Cancelled);
        }
        if let Some(seat) = &mut self.seat {
            let asked = if bits & (DROP | GIL_CHANGED) != 0 { self.breaker.take(DROP | GIL_CHANGED) } else { 0 };
            seat.at_tick(asked | bits & COUNT_TICKS);
            // Taking the lock back may have taken long enough for a cancel to arrive.
            if self.breaker.is_raised(CANCEL) {
                return Err(Interrupted::Cancelled);
            }
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
