// `mandelbrot({ width, height, maxIter })`: escape counts, row-major; the twin of
// `crates/core/src/kernels/mandelbrot.rs`, whose header gives the mapping of pixels to the
// complex plane and the iteration. Same f64 operations in the same order (V8 never fuses a
// multiply and an add), one pixel at a time, so the counts are the Rust side's, bit for bit.

import type { Ticker } from '../breaker';
import { atMost, integer, object } from '../args';

/** The largest width and height accepted. */
export const MANDELBROT_SIDE_MAX = 65_536;
/** The most pixels accepted, `width * height`: 256 MiB of counts. */
export const MANDELBROT_PIXELS_MAX = 2 ** 26;
/** The largest `maxIter` accepted: every count fits a Uint32Array. */
export const MANDELBROT_MAX_ITER_MAX = 2 ** 32 - 1;

/** Iterations per tick: about 20 µs here. */
const ITERATIONS_PER_TICK = 8192;

/** What starting and storing a pixel costs, in iterations: where pixels escape at once, that is most of the work. */
const PIXEL_COST = 4;

export interface MandelbrotOptions {
  width: number;
  height: number;
  maxIter: number;
}

/** Reads `options` once, field by field in this order, as the binding does. */
export function checkMandelbrot(options: unknown): [MandelbrotOptions] {
  const fields = object('options', options);
  const width = integer('options.width', fields.width, 1, MANDELBROT_SIDE_MAX);
  const height = integer('options.height', fields.height, 1, MANDELBROT_SIDE_MAX);
  const maxIter = integer('options.maxIter', fields.maxIter, 1, MANDELBROT_MAX_ITER_MAX);
  atMost('options.width * options.height', width * height, MANDELBROT_PIXELS_MAX);
  return [{ width, height, maxIter }];
}

export function mandelbrot({ width, height, maxIter }: MandelbrotOptions, ticker: Ticker): Uint32Array {
  const counts = new Uint32Array(width * height);
  let budget = ITERATIONS_PER_TICK;
  for (let y = 0; y < height; y++) {
    const ci = (2 * y) / height - 1;
    for (let x = 0; x < width; x++) {
      const cr = (2 * x) / width - 1.5;
      let zr = 0;
      let zi = 0;
      let n = 0;
      while (n < maxIter) {
        const zr2 = zr * zr;
        const zi2 = zi * zi;
        if (zr2 + zi2 > 4) break;
        zi = (zr + zr) * zi + ci;
        zr = zr2 - zi2 + cr;
        n++;
        if (--budget === 0) {
          ticker.tick();
          budget = ITERATIONS_PER_TICK;
        }
      }
      counts[y * width + x] = n;
      budget -= PIXEL_COST;
      if (budget <= 0) {
        ticker.tick();
        budget = ITERATIONS_PER_TICK;
      }
    }
  }
  ticker.tick();
  return counts;
}
