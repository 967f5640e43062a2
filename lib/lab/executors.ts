// The executor behind each model of a lab run, opened once per cell and reused across its
// repeats, so that no run pays for starting threads or processes.

import type { BackendName } from '../backend-names';
import type { KernelName } from '../kernels';
import { EventLoopExecutor } from '../pools/event-loop';
import type { KernelExecutor } from '../pools/executor';
import { ProcessPool } from '../pools/process-pool';
import { ThreadPool } from '../pools/thread-pool';
import type { Model } from './types';

export interface OpenExecutor {
  executor: KernelExecutor;
  /** Median start-up time of the children, in ms (processes only). */
  startupMs: number | null;
}

/** Opens the executor of `model` and warms every worker with `warmUp` (one task each). */
export async function openExecutor(
  model: Model,
  backend: BackendName,
  workers: number,
  warmUp: [KernelName, unknown[]],
): Promise<OpenExecutor> {
  let startupMs: number | null = null;
  let executor: KernelExecutor;
  if (model === 'processes') {
    const pool = new ProcessPool({ maxWorkers: workers, backend });
    startupMs = median((await pool.start()).startupMs);
    executor = pool;
  } else if (model === 'async') {
    executor = new EventLoopExecutor({ maxWorkers: workers, backend });
  } else {
    // `threads`, and `sequential` as one thread of its own: a pool's threads take the lock.
    executor = new ThreadPool({ maxWorkers: model === 'sequential' ? 1 : workers, backend });
  }
  const [kernel, args] = warmUp;
  await Promise.all(Array.from({ length: executor.maxWorkers }, () => submitTask(executor, kernel, args)));
  return { executor, startupMs };
}

/** `executor.submit(kernel, ...args, { signal })` for a kernel known only at run time. */
export function submitTask(executor: KernelExecutor, kernel: KernelName, args: unknown[], signal?: AbortSignal): Promise<unknown> {
  const submit = executor.submit.bind(executor) as (kernel: KernelName, ...rest: unknown[]) => Promise<unknown>;
  return submit(kernel, ...args, { signal });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
