// The entry point of the JS backend's worker threads (loaded by Piscina). Each thread joins the
// process's JS lock when it starts, and holds the lock for each task it runs.

import { threadId, workerData } from 'node:worker_threads';
import { BoardTicker, cellOf, isCancelled, type BreakerBoard } from '../breaker';
import { CancelledError } from '../errors';
import { JsGil, JsSeat, type JsGilState } from '../gil/js-lock';
import { jsKernels, type KernelName } from '../kernels';
import {
  FAULT_FOR_TESTING,
  injectFault,
  injectThreadStartupFault,
  meetFaultBeforeStart,
  type Fault,
  type ThreadStartupFaults,
} from '../pools/faults-for-testing';
import { movable, packError } from './thread-crossing';

export interface JsTask {
  /** A kernel, or a fault injected by a test (`faults-for-testing.ts`). */
  kernel: KernelName | typeof FAULT_FOR_TESTING;
  /** Already checked on the submitting thread. */
  args: unknown[];
  taskId: number;
}

export interface JsWorkerData {
  board: BreakerBoard;
  gil: JsGilState;
  /** Names this pool's threads in the lock's stats. */
  label: string;
  /** Test-only faults for the threads that start. */
  startupFaults: ThreadStartupFaults;
  /**
   * Cell `cellOf(id)` holds `id` once a thread of the pool has started task `id`: a thread
   * that dies fails only the task it had started; one handed to it, not yet started, runs again.
   */
  started: Int32Array;
}

const { board, gil: gilState, label, startupFaults, started } = workerData as JsWorkerData;
injectThreadStartupFault(startupFaults);
const gil = new JsGil(gilState, board.bits);
const thread = gil.register(`${label}-${threadId}`, threadId);

/** The seat of the task this thread runs, if any. */
let running: JsSeat | undefined;

// A thread that ends while it runs a task (process.exit, an uncaught exception) lets the lock
// go and leaves its slot, as one that returns does: else every other thread would wait for
// it for ever. (Its pool's 'workerDestroy' cannot tell which thread it was: an exited
// thread's id reads -1 there.)
process.on('exit', () => {
  running?.leave();
  gil.retireThread(threadId);
});

export default function runTask({ kernel, args, taskId }: JsTask): unknown {
  if (kernel === FAULT_FOR_TESTING) meetFaultBeforeStart(args[0] as Fault);
  Atomics.store(started, cellOf(taskId), taskId);
  if (isCancelled(board, taskId)) throw new CancelledError();
  const seat = new JsSeat(gil, thread, cellOf(taskId));
  running = seat;
  try {
    // A fault runs as a kernel does, holding the lock.
    if (kernel === FAULT_FOR_TESTING) return injectFault(args[0] as Fault).catch((error: unknown) => Promise.reject(packError(error)));
    return movable(jsKernels[kernel].run(args, new BoardTicker(board, taskId, seat)));
  } catch (error) {
    throw packError(error);
  } finally {
    running = undefined;
    seat.leave();
  }
}
