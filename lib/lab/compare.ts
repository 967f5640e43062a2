// compare(): the lab's one call. It runs a matrix — workload × model × lock × backend ×
// workers — through the measurement core (./measure), and returns one row per cell with its
// wall times, its speedup over the sequential run of the same workload, backend and lock with a
// 95% interval, flags where the figure is doubtful, and the lock's counters; the record carries
// the machine's ceiling and warnings in words.
//
// How it measures (see ./measure/core.ts): for CPU-bound workloads the machine's ceiling first
// (plain processes side by side, ./measure/ceiling.ts); then every cell's executor is opened —
// all of them at once, kept open to the end, so that no timed run includes a start-up (a
// process pool's is reported beside, in `startupMs`); each cell is warmed with its real task
// until steady; then the cells are timed in rounds, in a shuffled order each round, until every
// speedup is within ±5% or `maxTime` is spent, `repeats` rounds at least.
//
// The workloads:
// - cpu: `tasks` × `kernel(size)`, CPU-bound.
// - io: `tasks` × `sleep(size ms)`, I/O-bound: blocking sleeps that release the lock, or, in
//   the async model, timers on the event loop.
// - latency: the convoy measurement. One I/O task, `pipeRoundTrips(size)`, timed alone (the
//   sequential row, workers 0) and beside `workers` CPU-bound tasks of `kernel` that run
//   until it ends — on threads of this process (sharing its lock), on threads each in an
//   interpreter of its own (the I/O task too), or in child processes (each with a lock of its
//   own). `latencyMs` is one round trip.
// - transfer: `tasks` × `sha256` of `size` MiB each: what moving data to a worker costs —
//   little for threads, a copy through a pipe for processes.
//
// The lock: each cell's warm-ups and timed runs set it (`gil.enable`/`disable`) as its `gil`,
// `mode` and switch interval say, and the caller's settings come back at the end. A row's
// `gilStats` counts the cell's timed runs: the backend's threads in this process, added to a
// process pool's children's own locks (each child takes the parent's settings with every task
// and answers with its counts). `trace: true` keeps the events of each lock-on cell's first
// timed run in this process as a timeline.
//
// With `python`, the same workload runs in a real CPython too (./cpython/rows.ts): its cells
// are opened and warmed after gil-lab's (its countdown calibrated against warm tasks of
// gil-lab's first sequential cell), then timed in the same rounds — each round times every
// cell of both runtimes once, in one shuffled order. Where the interpreter fails, its rows are
// left out and the record says why; failed during the rounds, gil-lab's cells are timed again
// without it.
//
// The sequential row of each (workload, backend, lock) is always measured: it is every
// speedup's baseline. Models that mean nothing for a workload are skipped: `async` for
// `latency` (the I/O task there is a thread's blocking call).

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  checkBoolean,
  checkSignal,
  integer,
  listOf,
  oneOf,
  optionsObject,
  rangeError,
  typeError,
  typeName,
} from '../args';
import { BACKEND_NAMES, type BackendName } from '../backend-names';
import { AbortError } from '../errors';
import { gil, sum as sumGilCounts, type GilCounts } from '../gil';
import { sinceOrigin, syncCallerName } from '../gil/control';
import { kernelNames, type KernelName } from '../kernels';
import { backendFor, VERSION } from '../loader';
import { physicalCores } from '../platform';
import { resolveConnection, type ClusterConnection } from '../pools/cluster/connection';
import { checkQueueName, DEFAULT_QUEUE } from '../pools/cluster/protocol';
import { checkWorkers } from '../pools/options';
import { EventLoopExecutor } from '../pools/event-loop';
import type { KernelExecutor } from '../pools/executor';
import { ProcessPool } from '../pools/process-pool';
import { InterpreterPool, ThreadPool } from '../pools/thread-pool';
import { openBatch, openConvoy, type OpenCell, type Task } from './cells';
import { CPythonRuntime } from './cpython/cells';
import { locatePython } from './cpython/driver';
import { cpythonRecord, isPythonFailure, openCPython, type CPythonCells, type ReferenceTask } from './cpython/rows';
import { spread } from './executors';
import { measureCeiling, type Calibration } from './measure/ceiling';
import { timeInRounds, warmUntilSteady, type Comparison, type Timeable, type WarmUp } from './measure/core';
import { median, pairedSpeedup } from './measure/stats';
import { flagsOf, warningsOf } from './plausibility';
import type {
  CompareOptions,
  CpuKernel,
  CompareReport,
  CompareRow,
  CPythonRecord,
  EnabledGilMode,
  GilStatsSummary,
  GilSetting,
  MachineDescription,
  ClusterInReport,
  Model,
  ResolvedCompareOptions,
  TimelineEvent,
  Workload,
} from './types';

