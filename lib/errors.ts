// The errors gil-lab rejects with, beyond the TypeError/RangeError of bad arguments (`args.ts`):
// a leaf that imports nothing of ours.

/** A task stopped because its AbortSignal was aborted, as Node's own APIs report it. */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(reason?: unknown) {
    super('The operation was aborted', reason === undefined ? undefined : { cause: reason });
    this.name = 'AbortError';
  }
}

/** A task that will never finish because its pool cancelled it (a shutdown with `cancelFutures`). */
export class CancelledError extends Error {
  readonly code = 'ERR_GIL_LAB_CANCELLED';
  constructor(message = 'the task was cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Futures that were not done in the time given (`asCompleted` with `timeout`). */
export class TimeoutError extends Error {
  readonly code = 'ERR_GIL_LAB_TIMEOUT';
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/**
 * A task whose worker — a thread or a child process — died while it ran it: a crash, a call
 * to `process.exit`, a kill signal. The pool replaces the worker and goes on with the rest.
 */
export class WorkerExitedError extends Error {
  readonly code = 'ERR_GIL_LAB_WORKER_EXITED';
  constructor(
    message: string,
    /** The worker's exit code, or null when a signal ended it. */
    readonly exitCode: number | null,
    /** The signal that ended it (`'SIGKILL'`, ...), or null. */
    readonly signal: NodeJS.Signals | null,
  ) {
    super(message);
    this.name = 'WorkerExitedError';
  }
}

/**
 * A pool that cannot go on: its workers die as they start (a backend that does not load, a
 * crash at start-up), so that no task could ever run. It rejects every queued and every later
 * task with this error; `cause` is the last worker's death. Shut it down and make another.
 */
export class BrokenPoolError extends Error {
  readonly code = 'ERR_GIL_LAB_BROKEN_POOL';
  constructor(message: string, cause: Error) {
    super(message, { cause });
    this.name = 'BrokenPoolError';
  }
}

/**
 * A call of the wasm backend that cannot finish because a thread of its WebAssembly instance
 * trapped: a Rust panic, which is an abort on wasm. Every call pending on that instance rejects
 * with this error (the trapped thread may have held the instance's locks, so none of its memory
 * is trusted); the next call runs on a new instance. `cause` is the trap.
 */
export class WasmTrapError extends Error {
  readonly code = 'ERR_GIL_LAB_WASM_TRAP';
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'WasmTrapError';
  }
}

/** What `submit` rejects with once `shutdown` has been called. */
export function poolShutDownError(): Error {
  return Object.assign(new Error('the pool is shut down and takes no new tasks'), {
    code: 'ERR_GIL_LAB_POOL_SHUT_DOWN',
  });
}

/** How a worker ended, in words: "exited with code 7", "was killed by signal SIGKILL". */
export function describeExit(exitCode: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `was killed by signal ${signal}` : `exited with code ${exitCode}`;
}

/**
 * How many workers in turn a task may be handed to that each die before they start it: a
 * task that kills every worker it reaches as it arrives (its arguments, say) must not go
 * round the pool for ever.
 */
export const MAX_HANDOFFS = 3;

/** The error of a task given up after MAX_HANDOFFS workers died, each before it started it. */
export function diedBeforeStartError(
  task: string,
  workers: 'child processes' | 'worker threads',
  lastDeath: string,
  exitCode: number | null,
  signal: NodeJS.Signals | null,
): WorkerExitedError {
  const message = `${task} was handed to ${MAX_HANDOFFS} ${workers} in turn, and each died before it started it; the last ${lastDeath}`;
  return new WorkerExitedError(message, exitCode, signal);
}

/**
 * A ClusterPool that cannot reach Redis: a wrong URL, a server that is down, or one that went
 * away for longer than the pool's `redisTimeout`. The message names the server.
 */
export class RedisUnavailableError extends Error {
  readonly code = 'ERR_GIL_LAB_REDIS_UNAVAILABLE';
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'RedisUnavailableError';
  }
}

/** Tasks of a ClusterPool that no worker host was alive to run, for longer than the pool's `noHostTimeout`. */
export class NoHostError extends Error {
  readonly code = 'ERR_GIL_LAB_NO_HOST';
  constructor(message: string) {
    super(message);
    this.name = 'NoHostError';
  }
}

/** Why a CPython could not serve a lab run: what `code` says, and which interpreter, in `message`. */
export type PythonErrorCode =
  | 'ERR_GIL_LAB_PYTHON_NOT_FOUND'
  | 'ERR_GIL_LAB_PYTHON_NOT_EXECUTABLE'
  | 'ERR_GIL_LAB_PYTHON_TOO_OLD'
  /** It started but did not serve: it died, hung, printed what is not an answer, or a request failed. */
  | 'ERR_GIL_LAB_PYTHON_FAILED';

/** A CPython that `compare({ python })` cannot use, or that failed it. */
export class PythonError extends Error {
  constructor(
    message: string,
    readonly code: PythonErrorCode,
  ) {
    super(message);
    this.name = 'PythonError';
  }
}
