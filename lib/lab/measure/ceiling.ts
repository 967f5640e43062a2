// The machine's ceiling: what it gives in parallel right now. k plain CPU-bound processes
// (spin-child.js: a loop, no gil-lab) run side by side against one alone, timed by the core like
// any cell, in interleaved rounds. k processes doing the work of one each in the time of one is
// k× — the most any model can reach on k workers here, whatever the number of cores says; a
// busy neighbour, a hypervisor's share or a slow vCPU all show in it.
//
// The same runs say how noisy the machine is: the spread of runs of identical work. Above
// NOISY_VARIATION the record names the machine noisy before the matrix starts.

import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { timeInRounds, warmUntilSteady, type Comparison, type Timeable } from './core';
import { coefficientOfVariation, pairedSpeedup, type ConfidenceInterval } from './stats';

/** How long one plain run takes, about, within what the budget allows: a twentieth of it. */
const RUN_MS = { min: 20, max: 100 };
/** Rounds the ceiling always gets. */
const MIN_ROUNDS = 5;
/** Runs of identical work that vary more than this (standard deviation over mean) make the machine noisy. */
export const NOISY_VARIATION = 0.1;

const CHILD_FILE = path.join(__dirname, 'spin-child.js');

export interface CeilingRow {
  /** Processes side by side. */
  workers: number;
  /** `workers × (one alone) / (workers side by side)`: workers× is perfect. */
  speedup: number;
  speedupCI: ConfidenceInterval;
}

export interface Calibration {
  ceiling: CeilingRow[];
  /** The most that any set of identical runs varied, standard deviation over mean. */
  variation: number;
  noisy: boolean;
  /** The machine's noise in one sentence, where it is noisy; else null. */
  warning: string | null;
}

/** A plain child process that spins on request; a death rejects what it was asked. */
class Spinner {
  private readonly child: ChildProcess;
  private pending: { resolve(ms: number): void; reject(error: Error): void } | null = null;
  private exited: Error | null = null;

  constructor() {
    this.child = fork(CHILD_FILE, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', ({ ms }: { ms: number }) => {
      const pending = this.pending;
      this.pending = null;
      pending?.resolve(ms);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = new Error(`a ceiling process exited (${signal ?? `code ${code}`}) before it answered`);
      this.pending?.reject(this.exited);
      this.pending = null;
    });
    this.child.on('error', () => {
      // 'exit' follows and says what became of it.
    });
  }

  /** Spins `iterations` times; resolves to the child's own time for it, ms. */
  spin(iterations: number): Promise<number> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send({ iterations });
    });
  }

  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill();
    });
  }
}

/** `spinners` side by side, each spinning `iterations`, as a cell of the core. */
function sideBySide(spinners: readonly Spinner[], iterations: () => number): Timeable {
  const all = () => Promise.all(spinners.map((s) => s.spin(iterations())));
  return {
    warm: () => all(),
    time: async () => {
      const started = performance.now();
      await all();
      return performance.now() - started;
    },
  };
}

/** Loop iterations that take about `runMs` on `spinner`. */
async function calibrate(spinner: Spinner, runMs: number): Promise<number> {
  let iterations = 1 << 18;
  for (;;) {
    const ms = await spinner.spin(iterations);
    if (ms >= runMs / 5) return Math.round((iterations * runMs) / ms);
    iterations *= 4;
  }
}

/**
 * Times 1 plain process against k side by side, for each k of `workerCounts` above 1, until
 * each ratio is within the core's target or `budgetMs` is spent.
 */
export async function measureCeiling(
  workerCounts: readonly number[],
  budgetMs: number,
  signal: AbortSignal,
): Promise<Calibration> {
  const counts = [...new Set(workerCounts.filter((k) => k > 1))].sort((a, b) => a - b);
  const spinners = Array.from({ length: Math.max(1, ...counts) }, () => new Spinner());
  try {
    const runMs = Math.max(RUN_MS.min, Math.min(RUN_MS.max, budgetMs / 20));
    let iterations = await calibrate(spinners[0], runMs);
    const cells = [
      sideBySide(spinners.slice(0, 1), () => iterations),
      ...counts.map((k) => sideBySide(spinners.slice(0, k), () => iterations)),
    ];
    for (const cell of cells) await warmUntilSteady(cell, signal);
    // Warmed, the loop runs faster than when it was calibrated: calibrate again, on optimized code.
    iterations = await calibrate(spinners[0], runMs);
    const comparisons: Comparison[] = counts.map((k, i) => ({ baseline: 0, cell: i + 1, scale: k }));
    const { runs } = await timeInRounds(cells, {
      comparisons,
      minRounds: MIN_ROUNDS,
      deadline: performance.now() + budgetMs,
      signal,
    });
    const ceiling = counts.map((k, i) => ({ workers: k, ...pairedSpeedup(runs[0], runs[i + 1], k) }));
    const variation = Math.max(...runs.map((r) => coefficientOfVariation(r)));
    const noisy = variation > NOISY_VARIATION;
    const warning = noisy
      ? `the machine is noisy: runs of the same plain CPU-bound loop varied by ${Math.round(variation * 100)}% (standard deviation over mean) ` +
        'before the matrix started, so the figures below carry wide intervals; close other programs, or rerun'
      : null;
    return { ceiling, variation, noisy, warning };
  } finally {
    await Promise.all(spinners.map((s) => s.close()));
  }
}
