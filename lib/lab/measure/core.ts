// The measurement core: everything the lab reports is timed here, the same way.
//
// A cell is anything that can be warmed and timed once — a pool of threads running a kernel, a
// process pool, the event loop, a CPython driven over a pipe, plain processes spinning. The core
// never looks inside one; it:
//
// 1. warms each cell until steady: the real task, full size, on every worker at once, until two
//    consecutive warm-ups agree within WARM_TOLERANCE (the first runs of a fresh V8 isolate
//    include compiling the hot loop to optimized code, and each worker compiles its own), or
//    the cap is reached;
// 2. times the cells in rounds, every cell once a round, in an order shuffled afresh each round,
//    so that a change of the machine's load hits every cell alike, not the ones timed last;
// 3. goes on until every speedup asked for has a 95% interval within ±`target` of its estimate,
//    or the time budget is spent; `minRounds` rounds always run.

import { seededRandom, pairedSpeedup, relativeHalfWidth } from './stats';

/** Something the core can warm and time. */
export interface Timeable {
  /**
   * Runs the real task once on each worker, all at once, and resolves to each task's time in
   * ms. The core repeats it until the times settle.
   */
  warm(signal: AbortSignal): Promise<number[]>;
  /** One timed run: resolves to its wall time in ms. */
  time(signal: AbortSignal): Promise<number>;
  /** A cap of its own on warm-ups, below MAX_WARM_UPS, for a cell whose times vary by nature. */
  readonly maxWarmUps?: number;
  /**
   * Warm-ups it runs before two that agree count, for a cell whose runs may agree while still
   * slow: a fresh V8 isolate can run a kernel's first two or three full-size tasks in code
   * compiled on the fly inside its loop, slower than the code it compiles later for the whole
   * function (benchmark/warm-up.js).
   */
  readonly minWarmUps?: number;
  /**
   * Its work runs on threads of this process, so that this process's CPU time over a run is the
   * work's: the core records it beside the wall time.
   */
  readonly cpuInThisProcess?: boolean;
}

/** A speedup the rounds must pin down: `scale × baseline / cell`, by index into the cells. */
export interface Comparison {
  baseline: number;
  cell: number;
  scale?: number;
}

/** Two consecutive warm-ups within this share of each other make a cell steady. */
export const WARM_TOLERANCE = 0.05;
/** The most warm-ups a cell gets, steady or not. */
export const MAX_WARM_UPS = 8;
/** The share a speedup's 95% interval must be within, either side, for the rounds to stop. */
export const TARGET_HALF_WIDTH = 0.05;
/** Fewer rounds than this give no interval worth the name: rounds never stop for a narrow one before. */
export const MIN_ROUNDS_FOR_INTERVAL = 5;
/** No more rounds than this, whatever the budget: beyond it the interval narrows too slowly to pay. */
export const MAX_ROUNDS = 200;

export interface WarmUp {
  /** How many warm-up runs the cell took. */
  runs: number;
  /** Whether its last two agreed within WARM_TOLERANCE (false: the cap was reached first). */
  steady: boolean;
}

/** Whether two warm-ups' task times agree: each worker's time, slowest to slowest, within `tolerance`. */
export function agree(previous: readonly number[], current: readonly number[], tolerance = WARM_TOLERANCE): boolean {
  if (previous.length !== current.length || current.length === 0) return false;
  const a = [...previous].sort((x, y) => x - y);
  const b = [...current].sort((x, y) => x - y);
  return a.every((ms, i) => Math.abs(b[i] - ms) <= tolerance * Math.max(ms, b[i]));
}

/**
 * Warms `cell` until two consecutive warm-ups agree, not before its `minWarmUps`, or its cap
 * (MAX_WARM_UPS unless it has one).
 */
export async function warmUntilSteady(cell: Timeable, signal: AbortSignal): Promise<WarmUp> {
  const maxRuns = Math.min(MAX_WARM_UPS, cell.maxWarmUps ?? MAX_WARM_UPS);
  const minRuns = Math.min(maxRuns, cell.minWarmUps ?? 2);
  let previous: number[] | null = null;
  for (let runs = 1; ; runs++) {
    signal.throwIfAborted();
    const times = await cell.warm(signal);
    if (previous && runs >= minRuns && agree(previous, times)) return { runs, steady: true };
    if (runs >= maxRuns) return { runs, steady: false };
    previous = times;
  }
}

export interface RoundsOptions {
  comparisons: readonly Comparison[];
  /** Rounds that always run. */
  minRounds: number;
  /** When to stop starting rounds, in `performance.now()` ms, however wide the intervals. */
  deadline: number;
  signal: AbortSignal;
  /** Called after each cell's timed run. */
  onRun?: (cell: number, round: number) => void;
  /** Seeds the shuffles, so that a run can be replayed. */
  seed?: number;
}

export interface Rounds {
  /** Each cell's times in ms, one per round, in round order. */
  runs: number[][];
  /**
   * Each cell's CPU time in ms (this process's, user and system), one per round, where the
   * cell's work runs in this process; null for the others. A machine that is busy stretches a
   * run's wall time, but not the CPU time its work takes.
   */
  cpuMs: (number[] | null)[];
  /** Whether every comparison's interval reached ±TARGET_HALF_WIDTH. */
  converged: boolean;
}

/** A uniformly shuffled copy of `items` (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Whether every comparison's interval is within ±TARGET_HALF_WIDTH over `runs`, of MIN_ROUNDS_FOR_INTERVAL rounds or more. */
export function narrowEnough(runs: readonly number[][], comparisons: readonly Comparison[]): boolean {
  if ((runs[0]?.length ?? 0) < MIN_ROUNDS_FOR_INTERVAL) return false;
  return comparisons.every(({ baseline, cell, scale }) => {
    const { speedup, speedupCI } = pairedSpeedup(runs[baseline], runs[cell], scale);
    return relativeHalfWidth(speedup, speedupCI) <= TARGET_HALF_WIDTH;
  });
}

/** Times `cells` in shuffled rounds until the comparisons are narrow enough or the deadline passes. */
export async function timeInRounds(cells: readonly Timeable[], options: RoundsOptions): Promise<Rounds> {
  const { comparisons, minRounds, deadline, signal, onRun } = options;
  const random = seededRandom(options.seed ?? Date.now());
  const runs: number[][] = cells.map(() => []);
  const cpuMs = cells.map((cell): number[] | null => (cell.cpuInThisProcess ? [] : null));
  const order = cells.map((_, i) => i);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (round >= minRounds) {
      if (narrowEnough(runs, comparisons)) return { runs, cpuMs, converged: true };
      if (performance.now() >= deadline) break;
    }
    for (const i of shuffled(order, random)) {
      signal.throwIfAborted();
      const cpuBefore = cpuMs[i] && process.cpuUsage();
      runs[i].push(await cells[i].time(signal));
      if (cpuBefore) {
        const { user, system } = process.cpuUsage(cpuBefore);
        cpuMs[i]!.push((user + system) / 1000);
      }
      onRun?.(i, round);
    }
  }
  return { runs, cpuMs, converged: narrowEnough(runs, comparisons) };
}
