//! `countdown(n)`: the loop of David Beazley's GIL talks, `while n > 0: n -= 1` — pure
//! interpreter-style busy work, for measuring what the lock does, not for speed.

use crate::{Interrupted, Ticker};

/// The largest `n` accepted: every count is a safe integer in JavaScript too.
pub const COUNTDOWN_N_MAX: u64 = (1 << 53) - 1;

/// Decrements per tick: a tick of a few microseconds on a current x86-64 core (`benchmark/ticks.js` measures it), at one decrement a cycle.
pub const DECREMENTS_PER_TICK: u64 = 1 << 16;

/// Counts `n` down to zero, one decrement at a time, as the JS twin does.
pub fn countdown(mut n: u64, ticker: &mut Ticker) -> Result<(), Interrupted> {
    while n > 0 {
        let stop = n.saturating_sub(DECREMENTS_PER_TICK);
        // A step the optimiser cannot see (it could be 0, and the loop endless) keeps the loop
        // from being folded into `n = stop`: every decrement happens, as in the interpreter.
        // `black_box(n - 1)` would too, but through a store and a load of `n` on the stack,
        // whose speed then depends on the thread's stack: a pool thread's ran 1.3-1.4x the
        // main thread's.
        let step = std::hint::black_box(1);
        while n > stop {
            n -= step;
        }
        ticker.tick()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};
    use std::time::Instant;

    #[test]
    fn counts_down_any_n() {
        for n in [0, 1, 2, DECREMENTS_PER_TICK - 1, DECREMENTS_PER_TICK, DECREMENTS_PER_TICK + 1, 1_000_000] {
            assert_eq!(countdown(n, &mut EvalBreaker::new().ticker()), Ok(()), "n = {n}");
        }
    }

    #[test]
    fn the_loop_is_not_optimised_away() {
        // Ten times the work takes clearly longer: the decrements happen. Best of three runs,
        // against the noise of a shared machine.
        let time = |n| {
            (0..3)
                .map(|_| {
                    let started = Instant::now();
                    countdown(n, &mut EvalBreaker::new().ticker()).unwrap();
                    started.elapsed()
                })
                .min()
                .unwrap()
        };
        let short = time(2_000_000);
        let long = time(20_000_000);
        assert!(long > short * 3, "{short:?} vs {long:?}");
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(countdown(COUNTDOWN_N_MAX, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
