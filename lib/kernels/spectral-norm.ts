// spectral-norm, the Computer Language Benchmarks Game program: the twin of
// `crates/core/src/kernels/spectral_norm.rs`. Each row's sum runs in two lanes, even and odd
// j, each left to right, added at the end of the row — the Rust twin's order, where the two
// lanes share one SSE2 register — so both backends give the same bits. The entries'
// denominators are whole numbers below 2n², exact in a double for any n allowed.

import type { Ticker } from '../breaker';
import { integer } from '../args';

/** The largest `n` accepted, as in the Rust twin: three vectors of n doubles take 24 MB. */
export const SPECTRAL_NORM_N_MAX = 1_000_000;

/** Matrix entries per tick, and columns per block of a row, as in the Rust twin. */
const ENTRIES_PER_TICK = 8192;
const COLUMNS_PER_BLOCK = 4096;

/** Counts the entries multiplied since the last tick, and ticks when they are enough. */
class Budget {
  private spent = 0;
  constructor(private readonly ticker: Ticker) {}

  spend(entries: number): void {
    this.spent += entries;
    if (this.spent >= ENTRIES_PER_TICK) {
      this.spent = 0;
      this.ticker.tick();
    }
  }
}

/** A(i, j) = 1 / ((i + j)(i + j + 1) / 2 + i + 1). */
function entry(i: number, j: number): number {
  return 1 / (((i + j) * (i + j + 1)) / 2 + i + 1);
}

/** `out = A v` (`transposed`: `out = Aᵀ v`), each row's sum in two lanes, even and odd j. */
function multiply(v: Float64Array, out: Float64Array, transposed: boolean, budget: Budget): void {
  const n = v.length;
  for (let i = 0; i < n; i++) {
    let even = 0;
    let odd = 0;
    for (let start = 0; start < n;) {
      const end = Math.min(n, start + COLUMNS_PER_BLOCK);
      let j = start;
      if (transposed) {
        for (; j + 1 < end; j += 2) {
          even += entry(j, i) * v[j];
          odd += entry(j + 1, i) * v[j + 1];
        }
        if (j < end) even += entry(j, i) * v[j];
      } else {
        for (; j + 1 < end; j += 2) {
          even += entry(i, j) * v[j];
          odd += entry(i, j + 1) * v[j + 1];
        }
        if (j < end) even += entry(i, j) * v[j];
      }
      budget.spend(end - start);
      start = end;
    }
    out[i] = even + odd;
  }
}

/** `out = AᵀA v`, through `scratch`. */
function multiplyAtA(v: Float64Array, out: Float64Array, scratch: Float64Array, budget: Budget): void {
  multiply(v, scratch, false, budget);
  multiply(scratch, out, true, budget);
}

export function checkSpectralNorm(n: unknown): [number] {
  return [integer('n', n, 1, SPECTRAL_NORM_N_MAX)];
}

/** The spectral norm of the n × n matrix A, to about nine digits for n ≥ 100. */
export function spectralNorm(n: number, ticker: Ticker): number {
  const u = new Float64Array(n).fill(1);
  const v = new Float64Array(n);
  const scratch = new Float64Array(n);
  const budget = new Budget(ticker);
  for (let step = 0; step < 10; step++) {
    multiplyAtA(u, v, scratch, budget);
    multiplyAtA(v, u, scratch, budget);
  }
  let vBv = 0;
  let vv = 0;
  for (let i = 0; i < n; i++) {
    vBv += u[i] * v[i];
    vv += v[i] * v[i];
  }
  ticker.tick();
  return Math.sqrt(vBv / vv);
}
