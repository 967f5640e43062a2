// The kernel table: each kernel's signature, and its JavaScript implementation with the
// argument checks that both backends share word for word.

import type { Ticker } from '../breaker';
import { checkCountPrimes, countPrimes } from './count-primes';

/** The kernels' fixed arguments and results, in the order of the kernel table. */
export interface KernelSignatures {
  /** The number of primes below `limit`, by trial division. `limit`: integer, 0 to 2³¹−1. */
  countPrimes(limit: number): number;
}

export type KernelName = keyof KernelSignatures;
export type KernelArgs<K extends KernelName> = Parameters<KernelSignatures[K]>;
export type KernelResult<K extends KernelName> = ReturnType<KernelSignatures[K]>;

export interface JsKernel {
  /** Number of fixed arguments; an options object may follow them. */
  readonly arity: number;
  /** Checks raw arguments and returns them ready to run, or throws a TypeError/RangeError. */
  check(args: readonly unknown[]): unknown[];
  run(args: readonly unknown[], ticker: Ticker): unknown;
}

export const jsKernels: { readonly [K in KernelName]: JsKernel } = {
  countPrimes: {
    arity: 1,
    check: ([limit]) => checkCountPrimes(limit),
    run: ([limit], ticker) => countPrimes(limit as number, ticker),
  },
};

export const kernelNames = Object.freeze(Object.keys(jsKernels) as KernelName[]);

export function isKernelName(name: unknown): name is KernelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(jsKernels, name);
}
