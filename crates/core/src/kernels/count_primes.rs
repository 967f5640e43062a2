//! `countPrimes(limit)`: the number of primes below `limit`, by trial division of each odd
//! candidate n by the odd numbers d = 3, 5, 7, … with d² ≤ n, stopping at the first that
//! divides it.
//!
//! "d divides n" is tested without a division, by d's inverse modulo 2³² (Granlund and
//! Montgomery, 1994): for odd d, `n · d⁻¹ mod 2³² ≤ ⌊(2³² − 1) / d⌋` exactly when d | n. A
//! multiply and a compare cost less than a 32-bit `%`. The inverses are computed as the
//! candidates grow past each new d². This side tests eight divisors at a time (SIMD, AVX2
//! where the CPU has it) and the JS twin one at a time; both stop at the first block that
//! holds a divisor, so the count is the same.

use crate::{Interrupted, Ticker};

/// The largest `limit` accepted: every candidate fits an `i32`, as in the JS twin.
pub const COUNT_PRIMES_LIMIT_MAX: u32 = i32::MAX as u32;

/// Work per tick, in divisibility tests plus one per candidate: a tick of a few microseconds on a current x86-64 core (`benchmark/ticks.js` measures it).
pub const COUNT_PRIMES_WORK_PER_TICK: u32 = 1 << 16;

/// Divisors tested side by side.
const LANES: usize = 8;

/// The odd divisors 3, 5, 7, … as the tests need them: entry k is for d = 2k + 3.
#[derive(Default)]
struct Divisors {
    inverse: Vec<u32>,
    /// ⌊(2³² − 1) / d⌋: `n · inverse ≤ bound` exactly when d | n.
    bound: Vec<u32>,
}

impl Divisors {
    /// Adds the next odd divisor.
    fn push(&mut self) {
        let d = 2 * self.inverse.len() as u32 + 3;
        // Newton's iteration x ← x(2 − dx) doubles the correct low bits; d · d ≡ 1 mod 8.
        let mut inverse = d;
        for _ in 0..4 {
            inverse = inverse.wrapping_mul(2u32.wrapping_sub(d.wrapping_mul(inverse)));
        }
        self.inverse.push(inverse);
        self.bound.push(u32::MAX / d);
    }

    /// Tests `n` against the first `count` divisors, a block of eight at a time, up to the
    /// first block that holds one that divides it: whether one did, and the tests made.
    #[inline(always)]
    fn test(&self, n: u32, count: usize) -> (bool, u32) {
        let (inverse, bound) = (&self.inverse[..count], &self.bound[..count]);
        let divides = |(inverse, bound): (&u32, &u32)| n.wrapping_mul(*inverse) <= *bound;
        let mut tests = 0;
        for (inverse, bound) in inverse.chunks_exact(LANES).zip(bound.chunks_exact(LANES)) {
            tests += LANES;
            if inverse.iter().zip(bound).fold(false, |hit, pair| hit | divides(pair)) {
                return (true, tests as u32);
            }
        }
        for pair in inverse[tests..].iter().zip(&bound[tests..]) {
            tests += 1;
            if divides(pair) {
                return (true, tests as u32);
            }
        }
        (false, tests as u32)
    }
}

pub fn count_primes(limit: u32, ticker: &mut Ticker) -> Result<u32, Interrupted> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { count_primes_avx2(limit, ticker) };
    }
    count_primes_lanes(limit, ticker)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn count_primes_avx2(limit: u32, ticker: &mut Ticker) -> Result<u32, Interrupted> {
    count_primes_lanes(limit, ticker)
}

#[inline(always)]
fn count_primes_lanes(limit: u32, ticker: &mut Ticker) -> Result<u32, Interrupted> {
    if limit <= 2 {
        return Ok(0);
    }
    let mut count = 1; // 2
    let mut divisors = Divisors::default();
    // Invariant: the divisors in use are the odd d with d² ≤ n; the next one is d = 2·used + 3.
    let mut used = 0usize;
    let mut budget = COUNT_PRIMES_WORK_PER_TICK;
    let mut n: u32 = 3;
    while n < limit {
        while (2 * used as u32 + 3).pow(2) <= n {
            if used == divisors.inverse.len() {
                divisors.push();
            }
            used += 1;
        }
        let (composite, tests) = divisors.test(n, used);
        count += !composite as u32;
        // A candidate makes at most 23 169 tests below 2³¹: a tick never runs long.
        let work = tests + 1;
        if budget <= work {
            ticker.tick()?;
            budget = COUNT_PRIMES_WORK_PER_TICK;
        } else {
            budget -= work;
        }
        n += 2;
    }
    ticker.tick()?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};

    fn run(limit: u32) -> u32 {
        count_primes(limit, &mut EvalBreaker::new().ticker()).unwrap()
    }

    #[test]
    fn known_counts() {
        let known = [
            (0, 0),
            (1, 0),
            (2, 0),
            (3, 1),
            (4, 2),
            (5, 2),
            (6, 3),
            (10, 4),
            (25, 9),
            (26, 9),
            (100, 25),
            (1000, 168),
            (100_000, 9592),
            (1_000_000, 78_498),
            (10_000_000, 664_579),
        ];
        for (limit, primes) in known {
            assert_eq!(run(limit), primes, "primes below {limit}");
        }
    }

    #[test]
    fn the_inverse_test_is_divisibility() {
        let mut divisors = Divisors::default();
        for _ in 0..200 {
            divisors.push();
        }
        for k in 0..200 {
            let d = 2 * k as u32 + 3;
            assert_eq!(divisors.inverse[k].wrapping_mul(d), 1, "d = {d}");
            for n in (0..5000).chain(i32::MAX as u32 - 2000..i32::MAX as u32) {
                let by_inverse = n.wrapping_mul(divisors.inverse[k]) <= divisors.bound[k];
                assert_eq!(by_inverse, n % d == 0, "{n} by {d}");
            }
        }
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(count_primes(1_000_000, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
