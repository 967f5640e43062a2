// The shapes of a lab run: what `compare()` takes and returns, what the CLI prints and the
// HTML report draws. One definition, shared by the experiment runner, the CLI and the report.

import type { BackendName } from '../backend-names';
import type { TraceEventKind } from '../gil';

/** What the tasks do: burn CPU, block on I/O, time I/O beside CPU work, or carry data. */
export type Workload = 'cpu' | 'io' | 'latency' | 'transfer';

/** How the tasks run. */
export type Model = 'sequential' | 'threads' | 'interpreters' | 'processes' | 'async';

export type GilSetting = 'on' | 'off';
export type GilMode = 'cpython' | 'legacy';

export interface CompareOptions {
  workload?: Workload;
  /** The CPU-bound kernel of the `cpu` workload (and of the CPU threads of `latency`). */
  kernel?: string;
  /** The kernel's size argument (`cpu`), the sleep in ms (`io`), MiB per task (`transfer`). */
  size?: number;
  /** How many tasks one run submits. */
  tasks?: number;
  /** Worker counts to try; each model but `sequential` runs once per count. */
  workers?: number[];
  models?: Model[];
  gil?: GilSetting[];
  mode?: GilMode;
  /** Switch intervals to try with the lock on, in seconds (as `sys.setswitchinterval`). */
  switchIntervals?: number[];
  backends?: BackendName[];
  /** Runs per cell; rows report the median, min and max. */
  repeats?: number;
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

/** The options as a run took them: defaults filled in, `python` as the interpreter run or false. */
export type ResolvedCompareOptions = Omit<Required<CompareOptions>, 'onProgress' | 'signal' | 'python'> & { python: false | string };

export interface Progress {
  /** Runs done and in all. */
  done: number;
  total: number;
  /** The cell being measured, in words. */
  label: string;
}

/** A measured quantity over `repeats` runs. */
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
  kernel: string | null;
  size: number;
  model: Model;
  gil: GilSetting;
  /** The lock's mode and switch interval (s) when it is on; null when off. */
  mode: GilMode | null;
  switchInterval: number | null;
  /** gil-lab's backend; `'cpython'` for CPython's rows. */
  backend: BackendName | 'cpython';
  workers: number;
  tasks: number;
  wallMs: Spread;
  /** Sequential wall time of the same workload and backend, divided by this row's. */
  speedup: number | null;
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
  gilStats: GilStatsSummary | null;
}

/** One event of the lock's timeline, for the report's picture of who held it when. */
export interface TimelineEvent {
  backend: BackendName;
  /** A stable label of the thread. */
  thread: string;
  /** As `gil.trace()`'s `event`: a wait lasts until the thread's next take. */
  kind: TraceEventKind;
  /** Milliseconds since the start of the traced run. */
  atMs: number;
}

export interface MachineDescription {
  cpu: string;
  cores: number;
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
  rows: CompareRow[];
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
}
