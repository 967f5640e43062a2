// The JS backend: the kernels of `lib/kernels/` on the calling thread (sync), or on worker
// threads of Piscina pools (async). One breaker board and one main lock serve the whole
// process: every thread pool's workers and the main thread's sync calls share them; an
// interpreter pool's workers share the board, and each interpreter has a lock of its own.

import { availableParallelism } from 'node:os';
import { threadId } from 'node:worker_threads';
import { types } from 'node:util';
import { Piscina } from 'piscina';
import { BoardTicker, cancelTask, cellOf, CELLS, createBreakerBoard, isCancelled, type BreakerBoard } from '../breaker';
import { runAbortable } from '../abort';
import { copyOf, isShared } from '../args';
import {
  BrokenPoolError,
  CancelledError,
  describeExit,
  diedBeforeStartError,
  MAX_HANDOFFS,
  poolShutDownError,
  WorkerExitedError,
} from '../errors';
import { sinceOrigin, syncCallerName } from '../gil/control';
import type { GilControl, GilMode, RawThreadStats, RawTraceEvent } from '../gil/types';
import { createJsGilState, JsGil, JsSeat, type JsGilThread } from '../gil/js-lock';
import { jsKernels, type JsKernel, type KernelName } from '../kernels';
import { JS_WORKER_ENTRY } from '../entries';
import type { Backend, WorkerPool } from './backend';
import type { JsInterpreters, JsTask, JsWorkerData } from './js-worker';
import { unpackError } from './thread-crossing';

/**
 * How long an idle worker thread of the default pool waits for the next task before it exits.
 * Piscina's default (0) would start a fresh thread, tens of milliseconds, for a task that
 * follows a pause. Idle workers do not keep the process alive.
 */
const IDLE_TIMEOUT_MS = 30_000;

/** Task ids for the breaker board: positive int32, wrapping. */
let lastTaskId = 0;
function nextTaskId(): number {
  lastTaskId = lastTaskId >= 0x7fffffff ? 1 : lastTaskId + 1;
  return lastTaskId;
}

/**
 * A sync call reads typed arrays in place, as only this thread runs meanwhile — unless they
 * live in a SharedArrayBuffer, which other threads may write: those it copies first.
 */
function unshared(arg: unknown): unknown {
  return types.isTypedArray(arg) && isShared(arg) ? copyOf(arg) : arg;
}

/**
 * An async call never reads an array that JS may change while the task waits or runs: it
 * copies each typed array into a buffer of its own, just its bytes, and moves that buffer to
 * the worker.
 */
function ownCopies(args: unknown[]): { args: unknown[]; transferList: ArrayBuffer[] | undefined } {
  if (!args.some((arg) => types.isTypedArray(arg))) return { args, transferList: undefined };
  const transferList: ArrayBuffer[] = [];
  const copies = args.map((arg) => {
    if (!types.isTypedArray(arg)) return arg;
    const copy = copyOf(arg);
    transferList.push(copy.buffer as ArrayBuffer);
    return copy;
  });
  return { args: copies, transferList };
}

/** One interpreter's lock, as the main thread sees it. */
interface Interpreter {
  readonly number: number;
  readonly lock: JsGil;
  /** Its pool has shut down: a reset of the stats forgets it. */
  closed: boolean;
}

export class JsBackend implements Backend {
  readonly name = 'js' as const;
  private readonly board = createBreakerBoard();
  private readonly lock = new JsGil(createJsGilState(), this.board.bits);
  /** The main interpreter (0), then those of the interpreter pools, in the order they were made. */
  private interpreters: Interpreter[] = [{ number: 0, lock: this.lock, closed: false }];
  private lastInterpreter = 0;
  private syncCaller: JsGilThread | undefined;
  private defaultPool: JsWorkerPool | undefined;

  readonly gil: GilControl = {
    setMode: (mode: GilMode) => {
      for (const { lock } of this.interpreters) lock.mode = mode;
    },
    setSwitchInterval: (seconds: number) => {
      for (const { lock } of this.interpreters) lock.switchIntervalUs = Math.round(seconds * 1e6);
    },
    stats: () => ({
      threads: this.interpreters.flatMap(({ number, lock }) =>
        lock.stats().map(({ slot: _slot, name, ...counts }): RawThreadStats => ({
          interpreter: number,
          thread: name,
          ...counts,
        })),
      ),
      interpreters: this.interpreters.map(({ number, lock }) => ({ interpreter: number, switches: lock.switches() })),
    }),
    resetStats: () => {
      this.interpreters = this.interpreters.filter(({ closed }) => !closed);
      for (const { lock } of this.interpreters) lock.resetStats();
    },
    trace: (limit: number) => {
      const events = this.interpreters.flatMap(({ number, lock }) => {
        const names = new Map(lock.stats().map((t) => [t.slot, t.name]));
        const shift = sinceOrigin(lock.state.epoch[0]);
        return lock.trace(limit).map(({ slot, timeNs, ...event }): RawTraceEvent => ({
          interpreter: number,
          thread: names.get(slot) ?? `slot-${slot}`,
          ...event,
          timeNs: timeNs + shift,
        }));
      });
      events.sort((a, b) => a.timeNs - b.timeNs);
      return events.slice(Math.max(0, events.length - limit));
    },
  };

