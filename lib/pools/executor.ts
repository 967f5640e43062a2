// The concurrent.futures-style surface that every pool shares: `submit`, `map`, `shutdown`
// and `Symbol.asyncDispose`. A pool says only how one checked task runs (`run`) and how it
// shuts down; the checks of the kernel, its arguments and the options live here, once.

import { whenAborted } from '../abort';
import type { BackendName } from '../backend-names';
import { poolShutDownError } from '../errors';
import { jsKernels, type KernelArgs, type KernelName, type KernelResult } from '../kernels';
import { loadOnce } from '../loader';
import {
  checkCallOptions,
  checkItems,
  checkKernelName,
  mapItemArguments,
  resolvePoolOptions,
  splitCallOptions,
  type CallArgs,
  type CallOptions,
  type PoolOptions,
  type ShutdownOptions,
} from './options';

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
  async map<K extends KernelName>(
    kernel: K,
    items: Iterable<MapItem<K>>,
    options?: CallOptions,
  ): Promise<KernelResult<K>[]> {
    const name = checkKernelName(kernel);
    const { signal } = checkCallOptions(options);
    const argumentLists = checkItems(items).map((item, i) => jsKernels[name].check(mapItemArguments(name, item, i)));
    const stopRest = new AbortController();
    const onAbort = () => stopRest.abort(signal?.reason);
    const forget = signal && !signal.aborted ? whenAborted(signal, onAbort) : undefined;
    if (signal?.aborted) onAbort();
    const futures = argumentLists.map((args) => this.startChecked(name, args, stopRest.signal));
    try {
      return (await Promise.all(futures)) as KernelResult<K>[];
    } catch (error) {
      stopRest.abort();
      for (const future of futures) future.catch(() => {});
      throw error;
    } finally {
      forget?.();
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
