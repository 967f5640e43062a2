// `gil-lab demo` (and `npm start`): the table at the top of DESIGN.md, measured here and now
// by compare(). CPU-bound and I/O-bound work × sequential, threads with the lock on, threads
// with it off, interpreters (a lock each), processes and async, as speedups over sequential;
// then the convoy effect, an I/O round trip alone and beside a CPU-bound thread; then a few
// sentences that read the figures. Every figure is measured in the run, by the measurement core (lab/measure), with its
// 95% interval; the sentences draw only the conclusions the intervals support, and the
// warnings — a noisy machine, an implausible figure — come before the figures.
//
// With a python3 (on the PATH, or --python PATH), the same workloads run in real CPython in the
// same run: a CPython line under each of the emulation's, and sentences that compare the two.
//
// Sizes: the CPU-bound task is calibrated on this machine to take about CPU_TASK_MS, so that
// the whole demo stays well under a minute on 2 cores whatever the backend's speed.

import { performance } from 'node:perf_hooks';
import { Command, Option } from 'commander';
import { BACKEND_NAMES } from '../backend-names';
import { PythonError } from '../errors';
import { info, kernelsFor, type BackendName } from '../index';
import { CPythonRuntime } from '../lab/cpython/cells';
import { warmUntilSteady, type Timeable } from '../lab/measure/core';
import { median } from '../lab/measure/stats';
import { LOCK_ON_LIMIT } from '../lab/plausibility';
import type { CeilingRow, CompareOptions, CompareRow, ConfidenceInterval, Flag, Model } from '../lab/types';
import { lockLabel, taskLabel, type LabRecord } from '../report/record';
import { coresLabel, count, duration, significant, speedupWithin } from '../report/text';
import { ceilingLine, speedupColored, table, warningLines, wrap } from './format';
import { interruptible } from './interrupt';
import { checkWritable, runLab, writeReport } from './lab';
import { colorsFor } from './terminal';

const CPU_KERNEL = 'countdown';
const CPU_TASK_MS = 100;
const IO_TASKS = 8;
const IO_SLEEP_MS = 50;
const REPEATS = 5;
/** Each part's time budget, seconds: about a minute in all. */
const BUDGET = { cpu: 25, io: 8, latency: 8 };
const MODELS: Model[] = ['sequential', 'threads', 'interpreters', 'processes', 'async'];

/** The demo's columns: a model and the lock it ran under. */
export const COLUMNS = [
  { key: 'sequential', title: 'sequential', model: 'sequential', gil: 'on' },
  { key: 'threadsOn', title: 'threads\nlock on', model: 'threads', gil: 'on' },
  { key: 'threadsOff', title: 'threads\nlock off', model: 'threads', gil: 'off' },
  { key: 'interpreters', title: 'interpreters\nlock on', model: 'interpreters', gil: 'on' },
  { key: 'processes', title: 'processes', model: 'processes', gil: 'on' },
  { key: 'async', title: 'async', model: 'async', gil: 'on' },
] as const;
type ColumnKey = (typeof COLUMNS)[number]['key'];

/** A speedup as the demo reads it: the figure, its 95% interval, and its flags. */
export interface Figure {
  speedup: number;
  interval: ConfidenceInterval | null;
  flags: Flag[];
}

export interface WorkFigures {
  label: string;
  workers: number;
  sequentialMs: number | null;
  speedups: Record<ColumnKey, Figure | null>;
}

/** How much slower an I/O round trip was beside CPU-bound work than alone, with its interval. */
export interface Slowdown {
  times: number;
  interval: ConfidenceInterval | null;
}

