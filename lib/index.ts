// gil-lab: CPU-bound kernels in Rust with a JavaScript twin, and a lab for the GIL.

import os from 'node:os';
import type { BackendName } from './backends/backend';
import { jsKernels, kernelNames, type KernelArgs, type KernelName, type KernelResult } from './kernels';
import type { Backend } from './backends/backend';
import { backendFor, load, VERSION } from './loader';

export { AbortError, CancelledError } from './errors';
export type { BackendName } from './backends/backend';
export type { KernelArgs, KernelName, KernelResult, KernelSignatures, MandelbrotOptions } from './kernels';
export { kernelNames } from './kernels';

const loaded = load();

/** Options that may follow a kernel's fixed arguments in its async form. */
export interface CallOptions {
  /** Aborting it rejects the call with an AbortError; a running kernel stops at its next tick. */
  signal?: AbortSignal;
}

/** The leading arguments of `A` that must be given: `[data: Uint8Array]` of `[data: Uint8Array, rounds?: number]`. */
type RequiredArgs<A extends unknown[]> = A extends [infer First, ...infer Rest] ? [First, ...RequiredArgs<Rest>] : [];

/** A kernel's fixed arguments, then options; the options may stand in for optional arguments left off. */
type CallArgs<A extends unknown[]> = [...A, options?: CallOptions] | [...RequiredArgs<A>, options?: CallOptions];

export type Kernels = {
  readonly [K in KernelName]: (...args: CallArgs<KernelArgs<K>>) => Promise<KernelResult<K>>;
} & {
  readonly [K in KernelName as `${K}Sync`]: (...args: KernelArgs<K>) => KernelResult<K>;
};

/** Whether `value`, in the place of an optional fixed argument, is the options object: no optional argument is an object. */
function isOptionsObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/**
 * Splits a call's arguments into the kernel's fixed ones and the options object. The options
 * follow the fixed arguments; where the last fixed arguments are optional and left off, an
 * options object may follow those given: `sha256(data, { signal })`.
 */
function splitOptions(kernel: KernelName, args: unknown[]): [unknown[], CallOptions] {
  const { arity, required = arity } = jsKernels[kernel];
  if (args.length <= arity) {
    const last = args.length - 1;
    if (last >= required && isOptionsObject(args[last])) return [args.slice(0, last), checkOptions(args[last])];
    return [args, {}];
  }
  return [args.slice(0, arity), checkOptions(args[arity])];
}

function checkOptions(options: unknown): CallOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object; got ${options === null ? 'null' : typeof options}`);
  }
  const { signal } = options as CallOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError('options.signal must be an AbortSignal');
  }
  return { signal };
}

function makeKernels(backend: Backend): Kernels {
  const table: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of kernelNames) {
    table[name] = async (...args: unknown[]) => {
      const [fixed, { signal }] = splitOptions(name, args);
      return backend.call(name, fixed, signal);
    };
    table[`${name}Sync`] = (...args: unknown[]) => backend.callSync(name, args);
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
  if (backend !== 'native' && backend !== 'js') {
    throw new RangeError(`backend must be "native" or "js"; got ${String(backend)}`);
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
    nativeLoadError: loaded.nativeLoadError,
  };
}