export const WORKLOADS: readonly Workload[] = ['cpu', 'io', 'latency', 'transfer'];
/** The models a run tries by default; `cluster` needs `options.cluster` and is tried only when asked. */
export const MODELS: readonly Model[] = ['sequential', 'threads', 'interpreters', 'processes', 'async'];
export const ALL_MODELS: readonly Model[] = [...MODELS, 'cluster'];
export const GIL_SETTINGS: readonly GilSetting[] = ['on', 'off'];
export const GIL_MODES: readonly EnabledGilMode[] = ['cpython', 'legacy'];
const MIB = 2 ** 20;

/**
 * The CPU-bound kernels of the `cpu` and `latency` workloads: `size` as arguments, a default
 * size for a task of about 200–250 ms natively (countPrimes's is ~250 ms in JS, where the native
 * kernel is 8 times faster), and, for those that can serve in `latency`,
 * arguments that run until stopped.
 */
export const CPU_KERNELS: Record<
  CpuKernel,
  { args(size: number): unknown[]; defaultSize: number; untilStopped?: unknown[] }
> = {
  countPrimes: { args: (limit) => [limit], defaultSize: 3_000_000, untilStopped: [2 ** 31 - 1] },
  countdown: { args: (n) => [n], defaultSize: 500_000_000, untilStopped: [Number.MAX_SAFE_INTEGER] },
  nbody: { args: (steps) => [steps], defaultSize: 6_500_000, untilStopped: [2 ** 31 - 1] },
  monteCarloPi: {
    args: (samples) => [samples, 1],
    defaultSize: 150_000_000,
    untilStopped: [Number.MAX_SAFE_INTEGER, 1],
  },
  spectralNorm: { args: (n) => [n], defaultSize: 3_200 },
  fannkuch: { args: (n) => [n], defaultSize: 10 },
  mandelbrot: { args: (side) => [{ width: side, height: side, maxIter: 1000 }], defaultSize: 600 },
};

/** The kernels `options.kernel` takes, in the order of `kernelNames`. */
export const CPU_KERNEL_NAMES: readonly CpuKernel[] = kernelNames.filter((k): k is CpuKernel => k in CPU_KERNELS);
/** Those that can be the CPU-bound threads of `latency`: a task that runs until stopped. */
export const LATENCY_KERNEL_NAMES: readonly CpuKernel[] = CPU_KERNEL_NAMES.filter((k) => CPU_KERNELS[k].untilStopped);

/** Per workload: the task's kernel (the CPU kernel for `cpu`), its size's meaning, bounds and defaults. */
const WORKLOAD_SPECS: Record<
  Workload,
  { kernel: KernelName | null; sizeMax: number; defaultSize: number | null; defaultTasks: number; unit: string }
> = {
  cpu: { kernel: null, sizeMax: 2 ** 53 - 1, defaultSize: null, defaultTasks: 4, unit: 'the kernel’s size argument' },
  io: { kernel: 'sleep', sizeMax: 60_000, defaultSize: 200, defaultTasks: 8, unit: 'ms of sleep per task' },
  latency: { kernel: 'pipeRoundTrips', sizeMax: 1_000_000, defaultSize: 200, defaultTasks: 1, unit: 'round trips' },
  transfer: { kernel: 'sha256', sizeMax: 256, defaultSize: 8, defaultTasks: 8, unit: 'MiB per task' },
};

/** All the data a `transfer` run hands out at once, at most. */
const TRANSFER_TOTAL_MAX_MIB = 2048;
/** The budget a bare compare() gets, seconds. */
const DEFAULT_MAX_TIME = 10;
/** The most of the budget the machine's ceiling may take, and at most this many ms. */
const CEILING_SHARE = 0.1;
const CEILING_MAX_MS = 3000;
const CPU_BOUND: readonly Workload[] = ['cpu', 'transfer'];