export interface DemoFigures {
  backend: string;
  cores: number;
  physicalCores: number | null;
  cpuModel: string;
  /** The lock as the locked rows ran it: "cpython, 5 ms". */
  lock: string;
  cpu: WorkFigures | null;
  io: WorkFigures | null;
  /**
   * One I/O round trip, ms: alone, beside one CPU-bound thread with the lock on and off, and
   * beside one CPU-bound process (lock on: each process has its own); and the slowdowns.
   */
  convoy: {
    alone: number;
    lockOn: number | null;
    aloneLockOff: number | null;
    lockOff: number | null;
    interpreter: number | null;
    process: number | null;
    slowdown: {
      lockOn: Slowdown | null;
      lockOff: Slowdown | null;
      interpreter: Slowdown | null;
      process: Slowdown | null;
    };
  } | null;
  /** The same workloads in real CPython, measured in the same run; null where none ran. */
  cpython: CPythonFigures | null;
  /** The CPU-bound cells' start-up times, ms, with the lock on: pools of threads, of interpreters, of processes. */
  startupMs: { threads: number | null; interpreters: number | null; processes: number | null };
  /** The machine's ceiling before the CPU-bound run. */
  ceiling: CeilingRow[];
  warnings: string[];
  durationMs: number;
}

export interface CPythonFigures {
  /** Which CPython: "CPython 3.11.7". */
  label: string;
  cpu: WorkFigures | null;
  io: WorkFigures | null;
  /** One I/O round trip, ms: alone, beside one CPU-bound thread, beside one CPU-bound process. */
  convoy: { alone: number; thread: number | null; process: number | null } | null;
  /** Why some of its figures are missing, where it failed. */
  error: string | null;
}

/** A sync kernel's run of one size, as a cell of the measurement core. */
function syncRun(run: (size: number) => unknown, size: number): Timeable {
  const time = () => {
    const started = performance.now();
    run(size);
    return Promise.resolve(performance.now() - started);
  };
  return { warm: async () => [await time()], time };
}

/**
 * A kernel size that takes about `targetMs` here: grow the size until a call takes 20 ms, warm
 * that size until steady (the first calls run cold), take the median of three calls, and scale.
 */
export async function calibrate(backend: BackendName, kernel: string, targetMs: number): Promise<number> {
  const run = (kernelsFor(backend) as unknown as Record<string, (n: number) => unknown>)[`${kernel}Sync`];
  const signal = new AbortController().signal;
  let size = 1 << 16;
  while ((await syncRun(run, size).time(signal)) < 20) size *= 4;
  const cell = syncRun(run, size);
  await warmUntilSteady(cell, signal);
  const ms = median([await cell.time(signal), await cell.time(signal), await cell.time(signal)]);
  return Math.round((size * targetMs) / ms);
}

/** The demo's runs; `python`, where given, runs them in that CPython too. */
export function demoPlans(
  backend: BackendName,
  cpuSize: number,
  cores: number,
  python: string | false = false,
): CompareOptions[] {
  const common = { backends: [backend], repeats: REPEATS, gil: ['on', 'off'], python } satisfies CompareOptions;
  return [
    {
      ...common,
      workload: 'cpu',
      kernel: CPU_KERNEL,
      size: cpuSize,
      tasks: cores,
      workers: [cores],
      models: MODELS,
      trace: true,
      maxTime: BUDGET.cpu,
    },
    {
      ...common,
      workload: 'io',
      size: IO_SLEEP_MS,
      tasks: IO_TASKS,
      workers: [IO_TASKS],
      models: MODELS,
      maxTime: BUDGET.io,
    },
    {
      ...common,
      workload: 'latency',
      kernel: CPU_KERNEL,
      workers: [1],
      models: ['threads', 'interpreters', 'processes'],
      trace: true,
      maxTime: BUDGET.latency,
    },
  ];
}

function figureOf(row: CompareRow | undefined): Figure | null {
  return row?.speedup == null ? null : { speedup: row.speedup, interval: row.speedupCI, flags: row.flags };
}

