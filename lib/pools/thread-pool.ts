// `ThreadPool`: Python's `concurrent.futures.ThreadPoolExecutor` in TypeScript's idiom, on the
// threads of one backend, which run under that backend's emulated GIL. Native: exactly
// `maxWorkers` OS threads owned by the addon, whatever UV_THREADPOOL_SIZE says. JS: a Piscina
// pool of exactly `maxWorkers` worker threads.

import { availableParallelism } from 'node:os';
import type { BackendName, WorkerPool } from '../backends/backend';
import { checkCallOptions, checkKernelName, splitOptions, type CallOptions } from '../call-options';
import { jsKernels, type KernelArgs, type KernelName, type KernelResult } from '../kernels';
import { integer, rangeError, typeError, typeName } from '../kernels/args';
import { backendFor, load } from '../loader';

/** The most threads one pool may have. */
export const MAX_WORKERS = 1024;

export interface ThreadPoolOptions {
  /** Threads, 1 to 1024; as Python's default, min(32, cores + 4) unless given. */
  maxWorkers?: number;
  /** `'auto'` (the default): the backend that gil-lab loaded. */
  backend?: BackendName | 'auto';
}

export interface ShutdownOptions {
  /** Resolve once every task has settled and every thread has exited (the default), or at once. */
  wait?: boolean;
  /**
   * Cancel the tasks: the queued ones never run, the running ones stop at their next tick;
   * both reject with a CancelledError. Python cancels only the queued ones; gil-lab's kernels
   * can stop where they are. Default false: every task submitted finishes.
   */
  cancelFutures?: boolean;
}

/** One task's arguments in `map`: the argument itself for a one-argument kernel, else an array. */
export type MapItem<K extends KernelName> = KernelArgs<K> extends [infer Only] ? Only : KernelArgs<K>;

let pools = 0;

function checkBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw typeError(`${name} must be a boolean; got ${typeName(value)}`);
  return value;
}

function checkOptions(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw typeError(`${name} must be an object; got ${typeName(value)}`);
  return value as Record<string, unknown>;
}

export class ThreadPool {
  readonly maxWorkers: number;
  readonly backend: BackendName;
  /** Names this pool's threads in `gil.stats()`: `pool-N-…`. */
  readonly label: string;
  private readonly pool: WorkerPool;
  private closing: Promise<void> | undefined;

  constructor(options?: ThreadPoolOptions) {
    const { maxWorkers = Math.min(32, availableParallelism() + 4), backend = 'auto' } = checkOptions('options', options);
    this.maxWorkers = integer('options.maxWorkers', maxWorkers, 1, MAX_WORKERS);
    if (typeof backend !== 'string') throw typeError(`options.backend must be a string; got ${typeName(backend)}`);
    if (backend !== 'auto' && backend !== 'native' && backend !== 'js') {
      throw rangeError(`options.backend must be "native", "js" or "auto"; got "${backend}"`);
    }
    this.backend = backend === 'auto' ? load().backend.name : backend;
    this.label = `pool-${++pools}`;
    this.pool = backendFor(this.backend).createPool(this.maxWorkers, this.label);
  }

  /** Runs `kernel` with its arguments (and `{ signal }`) on one of the pool's threads. */
  async submit<K extends KernelName>(kernel: K, ...args: [...KernelArgs<K>, options?: CallOptions]): Promise<KernelResult<K>> {
    const name = checkKernelName(kernel);
    const [fixed, { signal }] = splitOptions(name, args);
    return this.pool.call(name, fixed, signal) as Promise<KernelResult<K>>;
  }

  /** One task per item, all submitted at once; their results in the order of `items`. */
  async map<K extends KernelName>(kernel: K, items: Iterable<MapItem<K>>, options?: CallOptions): Promise<KernelResult<K>[]> {
    const name = checkKernelName(kernel);
    const { signal } = checkCallOptions(options);
    if (typeof (items as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== 'function') {
      throw typeError(`items must be iterable; got ${typeName(items)}`);
    }
    const oneArgument = jsKernels[name].arity === 1;
    const argsList = Array.from(items as Iterable<unknown>, (item, i) => {
      if (oneArgument) return [item];
      if (!Array.isArray(item)) throw typeError(`items[${i}] must be an array of the arguments of ${name}; got ${typeName(item)}`);
      return item;
    });
    return Promise.all(argsList.map((args) => this.pool.call(name, args, signal))) as Promise<KernelResult<K>[]>;
  }

  /**
   * Takes no new tasks (they reject with code ERR_GIL_LAB_POOL_SHUT_DOWN), then lets the
   * threads go. May be called again: to cancel after a shutdown that waits, say.
   */
  async shutdown(options?: ShutdownOptions): Promise<void> {
    const given = checkOptions('options', options);
    const wait = checkBoolean('options.wait', given.wait, true);
    const cancelFutures = checkBoolean('options.cancelFutures', given.cancelFutures, false);
    this.closing = this.pool.shutdown(cancelFutures);
    if (wait) await this.closing;
    // Not waited for: a failure to let the threads go shows at the next shutdown that waits.
    else this.closing.catch(() => {});
  }

  /** `await using pool = new ThreadPool(…)`: shuts down and waits, as `with` does in Python. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }
}
