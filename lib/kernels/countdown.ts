// `countdown(n)`: the loop of David Beazley's GIL talks, `while n > 0: n -= 1`; the twin of
// `crates/core/src/kernels/countdown.rs`.

import type { Ticker } from '../breaker';
import { integer } from '../args';

/** The largest `n` accepted: every count is a safe integer. */
export const COUNTDOWN_N_MAX = Number.MAX_SAFE_INTEGER;

/** Decrements per tick, as in the Rust twin. */
const DECREMENTS_PER_TICK = 2 ** 16;

export function checkCountdown(n: unknown): [number] {
  return [integer('n', n, 0, COUNTDOWN_N_MAX)];
}

/** Counts `n` down to zero, one decrement at a time. */
export function countdown(n: number, ticker: Ticker): void {
  while (n > 0) {
    const step = n > DECREMENTS_PER_TICK ? DECREMENTS_PER_TICK : n;
    // The decrements on a small integer of their own: `n` may be a heap number (a safe integer
    // above 2³⁰, or any number a worker received in a message), on which V8 counts in doubles.
    for (let left = step | 0; left > 0; left -= 1);
    n -= step;
    ticker.tick();
  }
}