function workFigures(rows: CompareRow[]): WorkFigures | null {
  if (rows.length === 0) return null;
  // The row of a model and lock with the most workers (the demo runs one count; compare may run more).
  // A CPython has one lock setting for all its rows: only its threads go in a column by it.
  const find = (model: string, gil: string) =>
    rows
      .filter((r) => r.model === model && (r.gil === gil || (r.runtime === 'cpython' && model !== 'threads')))
      .reduce<CompareRow | undefined>((a, r) => (a && a.workers >= r.workers ? a : r), undefined);
  const speedups = Object.fromEntries(COLUMNS.map((c) => [c.key, figureOf(find(c.model, c.gil))])) as Record<
    ColumnKey,
    Figure | null
  >;
  return {
    label: taskLabel(rows[0]),
    workers: Math.max(...rows.map((r) => r.workers)),
    sequentialMs: find('sequential', 'on')?.wallMs.median ?? null,
    speedups,
  };
}

/** A latency row's speedup (alone / beside, round by round) turned into how much slower it was beside. */
function slowdownOf(row: CompareRow | undefined): Slowdown | null {
  if (row?.speedup == null) return null;
  const interval = row.speedupCI && ([1 / row.speedupCI[1], 1 / row.speedupCI[0]] as ConfidenceInterval);
  return { times: 1 / row.speedup, interval };
}

/** CPython's figures in `record`, or null where no CPython ran. */
function cpythonFigures(record: LabRecord): CPythonFigures | null {
  if (!record.python) return null;
  const of = (workload: string) => record.rows.filter((r) => r.runtime === 'cpython' && r.workload === workload);
  const roundTrip = (model: Model) =>
    of('latency').find((r) => r.model === model && r.workers === (model === 'sequential' ? 0 : 1))?.latencyMs?.median ??
    null;
  const alone = roundTrip('sequential');
  return {
    label: record.python.label,
    cpu: workFigures(of('cpu')),
    io: workFigures(of('io')),
    convoy: alone === null ? null : { alone, thread: roundTrip('threads'), process: roundTrip('processes') },
    error: record.python.error,
  };
}

export function demoFigures(record: LabRecord): DemoFigures {
  const of = (workload: string) => record.rows.filter((r) => r.runtime !== 'cpython' && r.workload === workload);
  const latency = of('latency');
  // Alone is the sequential row, with no CPU-bound worker beside the I/O task.
  const latencyRow = (model: Model, gil: string) =>
    latency.find((r) => r.model === model && r.gil === gil && r.workers === (model === 'sequential' ? 0 : 1));
  const roundTrip = (model: Model, gil: string) => latencyRow(model, gil)?.latencyMs?.median ?? null;
  const alone = roundTrip('sequential', 'on');
  const locked = record.rows.find((r) => r.runtime !== 'cpython' && r.gil === 'on' && r.model === 'threads');
  const startup = (model: Model) => of('cpu').find((r) => r.model === model && r.gil === 'on')?.startupMs ?? null;
  return {
    backend: [...new Set(record.rows.filter((r) => r.runtime !== 'cpython').map((r) => r.backend))].join(', '),
    cores: record.machine.cores,
    physicalCores: record.machine.physicalCores,
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
            interpreter: roundTrip('interpreters', 'on'),
            process: roundTrip('processes', 'on'),
            slowdown: {
              lockOn: slowdownOf(latencyRow('threads', 'on')),
              lockOff: slowdownOf(latencyRow('threads', 'off')),
              interpreter: slowdownOf(latencyRow('interpreters', 'on')),
              process: slowdownOf(latencyRow('processes', 'on')),
            },
          },
    cpython: cpythonFigures(record),
    startupMs: { threads: startup('threads'), interpreters: startup('interpreters'), processes: startup('processes') },
    ceiling: record.runs.find((r) => r.workload === 'cpu')?.calibration?.ceiling ?? [],
    warnings: record.warnings,
    durationMs: record.durationMs,
  };
}