type Resolved = Omit<ResolvedCompareOptions, 'cluster'> & { cluster: ResolvedCluster | null };

interface ResolvedCluster extends ClusterInReport {
  connection: ClusterConnection;
}

interface LockCell {
  gil: GilSetting;
  mode: EnabledGilMode | null;
  switchInterval: number | null;
}

interface Cell extends LockCell {
  workload: Workload;
  kernel: KernelName;
  model: Model;
  backend: BackendName;
  workers: number;
}

/** What the lock recorded over a cell's timed runs: null where the lock was off, or not traced. */
interface LockRecord {
  gilStats: GilStatsSummary | null;
  timeline: TimelineEvent[] | null;
}

/** Sets the lock as `cell` asks, in both backends (and, through each task, in a process pool's children). */
function applyLock(cell: LockCell): void {
  if (cell.gil === 'off') gil.disable();
  else gil.enable({ mode: cell.mode!, switchInterval: cell.switchInterval! });
}

function nowMs(): number {
  return sinceOrigin(process.hrtime.bigint()) / 1e6;
}

function summary({
  takes,
  contendedTakes,
  dropRequests,
  forcedSwitches,
  voluntaryReleases,
  waitMs,
  holdMs,
}: GilCounts): GilStatsSummary {
  return { takes, contendedTakes, dropRequests, forcedSwitches, voluntaryReleases, waitMs, holdMs };
}

/**
 * Whether a thread the lock names is one of `executors`': a pool's (`<label>-<n>`), or this
 * thread's sync calls, the event loop's. Only these count in a cell's figures: a thread of an
 * earlier cell may still be stopping an aborted task (the abort rejects at once; the thread
 * stops at its next tick), and its counters, reset under it, are not this cell's.
 */
function threadsOf(executors: readonly KernelExecutor[]): (thread: string) => boolean {
  const pools = executors.flatMap((e) =>
    e instanceof ThreadPool || e instanceof InterpreterPool ? [`${e.label}-`] : [],
  );
  const eventLoop = executors.some((e) => e instanceof EventLoopExecutor) ? syncCallerName() : null;
  return (thread) => thread === eventLoop || pools.some((prefix) => thread.startsWith(prefix));
}

/**
 * `open`'s runs under the lock its cell asks for, each timed run counted: the cell's backend's
 * threads in this process, and a process pool's children (each child's own lock, so no
 * contention between processes can show). With `trace`, the first timed run's events are kept.
 */
function underLock(cell: Cell, open: OpenCell, trace: boolean): { timeable: Timeable; record(): LockRecord } {
  const children = open.executors.filter((e): e is ProcessPool => e instanceof ProcessPool);
  const mine = threadsOf(open.executors);
  const counts: GilCounts[] = [];
  let timeline: TimelineEvent[] | null = null;
  const timeable: Timeable = {
    maxWarmUps: open.timeable.maxWarmUps,
    minWarmUps: open.timeable.minWarmUps,
    cpuInThisProcess: open.timeable.cpuInThisProcess,
    warm: (signal) => {
      applyLock(cell);
      return open.timeable.warm(signal);
    },
    time: async (signal) => {
      applyLock(cell);
      gil.resetStats();
      for (const pool of children) pool.resetGilStats();
      const origin = nowMs();
      const ms = await open.timeable.time(signal);
      // A cluster's locks are the hosts', which this process does not see.
      if (cell.gil === 'on' && cell.model !== 'cluster') {
        const threads = gil.stats()[cell.backend]?.threads.filter((t) => mine(t.thread)) ?? [];
        counts.push(sumGilCounts(threads), ...children.map((pool) => pool.gilStats()));
        if (trace && timeline === null) {
          timeline = gil
            .trace()
            .filter((event) => event.backend === cell.backend && mine(event.thread) && event.timeMs >= origin)
            .map(({ backend, thread, event, timeMs }) => ({ backend, thread, event, timeMs: timeMs - origin }));
        }
      }
      return ms;
    },
  };
  const record = () => ({ gilStats: cell.gil === 'on' ? summary(sumGilCounts(counts)) : null, timeline });
  return { timeable, record };
}

