// gil-lab: CPU-bound kernels in Rust with a JavaScript twin, and a lab for the GIL.

import os from 'node:os';
import type { BackendName } from './backends/backend';
import { kernelNames, type KernelArgs, type KernelName, type KernelResult } from './kernels';
import type { Backend } from './backends/backend';
import { backendFor, loadOnce, VERSION } from './loader';
import { physicalCores } from './platform';
import { checkString, splitCallOptions, type CallArgs, type CallOptions } from './pools/options';
import { rangeError } from './kernels/args';

export { AbortError, BrokenPoolError, CancelledError, TimeoutError, WorkerExitedError } from './errors';
export type { BackendName } from './backends/backend';
export type { KernelArgs, KernelName, KernelResult, KernelSignatures, MandelbrotOptions, FannkuchResult, NbodyEnergies } from './kernels';
export { kernelNames } from './kernels';
export { gil } from './gil';
export type { Gil, GilBackendStats, GilCounts, GilEnableOptions, GilMode, GilStats, GilThreadStats, GilTraceEvent } from './gil';

const loaded = loadOnce();

export type { CallOptions, PoolOptions, ShutdownOptions } from './pools/options';
export type { MapItem } from './pools/executor';
export { ThreadPool } from './pools/thread-pool';
export { ProcessPool } from './pools/process-pool';
export { EventLoopExecutor } from './pools/event-loop';
export { compare } from './lab/compare';
export type * from './lab/types';
export { asCompleted, wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from './pools/futures';
export type { ReturnWhen, WaitOptions, WaitResult } from './pools/futures';

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
export const kernels: Kernels = makeKernels(loaded.backend);

const kernelsByBackend = new Map<BackendName, Kernels>([[loaded.backend.name, kernels]]);

/**
 * The kernels of one backend, whichever is the default: to compare native and JS side by
 * side in one process. `'native'` throws where no native binary loads.
 */
export function kernelsFor(backend: BackendName): Kernels {
  if (checkString('backend', backend) !== 'native' && backend !== 'js') {
    throw rangeError(`backend must be "native" or "js"; got "${backend}"`);
  }
  let table = kernelsByBackend.get(backend);
  if (!table) kernelsByBackend.set(backend, (table = makeKernels(backendFor(backend))));
  return table;
}

export interface Info {
  /** The backend that runs the kernels. */
  backend: BackendName;
  /** The native binary that loaded, or that was found and failed to load; else null. */
  binary: string | null;
  /** The platform triple that names the binary: `linux-x64-gnu`, `darwin-arm64`, ... */
  platform: string;
  /** gil-lab's version. */
  version: string;
  /** Logical cores available to this process. */
  cpus: number;
  /** Physical cores as the OS reports them (hyperthreads not counted); null where it does not say. */
  physicalCores: number | null;
  /** Why a native binary that is there did not load; null when none was found or it loaded. */
  nativeLoadError: string | null;
}

export function info(): Info {
  return {
    backend: loaded.backend.name,
    binary: loaded.binary,
    platform: loaded.triple,
    version: VERSION,
    cpus: os.availableParallelism(),
    physicalCores: physicalCores(),
    nativeLoadError: loaded.nativeLoadError,
  };
}
