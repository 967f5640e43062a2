// The concurrent.futures-style surface that every pool shares: `submit`, `map`, `shutdown`
// and `Symbol.asyncDispose`. A pool says only how one checked task runs (`run`) and how it
// shuts down; the checks of the kernel, its arguments and the options live here, once.

import { setMaxListeners } from 'node:events';
import type { BackendName } from '../backends/backend';
import { jsKernels, type KernelArgs, type KernelName, type KernelResult } from '../kernels';
import { loadOnce } from '../loader';
import {
  checkCallOptions,
  checkItems,
  checkKernelName,
  mapItemArguments,
  poolShutDownError,
  resolvePoolOptions,
  splitCallOptions,
  type CallArgs,
  type CallOptions,
  type PoolOptions,
  type ShutdownOptions,
} from './options';

/**
 * How many of a map's tasks listen on one signal. Node's AbortSignal walks its listeners to
 * add or remove one, so `n` tasks on a single signal would cost O(n²) (seconds for 100 000).
 */
const GROUP_SIZE = 64;

/** Signals that abort with `signal`, one per GROUP_SIZE of `count` tasks. */
function fanOut(signal: AbortSignal, count: number): AbortSignal[] {
  const groups = Math.ceil(count / GROUP_SIZE);
  // Each task, or each group, listens on `signal` until the map ends: as many listeners as
  // that, by design, so Node's leak warning (past 10) would be a false alarm.
  setMaxListeners((groups <= 1 ? count : groups) + 1, signal);
  if (groups <= 1) return [signal];
  return Array.from({ length: groups }, () => {
    const group = new AbortController();
    setMaxListeners(GROUP_SIZE + 1, group.signal);
    signal.addEventListener('abort', () => group.abort(signal.reason), { once: true });
    return group.signal;
  });
}

/** The result of `map`: the kernel's result for each item, in the items' order. */
export type MapItem<K extends KernelName> = KernelArgs<K> extends [infer Only] ? Only : KernelArgs<K>;

export abstract class KernelExecutor implements AsyncDisposable {
  /** How many tasks run at once. */
  readonly maxWorkers: number;
  /** Whose kernels run. */
  readonly backend: BackendName;
  /** Set by `shutdown`: from then on `submit` rejects. */
  protected shutDown = false;

  constructor(options?: PoolOptions) {
    const { maxWorkers, backend } = resolvePoolOptions(options, loadOnce().backend.name);
    this.maxWorkers = maxWorkers;
    this.backend = backend;
  }

  /**
   * Runs `kernel(...args)` as one task. Rejects with a TypeError/RangeError on a bad kernel
   * name or bad arguments before anything runs; with an AbortError when `signal` aborts.
   */
  submit<K extends KernelName>(kernel: K, ...args: CallArgs<KernelArgs<K>>): Promise<KernelResult<K>> {
    try {
      const name = checkKernelName(kernel);
      const [fixed, { signal }] = splitCallOptions(name, args);
      return this.startChecked(name, jsKernels[name].check(fixed), signal) as Promise<KernelResult<K>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * One task per item, all submitted at once; resolves with the results in the items' order.
   * Every item is checked before any task starts. On the first failure the other tasks are
   * stopped and `map` rejects with that failure.
   */
  async map<K extends KernelName>(kernel: K, items: Iterable<MapItem<K>>, options?: CallOptions): Promise<KernelResult<K>[]> {
    const name = checkKernelName(kernel);
    const { signal } = checkCallOptions(options);
    const argumentLists = checkItems(items).map((item, i) => jsKernels[name].check(mapItemArguments(name, item, i)));
    const stopRest = new AbortController();
    const onAbort = () => stopRest.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    const groupSignals = fanOut(stopRest.signal, argumentLists.length);
    const futures = argumentLists.map((args, i) => this.startChecked(name, args, groupSignals[Math.floor(i / GROUP_SIZE)]));
    try {
      return (await Promise.all(futures)) as KernelResult<K>[];
    } catch (error) {
      stopRest.abort();
      for (const future of futures) future.catch(() => {});
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private startChecked(kernel: KernelName, args: unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    if (this.shutDown) return Promise.reject(poolShutDownError());
    return this.run(kernel, args, signal);
  }

  /** Runs one task whose kernel and arguments are checked. */
  protected abstract run(kernel: KernelName, args: unknown[], signal: AbortSignal | undefined): Promise<unknown>;

  /**
   * Takes no new tasks. `wait` (default true): resolve once every task has settled and every
   * worker has exited. `cancelFutures` (default false): reject the tasks not yet finished
   * with a CancelledError, stopping those that run at their next tick.
   */
  abstract shutdown(options?: ShutdownOptions): Promise<void>;

  /** `await using pool = new ...`: shuts down and waits, as `shutdown()` does. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }
}