const times = (x: number) => `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;

/** A slowdown with its interval: "418× (410–427×)", "1.30× (1.27–1.33×)". */
function slowdownText(s: Slowdown): string {
  return s.interval
    ? `${significant(s.times)}× (${significant(s.interval[0])}–${significant(s.interval[1])}×)`
    : `${significant(s.times)}×`;
}

/** The flags that say a figure is beyond what the machine or the model allows: a sentence must not build on it. */
const IMPLAUSIBLE: readonly Flag[] = [
  'above-workers',
  'above-ceiling',
  'disagrees',
  'async-above-1',
  'lock-on-above-1.2',
];

/** A figure a sentence may build on: measured, with an interval, and not implausible. */
function usable(figure: Figure | null): figure is Figure & { interval: ConfidenceInterval } {
  return figure !== null && figure.interval !== null && !figure.flags.some((flag) => IMPLAUSIBLE.includes(flag));
}

const TOO_NOISY = 'too noisy here to tell';

/**
 * Two or three sentences that read the figures. Each conclusion is drawn only where the 95%
 * intervals support it — threads under the lock "no faster" only if the whole interval is
 * under 1.2×, one model "fastest" only if its interval clears every other's — and a figure the
 * machine's noise made implausible is named as too noisy to read, never read.
 */
export function readings(f: DemoFigures): string[] {
  const out: string[] = [];
  const nameOf = (key: ColumnKey) => COLUMNS.find((c) => c.key === key)!.title.replace('\n', ', ');
  if (f.cpu) {
    const { threadsOn, threadsOff, processes } = f.cpu.speedups;
    const w = f.cpu.workers;
    const clauses: string[] = [];
    if (threadsOn !== null) {
      const noFaster = usable(threadsOn) && threadsOn.interval[1] < LOCK_ON_LIMIT;
      clauses.push(
        `With the lock on, ${count(w, 'thread')} ran the CPU-bound tasks at ${speedupWithin(threadsOn.speedup, threadsOn.interval)} the sequential speed` +
          (noFaster
            ? ' — no faster, since only the thread that holds the lock runs'
            : usable(threadsOn)
              ? ''
              : ` (${TOO_NOISY})`),
      );
    }
    if (threadsOff !== null)
      clauses.push(
        `with the lock off, at ${speedupWithin(threadsOff.speedup, threadsOff.interval)}${usable(threadsOff) ? '' : ` (${TOO_NOISY})`}`,
      );
    if (processes !== null) {
      clauses.push(
        `and ${count(w, 'process', 'processes')}, each with a lock of its own, at ${speedupWithin(processes.speedup, processes.interval)}` +
          (usable(processes) ? '' : ` (${TOO_NOISY})`),
      );
    }
    const ceiling = f.ceiling.find((c) => c.workers === w);
    const machine = ceiling
      ? ` This machine gave ${count(w, 'plain process', 'plain processes')} side by side ${speedupWithin(ceiling.speedup, ceiling.speedupCI)}.`
      : '';
    const sentence = clauses.join('; ');
    if (clauses.length)
      out.push(`${sentence[0].toUpperCase()}${sentence.slice(1)}.${fastest(f.cpu, nameOf)}${machine}`);
  }
  const interpreters = f.cpu?.speedups.interpreters ?? null;
  if (interpreters !== null && f.cpu) {
    const { threads, interpreters: started, processes } = f.startupMs;
    out.push(
      `Like processes, each interpreter has its own lock: ${count(f.cpu.workers, 'interpreter')} ran the CPU-bound tasks at ` +
        `${speedupWithin(interpreters.speedup, interpreters.interval)}, lock on${usable(interpreters) ? '' : ` (${TOO_NOISY})`}` +
        (started !== null
          ? `; like threads, they start in ${duration(started)}` +
            (threads !== null
              ? ` (threads: ${duration(threads)}` + (processes !== null ? `; processes: ${duration(processes)})` : ')')
              : '') +
            '.'
          : '.'),
    );
  }
  if (f.io) {
    const { threadsOn, threadsOff, async } = f.io.speedups;
    if (threadsOn !== null) {
      const text = `For I/O-bound work, ${count(f.io.workers, 'thread')} reached ${speedupWithin(threadsOn.speedup, threadsOn.interval)} with the lock on`;
      const lockHurts = usable(threadsOn) && usable(threadsOff) && threadsOn.interval[1] < 0.7 * threadsOff.interval[0];
      const overlapped = usable(threadsOn) && threadsOn.interval[0] > 2;
      const reading = lockHurts
        ? `, against ${speedupWithin(threadsOff.speedup, threadsOff.interval)} with it off`
        : overlapped
          ? ', since a blocking call releases the lock'
          : usable(threadsOn)
            ? ''
            : ` (${TOO_NOISY})`;
      out.push(
        `${text}${reading}${async !== null ? `; async, on the event loop alone, ${speedupWithin(async.speedup, async.interval)}.` : '.'}`,
      );
    }
  }
  const slowdown = f.convoy?.slowdown;
  if (slowdown?.lockOn) {
    const convoy = slowdown.lockOn.interval !== null && slowdown.lockOn.interval[0] >= 10;
    out.push(
      `Beside one CPU-bound thread, an I/O round trip took ${slowdownText(slowdown.lockOn)} as long as alone with the lock on` +
        (convoy ? ' — the convoy effect: after each blocking call it must wait to take the lock back' : '') +
        (slowdown.lockOff ? `; with the lock off, ${slowdownText(slowdown.lockOff)}` : '') +
        (slowdown.interpreter
          ? `; beside a thread of another interpreter, ${slowdownText(slowdown.interpreter)}`
          : '') +
        (slowdown.process ? `; beside a process instead, ${slowdownText(slowdown.process)}.` : '.'),
    );
  }
  out.push(...cpythonReadings(f));
  return out;
}

/** A figure as the CPython sentences write it: "1.94× ±0.04". */
const within = (figure: Figure) => speedupWithin(figure.speedup, figure.interval);

/** The sentences that set CPython's figures beside the emulation's, each with its interval. */
function cpythonReadings(f: DemoFigures): string[] {
  const py = f.cpython;
  if (!py) return [];
  const out: string[] = [];
  const cpu = py.cpu?.speedups;
  if (cpu && f.cpu) {
    // A CPython without its GIL is set beside the emulation with its lock off.
    const noGil = cpu.threadsOn === null && cpu.threadsOff !== null;
    const threads = noGil ? cpu.threadsOff : cpu.threadsOn;
    const ours = noGil ? f.cpu.speedups.threadsOff : f.cpu.speedups.threadsOn;
    const clauses: string[] = [];
    if (threads !== null) {
      const emulation = ours !== null ? ` (the emulation, lock ${noGil ? 'off' : 'on'}: ${within(ours)})` : '';
      clauses.push(`${count(py.cpu!.workers, 'thread')} ran the CPU-bound tasks at ${within(threads)}${emulation}`);
    }
    if (cpu.processes !== null) {
      const emulation =
        f.cpu.speedups.processes !== null ? ` (the emulation: ${within(f.cpu.speedups.processes)})` : '';
      clauses.push(`${count(py.cpu!.workers, 'process', 'processes')} at ${within(cpu.processes)}${emulation}`);
    }
    if (clauses.length) out.push(`In ${py.label}, measured in the same run, ${clauses.join('; ')}.`);
  }
  const io = py.io?.speedups.threadsOn ?? py.io?.speedups.threadsOff ?? null;
  const convoy = py.convoy?.thread != null ? py.convoy.thread / py.convoy.alone : null;
  const clauses: string[] = [];
  if (io !== null) {
    const emulation = f.io?.speedups.threadsOn != null ? ` (the emulation: ${within(f.io.speedups.threadsOn)})` : '';
    clauses.push(`${count(py.io!.workers, 'thread')} reached ${within(io)} on the I/O-bound tasks${emulation}`);
  }
  if (convoy !== null) {
    const ours = f.convoy?.lockOn != null ? f.convoy.lockOn / f.convoy.alone : null;
    clauses.push(
      `an I/O round trip beside one CPU-bound thread took ${times(convoy)} as long as alone${ours !== null ? ` (the emulation: ${times(ours)})` : ''}`,
    );
  }
  if (clauses.length) out.push(`In ${py.label}, ${clauses.join('; ')}.`);
  if (py.error) out.push(`Some of ${py.label}'s figures are missing: ${py.error}`);
  return out;
}

