// The shapes of a lab run: what `compare()` takes and returns, what the CLI prints and the
// HTML report draws. One definition, shared by the experiment runner, the CLI and the report.

import type { BackendName } from '../backend-names';
import type { TraceEventKind } from '../gil';
import type { ClusterConnection } from '../pools/cluster/connection';
import type { KernelName } from '../kernels';
import type { Calibration } from './measure/ceiling';
import type { ConfidenceInterval } from './measure/stats';

export type { Calibration, CeilingRow } from './measure/ceiling';
export type { ConfidenceInterval } from './measure/stats';

/** What the tasks do: burn CPU, block on I/O, time I/O beside CPU work, or carry data. */
export type Workload = 'cpu' | 'io' | 'latency' | 'transfer';

/** How the tasks run. */
export type Model = 'sequential' | 'threads' | 'interpreters' | 'processes' | 'async' | 'cluster';

export type GilSetting = 'on' | 'off';

/** The cluster of a run, as its report names it: the server without credentials. */
export interface ClusterInReport {
  server: string;
  queue: string;
}

/** The Redis and queue of a lab run's `cluster` model. */
export interface ClusterTarget {
  connection: ClusterConnection;
  queue?: string;
}
export type { EnabledGilMode } from '../gil/types';
import type { EnabledGilMode } from '../gil/types';

/**
 * The CPU-bound kernels of the `cpu` workload; all but `spectralNorm`, `fannkuch` and
 * `mandelbrot` can also be the CPU-bound threads of `latency` (a task that runs until stopped).
 */
export type CpuKernel =
  'countPrimes' | 'countdown' | 'nbody' | 'monteCarloPi' | 'spectralNorm' | 'fannkuch' | 'mandelbrot';

