// The executor behind each model of a lab run, opened once per cell and kept open for the whole
// run, so that no timed run pays for starting threads or processes.

import type { BackendName } from '../backend-names';
import type { KernelName } from '../kernels';
import { EventLoopExecutor } from '../pools/event-loop';
import type { KernelExecutor } from '../pools/executor';
import { ProcessPool } from '../pools/process-pool';
import { ThreadPool } from '../pools/thread-pool';
import { median } from './measure/stats';
import type { Model } from './types';

export interface OpenExecutor {
  executor: KernelExecutor;
  /** Median start-up time of the children, in ms (processes only). */
  startupMs: number | null;
}

/** Opens the executor of `model`, its workers started (a process pool's children ready). */
export async function openExecutor(model: Model, backend: BackendName, workers: number): Promise<OpenExecutor> {
  if (model === 'processes') {
    const pool = new ProcessPool({ maxWorkers: workers, backend });
    try {
      return { executor: pool, startupMs: median((await pool.start()).startupMs) };
    } catch (error) {
      await pool.shutdown({ cancelFutures: true });
      throw error;
    }
  }
  if (model === 'async') return { executor: new EventLoopExecutor({ maxWorkers: workers, backend }), startupMs: null };
  // `threads`, and `sequential` as one thread of its own: a pool's threads take the lock.
  return { executor: new ThreadPool({ maxWorkers: model === 'sequential' ? 1 : workers, backend }), startupMs: null };
}

/** `executor.submit(kernel, ...args, { signal })` for a kernel known only at run time. */
export function submitTask(executor: KernelExecutor, kernel: KernelName, args: unknown[], signal?: AbortSignal): Promise<unknown> {
  const submit = executor.submit.bind(executor) as (kernel: KernelName, ...rest: unknown[]) => Promise<unknown>;
  return submit(kernel, ...args, { signal });
}
