// The columns of a table of compare() rows, one definition for the terminal and the HTML
// report. Rows are shown per workload, since each workload measures something else. A column
// may carry a note, which the renderers print under the table.

import type { CompareRow, Workload } from '../lab/types';
import { lockLabel, runtimeLabel } from './record';
import { significant, speedup } from './text';

export interface Column {
  title: string;
  align: 'left' | 'right';
  text(row: CompareRow): string;
  /** Set where the column is a speedup, so that a renderer may colour it by its value. */
  speedupOf?(row: CompareRow): number | null;
  /** What the reader needs to know to read the column, in one sentence. */
  note?: string;
}

const spread = (s: { min: number; max: number }) => `${significant(s.min)}–${significant(s.max)}`;

const forcedSwitches: Column = {
  title: 'forced switches',
  align: 'right',
  text: (r) => (r.gilStats ? String(r.gilStats.forcedSwitches) : '–'),
};

/** Shown where a row has a start-up time: the threads, interpreters and processes rows. */
const startup: Column = {
  title: 'start-up ms',
  align: 'right',
  text: (r) => (r.startupMs === undefined ? '–' : significant(r.startupMs)),
  note:
    'start-up ms: for processes, the median time a child took to start, spawn to ready; for threads and interpreters, ' +
    'the time from making the pool until it had answered one empty task per worker; no timed run includes it.',
};

const common: Column[] = [
  { title: 'model', align: 'left', text: (r) => r.model },
  { title: 'lock', align: 'left', text: (r) => lockLabel(r) },
  { title: 'backend', align: 'left', text: (r) => runtimeLabel(r) },
];

/** The columns of a table of `rows`, all of one workload. */
export function columnsFor(rows: readonly CompareRow[]): Column[] {
  const columns = columnsOf(rows[0].workload);
  return rows.some((r) => r.startupMs !== undefined) ? [...columns, startup] : columns;
}

function columnsOf(workload: Workload): Column[] {
  if (workload === 'latency') {
    return [
      ...common,
      { title: 'CPU workers', align: 'right', text: (r) => String(r.workers) },
      { title: 'I/O latency ms', align: 'right', text: (r) => (r.latencyMs ? significant(r.latencyMs.median) : '–') },
      { title: 'min–max', align: 'right', text: (r) => (r.latencyMs ? spread(r.latencyMs) : '–') },
      forcedSwitches,
    ];
  }
  return [
    ...common,
    { title: 'workers', align: 'right', text: (r) => String(r.workers) },
    { title: 'wall ms', align: 'right', text: (r) => significant(r.wallMs.median) },
    { title: 'min–max', align: 'right', text: (r) => spread(r.wallMs) },
    { title: 'speedup', align: 'right', text: (r) => speedup(r.speedup), speedupOf: (r) => r.speedup },
    { title: 'efficiency', align: 'right', text: (r) => (r.efficiency === null ? '–' : r.efficiency.toFixed(2)) },
    forcedSwitches,
  ];
}

/** The workloads present in `rows`, in the order they first appear. */
export function workloadsOf(rows: readonly CompareRow[]): Workload[] {
  return [...new Set(rows.map((r) => r.workload))];
}
