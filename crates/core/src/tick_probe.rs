//! A clock reading at every tick, for `benchmark/ticks.js` alone: compiled in only with the
//! `probe-ticks` feature, never in a shipped build. Between [`start`] and [`finish`] on a
//! thread, each [`crate::Ticker::tick`] on that thread records the time since the previous
//! tick (or since `start`); `finish` adds the time since the last tick and returns them all.
//! Each record costs one read of the monotonic clock, some 25 ns, which the gaps include.

use std::cell::RefCell;
use std::time::Instant;

struct Probe {
    /// The previous tick, or `start`; None outside a probed stretch.
    last: Option<Instant>,
    gaps_ns: Vec<u64>,
}

thread_local! {
    static PROBE: RefCell<Probe> = const { RefCell::new(Probe { last: None, gaps_ns: Vec::new() }) };
}

/// Starts recording this thread's ticks, forgetting earlier records.
pub fn start() {
    PROBE.with_borrow_mut(|p| {
        p.gaps_ns.clear();
        p.last = Some(Instant::now());
    });
}

/// Called by `Ticker::tick`.
#[inline(always)]
pub fn record() {
    PROBE.with_borrow_mut(|p| {
        if let Some(last) = p.last {
            let now = Instant::now();
            p.gaps_ns.push((now - last).as_nanos() as u64);
            p.last = Some(now);
        }
    });
}

/// Stops recording; returns the gaps between `start`, each tick, and now, in nanoseconds.
pub fn finish() -> Vec<u64> {
    record();
    PROBE.with_borrow_mut(|p| {
        p.last = None;
        std::mem::take(&mut p.gaps_ns)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EvalBreaker;

    #[test]
    fn records_a_gap_per_tick_and_one_to_the_end() {
        let breaker = EvalBreaker::new();
        let mut ticker = breaker.ticker();
        ticker.tick().unwrap(); // before start: not recorded
        start();
        for _ in 0..3 {
            std::thread::sleep(std::time::Duration::from_millis(2));
            ticker.tick().unwrap();
        }
        let gaps = finish();
        assert_eq!(gaps.len(), 4);
        assert!(gaps[..3].iter().all(|&ns| ns >= 2_000_000), "{gaps:?}");
        ticker.tick().unwrap(); // after finish: not recorded
        start();
        assert_eq!(finish().len(), 1);
    }
}
