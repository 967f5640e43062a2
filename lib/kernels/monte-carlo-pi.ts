// `monteCarloPi(samples, seed)`: the twin of `crates/core/src/kernels/monte_carlo_pi.rs`,
// whose header specifies the generator (xoshiro128**, seeded by SplitMix32), how a point is
// drawn and the estimate. Every step here is a 32-bit integer operation or an exact f64 one,
// so both backends give the same estimate, bit for bit.

import type { Ticker } from '../breaker';
import { integer } from '../args';

/**
 * `Math`, looked up once. In a vm context (jest runs its tests in one) every lookup of a global
 * goes through an interceptor, and costs a hundred times the multiply it fetches.
 */
const math = Math;

/** The most samples accepted: every count is a safe integer. */
export const MONTE_CARLO_SAMPLES_MAX = Number.MAX_SAFE_INTEGER;

/** Samples per tick, as in the Rust twin. */
const SAMPLES_PER_TICK = 4096;

/** 2⁻³²: turns a uint32 into a double in [0, 1) exactly. */
const TO_UNIT = 2 ** -32;

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** xoshiro128**: four 32-bit words of state, held as int32 bit patterns. */
export class Xoshiro128StarStar {
  constructor(
    private s0: number,
    private s1: number,
    private s2: number,
    private s3: number,
  ) {}

  /** Seeded from a uint32 by SplitMix32: MurmurHash3's finalizer over a Weyl sequence. */
  static seeded(seed: number): Xoshiro128StarStar {
    let weyl = seed | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      weyl = (weyl + 0x9e3779b9) | 0;
      let z = weyl;
      z = math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      words.push(z ^ (z >>> 16));
    }
    return new Xoshiro128StarStar(words[0], words[1], words[2], words[3]);
  }

  /** The next output, a uint32. */
  nextU32(): number {
    const result = math.imul(rotl(math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }
}

export function checkMonteCarloPi(samples: unknown, seed: unknown): [number, number] {
  return [integer('samples', samples, 1, MONTE_CARLO_SAMPLES_MAX), integer('seed', seed, 0, 2 ** 32 - 1)];
}

export function monteCarloPi(samples: number, seed: number, ticker: Ticker): number {
  const rng = Xoshiro128StarStar.seeded(seed);
  let inside = 0;
  let left = samples;
  while (left > 0) {
    const chunk = left < SAMPLES_PER_TICK ? left : SAMPLES_PER_TICK;
    for (let i = 0; i < chunk; i++) {
      const x = rng.nextU32() * TO_UNIT;
      const y = rng.nextU32() * TO_UNIT;
      if (x * x + y * y < 1) inside++;
    }
    left -= chunk;
    ticker.tick();
  }
  return (4 * inside) / samples;
}
