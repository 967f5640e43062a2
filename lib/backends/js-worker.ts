// The entry point of the JS backend's worker threads (loaded by Piscina).

import { types } from 'node:util';
import { workerData } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { BoardTicker, CancelledError, isCancelled, type BreakerBoard } from '../breaker';
import { jsKernels, type KernelName } from '../kernels';

export interface JsTask {
  kernel: KernelName;
  /** Already checked on the submitting thread. */
  args: unknown[];
  taskId: number;
}

export interface JsWorkerData {
  board: BreakerBoard;
}

const { board } = workerData as JsWorkerData;

export default function runTask({ kernel, args, taskId }: JsTask): unknown {
  if (isCancelled(board, taskId)) throw new CancelledError();
  const result = jsKernels[kernel].run(args, new BoardTicker(board, taskId));
  // A typed array result is the kernel's own, of exactly its length: moved, not copied, back.
  return types.isTypedArray(result) ? Piscina.move(result) : result;
}
