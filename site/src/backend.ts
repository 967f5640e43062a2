// What the page needs of a backend, whichever runs the tasks: the wasm build (wasm.ts) where
// the page is cross-origin isolated and it loads, else gil-lab's JS kernels on Web Workers
// (js-workers.ts). Each run opens three pools (protocol.ts's PoolName) and closes them after.

import type { CounterName, EnabledGilMode, GilMode } from '../../lib/gil/types';
import type { PageKernel, PoolName, LockTraceEvent } from './protocol';

export interface PoolSettings {
  workers: number;
  mode: EnabledGilMode;
  intervalMs: number;
}

export interface PageBackend {
  /** As `document.body.dataset.backend` names it. */
  readonly name: 'wasm' | 'js-workers';
  /** The model of the `isolated` pool: workers that share no lock, as compare() names it. */
  readonly isolatedModel: 'processes' | 'interpreters';
  open(settings: PoolSettings): Promise<void>;
  /** Runs a task on a free worker of `pool`; resolves to its time, or null when it was cancelled. */
  run(pool: PoolName, kernel: PageKernel, size: number, taskId?: number): Promise<number | null>;
  cancel(taskId: number): void;
  /** The threads' lock's mode; set before the tasks posted after it. */
  setMode(mode: GilMode): void;
  resetStats(): void;
  /** The threads' lock's counters since the last reset, summed over its threads. */
  stats(): Promise<Record<CounterName, number>>;
  /** The threads' lock's recent trace, and its clock now. */
  trace(): Promise<{ nowNs: number; events: LockTraceEvent[] }>;
  close(): Promise<void>;
}

let nextTaskId = 1;

/** A task id no other task of the page has. */
export function newTaskId(): number {
  return nextTaskId++;
}
