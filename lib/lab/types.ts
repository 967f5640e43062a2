// The shapes of a lab run: what `compare()` takes and returns, what the CLI prints and the
// HTML report draws. One definition, shared by the experiment runner, the CLI and the report.

import type { BackendName } from '../backend-names';
import type { TraceEventKind } from '../gil';

/** What the tasks do: burn CPU, block on I/O, time I/O beside CPU work, or carry data. */
export type Workload = 'cpu' | 'io' | 'latency' | 'transfer';

/** How the tasks run. */
export type Model = 'sequential' | 'threads' | 'processes' | 'async';

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
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

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

export interface CompareRow {
  workload: Workload;
  kernel: string | null;
  size: number;
  model: Model;
  gil: GilSetting;
  /** The lock's mode and switch interval (s) when it is on; null when off. */
  mode: GilMode | null;
  switchInterval: number | null;
  backend: BackendName;
  workers: number;
  tasks: number;
  wallMs: Spread;
  /** Sequential wall time of the same workload and backend, divided by this row's. */
  speedup: number | null;
  /** Speedup divided by workers. */
  efficiency: number | null;
  /** `latency` workload: one I/O round trip's time beside `workers` CPU-bound threads. */
  latencyMs?: Spread;
  /** `processes` model: the median time a child took to start (spawn to ready), not counted in `wallMs`. */
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
  options: Omit<Required<CompareOptions>, 'onProgress' | 'signal'>;
  rows: CompareRow[];
  /** Timelines recorded with `trace: true`, one per traced cell. */
  timelines: { label: string; events: TimelineEvent[] }[];
}
