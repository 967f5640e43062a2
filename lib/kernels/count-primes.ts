import type { Ticker } from '../breaker';
import { integer } from './args';

/** The largest `limit` accepted: every candidate fits an int32, as in the Rust twin. */
export const COUNT_PRIMES_LIMIT_MAX = 2 ** 31 - 1;

/** Trial divisions per tick, as in `crates/core/src/kernels/count_primes.rs`. */
const DIVISIONS_PER_TICK = 2048;

export function checkCountPrimes(limit: unknown): [number] {
  return [integer('limit', limit, 0, COUNT_PRIMES_LIMIT_MAX)];
}

/** The number of primes below `limit`, by trial division by odd numbers. */
export function countPrimes(limit: number, ticker: Ticker): number {
  if (limit <= 2) return 0;
  let count = 1; // 2
  let budget = DIVISIONS_PER_TICK;
  for (let n = 3; n < limit; n += 2) {
    let isPrime = 1;
    for (let d = 3; d * d <= n; d += 2) {
      if (n % d === 0) {
        isPrime = 0;
        break;
      }
      if (--budget === 0) {
        ticker.tick();
        budget = DIVISIONS_PER_TICK;
      }
    }
    count += isPrime;
  }
  ticker.tick();
  return count;
}
