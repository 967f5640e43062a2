// `matmul(a, b, n)`: C = A · B for n × n row-major Float64Arrays; the twin of
// `crates/core/src/kernels/matmul.rs`. The i-k-j loop: the innermost one walks a row of B and
// a row of C in memory order, and each element of C sums its products in order of k. The Rust
// side sums in dgemm's order; the two agree to 1e-12 relative to Σₖ |a_ik · b_kj|.

import type { Ticker } from '../breaker';
import { float64Array, integer, length } from '../args';

/** The largest `n` accepted: a 4096 × 4096 product is 128 MiB. */
export const MATMUL_N_MAX = 4096;

/** Multiply-adds per tick: about 20 µs here. */
const MULTIPLY_ADDS_PER_TICK = 2 ** 14;

export function checkMatmul(a: unknown, b: unknown, n: unknown): [Float64Array, Float64Array, number] {
  const left = float64Array('a', a);
  const right = float64Array('b', b);
  const size = integer('n', n, 1, MATMUL_N_MAX);
  length('a', 'n * n', size * size, left.length);
  length('b', 'n * n', size * size, right.length);
  return [left, right, size];
}

export function matmul(a: Float64Array, b: Float64Array, n: number, ticker: Ticker): Float64Array {
  const c = new Float64Array(n * n);
  let budget = MULTIPLY_ADDS_PER_TICK;
  for (let i = 0; i < n; i++) {
    const rowOfC = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[rowOfC + k];
      const rowOfB = k * n;
      for (let j = 0; j < n; j++) c[rowOfC + j] += aik * b[rowOfB + j];
      budget -= n;
      if (budget <= 0) {
        ticker.tick();
        budget = MULTIPLY_ADDS_PER_TICK;
      }
    }
  }
  return c;
}
