// `gil-lab fidelity`: real CPython beside the emulation on each backend, measure by measure —
// CPU-bound threads with the lock, the lock off against processes, I/O-bound threads, the
// convoy, the switch-interval sweep, legacy mode — all measured by compare() in runs that hold
// CPython's cells beside gil-lab's, so that both meet the same machine at the same time.
//
// A measure agrees where the emulation's figure and CPython's have 95% intervals that overlap
// (the measurement core gives each speedup its interval); without intervals it says so.
// benchmark/fidelity.js prints this table for BENCHMARKS.md.

import { Command, Option } from 'commander';
import { BACKEND_NAMES, type BackendName } from '../backend-names';
import { info } from '../index';
import { loadableBackends } from '../lab/compare';
import type { CompareOptions, CompareRow, EnabledGilMode, Workload } from '../lab/types';
import { intervalLabel, type LabRecord } from '../report/record';
import { significant } from '../report/text';
import { calibrate } from './demo';
import { table } from './format';
import { interruptible } from './interrupt';
import { checkPlans, runLab } from './lab';
import { integerAtLeast, namesParser } from './options';
import { colorsFor } from './terminal';

/** The sweep's switch intervals, seconds: the default first. */
export const SWEEP = [0.005, 0.001, 0.0001];
const DEFAULT_INTERVAL = SWEEP[0];
/** Each CPU-bound countdown task, ms, alone (CPython's is calibrated to it in the run). */
const TASK_MS = 100;
const SLEEP_MS = 50;
const SLEEPS = 8;
/** Round trips beside a CPU-bound thread: tens of intervals' worth at 5 ms, so the steady state shows. */
const ROUND_TRIPS = 1000;
/** Round trips in legacy mode, where each may wait seconds for the lock. */
const LEGACY_ROUND_TRIPS = 3;

/** A figure: a ratio, with its 95% interval where the run gave one. */
export interface Figure {
  value: number;
  interval: [number, number] | null;
}

export interface FidelityMeasure {
  name: string;
  /** What the ratio means: "×" of sequential speed, or "× slower". */
  cpython: Figure | null;
  emulation: Partial<Record<BackendName, Figure | null>>;
  /** Set where CPython has no counterpart to agree with (legacy mode). */
  reference?: string;
}

/** The compare() runs of a fidelity measurement. */
export function fidelityPlans(
  python: string,
  backends: BackendName[],
  countdownSize: number,
  repeats: number,
): CompareOptions[] {
  const common = { backends, repeats } satisfies CompareOptions;
  const cpu = {
    ...common,
    workload: 'cpu',
    kernel: 'countdown',
    size: countdownSize,
    tasks: 2,
    workers: [2],
  } satisfies CompareOptions;
  const latency = {
    ...common,
    workload: 'latency',
    kernel: 'countdown',
    workers: [1],
    models: ['threads'],
  } satisfies CompareOptions;
  return [
    {
      ...cpu,
      models: ['sequential', 'threads', 'processes'],
      gil: ['on', 'off'],
      switchIntervals: [DEFAULT_INTERVAL],
      python,
    },
    { ...cpu, models: ['sequential', 'threads'], gil: ['on'], switchIntervals: SWEEP.slice(1), python },
    {
      ...common,
      workload: 'io',
      size: SLEEP_MS,
      tasks: SLEEPS,
      workers: [SLEEPS],
      models: ['sequential', 'threads'],
      gil: ['on'],
      python,
    },
    { ...latency, size: ROUND_TRIPS, gil: ['on', 'off'], switchIntervals: SWEEP, python },
    { ...cpu, models: ['sequential', 'threads'], gil: ['on'], mode: 'legacy' },
    { ...latency, size: LEGACY_ROUND_TRIPS, gil: ['on'], mode: 'legacy' },
  ];
}

interface Pick {
  workload: Workload;
  model: string;
  gil: 'on' | 'off';
  interval?: number;
  mode?: EnabledGilMode;
}

