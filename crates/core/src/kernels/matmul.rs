//! `matmul(a, b, n)`: the product of two n × n matrices of f64, row-major.
//!
//! `matrixmultiply`'s dgemm does the arithmetic (its AVX-512, AVX2+FMA or SSE2 kernel, picked
//! at run time); on wasm, a SIMD128 kernel of our own ([`gemm_block`]). One dgemm call cannot be interrupted, so the product is computed in blocks
//! of C, each one call: rows × columns × depth = [`BLOCK_ROWS`] × [`BLOCK_COLS`] ×
//! [`BLOCK_DEPTH`], about 2.1 MFLOP, with a tick after each. Each call packs its panels of A
//! and B afresh, so smaller blocks pay more for packing and larger ones tick less often;
//! 128 × 128 × 64 is the fastest shape whose tick stays well under 50 µs
//! (`cargo run --release -p gil-lab-core --example matmul-blocks` prints the trade-off).
//!
//! dgemm sums in its own order, with fused multiply-adds where the CPU has them; the JS twin
//! sums each element in order of k. The two agree to 1e-12 relative to Σₖ |a_ik · b_kj|: for
//! n ≤ 4096 either order's rounding error is at most n · 2⁻⁵³ ≈ 4.6e-13 of that sum.

use crate::{Interrupted, Ticker};

/// The largest `n` accepted: a 4096 × 4096 product is 128 MiB.
pub const MATMUL_N_MAX: u32 = 4096;

/// The block of C that one dgemm call computes, and the depth of the sum it adds.
pub const BLOCK_ROWS: usize = 128;
pub const BLOCK_COLS: usize = 128;
pub const BLOCK_DEPTH: usize = 64;

/// C = A · B for n × n row-major `a` and `b`, each of length `n * n`.
pub fn matmul(a: &[f64], b: &[f64], n: usize, ticker: &mut Ticker) -> Result<Vec<f64>, Interrupted> {
    matmul_in_blocks(a, b, n, (BLOCK_ROWS, BLOCK_COLS, BLOCK_DEPTH), ticker)
}

/// [`matmul`] with blocks of `rows × cols × depth`; for measuring the trade-off.
pub fn matmul_in_blocks(
    a: &[f64],
    b: &[f64],
    n: usize,
    (rows, cols, depth): (usize, usize, usize),
    ticker: &mut Ticker,
) -> Result<Vec<f64>, Interrupted> {
    assert!(a.len() == n * n && b.len() == n * n, "a and b must be n × n");
    assert!(rows > 0 && cols > 0 && depth > 0, "blocks must not be empty");
    let mut c = vec![0.0; n * n];
    for i in (0..n).step_by(rows) {
        let m = rows.min(n - i);
        for j in (0..n).step_by(cols) {
            let w = cols.min(n - j);
            for k in (0..n).step_by(depth) {
                let d = depth.min(n - k);
                // SAFETY: the blocks A[i.., k..] (m × d), B[k.., j..] (d × w) and C[i.., j..]
                // (m × w), with row stride n, lie inside the n × n arrays.
                unsafe {
                    gemm_block(
                        a.as_ptr().add(i * n + k),
                        b.as_ptr().add(k * n + j),
                        c.as_mut_ptr().add(i * n + j),
                        n,
                        (m, d, w),
                    );
                }
                ticker.tick()?;
            }
        }
    }
    Ok(c)
}

/// C += A · B for the m × d block at `a`, the d × w block at `b` and the m × w block at `c`,
/// each with row stride `n`.
///
/// # Safety
/// The three blocks must lie inside their arrays, and C must not overlap A or B.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
unsafe fn gemm_block(a: *const f64, b: *const f64, c: *mut f64, n: usize, (m, d, w): (usize, usize, usize)) {
    let stride = n as isize;
    matrixmultiply::dgemm(m, d, w, 1.0, a, stride, 1, b, stride, 1, 1.0, c, stride, 1);
}

