// The native backend: the exports of the napi-rs binding (`src/`), called by kernel name.

import { CancelledError, runAbortable } from '../errors';
import type { KernelName } from '../kernels';
import type { Backend } from './backend';

/** The part of the binding's surface that this backend calls (see `src/`). */
export interface NativeBinding {
  CancelToken: new () => { cancel(): void };
  [exported: string]: unknown;
}

type SyncExport = (...args: unknown[]) => unknown;
type AsyncExport = (pool: unknown, token: unknown, ...args: unknown[]) => Promise<unknown>;

export class NativeBackend implements Backend {
  readonly name = 'native' as const;

  constructor(private readonly binding: NativeBinding) {}

  /** The binding's own export: it checks its arguments, and needs no `this`. */
  syncKernel(kernel: KernelName): SyncExport {
    return this.binding[`${kernel}Sync`] as SyncExport;
  }

  call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    const run = this.binding[kernel] as AsyncExport;
    const token = signal === undefined ? null : new this.binding.CancelToken();
    let promise: Promise<unknown>;
    try {
      // The binding checks the arguments before it queues anything, and throws here.
      promise = run(null, token, ...args).catch(fromNative);
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal === undefined) return promise;
    if (signal.aborted) {
      // Aborted before the call: it was only checked and queued; take it back.
      token?.cancel();
      promise.catch(() => {});
    }
    return runAbortable(signal, () => ({ promise, cancel: () => token?.cancel() }));
  }
}

/** The binding rejects a cancelled task with napi's `Cancelled` status. */
function fromNative(error: unknown): never {
  if ((error as { code?: unknown })?.code === 'Cancelled') throw new CancelledError();
  throw error;
}