function find(rows: readonly CompareRow[], backend: BackendName | 'cpython', p: Pick): CompareRow | undefined {
  return rows.find(
    (r) =>
      r.backend === backend &&
      r.workload === p.workload &&
      r.model === p.model &&
      r.gil === p.gil &&
      (p.gil === 'off' || r.switchInterval === (p.interval ?? DEFAULT_INTERVAL)) &&
      (r.runtime === 'cpython' || p.gil === 'off' || r.mode === (p.mode ?? 'cpython')),
  );
}

/** A row's speedup as a figure: inverted for a convoy, where the row's speedup is alone ÷ beside. */
function figureOf(row: CompareRow | undefined, inverted = false): Figure | null {
  if (!row || row.speedup === null) return null;
  const ci = row.speedupCI;
  if (!inverted) return { value: row.speedup, interval: ci };
  return { value: 1 / row.speedup, interval: ci ? [1 / ci[1], 1 / ci[0]] : null };
}

/** The measures, read from the record of the fidelity plans. */
export function fidelityMeasures(record: LabRecord, backends: BackendName[]): FidelityMeasure[] {
  const rows = record.rows;
  // A free-threaded CPython without its GIL has rows with the lock off, and no switch interval.
  const pythonGil = record.python?.gilEnabled === false ? 'off' : 'on';
  const measure = (
    name: string,
    cpython: Pick | null,
    emulation: Pick,
    inverted = false,
    reference?: string,
  ): FidelityMeasure => ({
    name,
    cpython: cpython ? figureOf(find(rows, 'cpython', { ...cpython, gil: pythonGil }), inverted) : null,
    emulation: Object.fromEntries(backends.map((b) => [b, figureOf(find(rows, b, emulation), inverted)])),
    ...(reference ? { reference } : {}),
  });
  const cpuThreads = (interval: number): Pick => ({ workload: 'cpu', model: 'threads', gil: 'on', interval });
  const convoy = (interval: number): Pick => ({ workload: 'latency', model: 'threads', gil: 'on', interval });
  return [
    measure('CPU-bound: 2 threads vs sequential, lock on', cpuThreads(DEFAULT_INTERVAL), cpuThreads(DEFAULT_INTERVAL)),
    measure(
      'CPU-bound: lock off (emulation) vs 2 processes (CPython)',
      { workload: 'cpu', model: 'processes', gil: 'on' },
      { workload: 'cpu', model: 'threads', gil: 'off' },
    ),
    measure(
      `I/O-bound: ${SLEEPS} threads vs sequential, lock on`,
      { workload: 'io', model: 'threads', gil: 'on' },
      { workload: 'io', model: 'threads', gil: 'on' },
    ),
    measure(
      'convoy: a round trip beside 1 CPU-bound thread vs alone, × slower',
      convoy(DEFAULT_INTERVAL),
      convoy(DEFAULT_INTERVAL),
      true,
    ),
    ...SWEEP.slice(1).flatMap((interval) => [
      measure(
        `sweep ${intervalLabel(interval)}: CPU-bound 2 threads vs sequential`,
        cpuThreads(interval),
        cpuThreads(interval),
      ),
      measure(`sweep ${intervalLabel(interval)}: convoy, × slower`, convoy(interval), convoy(interval), true),
    ]),
    measure(
      'legacy mode: CPU-bound 2 threads vs sequential',
      null,
      { ...cpuThreads(DEFAULT_INTERVAL), mode: 'legacy' },
      false,
      'CPython before 3.2',
    ),
    measure(
      'legacy mode: convoy, × slower',
      null,
      { ...convoy(DEFAULT_INTERVAL), mode: 'legacy' },
      true,
      'CPython before 3.2',
    ),
  ];
}

/** Whether two figures' 95% intervals overlap; null where either has none. */
export function agree(a: Figure | null, b: Figure | null): boolean | null {
  if (!a?.interval || !b?.interval) return null;
  return a.interval[0] <= b.interval[1] && b.interval[0] <= a.interval[1];
}

