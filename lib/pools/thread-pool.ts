// ThreadPool: Python's `concurrent.futures.ThreadPoolExecutor`, on the threads of one backend,
// which run their tasks under that backend's emulated GIL (one lock per process, shared with
// every other pool of the backend and with sync calls). Native: exactly `maxWorkers` OS threads
// owned by the addon, whatever UV_THREADPOOL_SIZE says. JS: a Piscina pool of exactly
// `maxWorkers` worker threads, all started at once.

import type { WorkerPool } from '../backends/backend';
import type { KernelName } from '../kernels';
import { backendFor } from '../loader';
import { KernelExecutor } from './executor';
import { RUN_FAULT, STARTUP_FAULTS, type Fault, type FaultInjectable, type StartupFault, type StartupFaultInjectable } from './faults-for-testing';
import { poolShutDownError } from '../errors';
import { resolveShutdownOptions, type PoolOptions, type ShutdownOptions } from './options';

let pools = 0;

export class ThreadPool extends KernelExecutor implements FaultInjectable, StartupFaultInjectable {
  /** Names this pool's threads in `gil.stats()` and `gil.trace()`: `pool-N-…`. */
  readonly label: string;
  private readonly pool: WorkerPool;

  constructor(options?: PoolOptions) {
    super(options);
    this.label = `pool-${++pools}`;
    this.pool = backendFor(this.backend).createPool(this.maxWorkers, this.label);
  }

  protected run(kernel: KernelName, args: unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    return this.pool.call(kernel, args, signal);
  }

  [RUN_FAULT](fault: Fault, signal?: AbortSignal): Promise<unknown> {
    if (this.shutDown) return Promise.reject(poolShutDownError());
    return this.pool.runFault(fault, signal);
  }

  readonly [STARTUP_FAULTS] = { push: (...faults: StartupFault[]) => faults.forEach((fault) => this.pool.failNextStarts(fault, 1)) };

  /**
   * Takes no new tasks, then lets the threads go once their tasks are done. With
   * `cancelFutures`, the queued tasks never run and the running ones stop at their next tick
   * (Python can only drop the queued ones). May be called again: to cancel, say, after a
   * shutdown that did not wait.
   */
  async shutdown(options?: ShutdownOptions): Promise<void> {
    const { wait, cancelFutures } = resolveShutdownOptions(options);
    this.shutDown = true;
    const closing = this.pool.shutdown(cancelFutures);
    if (wait) await closing;
    // Not waited for: a failure to let the threads go shows at the next shutdown that waits.
    else closing.catch(() => {});
  }
}
