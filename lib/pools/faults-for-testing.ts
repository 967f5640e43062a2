// Test-only hooks, outside the documented API: a way to make a pool's worker fail on purpose
// while it runs a task — throw, exit, crash, be killed, stop listening — so that the tests can
// check that the pool reports it, replaces the worker and loses nothing. A pool takes a fault
// only through `submitFault` (its method under `RUN_FAULT`), never through `submit`.
//
//   const { submitFault } = require('gil-lab/dist/pools/faults-for-testing');
//   await submitFault(pool, { kind: 'exit', code: 3 });   // rejects with WorkerExitedError

import { FAULT_FOR_TESTING, type Fault } from './process-protocol';

export { FAULT_FOR_TESTING, type Fault };

/** The pool method that runs one fault as a task. */
export const RUN_FAULT = Symbol('gil-lab.runFaultForTesting');

export interface FaultInjectable {
  [RUN_FAULT](fault: Fault, signal?: AbortSignal): Promise<unknown>;
}

export function submitFault(pool: FaultInjectable, fault: Fault, options: { signal?: AbortSignal } = {}): Promise<unknown> {
  return pool[RUN_FAULT](fault, options.signal);
}

export class FaultForTestingError extends Error {
  readonly code = 'ERR_FAULT_FOR_TESTING';
  constructor() {
    super('a fault injected for testing');
    this.name = 'FaultForTestingError';
  }
}

/** Runs `fault` in the worker that took it (a child process or a worker thread). */
export async function injectFault(fault: Fault): Promise<unknown> {
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
      process.kill(process.pid, 'SIGKILL');
      return new Promise(() => {});
    case 'block':
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, fault.ms);
      return 'unblocked';
  }
}
