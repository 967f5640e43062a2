// `gil-lab demo` (and `npm start`): the table at the top of DESIGN.md, measured here and now
// by compare(). CPU-bound and I/O-bound work × sequential, threads with the lock on, threads
// with it off, processes and async, as speedups over sequential; then the convoy effect, an
// I/O round trip alone and beside a CPU-bound thread; then a few sentences that read the
// figures. Every figure is measured in the run; the sentences are chosen by the figures.
//
// Sizes: the CPU-bound task is calibrated on this machine to take about CPU_TASK_MS, so that
// the whole demo stays well under a minute on 2 cores whatever the backend's speed.

import { performance } from 'node:perf_hooks';
import { Command, Option } from 'commander';
import { info, kernelsFor, type BackendName } from '../index';
import type { CompareOptions, CompareRow, Model } from '../lab/types';
import { lockLabel, taskLabel, type LabRecord } from '../report/record';
import { count, duration, significant, speedup } from '../report/text';
import { speedupColored, table, wrap } from './format';
import { checkWritable, runLab, writeReport } from './lab';
import { colorsFor } from './terminal';

const CPU_KERNEL = 'countdown';
const CPU_TASK_MS = 200;
const IO_TASKS = 8;
const IO_SLEEP_MS = 50;
const REPEATS = 5;
/** Each part's time budget, seconds: about a minute in all. */
const BUDGET = { cpu: 30, io: 10, latency: 10 };
const MODELS: Model[] = ['sequential', 'threads', 'processes', 'async'];

/** The demo's columns: a model and the lock it ran under. */
export const COLUMNS = [
  { key: 'sequential', title: 'sequential', model: 'sequential', gil: 'on' },
  { key: 'threadsOn', title: 'threads\nlock on', model: 'threads', gil: 'on' },
  { key: 'threadsOff', title: 'threads\nlock off', model: 'threads', gil: 'off' },
  { key: 'processes', title: 'processes', model: 'processes', gil: 'on' },
  { key: 'async', title: 'async', model: 'async', gil: 'on' },
] as const;
type ColumnKey = (typeof COLUMNS)[number]['key'];

export interface WorkFigures {
  label: string;
  workers: number;
  sequentialMs: number | null;
  speedups: Record<ColumnKey, number | null>;
}

export interface DemoFigures {
  backend: string;
  cores: number;
  cpuModel: string;
  /** The lock as the locked rows ran it: "cpython, 5 ms". */
  lock: string;
  cpu: WorkFigures | null;
  io: WorkFigures | null;
  /**
   * One I/O round trip, ms: alone, beside one CPU-bound thread with the lock on and off, and
   * beside one CPU-bound process (lock on: each process has its own).
   */
  convoy: { alone: number; lockOn: number | null; aloneLockOff: number | null; lockOff: number | null; process: number | null } | null;
  durationMs: number;
}

/**
 * A kernel size that takes about `targetMs` here: grow the size until a call takes 20 ms, take
 * the fastest of three calls at that size (the first ones run cold), and scale.
 */
export function calibrate(backend: BackendName, kernel: string, targetMs: number): number {
  const run = (kernelsFor(backend) as unknown as Record<string, (n: number) => unknown>)[`${kernel}Sync`];
  const time = (size: number) => {
    const start = performance.now();
    run(size);
    return performance.now() - start;
  };
  let size = 1 << 16;
  while (time(size) < 20) size *= 4;
  const ms = Math.min(time(size), time(size), time(size));
  return Math.round((size * targetMs) / ms);
}

export function demoPlans(backend: BackendName, cpuSize: number, cores: number): CompareOptions[] {
  const common = { backends: [backend], repeats: REPEATS, gil: ['on', 'off'] } satisfies CompareOptions;
  return [
    { ...common, workload: 'cpu', kernel: CPU_KERNEL, size: cpuSize, tasks: cores, workers: [cores], models: MODELS, trace: true, maxTime: BUDGET.cpu },
    { ...common, workload: 'io', size: IO_SLEEP_MS, tasks: IO_TASKS, workers: [IO_TASKS], models: MODELS, maxTime: BUDGET.io },
    { ...common, workload: 'latency', kernel: CPU_KERNEL, workers: [1], models: ['threads', 'processes'], trace: true, maxTime: BUDGET.latency },
  ];
}

