//! The lock's clock: nanoseconds since the process first asked, cheap enough to read twice
//! per take and release. On x86-64 with an invariant TSC (the same rate on every core, in
//! every power state) it reads the TSC, about three times cheaper than `Instant::now()`,
//! scaled by a rate measured once against `Instant`; elsewhere it is `Instant`.

use std::sync::OnceLock;
#[cfg(target_arch = "x86_64")]
use std::time::Duration;
use std::time::Instant;

/// How long the TSC's rate is measured for: its error is then a few parts in 10⁵.
#[cfg(target_arch = "x86_64")]
const CALIBRATION: Duration = Duration::from_millis(2);

struct Clock {
    origin: Instant,
    #[cfg(target_arch = "x86_64")]
    tsc: Option<Tsc>,
}

#[cfg(target_arch = "x86_64")]
struct Tsc {
    origin: u64,
    /// Nanoseconds per tick, in 32.32 fixed point.
    ns_per_tick: u64,
}

#[cfg(target_arch = "x86_64")]
fn has_invariant_tsc() -> bool {
    use std::arch::x86_64::__cpuid;
    // CPUID 0x8000_0007, EDX bit 8: the TSC runs at a constant rate in every state.
    __cpuid(0x8000_0000).eax >= 0x8000_0007 && __cpuid(0x8000_0007).edx & (1 << 8) != 0
}

/// `Instant::now()` and the TSC read at the same moment: the pair read closest together of a
/// few tries, so that a preemption between the two reads does not skew the rate.
#[cfg(target_arch = "x86_64")]
fn read_both() -> (Instant, u64) {
    (0..5)
        .map(|_| {
            let before = read_tsc();
            let now = Instant::now();
            let after = read_tsc();
            (after - before, now, before + (after - before) / 2)
        })
        .min_by_key(|&(spread, ..)| spread)
        .map(|(_, now, ticks)| (now, ticks))
        .unwrap()
}

/// The TSC, read in program order: the fences keep the read from moving across the atomic
/// operations around it, so that a take is never stamped before the release it follows.
#[cfg(target_arch = "x86_64")]
#[inline]
fn read_tsc() -> u64 {
    use std::arch::x86_64::{_mm_lfence, _rdtsc};
    // SAFETY: LFENCE and RDTSC exist on every x86-64 processor and have no preconditions.
    unsafe {
        _mm_lfence();
        let ticks = _rdtsc();
        _mm_lfence();
        ticks
    }
}

fn clock() -> &'static Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    CLOCK.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            if has_invariant_tsc() {
                let (origin, tsc_origin) = read_both();
                while origin.elapsed() < CALIBRATION {
                    std::hint::spin_loop();
                }
                let (end, tsc_end) = read_both();
                let ns_per_tick = ((end - origin).as_nanos() << 32) / u128::from(tsc_end - tsc_origin);
                return Clock { origin, tsc: Some(Tsc { origin: tsc_origin, ns_per_tick: ns_per_tick as u64 }) };
            }
            Clock { origin: Instant::now(), tsc: None }
        }
        #[cfg(not(target_arch = "x86_64"))]
        Clock { origin: Instant::now() }
    })
}

/// Nanoseconds since the clock's origin, never going back.
#[inline]
pub(crate) fn now_ns() -> u64 {
    let clock = clock();
    #[cfg(target_arch = "x86_64")]
    if let Some(tsc) = &clock.tsc {
        return ((u128::from(read_tsc().saturating_sub(tsc.origin)) * u128::from(tsc.ns_per_tick)) >> 32) as u64;
    }
    clock.origin.elapsed().as_nanos() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Instant::now()` and `now_ns()` read at the same moment, as `read_both` does.
    fn both() -> (Instant, u64) {
        (0..5)
            .map(|_| {
                let before = now_ns();
                let now = Instant::now();
                (now_ns() - before, now, before)
            })
            .min_by_key(|&(spread, ..)| spread)
            .map(|(_, now, ns)| (now, ns))
            .unwrap()
    }

    #[test]
    fn it_keeps_pace_with_instant() {
        let (start, start_ns) = both();
        std::thread::sleep(Duration::from_millis(50));
        let (end, end_ns) = both();
        let (elapsed, elapsed_ns) = ((end - start).as_nanos() as f64, (end_ns - start_ns) as f64);
        assert!((elapsed_ns / elapsed - 1.0).abs() < 0.002, "{elapsed_ns} ns by this clock, {elapsed} ns by Instant");
    }
}