/** An option's value, or its default when it is left out (undefined: null is a value, and refused). */
function given<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** The backends that load here. */
export function loadableBackends(): BackendName[] {
  return BACKEND_NAMES.filter((name) => {
    try {
      backendFor(name);
      return true;
    } catch {
      return false;
    }
  });
}

/** The options, checked, with the defaults filled in; a TypeError or RangeError names the option at fault. */
export function resolveCompareOptions(options: unknown): Resolved & Pick<CompareOptions, 'onProgress' | 'signal'> {
  const o = optionsObject('options', options) as CompareOptions;
  const workload = oneOf('options.workload', given(o.workload, 'cpu'), WORKLOADS);
  const spec = WORKLOAD_SPECS[workload];
  const kernel = oneOf('options.kernel', given<unknown>(o.kernel, 'countdown'), CPU_KERNEL_NAMES);
  if (workload === 'latency' && !LATENCY_KERNEL_NAMES.includes(kernel)) {
    throw rangeError(
      `options.kernel must be one of ${LATENCY_KERNEL_NAMES.join(', ')} for the latency workload (a task that runs until stopped); got "${kernel}"`,
    );
  }
  const size = integer(
    `options.size (${spec.unit})`,
    given<unknown>(o.size, spec.defaultSize ?? CPU_KERNELS[kernel].defaultSize),
    1,
    spec.sizeMax,
  );
  const tasks = integer('options.tasks', given<unknown>(o.tasks, spec.defaultTasks), 1, 10_000);
  if (workload === 'transfer' && tasks * size > TRANSFER_TOTAL_MAX_MIB) {
    throw rangeError(
      `options.tasks × options.size must be at most ${TRANSFER_TOTAL_MAX_MIB} MiB for the transfer workload; got ${tasks * size} MiB`,
    );
  }
  const workers = listOf(
    'options.workers',
    given<unknown>(o.workers, [...new Set([1, os.availableParallelism()])]),
    (w, name) => checkWorkers(name, w),
  );
  const models = listOf('options.models', given<unknown>(o.models, MODELS), (m, name) => oneOf(name, m, ALL_MODELS));
  const cluster = o.cluster === undefined ? null : resolveCluster(o.cluster);
  if (models.includes('cluster') && cluster === null)
    throw rangeError('options.models: the cluster model needs options.cluster ({ connection })');
  // A lock option is never ignored: given alone, it turns the lock on; given with a lock that is
  // only off, it is a mistake.
  const lockOptions = (['mode', 'switchIntervals'] as const).filter((name) => o[name] !== undefined);
  const gil = listOf('options.gil', given<unknown>(o.gil, lockOptions.length > 0 ? ['on'] : ['off']), (g, name) =>
    oneOf(name, g, GIL_SETTINGS),
  );
  if (lockOptions.length > 0 && !gil.includes('on')) {
    const [first] = lockOptions;
    throw rangeError(
      `options.${first} applies only with the lock on, and options.gil is ${gil.join(', ')}: add on to options.gil, or leave options.${first} out`,
    );
  }
  const mode = oneOf('options.mode', given(o.mode, 'cpython'), GIL_MODES);
  const switchIntervals = listOf('options.switchIntervals', given<unknown>(o.switchIntervals, [0.005]), (s, name) => {
    if (typeof s !== 'number') throw typeError(`${name} must be a number; got ${typeName(s)}`);
    if (!(s > 0 && s <= 1))
      throw rangeError(`${name} must be a number of seconds, more than 0 and at most 1; got ${String(s)}`);
    return s;
  });
  const loadable = loadableBackends();
  const backends = listOf('options.backends', given<unknown>(o.backends, loadable), (b, name) => {
    const backend = oneOf(name, b, BACKEND_NAMES);
    if (!loadable.includes(backend))
      throw rangeError(`${name}: the ${backend} backend does not load here (see info())`);
    return backend;
  });
  const repeats = integer('options.repeats', given<unknown>(o.repeats, 5), 1, 1000);
  const maxTime = given<unknown>(o.maxTime, DEFAULT_MAX_TIME);
  if (typeof maxTime !== 'number')
    throw typeError(`options.maxTime must be a number of seconds; got ${typeName(maxTime)}`);
  if (!(maxTime >= 0 && maxTime <= 3600))
    throw rangeError(`options.maxTime must be a number of seconds from 0 to 3600; got ${String(maxTime)}`);
  const trace = checkBoolean('options.trace', given<unknown>(o.trace, false));
  const python = pythonOption(o.python);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw typeError(`options.onProgress must be a function; got ${typeName(o.onProgress)}`);
  }
  checkSignal('options.signal', o.signal);
  return {
    workload,
    kernel,
    size,
    tasks,
    workers,
    models,
    cluster,
    gil,
    mode,
    switchIntervals,
    backends,
    repeats,
    maxTime,
    trace,
    python,
    onProgress: o.onProgress,
    signal: o.signal,
  };
}

