// CPython's cells and rows of a compare() run: the same workload in the interpreter the `python`
// option names, for each model of the run — sequential, threading, ProcessPoolExecutor, asyncio
// — with the speedup over CPython's own sequential cell. The lock's settings map across: each
// cell runs at a switch interval of the run, set with sys.setswitchinterval before each of its
// runs (one interpreter serves them all, in whatever order the rounds take); a free-threaded
// CPython running without its GIL has none, and its rows say `gil: 'off'`.
//
// The cells are ordinary cells of the measurement core: compare() warms them and times them in
// the same shuffled rounds as gil-lab's.
//
// The cpu workload runs countdown (the loop of Beazley's GIL talks), calibrated to take as long
// a task as gil-lab's kernel takes in the same run, whatever that kernel is: first in the
// interpreter alone, against one of gil-lab's tasks just timed; then by pairs, one gil-lab task
// and one countdown timed one after the other, so that both meet the same load. The transfer
// workload has no CPython form.

import { PythonError } from '../../errors';
import { spread } from '../executors';
import type { Calibration } from '../measure/ceiling';
import type { Comparison, Timeable, WarmUp } from '../measure/core';
import { median, pairedSpeedup } from '../measure/stats';
import { flagsOf } from '../plausibility';
import type { CompareRow, CPythonRecord, Model, PythonInfo, ResolvedCompareOptions } from '../types';
import type { CPythonCell, CPythonRuntime, CPythonTask } from './cells';

type Resolved = ResolvedCompareOptions;

/**
 * The models the driver runs. Not `interpreters`: CPython's InterpreterPoolExecutor is new in
 * 3.14, and no interpreter here has it to test against; `interpretersMissing` says so.
 */
const CPYTHON_MODELS: readonly Model[] = ['sequential', 'threads', 'processes', 'async'];

/** Why a run that asks for `interpreters` gets no such CPython row, or null when it does not ask. */
function interpretersMissing(options: Resolved, info: PythonInfo): string | null {
  if (!options.models.includes('interpreters')) return null;
  const [major, minor] = info.version.split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 14)
    ? `interpreters: gil-lab's driver does not run ${info.label}'s InterpreterPoolExecutor yet`
    : `interpreters: InterpreterPoolExecutor is new in Python 3.14, and this is ${info.version}`;
}

/** Pairs of a gil-lab task and a countdown that size the countdown: a median, which one burst of load moves not. */
const CALIBRATION_PAIRS = 3;

/** How long the CPU-bound spinners of a latency run get to start before the round trips are timed. */
const HEAD_START_S = 0.03;

interface CPythonCellSpec {
  model: Model;
  workers: number;
  switchInterval: number | null;
}

/** Every cell, each switch interval's sequential cell first. */
function plan(options: Resolved, info: PythonInfo): CPythonCellSpec[] {
  const latency = options.workload === 'latency';
  const models = options.models.filter(
    (m) => CPYTHON_MODELS.includes(m) && m !== 'sequential' && !(m === 'async' && latency),
  );
  const intervals = info.gilEnabled ? options.switchIntervals : [null];
  return intervals.flatMap((switchInterval) => [
    { model: 'sequential', workers: latency ? 0 : 1, switchInterval },
    ...models.flatMap((model) => options.workers.map((workers) => ({ model, workers, switchInterval }))),
  ]);
}

export function cpythonLabel(
  info: PythonInfo,
  spec: Pick<CPythonCellSpec, 'model' | 'workers' | 'switchInterval'>,
  workload: string,
): string {
  const lock = spec.switchInterval === null ? 'no GIL' : `${spec.switchInterval * 1000} ms`;
  return `${workload}, ${spec.model}, ${spec.workers} worker${spec.workers === 1 ? '' : 's'}, ${info.label} (${lock})`;
}

/** The record of the run's interpreter: which it is, and why it has no rows of a model, if so. */
export function cpythonRecord(info: PythonInfo, options: Resolved): CPythonRecord {
  if (options.workload === 'transfer')
    return { ...info, error: null, note: 'the transfer workload has no CPython form', missing: null };
  return { ...info, error: null, note: null, missing: interpretersMissing(options, info) };
}

/** Whether `error` is the interpreter's failure (it died, hung, failed a request): its rows go, the run goes on. */
export function isPythonFailure(error: unknown, signal: AbortSignal): error is PythonError {
  return !signal.aborted && error instanceof PythonError;
}

/** CPython's cells of a run, open in the interpreter, for the measurement core to warm and time. */
export interface CPythonCells {
  /** Each cell's label, as progress reports name it. */
  labels: string[];
  timeables: Timeable[];
  /** Each speedup to pin down, by index into `timeables`: a cell over its switch interval's sequential cell. */
  comparisons: Comparison[];
  /** Turns each cell's timed runs (by index, as `timeables`) into its row. */
  rows(runs: readonly number[][], warmUps: readonly WarmUp[], judge: RowJudge): CompareRow[];
  close(): Promise<void>;
}

/** What the rows of CPython are judged by, beside gil-lab's: the machine's ceiling and cores. */
export interface RowJudge {
  calibration: Calibration | null;
  cores: number;
}

/** Times one of gil-lab's tasks, warm (its sequential cell's): resolves to its ms. */
export type ReferenceTask = (signal: AbortSignal) => Promise<number>;

