// The JS backend: the kernels of `lib/kernels/` on the calling thread (sync), or on worker
// threads of Piscina pools (async). One breaker board and one lock serve the whole process:
// every pool's workers and the main thread's sync calls share them.

import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { BoardTicker, cancelTask, cellOf, createBreakerBoard, isCancelled } from '../breaker';
import { CancelledError, runAbortable } from '../errors';
import { sinceOrigin, syncCallerName, type GilControl, type GilMode, type RawThreadStats } from '../gil/control';
import { createJsGilState, JsGil, JsSeat, type JsGilThread } from '../gil/js-lock';
import { jsKernels, type KernelName } from '../kernels';
import { poolShutDownError, type Backend, type WorkerPool } from './backend';
import type { JsTask, JsWorkerData } from './js-worker';

const WORKER_FILE = path.join(__dirname, 'js-worker.js');

/** Task ids for the breaker board: positive int32, wrapping. */
let lastTaskId = 0;
function nextTaskId(): number {
  lastTaskId = lastTaskId >= 0x7fffffff ? 1 : lastTaskId + 1;
  return lastTaskId;
}

/** The pool id of the sync callers' slots: never retired. */
const SYNC_CALLERS = 0;

export class JsBackend implements Backend {
  readonly name = 'js' as const;
  private readonly board = createBreakerBoard();
  private readonly lock = new JsGil(createJsGilState(), this.board.bits);
  private syncCaller: JsGilThread | undefined;
  private defaultPool: JsWorkerPool | undefined;
  private pools = SYNC_CALLERS;

  readonly gil: GilControl = {
    setMode: (mode: GilMode) => {
      this.lock.mode = mode;
    },
    setSwitchInterval: (seconds: number) => {
      this.lock.switchIntervalUs = Math.round(seconds * 1e6);
    },
    stats: () => ({
      threads: this.lock.stats().map(({ slot, name, ...counts }): RawThreadStats => ({ thread: name, ...counts })),
      switches: this.lock.switches(),
    }),
    resetStats: () => this.lock.resetStats(),
    trace: (limit: number) => {
      const names = new Map(this.lock.stats().map((t) => [t.slot, t.name]));
      const shift = sinceOrigin(this.lock.state.epoch[0]);
      return this.lock.trace(limit).map(({ slot, timeNs, ...event }) => ({
        thread: names.get(slot) ?? `slot-${slot}`,
        ...event,
        timeNs: timeNs + shift,
      }));
    },
  };

  callSync(kernel: KernelName, args: readonly unknown[]): unknown {
    const spec = jsKernels[kernel];
    const checked = spec.check(args);
    this.syncCaller ??= this.lock.register(syncCallerName(), SYNC_CALLERS);
    const taskId = nextTaskId();
    const seat = new JsSeat(this.lock, this.syncCaller, cellOf(taskId));
    try {
      return spec.run(checked, new BoardTicker(this.board, taskId, seat));
    } finally {
      seat.leave();
    }
  }

  call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    this.defaultPool ??= this.makePool({ minThreads: 0, maxThreads: availableParallelism() }, 'default');
    return this.defaultPool.call(kernel, args, signal);
  }

  createPool(threads: number, label: string): WorkerPool {
    return this.makePool({ minThreads: threads, maxThreads: threads }, label);
  }

  private makePool(threads: { minThreads: number; maxThreads: number }, label: string): JsWorkerPool {
    const pool = ++this.pools;
    const workerData: JsWorkerData = { board: this.board, gil: this.lock.state, pool, label };
    // Idle threads stay (unref'd, so they keep no process alive): each owns a slot of the lock.
    const piscina = new Piscina<JsTask, unknown>({ filename: WORKER_FILE, workerData, ...threads, idleTimeout: Infinity });
    return new JsWorkerPool(piscina, this.board, () => this.lock.retirePool(pool));
  }
}

/** One Piscina pool of the backend, with cancellable tasks. */
class JsWorkerPool implements WorkerPool {
  /** The tasks not yet settled, by task id: what a shutdown waits for or cancels. */
  private readonly inFlight = new Map<number, Promise<unknown>>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly piscina: Piscina<JsTask, unknown>,
    private readonly board: ReturnType<typeof createBreakerBoard>,
    private readonly retire: () => void,
  ) {}

  async call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    const checked = jsKernels[kernel].check(args);
    if (this.closing) throw poolShutDownError();
    return runAbortable(signal, () => {
      const taskId = nextTaskId();
      const task: JsTask = { kernel, args: checked, taskId };
      const promise = this.piscina
        .run(task)
        .catch((error: unknown) => {
          throw isCancelled(this.board, taskId) ? new CancelledError() : error;
        })
        .finally(() => this.inFlight.delete(taskId));
      this.inFlight.set(taskId, promise);
      return { promise, cancel: () => cancelTask(this.board, taskId) };
    });
  }

  shutdown(cancelPending: boolean): Promise<void> {
    if (cancelPending) for (const taskId of this.inFlight.keys()) cancelTask(this.board, taskId);
    this.closing ??= (async () => {
      await Promise.allSettled(this.inFlight.values());
      await this.piscina.destroy();
      this.retire();
    })();
    return this.closing;
  }
}
