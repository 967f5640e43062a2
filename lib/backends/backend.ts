import type { KernelName } from '../kernels';

export type BackendName = 'native' | 'js';

/** What the public API needs of a backend. Both check arguments before any work starts. */
export interface Backend {
  readonly name: BackendName;
  /**
   * The kernel's sync form: runs it on the calling thread, and throws a TypeError/RangeError
   * on bad arguments. `kernels.NAMESync` is this very function, so that a call pays for no
   * layer between the caller and the backend.
   */
  syncKernel(kernel: KernelName): (...args: unknown[]) => unknown;
  /** Runs a kernel off the event loop. Never throws: rejects on bad arguments, before any work starts. */
  call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown>;
}
