//! spectral-norm, the Computer Language Benchmarks Game program: the spectral norm of the
//! infinite matrix A(i, j) = 1 / ((i + j)(i + j + 1) / 2 + i + 1), truncated to n × n, by
//! ten steps of the power method on AᵀA.
//!
//! Each row's sum runs in two lanes, even and odd j, each left to right, and adds them at
//! the end of the row: the order of the Benchmarks Game's SIMD programs, which lets Rust do
//! two divisions in one SSE2 instruction. `lib/kernels/spectral-norm.ts` keeps the same two
//! sums in two variables and does the same operations in the same order, so both backends
//! give the same bits. The entries' denominators are whole numbers below 2n², exact in an
//! f64 for any n allowed, so how they are computed does not matter.

use crate::{Interrupted, Ticker};

/// The largest `n` accepted: three vectors of n f64 take 24 MB; the work grows as 40 n².
pub const SPECTRAL_NORM_N_MAX: u32 = 1_000_000;

/// Matrix entries per tick: a pair costs one packed division, about 1 ns.
const ENTRIES_PER_TICK: usize = 8192;

/// Columns per block of a row: a long row is cut so that no tick outgrows the budget.
const COLUMNS_PER_BLOCK: usize = 4096;

/// A(i, j), from its denominator `(i + j)(i + j + 1) / 2 + i + 1`, computed in f64 (exactly)
/// as the packed lanes of `multiply` compute it.
#[inline(always)]
fn entry(i: f64, j: f64) -> f64 {
    let ij = i + j;
    1.0 / (ij * (ij + 1.0) * 0.5 + i + 1.0)
}

/// Counts the entries multiplied since the last tick, and ticks when they are enough.
struct Budget(usize);

impl Budget {
    #[inline(always)]
    fn spend(&mut self, entries: usize, ticker: &mut Ticker) -> Result<(), Interrupted> {
        self.0 += entries;
        if self.0 >= ENTRIES_PER_TICK {
            self.0 = 0;
            ticker.tick()?;
        }
        Ok(())
    }
}

/// Two f64 lanes, each computed as its own scalar would be (SSE2 rounds each lane alone):
/// a packed division costs about what one scalar division does.
#[cfg(target_arch = "x86_64")]
mod pair {
    use std::arch::x86_64::*;

    #[derive(Clone, Copy)]
    pub struct Pair(__m128d);

