//! `monteCarloPi(samples, seed)`: the share of random points of the unit square that fall
//! inside the quarter disc, times four.
//!
//! The generator, which the JS twin implements word for word with 32-bit operations:
//! - **xoshiro128\*\*** (Blackman and Vigna, 2018), four `u32` words of state;
//! - **seeding** from a `u32` seed by SplitMix32: a Weyl sequence `w += 0x9E3779B9` (mod 2³²)
//!   whose every value goes through MurmurHash3's finalizer, one state word per value, in
//!   order `s[0]..s[3]`. The finalizer is a bijection and the four inputs differ, so the state
//!   is never all zero;
//! - **a point** takes two outputs: `x = out₁ · 2⁻³²`, then `y = out₂ · 2⁻³²` (exact in f64),
//!   and is inside when `x * x + y * y < 1`;
//! - **the estimate** is `4 * inside / samples` in f64, left to right.

use crate::{Interrupted, Ticker};

/// The most samples accepted: every count is a safe integer in JavaScript too.
pub const MONTE_CARLO_SAMPLES_MAX: u64 = (1 << 53) - 1;

/// Samples per tick: a tick of a few microseconds on a current x86-64 core (`benchmark/ticks.js` measures it).
pub const SAMPLES_PER_TICK: u64 = 4096;

/// 2⁶⁴: a point (x, y) = (out₁, out₂) · 2⁻³² is inside when out₁² + out₂² < 2⁶⁴.
const TWO_TO_64: f64 = 18_446_744_073_709_551_616.0;

/// xoshiro128**, seeded as the module header says.
#[derive(Debug, Clone)]
pub struct Xoshiro128StarStar {
    s: [u32; 4],
}

impl Xoshiro128StarStar {
    /// The generator with state words `s`, which must not all be zero.
    #[cfg(test)]
    pub fn from_state(s: [u32; 4]) -> Self {
        Xoshiro128StarStar { s }
    }

    /// The generator seeded from `seed` by SplitMix32.
    pub fn seeded(seed: u32) -> Self {
        let mut weyl = seed;
        let mut s = [0; 4];
        for word in &mut s {
            weyl = weyl.wrapping_add(0x9E37_79B9);
            let mut z = weyl;
            z = (z ^ (z >> 16)).wrapping_mul(0x85EB_CA6B);
            z = (z ^ (z >> 13)).wrapping_mul(0xC2B2_AE35);
            *word = z ^ (z >> 16);
        }
        Xoshiro128StarStar { s }
    }

    #[inline(always)]
    pub fn next_u32(&mut self) -> u32 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 9;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(11);
        result
    }
}

/// The estimate of π from `samples` points (at least one) drawn with `seed`.
pub fn monte_carlo_pi(samples: u64, seed: u32, ticker: &mut Ticker) -> Result<f64, Interrupted> {
    let mut rng = Xoshiro128StarStar::seeded(seed);
    let mut inside: u64 = 0;
    let mut left = samples;
    while left > 0 {
        let chunk = left.min(SAMPLES_PER_TICK);
        // x² + y² < 1 scaled by 2⁶⁴, which changes no rounding (a power of two, and nothing
        // near f64's limits): the same test, two multiplies fewer.
        let mut sample = || {
            let x = rng.next_u32() as f64;
            let y = rng.next_u32() as f64;
            (x * x + y * y < TWO_TO_64) as u64
        };
        // Two samples a turn of the loop, drawn in the same order: V8 compiles the wasm of
        // this loop to markedly faster code so (BENCHMARKS.md, the wasm backend).
        for _ in 0..chunk / 2 {
            inside += sample() + sample();
        }
        if chunk % 2 == 1 {
            inside += sample();
        }
        left -= chunk;
        ticker.tick()?;
    }
    Ok(4.0 * inside as f64 / samples as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};

    fn run(samples: u64, seed: u32) -> f64 {
        monte_carlo_pi(samples, seed, &mut EvalBreaker::new().ticker()).unwrap()
    }

    #[test]
    fn xoshiro128starstar_matches_the_reference_implementation() {
        // The first outputs of Vigna's xoshiro128starstar.c from the state {1, 2, 3, 4}.
        let mut rng = Xoshiro128StarStar::from_state([1, 2, 3, 4]);
        let expected =
            [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
        for e in expected {
            assert_eq!(rng.next_u32(), e);
        }
    }

    #[test]
    fn seeding_is_splitmix32() {
        // State words computed from the module header's description by an independent
        // implementation (Python, unbounded integers masked to 32 bits).
        let state = |seed| Xoshiro128StarStar::seeded(seed).s;
        assert_eq!(state(0), [2462723854, 1020716019, 454327756, 1275600319]);
        assert_eq!(state(42), [939911724, 3948730756, 321366731, 3317318717]);
    }

    #[test]
    fn known_estimates() {
        // From the same independent implementation: (samples, seed, points inside).
        for (samples, seed, inside) in
            [(1u64, 7u32, 1u64), (10, 0, 9), (1000, 42, 795), (100_000, 2024, 78_313), (1_000_000, 42, 784_851)]
        {
            assert_eq!(run(samples, seed), 4.0 * inside as f64 / samples as f64, "{samples} samples, seed {seed}");
        }
    }

    #[test]
    fn estimates_pi_and_repeats_itself() {
        let estimate = run(1_000_000, 42);
        assert!((estimate - std::f64::consts::PI).abs() < 0.01, "{estimate}");
        assert_eq!(run(1_000_000, 42).to_bits(), estimate.to_bits());
        assert_ne!(run(1_000_000, 43), estimate);
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(monte_carlo_pi(MONTE_CARLO_SAMPLES_MAX, 1, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
