// CPython's rows of a compare() run: the same workload in the interpreter the `python` option
// names, for each model of the run — sequential, threading, ProcessPoolExecutor, asyncio —
// with the speedup over CPython's own sequential row. The lock's settings map across: each
// switch interval of the run is set with sys.setswitchinterval; a free-threaded CPython
// running without its GIL has none, and its rows say `gil: 'off'`.
//
// The cpu workload runs countdown (the loop of Beazley's GIL talks), calibrated to take as long
// a task as gil-lab's kernel took in the same run, whatever that kernel was. The transfer
// workload has no CPython form.

import { PythonError } from '../../errors';
import { spread } from '../executors';
import type { Calibration } from '../measure/ceiling';
import { timeInRounds, warmUntilSteady, type Comparison, type Timeable, type WarmUp } from '../measure/core';
import { pairedSpeedup } from '../measure/stats';
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

/** How long the CPU-bound spinners of a latency run get to start before the round trips are timed. */
const HEAD_START_S = 0.03;

interface CPythonCellSpec {
  model: Model;
  workers: number;
  switchInterval: number | null;
}

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

/** What the rows of CPython are judged by, beside gil-lab's: the machine's ceiling and cores. */
export interface CPythonContext {
  calibration: Calibration | null;
  cores: number;
  signal: AbortSignal;
  /** When to stop starting rounds, in `performance.now()` ms. */
  deadline: number;
}

/**
 * Measures CPython's cells of the run by the measurement core, as gil-lab's are: for each switch
 * interval (one setting of the interpreter's), every cell opened at once, warmed until steady,
 * then timed in shuffled rounds until each speedup over CPython's own sequential cell is narrow
 * enough or the deadline passes (`repeats` rounds at least). `taskMs` is how long one of
 * gil-lab's tasks took: the countdown is calibrated to it. Resolves to the rows measured and,
 * where the interpreter failed, why the rest are missing; rejects only when the signal aborts.
 */
export async function measureCPython(
  runtime: CPythonRuntime,
  options: Resolved,
  taskMs: number,
  { calibration, cores, signal, deadline }: CPythonContext,
  afterRun: (label: string) => void,
): Promise<{ rows: CompareRow[]; record: CPythonRecord }> {
  const record: CPythonRecord = {
    ...runtime.info,
    error: null,
    note: null,
    missing: interpretersMissing(options, runtime.info),
  };
  if (options.workload === 'transfer') {
    return { rows: [], record: { ...record, note: 'the transfer workload has no CPython form', missing: null } };
  }
  const rows: CompareRow[] = [];
  try {
    const n = options.workload === 'cpu' ? await runtime.calibrateCountdown(taskMs, signal) : 0;
    const specs = plan(options, runtime.info);
    const intervals = [...new Set(specs.map((spec) => spec.switchInterval))];
    for (const [g, groupInterval] of intervals.entries()) {
      const group = specs.filter((spec) => spec.switchInterval === groupInterval);
      const interval = groupInterval ?? runtime.info.switchInterval;
      await runtime.setSwitchInterval(interval, signal);
      const [task, expectedMs] = taskOf(options, n, taskMs, interval);
      const cells: CPythonCell[] = [];
      try {
        for (const spec of group)
          cells.push(await runtime.open(spec.model, Math.max(1, spec.workers), task, expectedMs, signal));
        const timeables: Timeable[] = cells.map((cell) => ({
          warm: (s) => cell.warm(s),
          time: (s) => cell.time(s),
          ...(options.workload === 'latency' ? { maxWarmUps: 1 } : {}),
        }));
        const warmUps: WarmUp[] = [];
        for (const timeable of timeables) warmUps.push(await warmUntilSteady(timeable, signal));
        // The sequential cell comes first in each group.
        const comparisons: Comparison[] = group.slice(1).map((_, i) => ({ baseline: 0, cell: i + 1 }));
        const share = performance.now() + (deadline - performance.now()) / (intervals.length - g);
        const { runs } = await timeInRounds(timeables, {
          comparisons,
          minRounds: options.repeats,
          deadline: share,
          signal,
          onRun: (i) => afterRun(cpythonLabel(runtime.info, group[i], options.workload)),
        });
        group.forEach((spec, i) => {
          const latency = options.workload === 'latency';
          const { speedup, speedupCI } =
            i === 0 ? { speedup: 1, speedupCI: [1, 1] as [number, number] } : pairedSpeedup(runs[0], runs[i]);
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
          row.flags = flagsOf(row, { rounds: runs[0].length, steady: warmUps[i].steady }, calibration, cores);
          rows.push(row);
        });
      } finally {
        // A failed driver fails the next request too, which says why.
        await Promise.all(cells.map((cell) => cell.close().catch(() => {})));
      }
    }
  } catch (error) {
    if (signal.aborted || !(error instanceof PythonError)) throw error;
    record.error = error.message;
  }
  return { rows, record };
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
