// The entry point of the JS backend's worker threads (loaded by Piscina). Each thread joins the
// process's JS lock when it starts, and holds the lock for each task it runs.

import { threadId, workerData } from 'node:worker_threads';
import { BoardTicker, CancelledError, cellOf, isCancelled, type BreakerBoard } from '../breaker';
import { JsGil, JsSeat, type JsGilState } from '../gil/js-lock';
import { jsKernels, type KernelName } from '../kernels';
import { injectFault, type Fault } from '../pools/faults-for-testing';
import { movable, packError } from './thread-crossing';

export interface JsTask {
  kernel: KernelName;
  /** Already checked on the submitting thread. */
  args: unknown[];
  taskId: number;
  /** A fault to inject instead of the kernel (tests only, see `faults-for-testing.ts`). */
  fault?: Fault;
}

export interface JsWorkerData {
  board: BreakerBoard;
  gil: JsGilState;
  /** Names this pool's threads in the lock's stats. */
  label: string;
}

const { board, gil: gilState, label } = workerData as JsWorkerData;
const gil = new JsGil(gilState, board.bits);
const thread = gil.register(`${label}-${threadId}`, threadId);

export default function runTask({ kernel, args, taskId, fault }: JsTask): unknown {
  if (isCancelled(board, taskId)) throw new CancelledError();
  if (fault) return injectFault(fault).catch((error: unknown) => Promise.reject(packError(error)));
  const seat = new JsSeat(gil, thread, cellOf(taskId));
  try {
    return movable(jsKernels[kernel].run(args, new BoardTicker(board, taskId, seat)));
  } catch (error) {
    throw packError(error);
  } finally {
    seat.leave();
  }
}
