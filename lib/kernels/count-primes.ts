// `countPrimes(limit)`: the twin of `crates/core/src/kernels/count_primes.rs`, whose header
// explains the divisibility test by modular inverses. Here one divisor at a time, all in int32
// arithmetic: V8 compiles `Math.imul` and an int32 compare to single instructions, where `%`
// is a division.

import type { Ticker } from '../breaker';
import { integer } from '../args';

/**
 * `Math`, looked up once. In a vm context (jest runs its tests in one) every lookup of a global
 * goes through an interceptor, and costs a hundred times the multiply it fetches.
 */
const math = Math;

/** The largest `limit` accepted: every candidate fits an int32, as in the Rust twin. */
export const COUNT_PRIMES_LIMIT_MAX = 2 ** 31 - 1;

/** Work per tick, in divisibility tests plus one per candidate: about 20 µs here. */
const WORK_PER_TICK = 2 ** 14;

/** Flips the sign bit, so that an int32 compare orders as a uint32 compare. */
const SIGN = -0x80000000;

export function checkCountPrimes(limit: unknown): [number] {
  return [integer('limit', limit, 0, COUNT_PRIMES_LIMIT_MAX)];
}

/** The number of primes below `limit`, by trial division by odd numbers. */
export function countPrimes(limit: number, ticker: Ticker): number {
  if (limit <= 2) return 0;
  // Entry k is for d = 2k + 3, for every odd d ≥ 3 with d² < limit.
  const capacity = math.floor((math.sqrt(limit) - 1) / 2) + 1;
  const inverse = new Int32Array(capacity);
  const flippedBound = new Int32Array(capacity); // ⌊(2³² − 1) / d⌋ ^ SIGN
  let count = 1; // 2
  let used = 0; // the divisors in use: the odd d with d² ≤ n
  let budget = WORK_PER_TICK;
  for (let n = 3; n < limit; n += 2) {
    for (let d = 2 * used + 3; d * d <= n; d += 2, used++) {
      let x = d; // Newton's iteration doubles the correct low bits; d · d ≡ 1 mod 8
      for (let i = 0; i < 4; i++) x = math.imul(x, 2 - math.imul(d, x));
      inverse[used] = x;
      flippedBound[used] = math.floor(0xffffffff / d) ^ SIGN;
    }
    let k = 0;
    while (k < used && (math.imul(n, inverse[k]) ^ SIGN) > flippedBound[k]) k++;
    count += k === used ? 1 : 0;
    budget -= k + 1;
    if (budget <= 0) {
      ticker.tick();
      budget = WORK_PER_TICK;
    }
  }
  ticker.tick();
  return count;
}
