// Test-only hooks, outside the documented API: a way to make a pool's worker fail on purpose
// while it runs a task — throw, exit, crash, be killed, stop listening, panic in Rust — or as
// it starts, so that the tests can check that the pool reports it, replaces the worker and
// loses nothing, or says that it is broken. A pool takes a fault only through `submitFault`
// (its method under `RUN_FAULT`), never through `submit`; and start-up faults only through
// `failNextStarts` (its list under `STARTUP_FAULTS`), which reach the child as an argument that
// only the pool gives, never from the environment.
//
//   const { submitFault, failNextStarts } = require('gil-lab/dist/pools/faults-for-testing');
//   await submitFault(pool, { kind: 'exit', code: 3 });   // rejects with WorkerExitedError
//   failNextStarts(pool, { kind: 'throw' }, 3);            // the next 3 children die as they start

import { isMainThread } from 'node:worker_threads';

/**
 * The task name of the faults that tests inject; pools accept it only from here, never through
 * `submit`, which takes kernel names alone.
 */
export const FAULT_FOR_TESTING = '__faultForTesting';

/** The faults a test can inject into a worker, mid-task. */
export type Fault =
  /** The task throws an error of its own class, with a `code`. */
  | { kind: 'throw' }
  /** The worker calls `process.exit(code)`. */
  | { kind: 'exit'; code: number }
  /** An uncaught exception ends the worker (exit code 1). */
  | { kind: 'crash' }
  /** The worker sends itself SIGKILL (child processes only). */
  | { kind: 'kill' }
  /** The worker's thread blocks for `ms`, deaf to everything (an abort included). */
  | { kind: 'block'; ms: number }
  /** A Rust panic on a thread of the native backend (native children only): the task rejects with it. */
  | { kind: 'panic' }
  /** The worker dies as the task reaches it, before it starts it: SIGKILL for a child, exit code 9 for a thread. */
  | { kind: 'dieBeforeStart' };

/** The faults a test can make a child meet as it starts, before it is ready. */
export type StartupFault =
  /** Its start-up code throws (an uncaught exception: exit code 1). */
  | { kind: 'throw' }
  /** It calls `process.exit(code)`. */
  | { kind: 'exit'; code: number };

/** The pool method that runs one fault as a task. */
export const RUN_FAULT = Symbol('gil-lab.runFaultForTesting');

export interface FaultInjectable {
  [RUN_FAULT](fault: Fault, signal?: AbortSignal): Promise<unknown>;
}

export function submitFault(pool: FaultInjectable, fault: Fault, options: { signal?: AbortSignal } = {}): Promise<unknown> {
  return pool[RUN_FAULT](fault, options.signal);
}

/** The pool's list of faults for the children it starts next: each new child takes the first. */
export const STARTUP_FAULTS = Symbol('gil-lab.startupFaultsForTesting');

export interface StartupFaultInjectable {
  readonly [STARTUP_FAULTS]: { push(...faults: StartupFault[]): unknown };
}

/** Makes the next `times` workers that `pool` starts meet `fault` before they are ready. */
export function failNextStarts(pool: StartupFaultInjectable, fault: StartupFault, times = 1): void {
  pool[STARTUP_FAULTS].push(...Array.from({ length: times }, () => fault));
}

/** The argument that hands a child its start-up fault. */
const STARTUP_FAULT_ARG = '--gil-lab-startup-fault-for-testing=';

export function startupFaultArgs(fault: StartupFault | undefined): string[] {
  return fault === undefined ? [] : [STARTUP_FAULT_ARG + JSON.stringify(fault)];
}

/** In a child as it starts: meets the fault its arguments name, if any. */
export function injectStartupFault(argv: readonly string[]): void {
  const arg = argv.find((a) => a.startsWith(STARTUP_FAULT_ARG));
  if (arg !== undefined) meetStartupFault(JSON.parse(arg.slice(STARTUP_FAULT_ARG.length)) as StartupFault);
}

function meetStartupFault(fault: StartupFault): void {
  if (fault.kind === 'exit') process.exit(fault.code);
  throw new FaultForTestingError();
}

/**
 * The start-up faults of a pool's worker threads, which all share the pool's `workerData`:
 * `[faults left, kind (0 throw, 1 exit), exit code]` in shared memory, one fault taken by each
 * thread that starts.
 */
export type ThreadStartupFaults = Int32Array;

export function threadStartupFaults(): ThreadStartupFaults {
  return new Int32Array(new SharedArrayBuffer(12));
}

/** `failNextStarts` for worker threads: the next `times` threads to start meet `fault`. */
export function addThreadStartupFaults(faults: ThreadStartupFaults, fault: StartupFault, times: number): void {
  faults[1] = fault.kind === 'exit' ? 1 : 0;
  faults[2] = fault.kind === 'exit' ? fault.code : 0;
  Atomics.add(faults, 0, times);
}

/** In a worker thread as it starts: meets the next fault of its pool, if one is left. */
export function injectThreadStartupFault(faults: ThreadStartupFaults): void {
  for (let left = Atomics.load(faults, 0); left > 0; left = Atomics.load(faults, 0)) {
    if (Atomics.compareExchange(faults, 0, left, left - 1) === left) {
      meetStartupFault(faults[1] === 1 ? { kind: 'exit', code: faults[2] } : { kind: 'throw' });
    }
  }
}

export class FaultForTestingError extends Error {
  readonly code = 'ERR_FAULT_FOR_TESTING';
  constructor() {
    super('a fault injected for testing');
    this.name = 'FaultForTestingError';
  }
}

/** In the worker a task reaches, before it starts it: meets a fault that strikes there. */
export function meetFaultBeforeStart(fault: Fault): void {
  if (fault.kind !== 'dieBeforeStart') return;
  if (isMainThread) process.kill(process.pid, 'SIGKILL');
  process.exit(9);
}

/**
 * Runs `fault` in the worker that took it (a child process or a worker thread); `panic` is the
 * native binding's panic where there is one.
 */
export async function injectFault(fault: Fault, panic?: (message: string) => Promise<unknown>): Promise<unknown> {
  switch (fault.kind) {
    case 'throw':
      throw new FaultForTestingError();
    case 'exit':
      process.exit(fault.code);
    // falls through: process.exit does not return
    case 'crash':
      setImmediate(() => {
        throw new Error('a crash injected for testing');
      });
      return new Promise(() => {});
    case 'kill':
      if (!isMainThread) throw new Error('a kill signal would end the whole process: child processes only');
      process.kill(process.pid, 'SIGKILL');
      return new Promise(() => {});
    case 'block':
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, fault.ms);
      return 'unblocked';
    case 'dieBeforeStart':
      return meetFaultBeforeStart(fault); // met already, before the start: the worker is dead
    case 'panic':
      if (panic === undefined) throw new Error('a Rust panic needs the native backend');
      return panic('a panic injected for testing');
  }
}