/** " Fastest for CPU-bound work: X." where X's interval clears every other's; the leaders that overlap otherwise. */
function fastest(work: WorkFigures, nameOf: (key: ColumnKey) => string): string {
  const ranked = (Object.entries(work.speedups) as [ColumnKey, Figure | null][])
    .filter((e): e is [ColumnKey, Figure & { interval: ConfidenceInterval }] => e[0] !== 'sequential' && usable(e[1]))
    .sort((a, b) => b[1].speedup - a[1].speedup);
  if (ranked.length === 0) return '';
  const [, best] = ranked[0];
  const tied = ranked.filter(([, figure]) => figure.interval[1] >= best.interval[0]);
  if (tied.length === 1) return ` Fastest for CPU-bound work: ${nameOf(ranked[0][0])}.`;
  return ` Fastest for CPU-bound work: ${tied.map(([key]) => nameOf(key)).join(' and ')}, within each other’s intervals.`;
}

export function renderDemo(f: DemoFigures, stream: NodeJS.WritableStream & { columns?: number }): string {
  const colors = colorsFor(stream);
  const width = Math.min(stream.columns ?? 100, 100);
  const lines: string[] = [];
  lines.push(colors.bold(`gil-lab demo · ${f.backend} backend · ${coresLabel(f)}, ${f.cpuModel} · lock: ${f.lock}`));
  lines.push('');
  // What makes the figures doubtful comes first, before any figure.
  const warnings = warningLines(f.warnings, colors, width);
  if (warnings) lines.push(warnings);
  const works = [
    ['CPU-bound', f.cpu],
    ['I/O-bound', f.io],
  ] as const;
  const implausible = (figure: Figure | null) =>
    figure !== null && figure.flags.some((flag) => IMPLAUSIBLE.includes(flag));
  const marked = works.some(([, w]) => w !== null && Object.values(w.speedups).some(implausible));
  lines.push(
    wrap(
      `Speedup over sequential ± its 95% interval, over ${REPEATS} or more interleaved rounds${marked ? ' (! beyond what this machine allows: see above)' : ''}:`,
      width,
    ),
  );
  const cell = (figure: Figure | null) => {
    if (figure === null) return speedupColored(null, colors);
    // The interval on a line of its own, so that six columns fit a terminal.
    const text = speedupWithin(figure.speedup, figure.interval).replace(' ±', '\n±');
    return speedupColored(figure.speedup, colors, text.replace(/×/, implausible(figure) ? '× !' : '×'));
  };
  const cpythonWork = { 'CPU-bound': f.cpython?.cpu ?? null, 'I/O-bound': f.cpython?.io ?? null };
  const line = (title: string, figures: WorkFigures) => [title, ...COLUMNS.map((c) => cell(figures.speedups[c.key]))];
  const rows = works
    .filter(([, w]) => w !== null)
    .flatMap(([kind, w]) => {
      const python = cpythonWork[kind];
      return [
        line(`${kind}, ${count(w!.workers, 'worker')}\n${w!.label}`, w!),
        ...(python ? [line(`  ${f.cpython!.label}`, python)] : []),
      ];
    });
  lines.push(
    table(['work', ...COLUMNS.map((c) => c.title)], rows, {
      colors,
      align: ['left', ...COLUMNS.map(() => 'right' as const)],
    }).trimEnd(),
  );
  const ceiling = ceilingLine(f.ceiling);
  if (ceiling) lines.push(colors.dim(wrap(ceiling, width)));
  const sequential = works
    .filter(([, w]) => w?.sequentialMs != null)
    .map(([kind, w]) => `${kind} ${duration(w!.sequentialMs!)}`);
  if (sequential.length) lines.push(colors.dim(`Sequential wall time: ${sequential.join(', ')}.`));
  lines.push('');
  if (f.convoy) {
    const c = f.convoy;
    const parts = [`${significant(c.alone)} ms alone`];
    if (c.lockOn !== null)
      parts.push(
        `${significant(c.lockOn)} ms beside one CPU-bound thread with the lock on (${times(c.lockOn / c.alone)})`,
      );
    if (c.lockOff !== null) parts.push(`${significant(c.lockOff)} ms with it off`);
    if (c.interpreter !== null)
      parts.push(`${significant(c.interpreter)} ms with the CPU-bound work in another interpreter`);
    if (c.process !== null) parts.push(`${significant(c.process)} ms with the CPU-bound work in a process`);
    lines.push(
      wrap(`Convoy: one I/O round trip takes ${parts.join(', ')} (medians).`, width).replace(
        'Convoy:',
        colors.bold('Convoy:'),
      ),
    );
    const py = f.cpython?.convoy;
    if (py) {
      const beside = [`${significant(py.alone)} ms alone`];
      if (py.thread !== null)
        beside.push(`${significant(py.thread)} ms beside one CPU-bound thread (${times(py.thread / py.alone)})`);
      if (py.process !== null) beside.push(`${significant(py.process)} ms beside a process`);
      lines.push(wrap(`${f.cpython!.label}: ${beside.join(', ')}.`, width));
    }
    lines.push('');
  }
  for (const sentence of readings(f)) lines.push(wrap(sentence, width), '');
  lines.push(
    colors.dim(
      `Measured just now in ${duration(f.durationMs)}. More: gil-lab compare --help; gil-lab compare --html report.html`,
    ),
  );
  return `${lines.join('\n')}\n`;
}

