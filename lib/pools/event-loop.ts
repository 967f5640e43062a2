// The `async` model: the event loop alone, the analogue of Python's asyncio. A kernel with a
// non-blocking form — an I/O-bound task — runs as that form (a `timers/promises` sleep, an
// `fs.promises` read), so up to `maxWorkers` of them wait at once on one thread. Any other
// kernel is CPU-bound: it runs in its sync form on this thread, one task after another, as a
// coroutine that never awaits would — so the event loop gives it no speedup, and blocks
// while it runs.

import { setImmediate as nextTurn, setTimeout as sleepFor } from 'node:timers/promises';
import { whenAborted } from '../abort';
import { backendFor } from '../loader';
import { AbortError, CancelledError } from '../errors';
import type { KernelName } from '../kernels';
import { KernelExecutor } from './executor';
import { resolveShutdownOptions, type PoolOptions, type ShutdownOptions } from './options';

/** The non-blocking forms of the I/O-bound kernels, by name; each takes checked arguments. */
const NON_BLOCKING: Partial<Record<string, (args: unknown[], signal: AbortSignal) => Promise<unknown>>> = {
  sleep: async ([ms], signal) => {
    await sleepFor(ms as number, undefined, { signal });
  },
};

/** Whether `kernel` runs without blocking in the `async` model. */
export function hasNonBlockingForm(kernel: string): boolean {
  return NON_BLOCKING[kernel] !== undefined;
}

interface Task {
  begin(): void;
  stop(error: Error): void;
}

export class EventLoopExecutor extends KernelExecutor {
  private running = 0;
  private readonly waiting: Task[] = [];
  private readonly unsettled = new Set<Task>();
  /** Called once no task is left unsettled. */
  private readonly onDrained: (() => void)[] = [];

  constructor(options?: PoolOptions) {
    super(options);
    backendFor(this.backend); // throws here, not at the first task, where the backend does not load
  }

  protected run(kernel: KernelName, args: unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    return new Promise<unknown>((resolve, reject) => {
      const stopKernel = new AbortController();
      let state: 'waiting' | 'running' | 'settled' = 'waiting';
      let forget: (() => void) | undefined;
      const settle = (error: unknown, value?: unknown) => {
        if (state === 'settled') return;
        state = 'settled';
        this.unsettled.delete(task);
        if (this.unsettled.size === 0) for (const drained of this.onDrained.splice(0)) drained();
        forget?.();
        if (error === undefined) resolve(value);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the task's own error, as it was thrown
        else reject(error);
      };
      const task: Task = {
        begin: () => {
          if (state !== 'waiting') return;
          state = 'running';
          this.running++;
          this.execute(kernel, args, stopKernel.signal)
            .then(
              (value) => settle(undefined, value),
              (error) => settle(error),
            )
            .finally(() => {
              this.running--;
              this.next();
            });
        },
        stop: (error) => {
          if (state === 'waiting') this.waiting.splice(this.waiting.indexOf(task), 1);
          stopKernel.abort(error);
          settle(error);
        },
      };
      this.unsettled.add(task);
      if (signal) forget = whenAborted(signal, () => task.stop(new AbortError(signal.reason)));
      this.waiting.push(task);
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.maxWorkers && this.waiting.length > 0) this.waiting.shift()!.begin();
  }

  protected async execute(kernel: KernelName, args: unknown[], signal: AbortSignal): Promise<unknown> {
    const nonBlocking = NON_BLOCKING[kernel];
    if (nonBlocking) return nonBlocking(args, signal);
    // A CPU-bound task: let the loop turn once (other tasks, timers, aborts), then run to the end.
    await nextTurn();
    signal.throwIfAborted();
    return backendFor(this.backend).syncKernel(kernel)(...args);
  }

  async shutdown(options?: ShutdownOptions): Promise<void> {
    const { wait, cancelFutures } = resolveShutdownOptions(options);
    this.shutDown = true;
    if (cancelFutures) {
      for (const task of [...this.unsettled])
        task.stop(new CancelledError('the pool was shut down with cancelFutures'));
    }
    if (wait && this.unsettled.size > 0) await new Promise<void>((resolve) => this.onDrained.push(resolve));
  }
}