    // SAFETY (every function here): SSE2 is part of the x86_64 baseline.
    impl Pair {
        #[inline(always)]
        pub fn new(lo: f64, hi: f64) -> Pair {
            Pair(unsafe { _mm_set_pd(hi, lo) })
        }
        #[inline(always)]
        pub fn splat(x: f64) -> Pair {
            Pair(unsafe { _mm_set1_pd(x) })
        }
        #[inline(always)]
        pub fn load(xs: &[f64]) -> Pair {
            Pair::new(xs[0], xs[1])
        }
        #[inline(always)]
        pub fn add(self, o: Pair) -> Pair {
            Pair(unsafe { _mm_add_pd(self.0, o.0) })
        }
        #[inline(always)]
        pub fn mul(self, o: Pair) -> Pair {
            Pair(unsafe { _mm_mul_pd(self.0, o.0) })
        }
        #[inline(always)]
        pub fn div(self, o: Pair) -> Pair {
            Pair(unsafe { _mm_div_pd(self.0, o.0) })
        }
        #[inline(always)]
        pub fn lanes(self) -> [f64; 2] {
            let mut out = [0.0; 2];
            unsafe { _mm_storeu_pd(out.as_mut_ptr(), self.0) };
            out
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod pair {
    #[derive(Clone, Copy)]
    pub struct Pair([f64; 2]);

    impl Pair {
        pub fn new(lo: f64, hi: f64) -> Pair {
            Pair([lo, hi])
        }
        pub fn splat(x: f64) -> Pair {
            Pair([x, x])
        }
        pub fn load(xs: &[f64]) -> Pair {
            Pair([xs[0], xs[1]])
        }
        pub fn add(self, o: Pair) -> Pair {
            Pair([self.0[0] + o.0[0], self.0[1] + o.0[1]])
        }
        pub fn mul(self, o: Pair) -> Pair {
            Pair([self.0[0] * o.0[0], self.0[1] * o.0[1]])
        }
        pub fn div(self, o: Pair) -> Pair {
            Pair([self.0[0] / o.0[0], self.0[1] / o.0[1]])
        }
        pub fn lanes(self) -> [f64; 2] {
            self.0
        }
    }
}

use pair::Pair;

/// `out = A v` (`transposed`: `out = Aᵀ v`). Each row's sum runs in two lanes, even and odd
/// j, each left to right, added at the end of the row.
fn multiply(
    v: &[f64],
    out: &mut [f64],
    transposed: bool,
    budget: &mut Budget,
    ticker: &mut Ticker,
) -> Result<(), Interrupted> {
    let n = v.len();
    let (one, half, two) = (Pair::splat(1.0), Pair::splat(0.5), Pair::splat(2.0));
    for (i, out_i) in out.iter_mut().enumerate() {
        let row = Pair::splat(i as f64);
        let mut sums = Pair::splat(0.0);
        let mut start = 0;
        while start < n {
            let end = n.min(start + COLUMNS_PER_BLOCK);
            let mut column = Pair::new(start as f64, start as f64 + 1.0);
            let mut pairs = v[start..end].chunks_exact(2);
            for vs in &mut pairs {
                // The same operations as `entry`, lane by lane.
                let first = if transposed { column } else { row };
                let ij = first.add(if transposed { row } else { column });
                let denominator = ij.mul(ij.add(one)).mul(half).add(first).add(one);
                sums = sums.add(one.div(denominator).mul(Pair::load(vs)));
                column = column.add(two);
            }
            if let [last] = pairs.remainder() {
                let j = column.lanes()[0];
                let a = if transposed { entry(j, i as f64) } else { entry(i as f64, j) };
                let [even, odd] = sums.lanes();
                sums = Pair::new(even + a * last, odd);
            }
            budget.spend(end - start, ticker)?;
            start = end;
        }
        let [even, odd] = sums.lanes();
        *out_i = even + odd;
    }
    Ok(())
}

/// `out = AᵀA v`, through `scratch`.
fn multiply_at_a(
    v: &[f64],
    out: &mut [f64],
    scratch: &mut [f64],
    budget: &mut Budget,
    ticker: &mut Ticker,
) -> Result<(), Interrupted> {
    multiply(v, scratch, false, budget, ticker)?;
    multiply(scratch, out, true, budget, ticker)
}

/// The spectral norm of the n × n matrix A, to about nine digits for n ≥ 100.
pub fn spectral_norm(n: u32, ticker: &mut Ticker) -> Result<f64, Interrupted> {
    let n = n as usize;
    let mut u = vec![1.0; n];
    let mut v = vec![0.0; n];
    let mut scratch = vec![0.0; n];
    let mut budget = Budget(0);
    for _ in 0..10 {
        multiply_at_a(&u, &mut v, &mut scratch, &mut budget, ticker)?;
        multiply_at_a(&v, &mut u, &mut scratch, &mut budget, ticker)?;
    }
    let (mut vbv, mut vv) = (0.0, 0.0);
    for i in 0..n {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    ticker.tick()?;
    Ok((vbv / vv).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};

    fn run(n: u32) -> f64 {
        spectral_norm(n, &mut EvalBreaker::new().ticker()).unwrap()
    }

    #[test]
    fn reproduces_the_published_output_for_100() {
        assert_eq!(format!("{:.9}", run(100)), "1.274219991");
    }

    #[test]
    fn the_first_entries_are_the_matrix_of_the_problem() {
        // A = [[1, 1/2, 1/4, ...], [1/3, 1/5, ...], [1/6, ...]]
        let firsts =
            [entry(0.0, 0.0), entry(0.0, 1.0), entry(1.0, 0.0), entry(0.0, 2.0), entry(1.0, 1.0), entry(2.0, 0.0)];
        assert_eq!(firsts, [1.0, 0.5, 1.0 / 3.0, 0.25, 0.2, 1.0 / 6.0]);
    }

    #[test]
    fn a_one_by_one_matrix_has_its_entry_as_norm() {
        assert_eq!(run(1), 1.0);
    }

    #[test]
    fn a_row_sums_in_two_lanes_whatever_the_blocks() {
        // Odd n: the last block ends on an odd column, which goes to the even lane.
        let n = COLUMNS_PER_BLOCK + 17;
        let v: Vec<f64> = (0..n).map(|j| 1.0 / (j as f64 + 0.5)).collect();
        for transposed in [false, true] {
            let mut out = vec![0.0; n];
            multiply(&v, &mut out, transposed, &mut Budget(0), &mut EvalBreaker::new().ticker()).unwrap();
            for i in [0, 1, n / 2, n - 1] {
                let mut lanes = [0.0; 2];
                for (j, vj) in v.iter().enumerate() {
                    let a = if transposed { entry(j as f64, i as f64) } else { entry(i as f64, j as f64) };
                    lanes[j % 2] += a * vj;
                }
                assert_eq!(out[i].to_bits(), (lanes[0] + lanes[1]).to_bits(), "row {i}, transposed: {transposed}");
            }
        }
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(spectral_norm(5500, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