interface DemoFlags {
  backend?: BackendName;
  /** `--python [path]`, `--no-python`; left out: python3 on the PATH, if any. */
  python?: boolean | string;
  html?: string;
  quiet?: boolean;
}

/**
 * The CPython the demo runs, tried before any work: the one named (a PythonError ends the
 * demo), none with --no-python, or python3 on the PATH — where there is none, or it cannot
 * serve, one note and the demo goes on without it.
 */
async function demoPython(python: boolean | string | undefined, quiet?: boolean): Promise<string | false> {
  if (python === false) return false;
  const named = typeof python === 'string';
  const command = named ? python : 'python3';
  try {
    await (await CPythonRuntime.start(command)).close();
    return command;
  } catch (error) {
    if (named || !(error instanceof PythonError)) throw error;
    if (!quiet)
      process.stderr.write(`gil-lab demo: ${error.message}; the CPython line is left out (--python PATH names one)\n`);
    return false;
  }
}

export function demoCommand(version: string): Command {
  return new Command('demo')
    .description(
      "measure, live, the lesson of CPython's GIL on this machine: threads vs processes vs async, lock on and off, and the convoy effect",
    )
    .addOption(
      new Option('-b, --backend <name>', 'the backend to measure (default: the one that loaded)').choices(
        BACKEND_NAMES,
      ),
    )
    .option(
      '--python [path]',
      'run the same workloads in this CPython (default: python3 on the PATH, where there is one)',
    )
    .option('--no-python', 'measure no CPython')
    .option('--html <file>', 'also write the measurements as an HTML report with charts')
    .option('-q, --quiet', 'nothing on stderr but errors: no progress, no notes')
    .action(async (flags: DemoFlags) => {
      if (flags.html) checkWritable(flags.html);
      const backend = flags.backend ?? info().backend;
      const cores = info().cpus;
      const python = await demoPython(flags.python, flags.quiet);
      const record = await interruptible(async (signal) => {
        const size = await calibrate(backend, CPU_KERNEL, CPU_TASK_MS);
        return runLab(demoPlans(backend, size, Math.max(2, cores), python), version, {
          quiet: flags.quiet,
          name: 'gil-lab demo',
          signal,
        });
      });
      if (flags.html) writeReport(flags.html, record, flags.quiet);
      process.stdout.write(renderDemo(demoFigures(record), process.stdout));
    });
}
