// The executor behind each model of a lab run, opened once per cell and reused across its
// repeats, so that no run pays for starting threads or processes.

import { performance } from 'node:perf_hooks';
import type { BackendName } from '../backend-names';
import type { KernelName } from '../kernels';
import { ClusterPool } from '../pools/cluster/cluster-pool';
import { EventLoopExecutor } from '../pools/event-loop';
import type { KernelExecutor } from '../pools/executor';
import { ProcessPool } from '../pools/process-pool';
import { InterpreterPool, ThreadPool } from '../pools/thread-pool';
import type { ClusterTarget, Model, Spread } from './types';

export interface OpenExecutor {
  executor: KernelExecutor;
  /** Start-up time in ms, as `CompareRow.startupMs` says; null for sequential and async. */
  startupMs: number | null;
}

/** Opens the executor of `model` and warms every worker with `warmUp` (one task each). */
export async function openExecutor(
  model: Model,
  backend: BackendName,
  workers: number,
  warmUp: [KernelName, unknown[]],
  cluster: ClusterTarget | null = null,
): Promise<OpenExecutor> {
  let startupMs: number | null = null;
  let executor: KernelExecutor;
  if (model === 'processes') {
    const pool = new ProcessPool({ maxWorkers: workers, backend });
    startupMs = median((await pool.start()).startupMs);
    executor = pool;
  } else if (model === 'cluster') {
    // `workers` of the run's tasks in the queue at once, on whichever hosts serve it.
    executor = new ClusterPool({ connection: cluster!.connection, queue: cluster!.queue, maxWorkers: workers, backend });
  } else if (model === 'async') {
    executor = new EventLoopExecutor({ maxWorkers: workers, backend });
  } else if (model === 'sequential') {
    // One thread of its own: a pool's threads take the lock.
    executor = new ThreadPool({ maxWorkers: 1, backend });
  } else {
    const started = performance.now();
    executor = model === 'threads' ? new ThreadPool({ maxWorkers: workers, backend }) : new InterpreterPool({ maxWorkers: workers, backend });
    await Promise.all(Array.from({ length: workers }, () => submitTask(executor, 'countdown', [0])));
    startupMs = performance.now() - started;
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

/** The median, min and max of `runs`, and the runs. */
export function spread(runs: number[]): Spread {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
}
