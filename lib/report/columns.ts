// The columns of a table of compare() rows, one definition for the terminal and the HTML
// report. Rows are shown per workload, since each workload measures something else. A column
// may carry a note, which the renderers print under the table.

import type { CompareRow, Flag, Workload } from '../lab/types';
import { lockLabel, runtimeLabel } from './record';
import { significant, speedupWithin } from './text';

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

/** Each flag in a few words, for tables. */
export const FLAG_WORDS: Record<Flag, string> = {
  'above-workers': 'above workers',
  'above-ceiling': 'above ceiling',
  disagrees: 'disagrees',
  'async-above-1': 'async above 1',
  'lock-on-above-1.2': 'lock on above 1.2',
  'wide-interval': 'wide interval',
  'few-rounds': 'few rounds',
  unsteady: 'unsteady',
};

/** Shown where a row has a flag. */
const flagsColumn: Column = {
  title: 'flags',
  align: 'left',
  text: (r) => r.flags.map((f) => FLAG_WORDS[f]).join(', '),
  note:
    'flags: above workers / above ceiling — faster than the workers, the cores or plain processes side by side allow; ' +
    'disagrees — one thread of the same work as sequential, more than 10% apart; async above 1, lock on above 1.2 — ' +
    'parallelism the model cannot have; wide interval — less certain than ±5%; few rounds — under 5; ' +
    'unsteady — warm-ups never settled. Each is the machine’s noise, not the model: see the warnings.',
};

const common: Column[] = [
  { title: 'model', align: 'left', text: (r) => r.model },
  { title: 'lock', align: 'left', text: (r) => lockLabel(r) },
  { title: 'backend', align: 'left', text: (r) => runtimeLabel(r) },
];

/** The columns of a table of `rows`, all of one workload. */
export function columnsFor(rows: readonly CompareRow[]): Column[] {
  const columns = columnsOf(rows[0].workload);
  if (rows.some((r) => r.startupMs !== undefined)) columns.push(startup);
  if (rows.some((r) => r.flags.length > 0)) columns.push(flagsColumn);
  return columns;
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
    {
      title: 'speedup ±95%',
      align: 'right',
      text: (r) => speedupWithin(r.speedup, r.speedupCI),
      speedupOf: (r) => r.speedup,
      note: 'speedup ±95%: the median over rounds of sequential / this row, each round timing both; ± half its 95% interval.',
    },
    { title: 'efficiency', align: 'right', text: (r) => (r.efficiency === null ? '–' : r.efficiency.toFixed(2)) },
    forcedSwitches,
  ];
}

/** The workloads present in `rows`, in the order they first appear. */
export function workloadsOf(rows: readonly CompareRow[]): Workload[] {
  return [...new Set(rows.map((r) => r.workload))];
}
