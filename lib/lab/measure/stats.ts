// The statistics of the measurement core: medians, a paired speedup over interleaved rounds and
// its 95% bootstrap interval, and how much a series of runs varies.
//
// A speedup is read from paired rounds: in each round the baseline and the cell ran one right
// after the other, so their ratio in that round shares the machine's load of that moment. The
// point estimate is the median of the per-round ratios (robust to a round that a burst of load
// hit), and its interval a percentile bootstrap over the rounds, as criterion.rs does. The
// resampling is seeded, so that the same runs always give the same interval.

/** A 95% interval, low then high. */
export type ConfidenceInterval = [number, number];

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The `q`-quantile of `values`, interpolated between the two nearest order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile() needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

/** A small seeded generator (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const RESAMPLES = 2000;
const SEED = 0x5eed;

/**
 * The 95% percentile-bootstrap interval of `statistic` over `samples`: resample the samples
 * with replacement, `RESAMPLES` times, and take the 2.5% and 97.5% quantiles of the statistic.
 */
export function bootstrapInterval(
  samples: readonly number[],
  statistic: (values: number[]) => number,
): ConfidenceInterval {
  if (samples.length === 0) throw new RangeError('bootstrapInterval() needs at least one sample');
  const random = seededRandom(SEED);
  const estimates: number[] = [];
  const resample = new Array<number>(samples.length);
  for (let b = 0; b < RESAMPLES; b++) {
    for (let i = 0; i < samples.length; i++) resample[i] = samples[Math.floor(random() * samples.length)];
    estimates.push(statistic(resample));
  }
  return [quantile(estimates, 0.025), quantile(estimates, 0.975)];
}

export interface PairedSpeedup {
  /** The median over rounds of `scale × baseline / cell`. */
  speedup: number;
  speedupCI: ConfidenceInterval;
}

/**
 * How much faster `cell` ran than `baseline`, round by round: `scale × baseline[r] / cell[r]`
 * (`scale` turns a ratio of wall times into a throughput ratio where the two did unequal work).
 */
export function pairedSpeedup(baseline: readonly number[], cell: readonly number[], scale = 1): PairedSpeedup {
  if (baseline.length !== cell.length || cell.length === 0) {
    throw new RangeError(
      `pairedSpeedup() needs as many baseline runs as cell runs, at least one; got ${baseline.length} and ${cell.length}`,
    );
  }
  const ratios = cell.map((ms, r) => (scale * baseline[r]) / ms);
  return { speedup: median(ratios), speedupCI: bootstrapInterval(ratios, median) };
}

/** Half the interval's width, as a share of the estimate: 0.05 is ±5%. */
export function relativeHalfWidth(estimate: number, [low, high]: ConfidenceInterval): number {
  return (high - low) / 2 / Math.abs(estimate);
}

/** How much runs of the same work varied: their standard deviation over their mean. */
export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / mean;
}
