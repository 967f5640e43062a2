// The JS backend: the kernels of `lib/kernels/` on the calling thread (sync), or on worker
// threads of a Piscina pool (async).

import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { cancelTask, createBreakerBoard, isCancelled, quietTicker } from '../breaker';
import { CancelledError, runAbortable } from '../errors';
import { jsKernels, type KernelName } from '../kernels';
import type { Backend } from './backend';
import type { JsTask, JsWorkerData } from './js-worker';

const WORKER_FILE = path.join(__dirname, 'js-worker.js');

/** Task ids for the breaker board: positive int32, wrapping. */
let lastTaskId = 0;
function nextTaskId(): number {
  lastTaskId = lastTaskId >= 0x7fffffff ? 1 : lastTaskId + 1;
  return lastTaskId;
}

export class JsBackend implements Backend {
  readonly name = 'js' as const;
  private readonly board = createBreakerBoard();
  private pool: Piscina<JsTask, unknown> | undefined;

  syncKernel(kernel: KernelName): (...args: unknown[]) => unknown {
    const spec = jsKernels[kernel];
    return (...args) => spec.run(spec.check(args), quietTicker);
  }

  async call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    const checked = jsKernels[kernel].check(args);
    return runAbortable(signal, () => {
      const taskId = nextTaskId();
      const task: JsTask = { kernel, args: checked, taskId };
      const promise = this.workers()
        .run(task)
        .catch((error: unknown) => {
          throw isCancelled(this.board, taskId) ? new CancelledError() : error;
        });
      return { promise, cancel: () => cancelTask(this.board, taskId) };
    });
  }

  private workers(): Piscina<JsTask, unknown> {
    if (this.pool === undefined) {
      const workerData: JsWorkerData = { board: this.board };
      const threads = availableParallelism();
      this.pool = new Piscina({ filename: WORKER_FILE, workerData, minThreads: 0, maxThreads: threads });
    }
    return this.pool;
  }
}
