import type { BackendName } from '../backend-names';
import type { GilControl } from '../gil/types';
import type { KernelName } from '../kernels';
import type { Fault, StartupFault } from '../pools/faults-for-testing';


/** What the public API needs of a backend. Both check arguments before any work starts. */
export interface Backend {
  readonly name: BackendName;
  /**
   * The kernel's sync form: runs it on the calling thread, under the backend's lock, and throws a TypeError/RangeError
   * on bad arguments. `kernels.NAMESync` is this very function, so that a call pays for no
   * layer between the caller and the backend.
   */
  syncKernel(kernel: KernelName): (...args: unknown[]) => unknown;
  /** Runs a kernel off the event loop, on the backend's default pool. Never throws: rejects on bad arguments, before any work starts. */
  call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown>;
  /** A pool of exactly `threads` threads, named `label-…` in the lock's stats. */
  createPool(threads: number, label: string): WorkerPool;
  /** The backend's emulated GIL: one per process, shared by its pools and sync calls. */
  readonly gil: GilControl;
}

/** A pool of threads of one backend that run kernels under its lock. */
export interface WorkerPool {
  /** As `Backend.call`, on this pool; rejects once the pool is shut down. */
  call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown>;
  /**
   * Refuses new tasks. With `cancelPending`, the queued tasks never run and the running ones
   * stop at their next tick (both reject with a CancelledError); without, they all finish.
   * Resolves once every task has settled and every thread has exited. May be called again
   * (to cancel after a shutdown that lets tasks finish): each call resolves at that same time.
   */
  shutdown(cancelPending: boolean): Promise<void>;
  /** Test-only (`faults-for-testing.ts`): runs `fault` as a task on one of the pool's threads. */
  runFault(fault: Fault, signal?: AbortSignal): Promise<unknown>;
  /** Test-only: the next `times` threads that the pool starts meet `fault` before they are ready. */
  failNextStarts(fault: StartupFault, times: number): void;
}
