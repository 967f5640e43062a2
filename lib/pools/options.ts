// What every way of running kernels shares: the checks of a pool's options, of a kernel name,
// and the split of `(...args, { signal })` into the kernel's fixed arguments and the call's
// options. `kernels.NAME(...)`, ThreadPool, ProcessPool and EventLoopExecutor all call these,
// so that one mistake gets one message wherever it is made.

import os from 'node:os';
import {
  checkBoolean,
  checkSignal,
  checkString,
  integer,
  optionsObject,
  rangeError,
  typeError,
  typeName,
} from '../args';
import { checkBackendChoice, type BackendName } from '../backend-names';
import { jsKernels, kernelNames, isKernelName, type KernelName } from '../kernels';

/** Options that may follow a kernel's fixed arguments in its async form and in `submit`. */
export interface CallOptions {
  /** Aborting it rejects the call with an AbortError; a running kernel stops at its next tick. */
  signal?: AbortSignal;
}

/** The leading arguments of `A` that must be given: `[data: Uint8Array]` of `[data: Uint8Array, rounds?: number]`. */
type RequiredArgs<A extends unknown[]> = A extends [infer First, ...infer Rest] ? [First, ...RequiredArgs<Rest>] : [];

/** A kernel's fixed arguments, then options; the options may stand in for optional arguments left off. */
export type CallArgs<A extends unknown[]> = [...A, options?: CallOptions] | [...RequiredArgs<A>, options?: CallOptions];

export interface PoolOptions {
  /** How many tasks run at once: threads, child processes, or tasks in flight on the event loop. Default: the number of cores. */
  maxWorkers?: number;
  /** Whose kernels run: `'native'`, `'js'`, or `'auto'` (the default backend, see `info()`). Default `'auto'`. */
  backend?: BackendName | 'auto';
}

export interface ShutdownOptions {
  /** Resolve only once every task has settled and every worker has exited. Default `true`. */
  wait?: boolean;
  /** Reject the queued tasks with a CancelledError, and stop the running ones. Default `false`. */
  cancelFutures?: boolean;
}

/** The most workers a pool takes: far more than any machine has cores, far fewer than would exhaust it. */
export const MAX_WORKERS = 256;

/** A count of workers, 1 to MAX_WORKERS. */
export function checkWorkers(name: string, value: unknown): number {
  return integer(name, value, 1, MAX_WORKERS);
}

/** A pool's options, checked, with defaults filled in. */
export function resolvePoolOptions(
  options: unknown,
  defaultBackend: BackendName,
): { maxWorkers: number; backend: BackendName } {
  const { maxWorkers, backend } = optionsObject('options', options);
  return {
    maxWorkers: maxWorkers === undefined ? os.availableParallelism() : checkWorkers('options.maxWorkers', maxWorkers),
    backend: checkBackendChoice('options.backend', backend, defaultBackend),
  };
}

export function resolveShutdownOptions(options: unknown): Required<ShutdownOptions> {
  const { wait = true, cancelFutures = false } = optionsObject('options', options);
  return {
    wait: checkBoolean('options.wait', wait),
    cancelFutures: checkBoolean('options.cancelFutures', cancelFutures),
  };
}

export function checkKernelName(kernel: unknown): KernelName {
  const name = checkString('kernel', kernel);
  if (!isKernelName(name)) throw rangeError(`kernel must be one of ${kernelNames.join(', ')}; got "${name}"`);
  return name;
}

/** The call options of `(...args, options?)`, checked. */
export function checkCallOptions(options: unknown): CallOptions {
  return { signal: checkSignal('options.signal', optionsObject('options', options).signal) };
}

/** Whether `value`, in the place of an optional fixed argument, is the options object: no optional argument is an object. */
function isOptionsObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/**
 * Splits a call's arguments into the kernel's fixed ones and the options object. The options
 * follow the fixed arguments; where the last fixed arguments are optional and left off, an
 * options object may follow those given: `sha256(data, { signal })`.
 */
export function splitCallOptions(kernel: KernelName, args: readonly unknown[]): [unknown[], CallOptions] {
  const { arity, required = arity } = jsKernels[kernel];
  if (args.length <= arity) {
    const last = args.length - 1;
    if (last >= required && isOptionsObject(args[last])) return [args.slice(0, last), checkCallOptions(args[last])];
    return [args.slice(), {}];
  }
  return [args.slice(0, arity), checkCallOptions(args[arity])];
}

/** The arguments of one `map` item: the item itself for a one-argument kernel, else an array of them. */
export function mapItemArguments(kernel: KernelName, item: unknown, index: number): unknown[] {
  if (jsKernels[kernel].arity === 1) return [item];
  if (!Array.isArray(item)) {
    throw typeError(`items[${index}] must be an array of the arguments of ${kernel}; got ${typeName(item)}`);
  }
  return item;
}

export function checkItems(items: unknown): unknown[] {
  if (
    items === null ||
    typeof items !== 'object' ||
    typeof (items as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw typeError(`items must be an iterable; got ${typeName(items)}`);
  }
  return Array.from(items as Iterable<unknown>);
}
