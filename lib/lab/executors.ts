// The executor behind each model of a lab run, opened once per cell and kept open for the whole
// run, so that no timed run pays for starting threads or processes.

import { performance } from 'node:perf_hooks';
import type { BackendName } from '../backend-names';
import type { KernelName } from '../kernels';
import { ClusterPool } from '../pools/cluster/cluster-pool';
import { EventLoopExecutor } from '../pools/event-loop';
import type { KernelExecutor } from '../pools/executor';
import { ProcessPool } from '../pools/process-pool';
import { InterpreterPool, ThreadPool } from '../pools/thread-pool';
import { median } from './measure/stats';
import type { ClusterTarget, Model, Spread } from './types';

export interface OpenExecutor {
  executor: KernelExecutor;
  /** Start-up time in ms, as `CompareRow.startupMs` says; null for sequential and async. */
  startupMs: number | null;
}

/** Opens the executor of `model`, its workers started (a process pool's children ready). */
export async function openExecutor(
  model: Model,
  backend: BackendName,
  workers: number,
  cluster: ClusterTarget | null = null,
): Promise<OpenExecutor> {
  if (model === 'processes') {
    const pool = new ProcessPool({ maxWorkers: workers, backend });
    try {
      return { executor: pool, startupMs: median((await pool.start()).startupMs) };
    } catch (error) {
      await pool.shutdown({ cancelFutures: true });
      throw error;
    }
  }
  if (model === 'cluster') {
    // `workers` of the run's tasks in the queue at once, on whichever hosts serve it.
    return {
      executor: new ClusterPool({
        connection: cluster!.connection,
        queue: cluster!.queue,
        maxWorkers: workers,
        backend,
      }),
      startupMs: null,
    };
  }
  if (model === 'async') return { executor: new EventLoopExecutor({ maxWorkers: workers, backend }), startupMs: null };
  // One thread of its own: a pool's threads take the lock.
  if (model === 'sequential') return { executor: new ThreadPool({ maxWorkers: 1, backend }), startupMs: null };
  const started = performance.now();
  const executor =
    model === 'threads'
      ? new ThreadPool({ maxWorkers: workers, backend })
      : new InterpreterPool({ maxWorkers: workers, backend });
  await Promise.all(Array.from({ length: workers }, () => submitTask(executor, 'countdown', [0])));
  return { executor, startupMs: performance.now() - started };
}

/** `executor.submit(kernel, ...args, { signal })` for a kernel known only at run time. */
export function submitTask(
  executor: KernelExecutor,
  kernel: KernelName,
  args: unknown[],
  signal?: AbortSignal,
): Promise<unknown> {
  const submit = executor.submit.bind(executor) as (kernel: KernelName, ...rest: unknown[]) => Promise<unknown>;
  return submit(kernel, ...args, { signal });
}

/** The median, min and max of `runs`, and the runs. */
export function spread(runs: number[]): Spread {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
}