function workFigures(rows: CompareRow[]): WorkFigures | null {
  if (rows.length === 0) return null;
  // The row of a model and lock with the most workers (the demo runs one count; compare may run more).
  const find = (model: string, gil: string) =>
    rows.filter((r) => r.model === model && r.gil === gil).reduce<CompareRow | undefined>((a, r) => (a && a.workers >= r.workers ? a : r), undefined);
  const speedups = Object.fromEntries(COLUMNS.map((c) => [c.key, find(c.model, c.gil)?.speedup ?? null])) as Record<ColumnKey, number | null>;
  return {
    label: taskLabel(rows[0]),
    workers: Math.max(...rows.map((r) => r.workers)),
    sequentialMs: find('sequential', 'on')?.wallMs.median ?? null,
    speedups,
  };
}

export function demoFigures(record: LabRecord): DemoFigures {
  const of = (workload: string) => record.rows.filter((r) => r.workload === workload);
  const latency = of('latency');
  // Alone is the sequential row, with no CPU-bound worker beside the I/O task.
  const roundTrip = (model: Model, gil: string) =>
    latency.find((r) => r.model === model && r.gil === gil && r.workers === (model === 'sequential' ? 0 : 1))?.latencyMs?.median ?? null;
  const alone = roundTrip('sequential', 'on');
  const locked = record.rows.find((r) => r.gil === 'on' && r.model === 'threads');
  return {
    backend: [...new Set(record.rows.map((r) => r.backend))].join(', '),
    cores: record.machine.cores,
    cpuModel: record.machine.cpu,
    lock: locked ? lockLabel(locked) : 'on',
    cpu: workFigures(of('cpu')),
    io: workFigures(of('io')),
    convoy:
      alone === null
        ? null
        : {
            alone,
            lockOn: roundTrip('threads', 'on'),
            aloneLockOff: roundTrip('sequential', 'off'),
            lockOff: roundTrip('threads', 'off'),
            process: roundTrip('processes', 'on'),
          },
    durationMs: record.durationMs,
  };
}

