// ThreadPool: Python's `concurrent.futures.ThreadPoolExecutor`, on the threads of one backend,
// which run their tasks under that backend's main emulated GIL (shared with every other thread
// pool of the backend and with sync calls). Native: exactly `maxWorkers` OS threads owned by the
// addon, whatever UV_THREADPOOL_SIZE says. JS: a Piscina pool of exactly `maxWorkers` worker
// threads, all started at once.
//
// InterpreterPool: Python 3.14's `InterpreterPoolExecutor` (PEP 734), the same threads, each in
// an interpreter with a lock of its own (PEP 684), so CPU-bound tasks escape each other's lock
// as processes do, at a thread's start-up cost. Arguments and results are copied, as they are
// for every pool here and between CPython's interpreters.

import type { WorkerPool } from '../backends/backend';
import type { KernelName } from '../kernels';
import { integer, optionsObject } from '../args';
import { backendFor } from '../loader';
import { KernelExecutor } from './executor';
import { resolveShutdownOptions, type PoolOptions, type ShutdownOptions } from './options';

let pools = 0;

/** The pools of threads, whether they share the main lock or have locks of their own. */
abstract class ThreadsExecutor extends KernelExecutor {
  /** Names this pool's threads in `gil.stats()` and `gil.trace()`: `pool-N-…`, `interpreters-N-…`. */
  readonly label: string;
  private readonly pool: WorkerPool;

  /** `interpreters`: undefined to share the main lock, else how many locks of their own. */
  protected constructor(
    options: PoolOptions | undefined,
    kind: string,
    interpreters: (maxWorkers: number) => number | undefined,
  ) {
    super(options);
    this.label = `${kind}-${++pools}`;
    this.pool = backendFor(this.backend).createPool(this.maxWorkers, this.label, interpreters(this.maxWorkers));
  }

  protected run(kernel: KernelName, args: unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    return this.pool.call(kernel, args, signal);
  }

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

export class ThreadPool extends ThreadsExecutor {
  constructor(options?: PoolOptions) {
    super(options, 'pool', () => undefined);
  }
}

export interface InterpreterPoolOptions extends PoolOptions {
  /**
   * How many interpreters the `maxWorkers` threads are spread over, each with a lock of its
   * own: 1 to `maxWorkers`. Default `maxWorkers`: one thread per interpreter, as
   * `InterpreterPoolExecutor`. Fewer puts several threads in one interpreter, which contend.
   */
  interpreters?: number;
}

export class InterpreterPool extends ThreadsExecutor {
  /** How many interpreters, each with a lock of its own, the threads are spread over. */
  readonly interpreters: number;

  constructor(options?: InterpreterPoolOptions) {
    let interpreters = 0;
    super(options, 'interpreters', (maxWorkers) => {
      const given = optionsObject('options', options).interpreters;
      interpreters = given === undefined ? maxWorkers : integer('options.interpreters', given, 1, maxWorkers);
      return interpreters;
    });
    this.interpreters = interpreters;
  }
}
