import type { BackendName } from '../backend-names';
import type { GilControl } from '../gil/types';
import type { KernelName } from '../kernels';

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
  /**
   * A pool of exactly `threads` threads, named `label-…` in the lock's stats. They share the
   * main lock; or, given `interpreters`, they are spread over that many new interpreters, each
   * with a lock of its own.
   */
  createPool(threads: number, label: string, interpreters?: number): WorkerPool;
  /** The backend's emulated GILs: the main one, shared by its thread pools and sync calls, and each interpreter's. */
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
}
