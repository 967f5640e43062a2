// The entry point of the JS backend's worker threads (loaded by Piscina).

import { workerData } from 'node:worker_threads';
import { BoardTicker, CancelledError, isCancelled, type BreakerBoard } from '../breaker';
import { jsKernels, type KernelName } from '../kernels';
import { movable, packError } from './thread-crossing';

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
  try {
    return movable(jsKernels[kernel].run(args, new BoardTicker(board, taskId)));
  } catch (error) {
    throw packError(error);
  }
}
