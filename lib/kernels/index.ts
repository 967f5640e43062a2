// The kernel table: each kernel's signature, and its JavaScript implementation with the
// argument checks that both backends share word for word.

import type { Ticker } from '../breaker';
import { checkCountPrimes, countPrimes } from './count-primes';
import { checkCountdown, countdown } from './countdown';
import { checkMandelbrot, mandelbrot, type MandelbrotOptions } from './mandelbrot';
import { checkMatmul, matmul } from './matmul';
import { checkMonteCarloPi, monteCarloPi } from './monte-carlo-pi';
import { checkSha256, sha256 } from './sha256';

export type { MandelbrotOptions } from './mandelbrot';
export type { FannkuchResult } from './fannkuch';
export type { NbodyEnergies } from './nbody';
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
  /** Beazley's `while n > 0: n -= 1`. `n`: integer, 0 to 2⁵³−1. */
  countdown(n: number): void;
  /**
   * Escape counts of the Mandelbrot set over [-1.5, 0.5] × [-1, 1], row-major. `width`,
   * `height`: integers, 1 to 65536, with `width * height` at most 2²⁶; `maxIter`: integer,
   * 1 to 2³²−1.
   */
  mandelbrot(options: MandelbrotOptions): Uint32Array;
  /** C = A · B for n × n row-major matrices. `a`, `b`: Float64Array of length n²; `n`: integer, 1 to 4096. */
  matmul(a: Float64Array, b: Float64Array, n: number): Float64Array;
  /** 4 × the share of `samples` random points in the quarter disc. `samples`: integer, 1 to 2⁵³−1; `seed`: integer, 0 to 2³²−1. */
  monteCarloPi(samples: number, seed: number): number;
  /** The SHA-256 digest of `data`, re-hashed `rounds − 1` more times. `rounds`: integer, 1 to 2³²−1, default 1. */
  sha256(data: Uint8Array, rounds?: number): Uint8Array;
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
  /**
   * How many of them must be given, when the last ones are optional (default: all). An
   * optional argument is never an object, so that an options object may take its place.
   */
  readonly required?: number;
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
  countdown: {
    arity: 1,
    check: ([n]) => checkCountdown(n),
    run: ([n], ticker) => countdown(n as number, ticker),
  },
  mandelbrot: {
    arity: 1,
    check: ([options]) => checkMandelbrot(options),
    run: ([options], ticker) => mandelbrot(options as MandelbrotOptions, ticker),
  },
  matmul: {
    arity: 3,
    check: ([a, b, n]) => checkMatmul(a, b, n),
    run: ([a, b, n], ticker) => matmul(a as Float64Array, b as Float64Array, n as number, ticker),
  },
  monteCarloPi: {
    arity: 2,
    check: ([samples, seed]) => checkMonteCarloPi(samples, seed),
    run: ([samples, seed], ticker) => monteCarloPi(samples as number, seed as number, ticker),
  },
  sha256: {
    arity: 2,
    required: 1,
    check: ([data, rounds]) => checkSha256(data, rounds),
    run: ([data, rounds], ticker) => sha256(data as Uint8Array, rounds as number, ticker),
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