function figureText(f: Figure | null | undefined): string {
  if (!f) return '–';
  const interval = f.interval ? ` [${significant(f.interval[0])}–${significant(f.interval[1])}]` : '';
  return `${significant(f.value)}×${interval}`;
}

function agreementText(m: FidelityMeasure, backend: BackendName): string {
  if (m.reference) return '–';
  const verdict = agree(m.cpython, m.emulation[backend] ?? null);
  return verdict === null ? 'no interval' : verdict ? 'agree' : 'differ';
}

/** The measures as rows of text: measure, CPython, then per backend its figure and whether it agrees. */
export function fidelityRows(
  measures: FidelityMeasure[],
  backends: BackendName[],
): { head: string[]; rows: string[][] } {
  const head = ['measure', 'CPython', ...backends.flatMap((b) => [b, `${b} vs CPython`])];
  const rows = measures.map((m) => [
    m.name,
    m.reference ?? figureText(m.cpython),
    ...backends.flatMap((b) => [figureText(m.emulation[b]), agreementText(m, b)]),
  ]);
  return { head, rows };
}

/** The table as Markdown, for BENCHMARKS.md. */
export function fidelityMarkdown(measures: FidelityMeasure[], backends: BackendName[]): string {
  const { head, rows } = fidelityRows(measures, backends);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

interface FidelityFlags {
  python: boolean | string;
  backends?: BackendName[];
  repeats: number;
  json?: boolean;
  markdown?: boolean;
  quiet?: boolean;
}

export function fidelityCommand(version: string): Command {
  return new Command('fidelity')
    .description(
      'real CPython beside the emulation, measure by measure, on each backend: do they agree within their intervals?',
    )
    .option('--python [path]', 'the CPython to measure: python3 on the PATH, or the one at path', true)
    .addOption(
      new Option(
        '-b, --backends <list>',
        `backends: ${BACKEND_NAMES.join(', ')} (default: native and js, where they load)`,
      ).argParser(namesParser(BACKEND_NAMES)),
    )
    .addOption(
      new Option('-r, --repeats <n>', 'runs per cell, per compare() run').default(3).argParser(integerAtLeast(1)),
    )
    .option('--json', 'print the measures and the record as JSON')
    .option('--markdown', 'print the table as Markdown')
    .option('-q, --quiet', 'nothing on stderr but errors')
    .action(async (flags: FidelityFlags) => {
      const python = flags.python === true ? 'python3' : String(flags.python);
      // By default the two the emulation was built on; --backends adds wasm where it loads.
      const backends = flags.backends ?? loadableBackends().filter((b) => b !== 'wasm');
      // The plans' own checks (a python that is missing, say) before the calibration runs anything.
      checkPlans(fidelityPlans(python, backends, 1, flags.repeats));
      const record = await interruptible(async (signal) => {
        const size = await calibrate(
          backends.includes(info().backend) ? info().backend : backends[0],
          'countdown',
          TASK_MS,
        );
        return runLab(fidelityPlans(python, backends, size, flags.repeats), version, {
          quiet: flags.quiet,
          name: 'gil-lab fidelity',
          signal,
        });
      });
      const measures = fidelityMeasures(record, backends);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ measures, record }, null, 2)}\n`);
        return;
      }
      const where = `${record.python ? `${record.python.label} (${record.python.executable})` : 'no CPython'}; ${record.machine.cpu}, ${record.machine.cores} cores; gil-lab ${record.machine.gilLab}`;
      if (flags.markdown) {
        process.stdout.write(`${where}\n\n${fidelityMarkdown(measures, backends)}\n`);
        return;
      }
      const colors = colorsFor(process.stdout);
      const { head, rows } = fidelityRows(measures, backends);
      const text = table(head, rows, { colors, align: head.map((_, i) => (i === 0 ? 'left' : 'right')) });
      const missing = record.python?.error ? `\nCPython rows are missing: ${record.python.error}\n` : '';
      process.stdout.write(`${colors.bold('gil-lab fidelity')} · ${where}\n${text}${missing}`);
    });
}