const times = (x: number) => `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;

/** Two or three sentences that read the figures; each clause is there only if its figures are. */
export function readings(f: DemoFigures): string[] {
  const out: string[] = [];
  const nameOf = (key: ColumnKey) => COLUMNS.find((c) => c.key === key)!.title.replace('\n', ', ');
  if (f.cpu) {
    const { threadsOn, threadsOff, processes } = f.cpu.speedups;
    const w = f.cpu.workers;
    const clauses: string[] = [];
    if (threadsOn !== null) {
      clauses.push(
        `With the lock on, ${count(w, 'thread')} ran the CPU-bound tasks at ${speedup(threadsOn)} the sequential speed` +
          (threadsOn < 1.2 ? ' — no faster, since only the thread that holds the lock runs' : ''),
      );
    }
    if (threadsOff !== null) clauses.push(`with the lock off, at ${speedup(threadsOff)}`);
    if (processes !== null) clauses.push(`and ${count(w, 'process', 'processes')}, each with a lock of its own, at ${speedup(processes)}`);
    const ranked = (Object.entries(f.cpu.speedups) as [ColumnKey, number | null][])
      .filter((e): e is [ColumnKey, number] => e[1] !== null && e[0] !== 'sequential')
      .sort((a, b) => b[1] - a[1]);
    const best = ranked.length ? ` Fastest for CPU-bound work: ${nameOf(ranked[0][0])}.` : '';
    const sentence = clauses.join('; ');
    if (clauses.length) out.push(`${sentence[0].toUpperCase()}${sentence.slice(1)}.${best}`);
  }
  if (f.io) {
    const { threadsOn, threadsOff, async } = f.io.speedups;
    if (threadsOn !== null) {
      const lockHurts = threadsOff !== null && threadsOn < 0.7 * threadsOff;
      out.push(
        `For I/O-bound work, ${count(f.io.workers, 'thread')} reached ${speedup(threadsOn)} with the lock on` +
          (lockHurts ? `, against ${speedup(threadsOff!)} with it off` : ', since a blocking call releases the lock') +
          (async !== null ? `; async, on the event loop alone, ${speedup(async)}.` : '.'),
      );
    }
  }
  if (f.convoy?.lockOn != null) {
    const slower = f.convoy.lockOn / f.convoy.alone;
    const off = f.convoy.lockOff !== null ? f.convoy.lockOff / (f.convoy.aloneLockOff ?? f.convoy.alone) : null;
    out.push(
      `Beside one CPU-bound thread, an I/O round trip took ${times(slower)} as long as alone with the lock on` +
        (slower >= 10 ? ' — the convoy effect: after each blocking call it must wait to take the lock back' : '') +
        (off !== null ? `; with the lock off, ${times(off)}` : '') +
        (f.convoy.process !== null ? `; beside a process instead, ${times(f.convoy.process / f.convoy.alone)}.` : '.'),
    );
  }
  return out;
}

export function renderDemo(f: DemoFigures, stream: NodeJS.WritableStream & { columns?: number }): string {
  const colors = colorsFor(stream);
  const width = Math.min(stream.columns ?? 100, 100);
  const lines: string[] = [];
  lines.push(colors.bold(`gil-lab demo · ${f.backend} backend · ${f.cores} cores (${f.cpuModel}) · lock: ${f.lock}`));
  lines.push('');
  lines.push(`Speedup over sequential, the median over ${REPEATS} or more interleaved rounds:`);
  const works = [
    ['CPU-bound', f.cpu],
    ['I/O-bound', f.io],
  ] as const;
  const rows = works
    .filter(([, w]) => w !== null)
    .map(([kind, w]) => [`${kind}, ${count(w!.workers, 'worker')}\n${w!.label}`, ...COLUMNS.map((c) => speedupColored(w!.speedups[c.key], colors))]);
  lines.push(table(['work', ...COLUMNS.map((c) => c.title)], rows, { colors, align: ['left', ...COLUMNS.map(() => 'right' as const)] }).trimEnd());
  const sequential = works.filter(([, w]) => w?.sequentialMs != null).map(([kind, w]) => `${kind} ${duration(w!.sequentialMs!)}`);
  if (sequential.length) lines.push(colors.dim(`Sequential wall time: ${sequential.join(', ')}.`));
  lines.push('');
  if (f.convoy) {
    const c = f.convoy;
    const parts = [`${significant(c.alone)} ms alone`];
    if (c.lockOn !== null) parts.push(`${significant(c.lockOn)} ms beside one CPU-bound thread with the lock on (${times(c.lockOn / c.alone)})`);
    if (c.lockOff !== null) parts.push(`${significant(c.lockOff)} ms with it off`);
    if (c.process !== null) parts.push(`${significant(c.process)} ms with the CPU-bound work in a process`);
    lines.push(wrap(`Convoy: one I/O round trip takes ${parts.join(', ')}.`, width).replace('Convoy:', colors.bold('Convoy:')));
    lines.push('');
  }
  for (const sentence of readings(f)) lines.push(wrap(sentence, width), '');
  lines.push(colors.dim(`Measured just now in ${duration(f.durationMs)}. More: gil-lab compare --help; gil-lab compare --html report.html`));
  return `${lines.join('\n')}\n`;
}

interface DemoFlags {
  backend?: BackendName;
  html?: string;
  quiet?: boolean;
}

export function demoCommand(version: string): Command {
  return new Command('demo')
    .description("measure, live, the lesson of CPython's GIL on this machine: threads vs processes vs async, lock on and off, and the convoy effect")
    .addOption(new Option('-b, --backend <name>', 'the backend to measure (default: the one that loaded)').choices(['native', 'js']))
    .option('--html <file>', 'also write the measurements as an HTML report with charts')
    .option('-q, --quiet', 'nothing on stderr but errors: no progress, no notes')
    .action(async (flags: DemoFlags) => {
      if (flags.html) checkWritable(flags.html);
      const backend = flags.backend ?? info().backend;
      const cores = info().cpus;
      const size = calibrate(backend, CPU_KERNEL, CPU_TASK_MS);
      const record = await runLab(demoPlans(backend, size, Math.max(2, cores)), version, { quiet: flags.quiet, name: 'gil-lab demo' });
      if (flags.html) writeReport(flags.html, record, flags.quiet);
      process.stdout.write(renderDemo(demoFigures(record), process.stdout));
    });
}
