// The eval breaker of the JS backend, the twin of `crates/core/src/breaker.rs`: a word of
// bits that a kernel reads once per tick, asking it to stop or, with the lock on, to drop
// the lock. Native threads keep one word per thread; JS tasks move between threads that a
// pool may replace at any time, so here each task gets a word of its own, in a
// SharedArrayBuffer that every worker thread of the process shares (one board per process,
// for every JS pool and the main thread's sync calls): the cell `id % CELLS` of task `id`.
//
// Cancelling, with no lock between threads:
//   canceller: store(cancelled[c], id), then or(bits[c], CANCEL);
//   runner:    before starting, and on any bit seen in a tick, load(cancelled[c]) === id.
// A bit left in a cell by an older task that shared it only costs its successor one look at
// `cancelled`, which tells the two apart. The lock's bits (`lib/gil/js-lock.ts`) are checked
// against the lock itself in the same way: a stale DROP or GIL_CHANGED is seen and cleared.

import { CancelledError } from './errors';

/** Ask the running task to stop at its next tick. */
export const CANCEL = 1 << 0;
/** Drop the emulated GIL: a thread waiting for it has waited a whole switch interval. */
export const DROP = 1 << 1;
/** The emulated GIL's mode or switch interval changed: re-read them. */
export const GIL_CHANGED = 1 << 2;
/** The GIL is in legacy mode: count every tick towards its periodic release. */
export const COUNT_TICKS = 1 << 3;

export const CELLS = 4096;

/** The shared words of the process's JS tasks. */
export interface BreakerBoard {
  readonly bits: Int32Array;
  readonly cancelled: Int32Array;
}

export function createBreakerBoard(): BreakerBoard {
  return {
    bits: new Int32Array(new SharedArrayBuffer(4 * CELLS)),
    cancelled: new Int32Array(new SharedArrayBuffer(4 * CELLS)),
  };
}

/** The cell of task `taskId`. */
export function cellOf(taskId: number): number {
  return taskId % CELLS;
}

/** What a task running under the emulated GIL does with the lock's bits (`JsSeat`). */
export interface GilSeat {
  /** At a tick: `pending` holds the DROP and GIL_CHANGED bits taken, and COUNT_TICKS if set. */
  atTick(pending: number): void;
  releaseForBlocking(): void;
  /** Takes the lock if it is on and not held, releases it if it is off and held. */
  followMode(): void;
}

/** What a kernel holds while it runs: `tick()` after each tick of work. */
export interface Ticker {
  /** Marks the end of one tick; throws a CancelledError when the task is to stop. */
  tick(): void;
  /** Whether the task has been asked to stop; for blocking waits between short slices. */
  cancelRequested(): boolean;
  /**
   * Runs a blocking call (a sleep, a read, a pipe round-trip) as CPython runs code between
   * Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS: with the emulated GIL on, the lock is
   * released before and taken again after, so the cost of taking it back shows.
   */
  allowThreads<T>(blocking: () => T): T;
}

/** A ticker nobody interrupts, with no lock: for a kernel measured or tested alone. */
export const quietTicker: Ticker = {
  tick() {},
  cancelRequested: () => false,
  allowThreads: (blocking) => blocking(),
};

/**
 * The ticker of task `taskId` on a board; with a `seat`, the task runs under the emulated GIL,
 * which the seat took before the task started and releases after it ends.
 */
export class BoardTicker implements Ticker {
  private readonly cell: number;

  constructor(
    private readonly board: BreakerBoard,
    private readonly taskId: number,
    private readonly seat?: GilSeat,
  ) {
    this.cell = cellOf(taskId);
  }

  tick(): void {
    if (Atomics.load(this.board.bits, this.cell) !== 0) this.interrupt();
  }

  cancelRequested(): boolean {
    return isCancelled(this.board, this.taskId);
  }

  allowThreads<T>(blocking: () => T): T {
    this.seat?.releaseForBlocking();
    try {
      return blocking();
    } finally {
      this.seat?.followMode();
    }
  }

  private interrupt(): void {
    const { bits } = this.board;
    if (Atomics.load(bits, this.cell) & CANCEL) {
      const was = Atomics.and(bits, this.cell, ~CANCEL);
      if (was & CANCEL && isCancelled(this.board, this.taskId)) throw new CancelledError();
    }
    if (this.seat === undefined) return;
    const seen = Atomics.load(bits, this.cell);
    const asked = seen & (DROP | GIL_CHANGED) ? Atomics.and(bits, this.cell, ~(DROP | GIL_CHANGED)) : 0;
    this.seat.atTick((asked & (DROP | GIL_CHANGED)) | (seen & COUNT_TICKS));
    // Taking the lock back may have taken long enough for a cancel to arrive.
    if (isCancelled(this.board, this.taskId)) throw new CancelledError();
  }
}

export function isCancelled(board: BreakerBoard, taskId: number): boolean {
  return Atomics.load(board.cancelled, cellOf(taskId)) === taskId;
}

export function cancelTask(board: BreakerBoard, taskId: number): void {
  const cell = cellOf(taskId);
  Atomics.store(board.cancelled, cell, taskId);
  Atomics.or(board.bits, cell, CANCEL);
}