/**
 * A countdown size that takes as long as one of gil-lab's tasks, and about how long that is:
 * scaled in the interpreter alone to one task just timed, then by the median ratio of
 * CALIBRATION_PAIRS pairs, each a gil-lab task and a countdown timed one after the other.
 */
async function calibrateCountdown(
  runtime: CPythonRuntime,
  reference: ReferenceTask,
  signal: AbortSignal,
): Promise<{ n: number; taskMs: number }> {
  const first = await reference(signal);
  const n = await runtime.calibrateCountdown(first, signal);
  const references: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < CALIBRATION_PAIRS; i++) {
    references.push(await reference(signal));
    ratios.push(references[i] / (await runtime.timeCountdown(n, first, signal)));
  }
  return { n: Math.max(1, Math.round(n * median(ratios))), taskMs: median(references) };
}

/**
 * Opens CPython's cells of the run (none for `transfer`); for `cpu`, the countdown is first
 * calibrated against `reference`. Rejects with a PythonError where the interpreter fails, the
 * cells opened so far closed.
 */
export async function openCPython(
  runtime: CPythonRuntime,
  options: Resolved,
  reference: ReferenceTask,
  signal: AbortSignal,
): Promise<CPythonCells> {
  const { info } = runtime;
  const specs = options.workload === 'transfer' ? [] : plan(options, info);
  const { n, taskMs } =
    options.workload === 'cpu' && specs.length > 0
      ? await calibrateCountdown(runtime, reference, signal)
      : { n: 0, taskMs: 0 };
  const latency = options.workload === 'latency';
  const cells: CPythonCell[] = [];
  const close = () => Promise.all(cells.map((cell) => cell.close().catch(() => {}))).then(() => {});
  try {
    for (const spec of specs) {
      const interval = spec.switchInterval ?? info.switchInterval;
      const [task, expectedMs] = taskOf(options, n, taskMs, interval);
      cells.push(await runtime.open(spec.model, Math.max(1, spec.workers), task, expectedMs, signal));
    }
  } catch (error) {
    await close();
    throw error;
  }
  const timeables = cells.map((cell, i): Timeable => {
    // A free-threaded CPython without its GIL has no switch interval to set.
    const interval = specs[i].switchInterval;
    const atInterval = async (signal: AbortSignal) => {
      if (interval !== null) await runtime.setSwitchInterval(interval, signal);
    };
    return {
      warm: async (s) => {
        await atInterval(s);
        return cell.warm(s);
      },
      time: async (s) => {
        await atInterval(s);
        return cell.time(s);
      },
      ...(latency ? { maxWarmUps: 1 } : {}),
    };
  });
  const baselines = specs.map((spec) =>
    specs.findIndex((s) => s.model === 'sequential' && s.switchInterval === spec.switchInterval),
  );
  return {
    labels: specs.map((spec) => `CPython: ${cpythonLabel(info, spec, options.workload)}`),
    timeables,
    comparisons: baselines.flatMap((baseline, cell) => (baseline === cell ? [] : [{ baseline, cell }])),
    rows: (runs, warmUps, { calibration, cores }) =>
      specs.map((spec, i) => {
        const { speedup, speedupCI } =
          baselines[i] === i
            ? { speedup: 1, speedupCI: [1, 1] as [number, number] }
            : pairedSpeedup(runs[baselines[i]], runs[i]);
        const row: CompareRow = {
          runtime: 'cpython',
          workload: options.workload,
          kernel: options.workload === 'cpu' ? 'countdown' : latency ? 'pipeRoundTrips' : 'sleep',
          size: options.workload === 'cpu' ? n : options.size,
          model: spec.model,
          gil: spec.switchInterval === null ? 'off' : 'on',
          mode: spec.switchInterval === null ? null : 'cpython',
          switchInterval: spec.switchInterval,
          backend: 'cpython',
          workers: spec.workers,
          tasks: latency ? 1 : options.tasks,
          wallMs: spread(runs[i]),
          speedup,
          speedupCI,
          efficiency: latency ? null : speedup / spec.workers,
          warmUpRuns: warmUps[i].runs,
          flags: [],
          gilStats: null,
        };
        if (latency) row.latencyMs = spread(runs[i].map((ms) => ms / options.size));
        if (spec.model === 'processes') row.startupMs = cells[i].startupMs;
        row.flags = flagsOf(row, { rounds: runs[i].length, steady: warmUps[i].steady }, calibration, cores);
        return row;
      }),
    close,
  };
}

/** One run's tasks in the driver's terms, and about how long the run should take. */
function taskOf(options: Resolved, n: number, taskMs: number, interval: number): [CPythonTask, number] {
  switch (options.workload) {
    case 'cpu':
      return [{ workload: 'cpu', tasks: options.tasks, n }, options.tasks * taskMs];
    case 'io':
      return [{ workload: 'io', tasks: options.tasks, seconds: options.size / 1000 }, options.tasks * options.size];
    default:
      // Beside CPU-bound threads, each round trip may wait two switch intervals for the lock.
      return [
        { workload: 'latency', round_trips: options.size, head_start: HEAD_START_S },
        options.size * 2 * interval * 1000,
      ];
  }
}
