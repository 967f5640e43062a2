// What a figure can be, said plainly. Some speedups are impossible (faster than the workers or
// the cores allow, or than plain processes were side by side), some contradict what the model
// is (CPU-bound work on the event loop, or on threads under the lock, running in parallel), and
// rows that do the same work as the sequential row on one thread must agree with it. A row
// that breaks a rule gets a flag; the record gets a warning in words. A figure is never left
// to stand silently where the machine's noise made it.

import { MIN_ROUNDS_FOR_INTERVAL, TARGET_HALF_WIDTH } from './measure/core';
import type { Calibration } from './measure/ceiling';
import { relativeHalfWidth } from './measure/stats';
import type { CompareRow, Flag, MachineDescription, Workload } from './types';

/** Rows of the same one-thread work as the sequential row agree when within this share of it. */
export const AGREEMENT = 0.1;
/** CPU-bound threads under the lock: more than this over sequential is no longer one thread at a time. */
export const LOCK_ON_LIMIT = 1.2;
/**
 * A load average at this share of the cores or more, as the run starts, is other programs'
 * work: the run's own workers will have to share the cores with it.
 */
export const BUSY_LOAD_SHARE = 0.5;
/** How the warning of a busy machine at the start begins. */
export const BUSY_AT_START = 'the machine was busy as the run started';

const CPU_BOUND: readonly Workload[] = ['cpu', 'transfer'];

/** The measurement of a row the flags need beside the row itself. */
export interface RowMeasurement {
  rounds: number;
  /** Whether its warm-ups settled (a convoy's never need to: see lab/cells.ts). */
  steady: boolean;
}

/**
 * Whether `row` does the sequential row's work on one thread: one worker of threads or the
 * event loop, one process for cpu (whose arguments and results are a few bytes), and the event
 * loop with any number of workers for CPU-bound work (it runs the tasks one after another).
 */
export function sameWorkAsSequential(row: Pick<CompareRow, 'workload' | 'model' | 'workers'>): boolean {
  if (row.model === 'sequential' || row.workload === 'latency') return false;
  if (row.model === 'async' && CPU_BOUND.includes(row.workload)) return true;
  if (row.workers !== 1) return false;
  return row.model !== 'processes' || row.workload === 'cpu';
}

/** The flags of one row. `cores`: logical cores, the most any CPU-bound work can use at once. */
export function flagsOf(
  row: CompareRow,
  measurement: RowMeasurement,
  calibration: Calibration | null,
  cores: number,
): Flag[] {
  const flags: Flag[] = [];
  const { speedup, speedupCI } = row;
  if (speedup !== null && speedupCI !== null && row.model !== 'sequential' && row.workload !== 'latency') {
    const cpuBound = CPU_BOUND.includes(row.workload);
    const limit = cpuBound ? Math.min(row.workers, cores) : row.workers;
    // Over the limit beyond noise: the whole interval above it, or the estimate itself more than the core's target.
    if (speedupCI[0] > limit || speedup > limit * (1 + TARGET_HALF_WIDTH)) flags.push('above-workers');
    const ceiling = cpuBound ? calibration?.ceiling.find((c) => c.workers === row.workers) : undefined;
    if (ceiling && speedupCI[0] > ceiling.speedup) flags.push('above-ceiling');
    if (sameWorkAsSequential(row) && Math.abs(speedup - 1) > AGREEMENT) flags.push('disagrees');
    if (row.workload === 'cpu' && row.model === 'async' && speedupCI[0] > 1 + TARGET_HALF_WIDTH)
      flags.push('async-above-1');
    if (row.workload === 'cpu' && row.model === 'threads' && row.gil === 'on' && speedup > LOCK_ON_LIMIT)
      flags.push('lock-on-above-1.2');
  }
  if (measurement.rounds < MIN_ROUNDS_FOR_INTERVAL) flags.push('few-rounds');
  else if (speedup !== null && speedupCI !== null && relativeHalfWidth(speedup, speedupCI) > TARGET_HALF_WIDTH)
    flags.push('wide-interval');
  if (!measurement.steady && row.workload !== 'latency') flags.push('unsteady');
  return flags;
}

/**
 * How far `row`'s CPU time per run is from its sequential row's, as a share of it (+0.05: 5%
 * more); null where either ran outside this process. A busy machine stretches wall time, not
 * the CPU time of the same work.
 */
