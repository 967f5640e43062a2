// The calling convention of kernels, shared by `kernels.NAME(...)` and `pool.submit(NAME, ...)`:
// the kernel's fixed arguments, in the order of the kernel table, then one optional options
// object.

import { isKernelName, jsKernels, kernelNames, type KernelName } from './kernels';
import { rangeError, typeError, typeName } from './kernels/args';

/** Options that may follow a kernel's fixed arguments in its async form. */
export interface CallOptions {
  /** Aborting it rejects the call with an AbortError; a running kernel stops at its next tick. */
  signal?: AbortSignal;
}

/** Splits a call's arguments into the kernel's fixed arguments and its checked options. */
export function splitOptions(kernel: KernelName, args: readonly unknown[]): [unknown[], CallOptions] {
  const arity = jsKernels[kernel].arity;
  if (args.length <= arity) return [[...args], {}];
  return [args.slice(0, arity), checkCallOptions(args[arity])];
}

/** `options` checked as a call's options object (`undefined` for none). */
export function checkCallOptions(options: unknown): CallOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object; got ${typeName(options)}`);
  }
  const { signal } = options as CallOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError('options.signal must be an AbortSignal');
  }
  return { signal };
}

/** `kernel` checked as the name of a kernel. */
export function checkKernelName(kernel: unknown): KernelName {
  if (typeof kernel !== 'string') throw typeError(`kernel must be a string; got ${typeName(kernel)}`);
  if (!isKernelName(kernel)) throw rangeError(`kernel must be one of ${kernelNames.join(', ')}; got "${kernel}"`);
  return kernel;
}