function resolveCluster(value: unknown): ResolvedCluster {
  const o = optionsObject('options.cluster', value);
  const { label, options } = resolveConnection('options.cluster.connection', o.connection);
  const queue = o.queue === undefined ? DEFAULT_QUEUE : checkQueueName('options.cluster.queue', o.queue);
  return { server: label, queue, connection: options };
}

function lockCells(options: Resolved): LockCell[] {
  return options.gil.flatMap((gil): LockCell[] =>
    gil === 'off'
      ? [{ gil, mode: null, switchInterval: null }]
      : options.switchIntervals.map((switchInterval) => ({ gil, mode: options.mode, switchInterval })),
  );
}

/** Every cell, each group's sequential baseline first. */
function plan(options: Resolved): Cell[] {
  const taskKernel = WORKLOAD_SPECS[options.workload].kernel ?? options.kernel;
  // `latency` times an I/O task beside CPU-bound ones on the same machine: not where a cluster runs them.
  const models = options.models.filter(
    (m) => m !== 'sequential' && !((m === 'async' || m === 'cluster') && options.workload === 'latency'),
  );
  const cells: Cell[] = [];
  for (const backend of options.backends) {
    for (const lock of lockCells(options)) {
      const base = { ...lock, workload: options.workload, kernel: taskKernel, backend };
      cells.push({ ...base, model: 'sequential', workers: options.workload === 'latency' ? 0 : 1 });
      for (const model of models) for (const workers of options.workers) cells.push({ ...base, model, workers });
    }
  }
  return cells;
}

function label(cell: Cell): string {
  const lock = cell.gil === 'on' ? `lock on (${cell.mode}, ${cell.switchInterval! * 1000} ms)` : 'lock off';
  return `${cell.workload} ${cell.kernel}, ${cell.model}, ${cell.workers} worker${cell.workers === 1 ? '' : 's'}, ${cell.backend}, ${lock}`;
}

/** The task of a cpu, io, transfer or latency cell (the I/O task of latency). */
function taskOf(options: Resolved): Task {
  switch (options.workload) {
    case 'cpu':
      return { kernel: options.kernel, args: CPU_KERNELS[options.kernel].args(options.size) };
    case 'io':
      return { kernel: 'sleep', args: [options.size] };
    case 'transfer':
      return { kernel: 'sha256', args: [new Uint8Array(options.size * MIB).map((_, i) => i & 0xff), 1] };
    case 'latency':
      return { kernel: 'pipeRoundTrips', args: [options.size] };
  }
}

function openCell(cell: Cell, options: Resolved, task: Task): Promise<OpenCell> {
  if (cell.workload !== 'latency')
    return openBatch(cell.model, cell.backend, cell.workers, task, options.tasks, options.cluster);
  const cpu = { kernel: options.kernel, args: CPU_KERNELS[options.kernel].untilStopped! };
  return openConvoy(cell.model, cell.backend, cell.workers, task, cpu);
}

/** The `python` option: false, or the interpreter to run, found (or a PythonError naming it) before any work. */
function pythonOption(value: unknown): false | string {
  if (value === undefined || value === false) return false;
  if (value !== true && (typeof value !== 'string' || value === '')) {
    throw typeError(
      `options.python must be true (python3 on the PATH), false or the path of a python; got ${typeName(value)}`,
    );
  }
  const python = value === true ? 'python3' : value;
  locatePython(python);
  return python;
}