/// [`gemm_block`] on wasm's SIMD128, where `matrixmultiply` has no SIMD kernel: tiles of
/// 4 × 4 elements of C kept in eight two-lane accumulators while k runs, each element summed
/// in order of k, without fused multiply-adds (as the JS twin sums it). Edges that do not fill
/// a tile go element by element, in the same order.
///
/// # Safety
/// As [`gemm_block`].
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
unsafe fn gemm_block(a: *const f64, b: *const f64, c: *mut f64, n: usize, (m, d, w): (usize, usize, usize)) {
    use core::arch::wasm32::*;
    const TILE: usize = 4;
    let full_rows = m - m % TILE;
    let full_cols = w - w % TILE;
    // A tile's four rows of A, interleaved by k (`panel[TILE * kk + r]` = A[i + r][kk]), so
    // that one pointer walks them.
    let mut panel = vec![0.0; TILE * d];
    for i in (0..full_rows).step_by(TILE) {
        for (kk, column) in panel.chunks_exact_mut(TILE).enumerate() {
            for (r, value) in column.iter_mut().enumerate() {
                *value = *a.add((i + r) * n + kk);
            }
        }
        for j in (0..full_cols).step_by(TILE) {
            let at = |r: usize, half: usize| c.add((i + r) * n + j + 2 * half) as *mut v128;
            let mut acc: [[v128; 2]; TILE] = core::array::from_fn(|r| [v128_load(at(r, 0)), v128_load(at(r, 1))]);
            for (kk, column) in panel.chunks_exact(TILE).enumerate() {
                let row = b.add(kk * n + j) as *const v128;
                let (b0, b1) = (v128_load(row), v128_load(row.add(1)));
                for (sums, &aik) in acc.iter_mut().zip(column) {
                    let aik = f64x2_splat(aik);
                    sums[0] = f64x2_add(sums[0], f64x2_mul(aik, b0));
                    sums[1] = f64x2_add(sums[1], f64x2_mul(aik, b1));
                }
            }
            for (r, sums) in acc.iter().enumerate() {
                v128_store(at(r, 0), sums[0]);
                v128_store(at(r, 1), sums[1]);
            }
        }
    }
    // The edges: the columns past the last full tile in the full rows, then the rows past them.
    let element = |i: usize, j: usize| {
        let mut sum = *c.add(i * n + j);
        for kk in 0..d {
            sum += *a.add(i * n + kk) * *b.add(kk * n + j);
        }
        *c.add(i * n + j) = sum;
    };
    for i in 0..full_rows {
        for j in full_cols..w {
            element(i, j);
        }
    }
    for i in full_rows..m {
        for j in 0..w {
            element(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};

    fn run(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
        matmul(a, b, n, &mut EvalBreaker::new().ticker()).unwrap()
    }

    /// Deterministic entries in [-1, 1).
    fn matrix(n: usize, seed: u64) -> Vec<f64> {
        let mut x = seed;
        (0..n * n)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (x >> 11) as f64 / (1u64 << 52) as f64 - 1.0
            })
            .collect()
    }

    /// The i-k-j loop of the JS twin.
    fn reference(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            for k in 0..n {
                let aik = a[i * n + k];
                for j in 0..n {
                    c[i * n + j] += aik * b[k * n + j];
                }
            }
        }
        c
    }

    #[test]
    fn small_products() {
        assert_eq!(run(&[2.0], &[3.5], 1), vec![7.0]);
        assert_eq!(run(&[1.0, 2.0, 3.0, 4.0], &[5.0, 6.0, 7.0, 8.0], 2), vec![19.0, 22.0, 43.0, 50.0]);
        let identity: Vec<f64> = (0..9).map(|i| if i % 4 == 0 { 1.0 } else { 0.0 }).collect();
        let m = matrix(3, 1);
        assert_eq!(run(&m, &identity, 3), m);
        assert_eq!(run(&identity, &m, 3), m);
    }

    #[test]
    fn agrees_with_the_ikj_loop_to_1e_12_relative() {
        // Sizes around and across the block edges.
        for n in [5, 63, 64, 65, 127, 128, 129, 200] {
            let (a, b) = (matrix(n, n as u64), matrix(n, 1000 + n as u64));
            let (c, expected) = (run(&a, &b, n), reference(&a, &b, n));
            for i in 0..n {
                for j in 0..n {
                    let scale: f64 = (0..n).map(|k| (a[i * n + k] * b[k * n + j]).abs()).sum();
                    let error = (c[i * n + j] - expected[i * n + j]).abs();
                    assert!(error <= 1e-12 * scale, "n = {n}, ({i}, {j}): {error:e} of {scale:e}");
                }
            }
        }
    }

    #[test]
    fn any_block_shape_gives_the_same_product() {
        let n = 70;
        let (a, b) = (matrix(n, 3), matrix(n, 4));
        let expected = reference(&a, &b, n);
        for shape in [(1, 1, 1), (7, 13, 5), (64, 64, 64), (128, 128, 128)] {
            let c = matmul_in_blocks(&a, &b, n, shape, &mut EvalBreaker::new().ticker()).unwrap();
            let worst = c.iter().zip(&expected).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
            assert!(worst < 1e-12, "{shape:?}: {worst:e}");
        }
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        let m = matrix(256, 9);
        assert_eq!(matmul(&m, &m, 256, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