  syncKernel(kernel: KernelName): (...args: unknown[]) => unknown {
    const spec = jsKernels[kernel];
    return (...args) => this.runSync(spec, args);
  }

  /** A sync call: on this thread, under the lock, as a task of its own on the board. */
  private runSync(spec: JsKernel, args: readonly unknown[]): unknown {
    const checked = spec.check(args).map(unshared);
    this.syncCaller ??= this.lock.register(syncCallerName(), threadId);
    const taskId = nextTaskId();
    const seat = new JsSeat(this.lock, this.syncCaller, cellOf(taskId));
    try {
      return spec.run(checked, new BoardTicker(this.board, taskId, seat));
    } finally {
      seat.leave();
    }
  }

  call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    // A broken default pool is made anew: its tasks were refused, and the cause may have passed.
    if (this.defaultPool?.broken) this.defaultPool = undefined;
    this.defaultPool ??= this.makePool(
      { minThreads: 0, maxThreads: availableParallelism(), idleTimeout: IDLE_TIMEOUT_MS },
      'default',
      [this.lock],
    );
    return this.defaultPool.call(kernel, args, signal);
  }

  createPool(threads: number, label: string, interpreters?: number): WorkerPool {
    const fixed = { minThreads: threads, maxThreads: threads, idleTimeout: Infinity };
    if (interpreters === undefined) return this.makePool(fixed, label, [this.lock]);
    const made = Array.from({ length: interpreters }, (): Interpreter => {
      const lock = new JsGil(createJsGilState(), this.board.bits);
      lock.switchIntervalUs = this.lock.switchIntervalUs;
      lock.mode = this.lock.mode;
      return { number: ++this.lastInterpreter, lock, closed: false };
    });
    this.interpreters.push(...made);
    const pool = this.makePool(
      fixed,
      label,
      made.map(({ lock }) => lock),
      {
        locks: made.map(({ lock }) => lock.state),
        members: new Int32Array(new SharedArrayBuffer(4 * interpreters)),
      },
    );
    pool.onClosed = () => made.forEach((interpreter) => (interpreter.closed = true));
    return pool;
  }

  private makePool(
    threads: { minThreads: number; maxThreads: number; idleTimeout: number },
    label: string,
    /** The locks its threads join, to free a thread's slot when it exits. */
    locks: JsGil[],
    interpreters?: JsInterpreters,
  ): JsWorkerPool {
    const started = new Int32Array(new SharedArrayBuffer(4 * CELLS));
    const workerData: JsWorkerData = { board: this.board, gil: this.lock.state, interpreters, label, started };
    // `atomics: 'async'`: between tasks a worker waits with Atomics.waitAsync, its event loop
    // free to run timers, where 'sync' blocks it in Atomics.wait (BENCHMARKS.md, dispatch).
    const piscina = new Piscina<JsTask, unknown>({
      filename: JS_WORKER_ENTRY,
      workerData,
      ...threads,
      atomics: 'async',
    });
    // A thread that exits frees its slot of its lock: its stats stay until the next reset.
    piscina.on('workerDestroy', (worker: { id: number }) => locks.forEach((lock) => lock.retireThread(worker.id)));
    return new JsWorkerPool(piscina, this.board, started);
  }
}

/** Piscina's error for a task whose worker thread exited: `worker exited with code: 3`. */
const WORKER_EXITED = /^worker exited with code: (-?\d+)$/;

/**
 * One Piscina pool of the backend, with cancellable tasks.
 *
 * Piscina replaces a thread that dies mid-task (the task fails with a WorkerExitedError when it
 * exited), but starts no more threads once one has died as it started (its module failed to
 * load, it could not be made): its queued tasks would then wait for ever. And it reports the
 * death of a thread with no task as an 'error' event, which unheard would end the process.
 * So: every 'error' is heard; and when a thread's death leaves the pool with no thread while
 * tasks wait, the pool is broken: it rejects them, and every later task, with a
 * BrokenPoolError (the backend makes a new default pool at its next call).
 */
class JsWorkerPool implements WorkerPool {
  /** The ids of the tasks not yet settled: what a shutdown waits for or cancels. */
  private readonly inFlight = new Set<number>();
  /** Called when the last task in flight settles, while a shutdown waits for it. */
  private onIdle: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  /** A thread's error that no task received: the likely cause of its death. */
  private lastError: Error | undefined;
  broken: BrokenPoolError | undefined;
  /** Called once every thread has exited, after a shutdown or a break. */
  onClosed: (() => void) | undefined;