function describeMachine(): MachineDescription {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.availableParallelism(),
    physicalCores: physicalCores(),
    loadAverage: process.platform === 'win32' ? null : Math.round(os.loadavg()[0] * 100) / 100,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    gilLab: VERSION,
    backends: loadableBackends(),
  };
}

/** Each cell's baseline: the sequential cell of its workload, backend and lock (itself for that one). */
function baselines(cells: readonly Cell[]): number[] {
  const group = (c: Cell) => `${c.backend}/${c.gil}/${c.mode}/${c.switchInterval}`;
  return cells.map((cell) => cells.findIndex((c) => c.model === 'sequential' && group(c) === group(cell)));
}

/**
 * Runs the matrix that `options` describes and returns its report. Rejects with a
 * TypeError/RangeError naming the option at fault before anything runs, and with an
 * AbortError when `options.signal` aborts (the running tasks are stopped).
 */
export async function compare(options?: CompareOptions): Promise<CompareReport> {
  const { onProgress, signal: callerSignal, ...resolved } = resolveCompareOptions(options);
  const signal = callerSignal ?? new AbortController().signal;
  if (signal.aborted) throw new AbortError(signal.reason);
  const startedAt = new Date();
  const began = performance.now();
  // Described first: the load average as the run starts is other programs', not the run's own.
  const machine = describeMachine();
  const budgetMs = resolved.maxTime * 1000;
  const cells = plan(resolved);
  const baseline = baselines(cells);
  const task = taskOf(resolved);
  // Started first, so that an interpreter too old or broken fails the run before any work.
  const python = resolved.python === false ? null : await CPythonRuntime.start(resolved.python, signal);
  const pythonRecord = python && cpythonRecord(python.info, resolved);
  let cpython: WarmCPython | null = null;
  const callersLock = { enabled: gil.enabled, mode: gil.mode, switchInterval: gil.getSwitchInterval() };
  const opened: OpenCell[] = [];
  try {
    const calibration: Calibration | null = CPU_BOUND.includes(resolved.workload)
      ? await measureCeiling(resolved.workers, Math.min(CEILING_MAX_MS, budgetMs * CEILING_SHARE), signal)
      : null;
    for (const cell of cells) opened.push(await openCell(cell, resolved, task));
    const locked = cells.map((cell, i) => underLock(cell, opened[i], resolved.trace));
    const warmUps: WarmUp[] = [];
    for (const { timeable } of locked) warmUps.push(await warmUntilSteady(timeable, signal));
    if (python) {
      // The countdown is sized against the first sequential cell (plan()'s first), whose warm-up is one task.
      const reference: ReferenceTask = async (s) => (await locked[0].timeable.warm(s))[0];
      cpython = await warmCPython(python, pythonRecord!, resolved, reference, signal);
    }
    let done = 0;
    const timeRounds = (timeables: Timeable[], comparisons: Comparison[], labels: string[]) =>
      timeInRounds(timeables, {
        comparisons,
        minRounds: resolved.repeats,
        deadline: began + budgetMs,
        signal,
        onRun: (i, round) =>
          onProgress?.({
            done: ++done,
            total: timeables.length * Math.max(resolved.repeats, round + 1),
            label: labels[i],
          }),
      });
    const gilLab = {
      timeables: locked.map((l) => l.timeable),
      comparisons: cells.flatMap((_, i): Comparison[] =>
        baseline[i] === i ? [] : [{ baseline: baseline[i], cell: i }],
      ),
      labels: cells.map(label),
    };
    let runs: number[][];
    let cpuMs: (number[] | null)[];
    if (cpython) {
      // CPython's cells after gil-lab's in the list, in the same rounds: each round shuffles them all.
      const { cells: py } = cpython;
      const offset = cells.length;
      try {
        ({ runs, cpuMs } = await timeRounds(
          [...gilLab.timeables, ...py.timeables],
          [
            ...gilLab.comparisons,
            ...py.comparisons.map((c) => ({ baseline: c.baseline + offset, cell: c.cell + offset })),
          ],
          [...gilLab.labels, ...py.labels],
        ));
      } catch (error) {
        if (!isPythonFailure(error, signal)) throw error;
        pythonRecord!.error = error.message;
        await py.close();
        cpython = null;
        // The rounds so far were cut short: gil-lab's cells are timed again, without CPython's.
        ({ runs, cpuMs } = await timeRounds(gilLab.timeables, gilLab.comparisons, gilLab.labels));
      }
    } else {
      ({ runs, cpuMs } = await timeRounds(gilLab.timeables, gilLab.comparisons, gilLab.labels));
    }
    const cores = os.availableParallelism();
    const rounds = runs[0].length;
    const timelines: CompareReport['timelines'] = [];
    const rows = cells.map((cell, i): CompareRow => {
      const { speedup, speedupCI } =
        i === baseline[i]
          ? { speedup: 1, speedupCI: [1, 1] as [number, number] }
          : pairedSpeedup(runs[baseline[i]], runs[i]);
      const lock = locked[i].record();
      if (lock.timeline) timelines.push({ label: label(cell), events: lock.timeline });
      const row: CompareRow = {
        runtime: 'gil-lab',
        workload: cell.workload,
        kernel: cell.kernel,
        size: resolved.size,
        model: cell.model,
        gil: cell.gil,
        mode: cell.mode,
        switchInterval: cell.switchInterval,
        backend: cell.backend,
        workers: cell.workers,
        tasks: cell.workload === 'latency' ? 1 : resolved.tasks,
        wallMs: spread(runs[i]),
        speedup,
        speedupCI,
        efficiency: cell.workload === 'latency' ? null : speedup / cell.workers,
        warmUpRuns: warmUps[i].runs,
        flags: [],
        gilStats: lock.gilStats,
      };
      if (cell.workload === 'latency') row.latencyMs = spread(runs[i].map((ms) => ms / resolved.size));
      if (opened[i].startupMs !== null) row.startupMs = opened[i].startupMs!;
      if (cpuMs[i]) row.cpuMs = median(cpuMs[i]);
      row.flags = flagsOf(row, { rounds, steady: warmUps[i].steady }, calibration, cores);
      return row;
    });
    if (cpython) rows.push(...cpython.cells.rows(runs.slice(cells.length), cpython.warmUps, { calibration, cores }));
    return {
      machine,
      startedAt: startedAt.toISOString(),
      durationMs: performance.now() - began,
      options: {
        ...resolved,
        cluster: resolved.cluster && { server: resolved.cluster.server, queue: resolved.cluster.queue },
      },
      calibration,
      rows,
      warnings: warningsOf(rows, calibration, rounds, resolved.maxTime, machine),
      timelines,
      python: pythonRecord,
    };
  } catch (error) {
    if (signal.aborted) throw new AbortError(signal.reason);
    throw error;
  } finally {
    if (callersLock.enabled)
      gil.enable({ mode: callersLock.mode as EnabledGilMode, switchInterval: callersLock.switchInterval });
    else gil.disable();
    gil.setSwitchInterval(callersLock.switchInterval);
    await Promise.all(opened.flatMap((o) => o.executors.map((e) => e.shutdown({ cancelFutures: true }))));
    await cpython?.cells.close();
    await python?.close();
  }
}

interface WarmCPython {
  cells: CPythonCells;
  warmUps: WarmUp[];
}

/**
 * CPython's cells of the run, opened and warmed; null where the interpreter failed meanwhile (its
 * record then says why) or where the workload has none.
 */
async function warmCPython(
  runtime: CPythonRuntime,
  record: CPythonRecord,
  options: Resolved,
  reference: ReferenceTask,
  signal: AbortSignal,
): Promise<WarmCPython | null> {
  let cells: CPythonCells | null = null;
  try {
    cells = await openCPython(runtime, options, reference, signal);
    const warmUps: WarmUp[] = [];
    for (const timeable of cells.timeables) warmUps.push(await warmUntilSteady(timeable, signal));
    return cells.timeables.length > 0 ? { cells, warmUps } : null;
  } catch (error) {
    if (!isPythonFailure(error, signal)) throw error;
    record.error = error.message;
    await cells?.close();
    return null;
  }
}
