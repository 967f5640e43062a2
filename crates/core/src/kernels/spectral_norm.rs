//! spectral-norm, the Computer Language Benchmarks Game program: the spectral norm of the
//! infinite matrix A(i, j) = 1 / ((i + j)(i + j + 1) / 2 + i + 1), truncated to n × n, by
//! ten steps of the power method on AᵀA.
//!
//! Every sum runs left to right over j, one rounding per operation, as in the reference
//! program and in `lib/kernels/spectral-norm.ts`, so both backends give the same bits. The
//! entries' denominators are whole numbers below 2n², exact in an f64 for any n allowed.

use crate::{Interrupted, Ticker};

/// The largest `n` accepted: three vectors of n f64 take 24 MB; the work grows as 40 n².
pub const SPECTRAL_NORM_N_MAX: u32 = 1_000_000;

/// Matrix entries per tick: each costs a division, about 1.5 ns.
const ENTRIES_PER_TICK: usize = 8192;

/// Columns per block of a row: a long row is cut so that no tick outgrows the budget.
const COLUMNS_PER_BLOCK: usize = 4096;

/// A(i, j), its denominator `(i + j)(i + j + 1) / 2 + i + 1` computed exactly in integers.
#[inline(always)]
fn entry(i: usize, j: usize) -> f64 {
    let ij = (i + j) as u64;
    1.0 / ((ij * (ij + 1) / 2 + i as u64 + 1) as f64)
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

/// `out = A v` (`transposed`: `out = Aᵀ v`).
fn multiply(v: &[f64], out: &mut [f64], transposed: bool, budget: &mut Budget, ticker: &mut Ticker) -> Result<(), Interrupted> {
    let n = v.len();
    for (i, out_i) in out.iter_mut().enumerate() {
        let mut sum = 0.0;
        let mut start = 0;
        while start < n {
            let end = n.min(start + COLUMNS_PER_BLOCK);
            if transposed {
                for j in start..end {
                    sum += entry(j, i) * v[j];
                }
            } else {
                for j in start..end {
                    sum += entry(i, j) * v[j];
                }
            }
            budget.spend(end - start, ticker)?;
            start = end;
        }
        *out_i = sum;
    }
    Ok(())
}

/// `out = AᵀA v`, through `scratch`.
fn multiply_at_a(v: &[f64], out: &mut [f64], scratch: &mut [f64], budget: &mut Budget, ticker: &mut Ticker) -> Result<(), Interrupted> {
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
        assert_eq!([entry(0, 0), entry(0, 1), entry(1, 0), entry(0, 2), entry(1, 1), entry(2, 0)], [1.0, 0.5, 1.0 / 3.0, 0.25, 0.2, 1.0 / 6.0]);
    }

    #[test]
    fn a_one_by_one_matrix_has_its_entry_as_norm() {
        assert_eq!(run(1), 1.0);
    }

    #[test]
    fn rows_longer_than_a_block_give_the_same_sum_as_one_pass() {
        // The blocks only decide where ticks fall: the sum still runs left to right.
        let n = COLUMNS_PER_BLOCK + 17;
        let v: Vec<f64> = (0..n).map(|j| 1.0 / (j as f64 + 0.5)).collect();
        let mut out = vec![0.0; n];
        multiply(&v, &mut out, false, &mut Budget(0), &mut EvalBreaker::new().ticker()).unwrap();
        for i in [0, 1, n / 2, n - 1] {
            let mut sum = 0.0;
            for (j, vj) in v.iter().enumerate() {
                sum += entry(i, j) * vj;
            }
            assert_eq!(out[i].to_bits(), sum.to_bits());
        }
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(spectral_norm(5500, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
