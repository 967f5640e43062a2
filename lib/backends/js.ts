// The JS backend: the kernels of `lib/kernels/` on the calling thread (sync), or on worker
// threads of a Piscina pool (async).

import { availableParallelism } from 'node:os';
import path from 'node:path';
import { types } from 'node:util';
import { Piscina } from 'piscina';
import { cancelTask, createBreakerBoard, isCancelled, quietTicker } from '../breaker';
import { CancelledError, runAbortable } from '../errors';
import { jsKernels, type KernelName } from '../kernels';
import { copyOf, isShared } from '../kernels/args';
import type { Backend } from './backend';
import type { JsTask, JsWorkerData } from './js-worker';
import { unpackError } from './thread-crossing';

const WORKER_FILE = path.join(__dirname, 'js-worker.js');

/**
 * How long an idle worker thread waits for the next task before it exits. Piscina's default
 * (0) would start a fresh thread, tens of milliseconds, for a task that follows a pause.
 * Idle workers do not keep the process alive.
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
function ownCopies(args: unknown[]): { args: unknown[]; transferList: ArrayBuffer[] } {
  const transferList: ArrayBuffer[] = [];
  const copies = args.map((arg) => {
    if (!types.isTypedArray(arg)) return arg;
    const copy = copyOf(arg);
    transferList.push(copy.buffer as ArrayBuffer);
    return copy;
  });
  return { args: copies, transferList };
}

export class JsBackend implements Backend {
  readonly name = 'js' as const;
  private readonly board = createBreakerBoard();
  private pool: Piscina<JsTask, unknown> | undefined;

  syncKernel(kernel: KernelName): (...args: unknown[]) => unknown {
    const spec = jsKernels[kernel];
    return (...args) => spec.run(spec.check(args).map(unshared), quietTicker);
  }

  async call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    const checked = jsKernels[kernel].check(args);
    return runAbortable(signal, () => {
      const taskId = nextTaskId();
      const { args: copies, transferList } = ownCopies(checked);
      const task: JsTask = { kernel, args: copies, taskId };
      const promise = this.workers()
        .run(task, { transferList })
        .catch((error: unknown) => {
          throw isCancelled(this.board, taskId) ? new CancelledError() : unpackError(error);
        });
      return { promise, cancel: () => cancelTask(this.board, taskId) };
    });
  }

  private workers(): Piscina<JsTask, unknown> {
    if (this.pool === undefined) {
      const workerData: JsWorkerData = { board: this.board };
      const threads = availableParallelism();
      this.pool = new Piscina({ filename: WORKER_FILE, workerData, minThreads: 0, maxThreads: threads, idleTimeout: IDLE_TIMEOUT_MS });
    }
    return this.pool;
  }
}
