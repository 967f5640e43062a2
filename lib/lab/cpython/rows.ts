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
import type { CompareRow, CPythonRecord, Model, PythonInfo, ResolvedCompareOptions } from '../types';
import type { CPythonRuntime, CPythonTask } from './cells';

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

/** The cells CPython will run for `options`, for progress counts: 0 where the workload has no CPython form. */
export function cpythonCellCount(options: Resolved, info: PythonInfo): number {
  return options.workload === 'transfer' ? 0 : plan(options, info).length;
}

/**
 * Measures CPython's cells of the run, each opened once, warmed with one run of the real task
 * and timed `repeats` times. `taskMs` is how long one of gil-lab's tasks took: the countdown is
 * calibrated to it. Resolves to the rows measured and, where the interpreter failed, why the
 * rest are missing; rejects only when `signal` aborts.
 */
export async function measureCPython(
  runtime: CPythonRuntime,
  options: Resolved,
  taskMs: number,
  signal: AbortSignal,
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
    let baseline = NaN;
    for (const spec of plan(options, runtime.info)) {
      const interval = spec.switchInterval ?? runtime.info.switchInterval;
      await runtime.setSwitchInterval(interval, signal);
      const [task, expectedMs] = taskOf(options, n, taskMs, interval);
      const cell = await runtime.open(spec.model, Math.max(1, spec.workers), task, expectedMs, signal);
      const runs: number[] = [];
      try {
        await cell.warm(signal);
        for (let r = 0; r < options.repeats; r++) {
          runs.push(await cell.time(signal));
          afterRun(cpythonLabel(runtime.info, spec, options.workload));
        }
      } finally {
        await cell.close().catch(() => {}); // a failed driver fails the next request too, which says why
      }
      const wallMs = spread(runs);
      if (spec.model === 'sequential') baseline = wallMs.median;
      const latency = options.workload === 'latency';
      const speedup = baseline / wallMs.median;
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
        wallMs,
        speedup,
        efficiency: latency ? null : speedup / spec.workers,
        gilStats: null,
      };
      if (latency) row.latencyMs = spread(runs.map((ms) => ms / options.size));
      if (spec.model === 'processes') row.startupMs = cell.startupMs;
      rows.push(row);
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
