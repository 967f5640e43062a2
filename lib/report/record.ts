// One lab session as the CLI prints it as JSON and the HTML report draws it: the reports of
// one or more compare() runs (one per workload), with the machine and versions they ran on.

import type { CompareReport, CompareRow, CPythonRecord, MachineDescription, Workload } from '../lab/types';
import { BUSY_AT_START } from '../lab/plausibility';
import { formatNumber } from './text';

export interface LabRecord {
  machine: MachineDescription;
  /** Versions of what ran: gil-lab, Node and its parts. */
  versions: Record<string, string>;
  startedAt: string;
  durationMs: number;
  /** The compare() runs, in order, with their options as run and the machine's ceiling and noise before each. */
  runs: {
    workload: Workload;
    options: CompareReport['options'];
    startedAt: string;
    durationMs: number;
    calibration: CompareReport['calibration'];
  }[];
  rows: CompareRow[];
  /** Every run's warnings, in order, each once. */
  warnings: string[];
  timelines: CompareReport['timelines'];
  /** The CPython that ran beside gil-lab, or null; its error and note name the workload they concern. */
  python: CPythonRecord | null;
}

/** The versions a report or `gil-lab info` names. */
export function runtimeVersions(gilLab: string): Record<string, string> {
  const v = process.versions;
  return {
    'gil-lab': gilLab,
    node: v.node,
    v8: v.v8,
    'N-API': v.napi ?? '-',
    libuv: v.uv ?? '-',
  };
}

const isBusyAtStart = (warning: string) => warning.startsWith(BUSY_AT_START);

/** Joins the reports of runs made one after another on one machine. */
export function combine(reports: CompareReport[], versions: Record<string, string>): LabRecord {
  if (reports.length === 0) throw new RangeError('combine() needs at least one report');
  const started = Date.parse(reports[0].startedAt);
  const last = reports[reports.length - 1];
  // A busy machine at the start is said once, for the first run that found it: the runs follow each other.
  const busyFirst = reports.findIndex((r) => r.warnings.some(isBusyAtStart));
  return {
    machine: reports[0].machine,
    versions,
    startedAt: reports[0].startedAt,
    durationMs: Date.parse(last.startedAt) + last.durationMs - started,
    runs: reports.map((r) => ({
      workload: r.options.workload,
      options: r.options,
      startedAt: r.startedAt,
      durationMs: r.durationMs,
      calibration: r.calibration,
    })),
    rows: reports.flatMap((r) => r.rows),
    warnings: [
      ...new Set(
        reports.flatMap((r, i) =>
          r.warnings
            .filter((w) => i === busyFirst || !isBusyAtStart(w))
            .map((w) => (reports.length > 1 ? `${r.options.workload}: ${w}` : w)),
        ),
      ),
    ],
    timelines: reports.flatMap((r) => r.timelines),
    python: pythonOf(reports),
  };
}

/** The CPython of the runs (one interpreter for all), with what each run said of it. */
function pythonOf(reports: CompareReport[]): CPythonRecord | null {
  const ran = reports.filter((r) => r.python);
  if (ran.length === 0) return null;
  const said = (pick: (p: CPythonRecord) => string | null) => {
    const lines = ran.flatMap((r) => (pick(r.python!) === null ? [] : [`${r.options.workload}: ${pick(r.python!)}`]));
    return lines.length ? lines.join('; ') : null;
  };
  // The same model is missing from each run alike: said once.
  const missing = [...new Set(ran.map((r) => r.python!.missing).filter((m) => m !== null))].join('; ') || null;
  return { ...ran[0].python!, error: said((p) => p.error), note: said((p) => p.note), missing };
}

/** What ran a row, as tables and charts name it: the backend, or "CPython". */
export function runtimeLabel(row: Pick<CompareRow, 'backend'>): string {
  return row.backend === 'cpython' ? 'CPython' : row.backend;
}

/** The lines that say which CPython ran beside gil-lab and, where it failed, why rows are missing. */
export function pythonLines(python: CPythonRecord | null): string[] {
  if (!python) return [];
  const lines = [`CPython rows: ${python.label} (${python.executable}), sys.setswitchinterval as each row's lock says`];
  if (python.note) lines.push(`CPython ran nothing for ${python.note}`);
  if (python.missing) lines.push(`CPython has no rows for ${python.missing}`);
  if (python.error) lines.push(`CPython rows are missing: ${python.error}`);
  return lines;
}

/** The lock as a row ran it: "off", or "cpython, 5 ms". */
export function lockLabel(row: Pick<CompareRow, 'gil' | 'mode' | 'switchInterval'>): string {
  if (row.gil === 'off') return 'off';
  const interval = row.switchInterval === null ? '' : `, ${intervalLabel(row.switchInterval)}`;
  return `${row.mode ?? 'on'}${interval}`;
}

/** A switch interval given in seconds, as people write it: "5 ms", "100 µs", "1 s". */
export function intervalLabel(seconds: number): string {
  if (seconds >= 1) return `${formatNumber(seconds)} s`;
  if (seconds >= 1e-3) return `${formatNumber(seconds * 1e3)} ms`;
  return `${formatNumber(seconds * 1e6)} µs`;
}

/** What the tasks of a row were: "4 × countdown(5,000,000)", "8 × sleep(50 ms)". */
export function taskLabel(row: Pick<CompareRow, 'workload' | 'kernel' | 'size' | 'tasks'>): string {
  switch (row.workload) {
    case 'cpu':
      return `${row.tasks} × ${row.kernel}(${formatNumber(row.size)})`;
    case 'io':
      return `${row.tasks} × sleep(${formatNumber(row.size)} ms)`;
    case 'latency':
      return `${formatNumber(row.size)} pipe round trips, alone and beside CPU-bound workers`;
    case 'transfer':
      return `${row.tasks} × sha256 of ${formatNumber(row.size)} MiB passed to the task`;
  }
}
