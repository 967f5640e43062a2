// The messages between the page and its workers. A worker joins one lock (its shared memory
// comes with `init`) and runs one task at a time, as a thread of a pool does in Node.

import type { BreakerBoard } from '../../lib/breaker';
import type { JsGilState } from '../../lib/gil/js-lock';
import type { CounterName, EnabledGilMode, GilMode, TraceEventKind } from '../../lib/gil/types';

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

// ---- The wasm backend: the page calls its host worker (wasm-host.ts), which runs the binding. ----

/** The three pools of a run: one thread; the threads sharing the main lock; interpreters with a lock each. */
export type PoolName = 'sequential' | 'threads' | 'isolated';

/** A trace event of the threads' lock; `thread` tells its threads apart (a slot of the lock, an index in the pool). */
export interface LockTraceEvent {
  thread: number;
  event: TraceEventKind;
  timeNs: number;
}

/** The calls the host answers, with their arguments and results. */
export interface HostCalls {
  /** Makes the pools of a run, with the lock in `mode` and its switch interval. */
  open(workers: number, mode: EnabledGilMode, intervalUs: number): void;
  /** Runs a task on a pool; its time in the host (submit to settle), or null when it was cancelled. */
  run(pool: PoolName, kernel: PageKernel, size: number, taskId: number): number | null;
  cancel(taskId: number): void;
  setMode(mode: GilMode): void;
  resetStats(): void;
  /** The threads' counters since the last reset, summed. */
  stats(): Record<CounterName, number>;
  /** The threads' recent trace, and the lock's clock now. */
  trace(): { nowNs: number; events: LockTraceEvent[] };
  /** Shuts the pools down, cancelling what runs. */
  close(): void;
}

/** The host's side: each call answered now or by a promise. */
export type HostImplementation = {
  [K in keyof HostCalls]: (
    ...args: Parameters<HostCalls[K]>
  ) => ReturnType<HostCalls[K]> | Promise<ReturnType<HostCalls[K]>>;
};

export type HostCall = {
  [K in keyof HostCalls]: { id: number; call: K; args: Parameters<HostCalls[K]> };
}[keyof HostCalls];

export type FromHost =
  | { type: 'loaded' }
  | { type: 'load-failed'; message: string }
  | { type: 'answer'; id: number; value: unknown }
  | { type: 'refused'; id: number; message: string };
