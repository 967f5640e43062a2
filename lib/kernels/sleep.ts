// sleep, the twin of `crates/core/src/kernels/sleep.rs`: a blocking sleep of the thread
// that runs it — not a timer — as Python's time.sleep is, in one allowThreads section, so
// that a sleep costs one release and one re-take of the lock.
//
// The sleep is cut into slices of at most SLICE_MS (Atomics.wait with a timeout) with a look
// at the cancel flag between two, so that a cancelled sleep ends within a slice; the
// deadline is fixed up front, so the slices add no drift.

import type { Ticker } from '../breaker';
import { CancelledError } from '../errors';
import { numberInRange } from '../args';

/** The longest sleep accepted, in milliseconds, as in the Rust twin: setTimeout's own limit. */
export const SLEEP_MS_MAX = 2 ** 31 - 1;

/** The longest slice between two looks at the cancel flag, as in the Rust twin. */
const SLICE_MS = 2;

/** A word no one notifies: waiting on it is a plain timed block of this thread. */
const idle = new Int32Array(new SharedArrayBuffer(4));

export function checkSleep(ms: unknown): [number] {
  return [numberInRange('ms', ms, 0, SLEEP_MS_MAX)];
}

/** Blocks this thread for `ms` milliseconds (fractions allowed), or until cancelled. */
export function sleep(ms: number, ticker: Ticker): void {
  const deadline = performance.now() + ms;
  ticker.allowThreads(() => {
    for (;;) {
      if (ticker.cancelRequested()) throw new CancelledError();
      const left = deadline - performance.now();
      if (left <= 0) return;
      Atomics.wait(idle, 0, 0, Math.min(left, SLICE_MS));
    }
  });
}
