import type { KernelName } from '../kernels';

export type BackendName = 'native' | 'js';

/** What the public API needs of a backend. Both check arguments before any work starts. */
export interface Backend {
  readonly name: BackendName;
  /** Runs a kernel on the calling thread. Throws a TypeError/RangeError on bad arguments. */
  callSync(kernel: KernelName, args: readonly unknown[]): unknown;
  /** Runs a kernel off the event loop. Rejects on bad arguments, before any work starts. */
  call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown>;
}