export interface CompareOptions {
  workload?: Workload;
  /** The CPU-bound kernel of the `cpu` workload (and of the CPU threads of `latency`); `countdown` unless given. */
  kernel?: CpuKernel;
  /** The kernel's size argument (`cpu`), the sleep in ms (`io`), MiB per task (`transfer`). */
  size?: number;
  /** How many tasks one run submits. */
  tasks?: number;
  /** Worker counts to try; each model but `sequential` runs once per count. */
  workers?: number[];
  /** Default: every model but `cluster`, which needs `cluster`. */
  models?: Model[];
  /** Where the `cluster` model's tasks go: `gil-lab worker` hosts of `queue` on this Redis (see docs/cluster.md). */
  cluster?: ClusterTarget;
  /**
   * The lock's settings to try: `['off']` unless given, or `['on']` if `mode` or
   * `switchIntervals` is given. Those two apply only with the lock on: given with a `gil` that
   * has no `'on'`, they are a RangeError, never ignored.
   */
  gil?: GilSetting[];
  /** The lock's algorithm when on; `'cpython'` unless given. */
  mode?: EnabledGilMode;
  /** Switch intervals to try with the lock on, in seconds (as `sys.setswitchinterval`); `[0.005]` unless given. */
  switchIntervals?: number[];
  backends?: BackendName[];
  /**
   * Rounds that always run. Every cell is timed once a round, in a shuffled order; rounds go on
   * until every speedup's 95% interval is within ±5%, or `maxTime` is spent.
   */
  repeats?: number;
  /** The time budget in seconds, counted from the start: no round starts after it. 0: `repeats` rounds only. */
  maxTime?: number;
  /** Record `gil.trace()` during one run of each locked threads cell, for the timeline. */
  trace?: boolean;
  /**
   * Run the same workload in a real CPython beside gil-lab: `true` for `python3` on the PATH,
   * or the interpreter's path. Its rows have `runtime: 'cpython'`; the report names it.
   */
  python?: boolean | string;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

/** The options as a run took them: defaults filled in, `python` as the interpreter run or false, `cluster` without its connection. */
export type ResolvedCompareOptions = Omit<Required<CompareOptions>, 'onProgress' | 'signal' | 'python' | 'cluster'> & {
  python: false | string;
  cluster: ClusterInReport | null;
};

export interface Progress {
  /** Timed runs done, and in all as far as known now (rounds go on until the intervals are narrow enough). */
  done: number;
  total: number;
  /** The cell being measured, in words. */
  label: string;
}

/** A measured quantity over the rounds, in round order. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** The lock's counters over one cell's runs, summed over threads. */
export interface GilStatsSummary {
  takes: number;
  contendedTakes: number;
  dropRequests: number;
  forcedSwitches: number;
  voluntaryReleases: number;
  waitMs: number;
  holdMs: number;
}

/** What ran a row: gil-lab's emulation, or a real CPython. */
export type Runtime = 'gil-lab' | 'cpython';

export interface CompareRow {
  runtime: Runtime;
  workload: Workload;
  /** The kernel each task ran: the CPU kernel (`cpu`), `sleep` (`io`), `pipeRoundTrips` (`latency`), `sha256` (`transfer`). */
  kernel: KernelName | null;
  size: number;
  model: Model;
  gil: GilSetting;
  /** The lock's mode and switch interval (s) when it is on; null when off. */
  mode: EnabledGilMode | null;
  switchInterval: number | null;
  /** gil-lab's backend; `'cpython'` for CPython's rows. */
  backend: BackendName | 'cpython';
  workers: number;
  tasks: number;
  wallMs: Spread;
  /**
   * How much faster than the sequential row of the same workload, backend and lock: the median
   * over rounds of sequential / this row's wall time, each round's two runs timed side by side.
   */
  speedup: number | null;
  /** The speedup's 95% interval: a bootstrap over the paired rounds. */
  speedupCI: ConfidenceInterval | null;
  /** How many warm-up runs of the real task the cell took before it was steady (or the cap). */
  warmUpRuns: number;
  /** What makes this row's figure doubtful; empty when nothing does. */
  flags: Flag[];
  /** Speedup divided by workers. */
  efficiency: number | null;
  /** `latency` workload: one I/O round trip's time beside `workers` CPU-bound threads. */
  latencyMs?: Spread;
  /**
   * Not counted in `wallMs`. `processes`: the median time a child took to start (spawn to
   * ready). `threads` and `interpreters`: the time from making the pool until it had answered
   * `workers` empty tasks submitted at once.
   */
  startupMs?: number;
  /**
   * This process's CPU time per timed run, the median, ms: present where the row's work runs
   * on threads of this process (sequential, threads, interpreters, async), not in children or
   * on other hosts. Its ratio to `wallMs.median` is how many cores the work kept busy; beside
   * the sequential row's, whether two rows did the same work at different speeds, or the same
   * work on a machine whose speed changed.
   */
  cpuMs?: number;
  gilStats: GilStatsSummary | null;
}

/**
 * One event of the lock's timeline, for the report's picture of who held it when: a
 * `gil.trace()` event, with the same field names, its time counted from the traced run's start.
 */
export interface TimelineEvent {
  backend: BackendName;
  /** A stable label of the thread. */
  thread: string;
  /** As `gil.trace()`'s `event`: a wait lasts until the thread's next take. */
  event: TraceEventKind;
  /** Milliseconds since the start of the traced run (in `gil.trace()`, since the process's time origin). */
  timeMs: number;
}

/**
 * Why a row's figure is doubtful:
 * - `above-workers`: faster, beyond noise, than its worker count allows (CPU-bound: or the logical cores);
 * - `above-ceiling`: CPU-bound, and faster, by more than its interval, than plain processes
 *   side by side were on this machine (the ceiling);
 * - `disagrees`: one thread's work, the same as the sequential row's, and more than 10% apart;
 * - `async-above-1`: CPU-bound tasks on the event loop, faster than sequential;
 * - `lock-on-above-1.2`: CPU-bound threads under the lock, more than 1.2× sequential;
 * - `wide-interval`: the 95% interval is wider than ±5% when the budget ran out;
 * - `few-rounds`: fewer rounds than an interval needs (5);
 * - `unsteady`: its warm-ups did not settle before their cap (not for `latency`, whose runs vary by nature).
 */
export type Flag =
  | 'above-workers'
  | 'above-ceiling'
  | 'disagrees'
  | 'async-above-1'
  | 'lock-on-above-1.2'
  | 'wide-interval'
  | 'few-rounds'
  | 'unsteady';

export interface MachineDescription {
  cpu: string;
  /** Logical cores available to this process. */
  cores: number;
  /** Physical cores as the OS reports them; null where it does not say. */
  physicalCores: number | null;
  /**
   * The OS's 1-minute load average as the run started (processes running or waiting for a core,
   * averaged); null where the OS keeps none (Windows).
   */
  loadAverage: number | null;
  memoryGiB: number;
  platform: string;
  node: string;
  gilLab: string;
  /** The backends that load here. */
  backends: BackendName[];
}

export interface CompareReport {
  machine: MachineDescription;
  startedAt: string;
  durationMs: number;
  /** The options as run, defaults filled in (callbacks and signal left out). */
  options: ResolvedCompareOptions;
  /**
   * The machine's ceiling and noise, measured before the matrix (CPU-bound workloads: cpu,
   * transfer); null for the others.
   */
  calibration: Calibration | null;
  rows: CompareRow[];
  /** What makes the figures doubtful, in sentences: a noisy machine, flagged rows, wide intervals. */
  warnings: string[];
  /** Timelines recorded with `trace: true`, one per traced cell. */
  timelines: { label: string; events: TimelineEvent[] }[];
  /** The CPython that ran beside gil-lab (the `python` option), or null. */
  python: CPythonRecord | null;
}

/** A CPython interpreter, as gil-lab's driver found it. */
export interface PythonInfo {
  /** As given: `python3`, or a path. */
  command: string;
  /** `sys.executable`. */
  executable: string;
  version: string;
  /** `sys.implementation.name`: `cpython`, `pypy`… */
  implementation: string;
  /** A free-threaded build (`Py_GIL_DISABLED`): 3.13t, 3.14t. */
  freeThreadedBuild: boolean;
  /** `sys._is_gil_enabled()`: false only on a free-threaded build running without its GIL. */
  gilEnabled: boolean;
  /** `sys.getswitchinterval()` when it started, in seconds; each row says the one it ran with. */
  switchInterval: number;
  /** The start method of its ProcessPoolExecutor: `fork`, `forkserver`, `spawn`. */
  startMethod: string;
  /** How reports name it: "CPython 3.11.7", "CPython 3.13.0, no GIL". */
  label: string;
}

/** Which CPython ran beside gil-lab, and what became of its rows. */
export interface CPythonRecord extends PythonInfo {
  /** Why some or all of its rows are missing: it died, hung or failed a request. */
  error: string | null;
  /** Why it ran nothing, where the workload has no CPython form. */
  note: string | null;
  /** Why a model of the run has no CPython rows: `interpreters` before Python 3.14. */
  missing: string | null;
}
