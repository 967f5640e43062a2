// fannkuch-redux, the Computer Language Benchmarks Game program: the twin of
// `crates/core/src/kernels/fannkuch.rs`, walking the permutations in the same order (the
// reference programs') with the same flips, so both backends give the same integers. Only
// the storage differs: an Int32Array here, the bytes of a u128 there.

import type { Ticker } from '../breaker';
import { integer } from '../args';

/**
 * The largest `n` accepted, as in the Rust twin: 12 is the Benchmarks Game's input (12! =
 * 479 001 600 permutations, about a minute here); each step up multiplies the work by n + 1.
 */
export const FANNKUCH_N_MAX = 12;

/** Permutations per tick, as in the Rust twin. */
const PERMUTATIONS_PER_TICK = 256;

export interface FannkuchResult {
  checksum: number;
  maxFlips: number;
}

/** Flips a copy of `perm` (into `scratch`) until its first item is 0; returns the flips. */
function countFlips(perm: Int32Array, scratch: Int32Array): number {
  scratch.set(perm);
  let flips = 0;
  for (let k = scratch[0]; k !== 0; k = scratch[0]) {
    for (let lo = 0, hi = k; lo < hi; lo++, hi--) {
      const t = scratch[lo];
      scratch[lo] = scratch[hi];
      scratch[hi] = t;
    }
    flips++;
  }
  return flips;
}

export function checkFannkuch(n: unknown): [number] {
  return [integer('n', n, 1, FANNKUCH_N_MAX)];
}

/**
 * For every permutation of 0..n-1 in the reference order, the flips until 0 comes first:
 * the largest count, and their sum with alternating signs (+ at even positions of the order).
 */
export function fannkuch(n: number, ticker: Ticker): FannkuchResult {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const scratch = new Int32Array(n);
  // count[r]: how many more rotations of the first r + 1 items before r moves up.
  const count = new Int32Array(n);
  let checksum = 0;
  let maxFlips = 0;
  let even = true;
  let budget = PERMUTATIONS_PER_TICK;
  let r = n;
  for (;;) {
    for (; r !== 1; r--) count[r - 1] = r;
    const flips = countFlips(perm, scratch);
    if (flips > maxFlips) maxFlips = flips;
    checksum += even ? flips : -flips;

    // The next permutation: rotate the first r + 1 items left by one.
    for (;;) {
      if (r === n) {
        ticker.tick();
        return { checksum, maxFlips };
      }
      const first = perm[0];
      for (let i = 0; i < r; i++) perm[i] = perm[i + 1];
      perm[r] = first;
      if (--count[r] > 0) break;
      r++;
    }
    even = !even;
    if (--budget === 0) {
      ticker.tick();
      budget = PERMUTATIONS_PER_TICK;
    }
  }
}
