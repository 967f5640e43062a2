// The kernel table: each kernel's signature, and its JavaScript implementation with the
// argument checks that both backends share word for word.

import type { Ticker } from '../breaker';
import { checkCountPrimes, countPrimes } from './count-primes';
import { checkFannkuch, fannkuch, type FannkuchResult } from './fannkuch';
import { checkNbody, nbody, type NbodyEnergies } from './nbody';
import { checkPipeRoundTrips, pipeRoundTrips } from './pipe-round-trips';
import { checkReadFile, readFile } from './read-file';
import { checkSleep, sleep } from './sleep';
import { checkSpectralNorm, spectralNorm } from './spectral-norm';

/** The kernels' fixed arguments and results, in the order of the kernel table. */
export interface KernelSignatures {
  /** The number of primes below `limit`, by trial division. `limit`: integer, 0 to 2³¹−1. */
  countPrimes(limit: number): number;
  /** Benchmarks Game n-body: the energy before and after `steps` steps. `steps`: integer, 0 to 2³¹−1. */
  nbody(steps: number): NbodyEnergies;
  /** Benchmarks Game spectral-norm of the n × n matrix. `n`: integer, 1 to 1 000 000. */
  spectralNorm(n: number): number;
  /** Benchmarks Game fannkuch-redux over the permutations of n items. `n`: integer, 1 to 12. */
  fannkuch(n: number): FannkuchResult;
  /** A blocking sleep of the thread that runs it; releases the lock. `ms`: number, 0 to 2³¹−1. */
  sleep(ms: number): void;
  /** The bytes of a file, by blocking reads that release the lock. At most 1 GiB. */
  readFile(path: string): Uint8Array;
  /** One byte written into a pipe and read back, `count` times. `count`: integer, 0 to 2³¹−1. */
  pipeRoundTrips(count: number): number;
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
  nbody: {
    arity: 1,
    check: ([steps]) => checkNbody(steps),
    run: ([steps], ticker) => nbody(steps as number, ticker),
  },
  spectralNorm: {
    arity: 1,
    check: ([n]) => checkSpectralNorm(n),
    run: ([n], ticker) => spectralNorm(n as number, ticker),
  },
  fannkuch: {
    arity: 1,
    check: ([n]) => checkFannkuch(n),
    run: ([n], ticker) => fannkuch(n as number, ticker),
  },
  sleep: {
    arity: 1,
    check: ([ms]) => checkSleep(ms),
    run: ([ms], ticker) => sleep(ms as number, ticker),
  },
  readFile: {
    arity: 1,
    check: ([path]) => checkReadFile(path),
    run: ([path], ticker) => readFile(path as string, ticker),
  },
  pipeRoundTrips: {
    arity: 1,
    check: ([count]) => checkPipeRoundTrips(count),
    run: ([count], ticker) => pipeRoundTrips(count as number, ticker),
  },
};

export const kernelNames = Object.freeze(Object.keys(jsKernels) as KernelName[]);

export function isKernelName(name: unknown): name is KernelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(jsKernels, name);
}
