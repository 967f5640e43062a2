// The messages between the page and its workers. A worker joins one lock (its shared memory
// comes with `init`) and runs one task at a time, as a thread of a pool does in Node.

import type { BreakerBoard } from '../../lib/breaker';
import type { JsGilState } from '../../lib/gil/js-lock';

/** The kernels the page runs: CPU-bound, and a blocking sleep that lets the lock go. */
export type PageKernel = 'countdown' | 'sleep';

export interface InitMessage {
  type: 'init';
  lock: JsGilState;
  board: BreakerBoard;
  /** The worker's name in the lock's stats. */
  name: string;
  /** Stands in for a thread id in the lock's slots. */
  threadId: number;
}

export interface RunMessage {
  type: 'run';
  taskId: number;
  kernel: PageKernel;
  /** countdown: n; sleep: milliseconds. */
  size: number;
}

export type ToWorker = InitMessage | RunMessage;

export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; taskId: number; ms: number }
  | { type: 'cancelled'; taskId: number }
  | { type: 'failed'; taskId: number; message: string };
