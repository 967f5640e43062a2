// The eval breaker of the JS backend, the twin of `crates/core/src/breaker.rs`: a word of
// bits that a kernel reads once per tick, asking it to stop (or, with the lock on, to drop
// the lock). Native threads keep one word per thread; JS tasks move between threads that a
// pool may replace at any time, so here each task gets a word of its own, in a
// SharedArrayBuffer that every worker thread shares: the cell `id % CELLS` of task `id`.
//
// Cancelling, with no lock between threads:
//   canceller: store(cancelled[c], id), then or(bits[c], CANCEL);
//   runner:    before starting, and on any bit seen in a tick, load(cancelled[c]) === id.
// A bit left in a cell by an older task that shared it only costs its successor one look at
// `cancelled`, which tells the two apart.

/** Ask the running task to stop at its next tick. */
export const CANCEL = 1 << 0;

const CELLS = 4096;

/** The shared words of one pool. */
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

export class CancelledError extends Error {
  constructor() {
    super('the task was cancelled');
    this.name = 'CancelledError';
  }
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

/** A ticker nobody interrupts: sync calls on the calling thread. */
export const quietTicker: Ticker = {
  tick() {},
  cancelRequested: () => false,
  allowThreads: (blocking) => blocking(),
};

/** The ticker of task `taskId` on a board. */
export class BoardTicker implements Ticker {
  private readonly cell: number;

  constructor(
    private readonly board: BreakerBoard,
    private readonly taskId: number,
  ) {
    this.cell = taskId % CELLS;
  }

  tick(): void {
    if (Atomics.load(this.board.bits, this.cell) !== 0) this.interrupt();
  }

  cancelRequested(): boolean {
    return isCancelled(this.board, this.taskId);
  }

  allowThreads<T>(blocking: () => T): T {
    return blocking();
  }

  private interrupt(): void {
    const bits = Atomics.and(this.board.bits, this.cell, ~CANCEL);
    if (bits & CANCEL && isCancelled(this.board, this.taskId)) throw new CancelledError();
  }
}

export function isCancelled(board: BreakerBoard, taskId: number): boolean {
  return Atomics.load(board.cancelled, taskId % CELLS) === taskId;
}

export function cancelTask(board: BreakerBoard, taskId: number): void {
  const cell = taskId % CELLS;
  Atomics.store(board.cancelled, cell, taskId);
  Atomics.or(board.bits, cell, CANCEL);
}