function cpuGap(row: CompareRow, rows: readonly CompareRow[]): number | null {
  const sequential = rows.find(
    (r) =>
      r.model === 'sequential' &&
      r.runtime === row.runtime &&
      r.backend === row.backend &&
      r.gil === row.gil &&
      r.mode === row.mode &&
      r.switchInterval === row.switchInterval,
  );
  if (row.cpuMs === undefined || sequential?.cpuMs === undefined) return null;
  return row.cpuMs / sequential.cpuMs - 1;
}

/** A row in words, for a warning: "threads × 2, native, lock off: 2.31×". */
function rowName(row: CompareRow): string {
  const lock = row.gil === 'on' ? 'lock on' : 'lock off';
  return `${row.model} × ${row.workers}, ${row.backend}, ${lock}: ${row.speedup!.toFixed(2)}×`;
}

const IMPOSSIBLE: Partial<Record<Flag, string>> = {
  'above-workers': 'faster than its workers or the cores allow',
  'above-ceiling': 'faster than plain processes side by side were',
  'async-above-1': 'CPU-bound work on the event loop faster than sequential',
  'lock-on-above-1.2': 'CPU-bound threads under the lock in parallel',
};

const RERUN = 'rerun, or close other programs';

/** The warnings of a run, in the order a reader needs them: the machine first, then the rows. */
export function warningsOf(
  rows: readonly CompareRow[],
  calibration: Calibration | null,
  rounds: number,
  maxTime: number,
  machine: Pick<MachineDescription, 'cores' | 'loadAverage'>,
): string[] {
  const warnings: string[] = [];
  const { loadAverage, cores } = machine;
  if (loadAverage !== null && loadAverage >= BUSY_LOAD_SHARE * cores) {
    warnings.push(
      `${BUSY_AT_START}: its load average over the last minute was ${loadAverage.toFixed(1)} ` +
        `on ${cores} core${cores === 1 ? '' : 's'}, so other programs shared the cores with the run; ${RERUN}`,
    );
  }
  if (calibration?.warning) warnings.push(calibration.warning);
  const flagged = (flag: Flag) => rows.filter((r) => r.flags.includes(flag));
  const impossible = rows.flatMap((r) =>
    r.flags.filter((f) => IMPOSSIBLE[f]).map((f) => `${rowName(r)} (${IMPOSSIBLE[f]})`),
  );
  if (impossible.length) warnings.push(`the machine was busy during the run: ${impossible.join('; ')}; ${RERUN}`);
  const disagree = flagged('disagrees');
  if (disagree.length) {
    const worst = Math.max(...disagree.map((r) => Math.abs(r.speedup! - 1)));
    const cpuGaps = disagree.map((r) => cpuGap(r, rows));
    const named = disagree.map((r, i) => {
      const gap = cpuGaps[i];
      return gap === null
        ? rowName(r)
        : `${rowName(r)}, CPU time ${gap < 0 ? '−' : '+'}${Math.round(Math.abs(gap) * 100)}%`;
    });
    const why = cpuGaps.every((gap) => gap !== null && Math.abs(gap) <= AGREEMENT)
      ? `their CPU time per run agreed with sequential's within ${AGREEMENT * 100}%, so the work was the same and the machine's speed changed during the run`
      : "the machine's speed changed during the run";
    warnings.push(
      `rows of the same one-thread work as sequential disagree with it by up to ${Math.round(worst * 100)}% ` +
        `(${named.join('; ')}): ${why}; ${RERUN}`,
    );
  }
  const wide = flagged('wide-interval');
  if (wide.length) {
    const widest = Math.max(...wide.map((r) => relativeHalfWidth(r.speedup!, r.speedupCI!)));
    warnings.push(
      `${wide.length} speedup${wide.length === 1 ? ' is' : 's are'} less certain than ±${TARGET_HALF_WIDTH * 100}% after ${rounds} rounds ` +
        `(widest ±${Math.round(widest * 100)}%): the time budget (maxTime ${maxTime} s) ran out first; give more time, or ${RERUN}`,
    );
  }
  if (rounds < MIN_ROUNDS_FOR_INTERVAL) {
    warnings.push(
      `${rounds} round${rounds === 1 ? '' : 's'} only: a 95% interval needs ${MIN_ROUNDS_FOR_INTERVAL} or more; raise repeats or maxTime`,
    );
  }
  const unsteady = flagged('unsteady');
  if (unsteady.length) {
    warnings.push(
      `${unsteady.length} cell${unsteady.length === 1 ? '' : 's'} never ran two warm-ups in a row within 5% of each other: the machine's speed kept changing`,
    );
  }
  return warnings;
}
