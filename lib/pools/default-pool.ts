// `kernels` and `kernelsFor`: every kernel as a function of one backend. The async form runs
// off the event loop, on the backend's default pool; the sync form on the calling thread.

import { checkBackendName, type BackendName } from '../backend-names';
import type { Backend } from '../backends/backend';
import type { KernelArgs, KernelName, KernelResult } from '../kernels';
import { kernelNames } from '../kernels';
import { backendFor, loadOnce } from '../loader';
import { splitCallOptions, type CallArgs, type CallOptions } from './options';

export type Kernels = {
  readonly [K in KernelName]: (...args: CallArgs<KernelArgs<K>>) => Promise<KernelResult<K>>;
} & {
  readonly [K in KernelName as `${K}Sync`]: (...args: KernelArgs<K>) => KernelResult<K>;
};

// The async forms are plain functions that return the backend's promise (not `async`
// functions, which would wrap it in one more), and the sync forms are the backend's own
// functions: a call through `kernels` costs what a call to the backend costs.
function makeKernels(backend: Backend): Kernels {
  const table: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of kernelNames) {
    table[name] = (...args: unknown[]) => {
      let fixed: unknown[];
      let options: CallOptions;
      try {
        [fixed, options] = splitCallOptions(name, args);
      } catch (error) {
        return Promise.reject(error);
      }
      return backend.call(name, fixed, options.signal);
    };
    table[`${name}Sync`] = backend.syncKernel(name);
  }
  return Object.freeze(table) as unknown as Kernels;
}

/** Every kernel: `kernels.NAME(...)` off the event loop, `kernels.NAMESync(...)` on this thread. */
export const kernels: Kernels = makeKernels(loadOnce().backend);

const kernelsByBackend = new Map<BackendName, Kernels>([[loadOnce().backend.name, kernels]]);

/**
 * The kernels of one backend, whichever is the default: to compare native, wasm and JS side by
 * side in one process. `'native'` and `'wasm'` throw where no binary of theirs loads.
 */
export function kernelsFor(backend: BackendName): Kernels {
  const name = checkBackendName('backend', backend);
  let table = kernelsByBackend.get(name);
  if (!table) kernelsByBackend.set(name, (table = makeKernels(backendFor(name))));
  return table;
}
