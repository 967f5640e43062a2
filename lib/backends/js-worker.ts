// The entry point of the JS backend's worker threads (loaded by Piscina). Each thread joins a
// lock when it starts — the process's main JS lock, or, in an interpreter pool, the lock of
// the interpreter with the fewest threads — and holds it for each task it runs.

import { threadId, workerData } from 'node:worker_threads';
import { BoardTicker, cellOf, isCancelled, type BreakerBoard } from '../breaker';
import { CancelledError } from '../errors';
import { JsGil, JsSeat, type JsGilState } from '../gil/js-lock';
import { jsKernels, type KernelName } from '../kernels';
import { movable, packError } from './thread-crossing';

export interface JsTask {
  kernel: KernelName;
  /** Already checked on the submitting thread. */
  args: unknown[];
  taskId: number;
}

/** An interpreter pool's locks, one per interpreter, and how many live threads each has. */
export interface JsInterpreters {
  locks: JsGilState[];
  /** The threads that have joined each lock and not exited. */
  members: Int32Array;
}

export interface JsWorkerData {
  board: BreakerBoard;
  /** The main lock, which a thread pool's threads share. */
  gil: JsGilState;
  /** In an interpreter pool: its interpreters, one of which each thread joins. */
  interpreters: JsInterpreters | undefined;
  /** Names this pool's threads in the lock's stats. */
  label: string;
  /**
   * Cell `cellOf(id)` holds `id` once a thread of the pool has started task `id`: a thread
   * that dies fails only the task it had started; one handed to it, not yet started, runs again.
   */
  started: Int32Array;
}

const { board, gil: mainLock, interpreters, label, started } = workerData as JsWorkerData;

/**
 * Joins the interpreter with the fewest live threads: threads start at once, and a thread that
 * replaces one that died takes its place. Returns the interpreter's index.
 */
function joinInterpreter({ members }: JsInterpreters): number {
  for (;;) {
    let fewest = 0;
    for (let i = 1; i < members.length; i++) if (Atomics.load(members, i) < Atomics.load(members, fewest)) fewest = i;
    const count = Atomics.load(members, fewest);
    if (Atomics.compareExchange(members, fewest, count, count + 1) === count) return fewest;
  }
}

const joined = interpreters === undefined ? undefined : joinInterpreter(interpreters);
const gil = new JsGil(joined === undefined ? mainLock : interpreters!.locks[joined], board.bits);
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
  if (joined !== undefined) Atomics.sub(interpreters!.members, joined, 1);
});

export default function runTask({ kernel, args, taskId }: JsTask): unknown {
  Atomics.store(started, cellOf(taskId), taskId);
  if (isCancelled(board, taskId)) throw new CancelledError();
  const seat = new JsSeat(gil, thread, cellOf(taskId));
  running = seat;
  try {
    return movable(jsKernels[kernel].run(args, new BoardTicker(board, taskId, seat)));
  } catch (error) {
    throw packError(error);
  } finally {
    running = undefined;
    seat.leave();
  }
}