  constructor(
    private readonly piscina: Piscina<JsTask, unknown>,
    private readonly board: BreakerBoard,
    private readonly started: JsWorkerData['started'],
  ) {
    piscina.on('error', (error: Error) => (this.lastError = error));
    // Piscina starts a replacement, if it will, just after it tells of the death.
    piscina.on('workerDestroy', () => setImmediate(() => this.breakIfStranded()));
  }

  call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    let checked: unknown[];
    try {
      checked = jsKernels[kernel].check(args);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.run(kernel, checked, signal);
  }

  private run(kernel: JsTask['kernel'], checked: unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closing) return Promise.reject(poolShutDownError());
    return runAbortable(signal, () => {
      const taskId = nextTaskId();
      this.inFlight.add(taskId);
      const promise = this.handOff(kernel, checked, taskId, 1).then(
        (value) => {
          this.settled(taskId);
          return value;
        },
        (error: unknown) => {
          this.settled(taskId);
          throw this.failure(error, taskId, kernel);
        },
      );
      // A settled task's cell may serve a newer task by now: only one in flight is cancelled.
      const cancel = () => {
        if (this.inFlight.has(taskId)) cancelTask(this.board, taskId);
      };
      return { promise, cancel };
    });
  }

  /**
   * Hands the task to a thread, and again, up to MAX_HANDOFFS threads in all, while the thread
   * it was handed to dies before it starts it (Piscina fails every task it gave a thread that
   * died). Each hand-off copies the arguments afresh: the last copies moved to the dead thread.
   */
  private async handOff(
    kernel: JsTask['kernel'],
    checked: unknown[],
    taskId: number,
    handoffs: number,
  ): Promise<unknown> {
    const { args, transferList } = ownCopies(checked);
    try {
      return await this.piscina.run({ kernel, args, taskId }, transferList && { transferList });
    } catch (error) {
      if (!this.diedBeforeStart(error, taskId)) throw error;
      if (handoffs < MAX_HANDOFFS) return this.handOff(kernel, checked, taskId, handoffs + 1);
      const exited = error instanceof Error ? WORKER_EXITED.exec(error.message) : null;
      const exitCode = exited ? Number(exited[1]) : 1;
      const death = exited
        ? describeExit(exitCode, null)
        : `died of ${(error as Error).name}: ${(error as Error).message}`;
      throw diedBeforeStartError(kernel, 'worker threads', death, exitCode, null);
    }
  }

  /**
   * Whether a failed task was never started, by a thread that died: not a task of a broken
   * pool (its destroy fails them), nor a cancelled one, nor one that could not be sent.
   */
  private diedBeforeStart(error: unknown, taskId: number): boolean {
    if (this.broken || isCancelled(this.board, taskId)) return false;
    if (error instanceof Error && error.name === 'DataCloneError') return false;
    return Atomics.load(this.started, cellOf(taskId)) !== taskId;
  }

  private settled(taskId: number): void {
    this.inFlight.delete(taskId);
    if (this.inFlight.size === 0) this.onIdle?.();
  }

  /** What a task that Piscina failed rejects with. */
  private failure(error: unknown, taskId: number, kernel: JsTask['kernel']): unknown {
    // A broken pool's destroy() rejects the tasks that wait: they fail as broken.
    if (this.broken) return this.broken;
    if (isCancelled(this.board, taskId)) return new CancelledError();
    if (error instanceof WorkerExitedError) return error; // given up after MAX_HANDOFFS
    const exited = error instanceof Error && WORKER_EXITED.exec(error.message);
    if (exited) {
      const exitCode = Number(exited[1]);
      return new WorkerExitedError(
        `the worker thread running ${kernel} ${describeExit(exitCode, null)}`,
        exitCode,
        null,
      );
    }
    return unpackError(error);
  }

  /** Breaks the pool if tasks wait and no thread is left, nor coming, to run them. */
  private breakIfStranded(): void {
    if (this.broken || this.closing || this.inFlight.size === 0 || this.piscina.threads.length > 0) return;
    const cause = this.lastError ?? new Error('they exited');
    this.broken = new BrokenPoolError(
      `the pool is broken: its worker threads died as they started, and none is left to run its tasks: ${cause.message}`,
      cause,
    );
    // Rejects every task that waits, each with the error above (`failure`).
    this.closing = this.piscina.destroy().finally(() => this.onClosed?.());
    this.closing.catch(() => {});
  }

  shutdown(cancelPending: boolean): Promise<void> {
    if (cancelPending) for (const taskId of this.inFlight) cancelTask(this.board, taskId);
    this.closing ??= (async () => {
      if (this.inFlight.size > 0) await new Promise<void>((resolve) => (this.onIdle = resolve));
      await this.piscina.destroy().finally(() => this.onClosed?.());
    })();
    return this.closing;
  }
}
