// The lab's page: the demo of `gil-lab demo`, measured in this browser. The page's thread only
// posts tasks and reads results; every blocking wait (taking the lock, the sleep kernel) is in
// a worker, since Atomics.wait throws on a page's main thread.
//
// Models, as in compare(): sequential (the tasks one after another on one worker), threads
// (workers sharing one lock, on or off), processes (workers with a lock and a breaker board
// each, sharing nothing, talking by messages only), async (I/O only: the waits as timers on
// the page's event loop). The cells are measured by the measurement core of lib/lab (warmed
// until steady, timed in shuffled rounds, each speedup the median of per-round ratios with its
// 95% bootstrap interval), as compare() measures them in Node.

import { cancelTask, createBreakerBoard, type BreakerBoard } from '../../lib/breaker';
import { createJsGilState, JsGil, type JsGilState } from '../../lib/gil/js-lock';
import { COUNTERS, type CounterName, type GilMode } from '../../lib/gil/types';
import type { FromWorker, PageKernel } from './protocol';
import { timeInRounds, warmUntilSteady, type Timeable } from '../../lib/lab/measure/core';
import { median, pairedSpeedup, relativeHalfWidth, type ConfidenceInterval } from '../../lib/lab/measure/stats';
import type { ChartRow } from '../../lib/report/charts';
import { renderCharts } from './charts';
import { drawTimeline } from './timeline';

const BACKEND = 'js-workers';

interface Settings {
  workload: 'both' | 'cpu' | 'io';
  workers: number;
  /** The CPU-bound task's length alone, in ms: countdown's n is calibrated to it. */
  cpuMs: number;
  /** The I/O-bound task's wait, in ms. */
  ioMs: number;
  intervalMs: number;
  mode: Exclude<GilMode, 'off'>;
  /** Rounds that always run. */
  rounds: number;
  /** The time budget of each workload's rounds, in s: rounds go on until every interval is within ±5%, or this is spent. */
  seconds: number;
}

const LIMITS = {
  workers: [1, 16],
  cpuMs: [5, 2000],
  ioMs: [1, 1000],
  intervalMs: [0.001, 1000],
  rounds: [2, 30],
  seconds: [1, 120],
} as const;

const DEFAULTS: Settings = {
  workload: 'both',
  workers: Math.min(4, Math.max(2, navigator.hardwareConcurrency || 2)),
  cpuMs: 200,
  ioMs: 50,
  intervalMs: 5,
  mode: 'cpython',
  rounds: 5,
  seconds: 10,
};

let nextTaskId = 1;

/** One worker, its lock and its board, with the tasks it was handed and not yet answered. */
class LabWorker {
  private readonly worker = new Worker(new URL('./lab-worker.js', import.meta.url), { type: 'module' });
  private readonly pending = new Map<number, { resolve: (ms: number | null) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor(
    readonly lock: JsGilState,
    readonly board: BreakerBoard,
    name: string,
    threadId: number,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.worker.onerror = (event) => {
        const error = new Error(`worker ${name}: ${event.message}`);
        reject(error);
        for (const task of this.pending.values()) task.reject(error);
        this.pending.clear();
      };
      this.worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
        if (data.type === 'ready') return resolve();
        const task = this.pending.get(data.taskId)!;
        this.pending.delete(data.taskId);
        if (data.type === 'done') task.resolve(data.ms);
        else if (data.type === 'cancelled') task.resolve(null);
        else task.reject(new Error(`worker ${name}: ${data.message}`));
      };
    });
    this.worker.postMessage({ type: 'init', lock, board, name, threadId });
  }

  /** Runs a task; resolves to its time in the worker, or null when it was cancelled. */
  run(kernel: PageKernel, size: number, taskId = nextTaskId++): Promise<number | null> {
    return new Promise((resolve, reject) => {
      this.pending.set(taskId, { resolve, reject });
      this.worker.postMessage({ type: 'run', taskId, kernel, size });
    });
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** A lock with its page-side view, which sets its mode and switch interval (no waiting). */
function newLock(board: BreakerBoard, settings: Settings) {
  const state = createJsGilState();
  const view = new JsGil(state, board.bits);
  view.mode = settings.mode;
  view.switchIntervalUs = Math.max(1, Math.round(settings.intervalMs * 1000));
  return { state, view };
}

/** The workers of one run: a sequential one, a pool sharing a lock, and isolated "processes". */
class Workers {
  private threadIds = 1;
  readonly board = createBreakerBoard();
  readonly shared: ReturnType<typeof newLock>;
  readonly sequential: LabWorker;
  readonly threads: LabWorker[];
  readonly processes: LabWorker[];

  constructor(readonly settings: Settings) {
    this.shared = newLock(this.board, settings);
    const seqBoard = createBreakerBoard();
    this.sequential = new LabWorker(newLock(seqBoard, settings).state, seqBoard, 'sequential', this.threadIds++);
    this.threads = Array.from(
      { length: settings.workers },
      (_, i) => new LabWorker(this.shared.state, this.board, `thread-${i + 1}`, this.threadIds++),
    );
    this.processes = Array.from({ length: settings.workers }, (_, i) => {
      const board = createBreakerBoard();
      return new LabWorker(newLock(board, settings).state, board, `process-${i + 1}`, 1);
    });
  }

  all(): LabWorker[] {
    return [this.sequential, ...this.threads, ...this.processes];
  }

  terminate(): void {
    for (const worker of this.all()) worker.terminate();
  }
}

interface Cell extends Timeable {
  title: string;
  /** The model and lock of the cell, as compare()'s rows name them. */
  runs: Pick<ChartRow, 'model' | 'gil'>;
}

async function wall(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** A cell the measurement core can warm (each task's time) and time (the wall time of all). */
function cell(title: string, runs: Cell['runs'], run: () => Promise<number[]>, before = () => {}): Cell {
  return {
    title,
    runs,
    warm: () => {
      before();
      return run();
    },
    time: () => {
      before();
      return wall(run);
    },
  };
}

function cellsOf(workers: Workers, kernel: PageKernel, size: number): Cell[] {
  const { settings, shared } = workers;
  const tasks = settings.workers;
  const onPool = (pool: LabWorker[]) => () => Promise.all(pool.map(async (w) => (await w.run(kernel, size))!));
  const cells: Cell[] = [
    cell('sequential', { model: 'sequential', gil: 'on' }, async () => {
      const times: number[] = [];
      for (let i = 0; i < tasks; i++) times.push((await workers.sequential.run(kernel, size))!);
      return times;
    }),
    cell(
      'threads, lock on',
      { model: 'threads', gil: 'on' },
      onPool(workers.threads),
      () => (shared.view.mode = settings.mode),
    ),
    cell(
      'threads, lock off',
      { model: 'threads', gil: 'off' },
      onPool(workers.threads),
      () => (shared.view.mode = 'off'),
    ),
    cell('processes', { model: 'processes', gil: 'on' }, onPool(workers.processes)),
  ];
  if (kernel === 'sleep') {
    const timer = () => {
      const started = performance.now();
      return new Promise<number>((resolve) => setTimeout(() => resolve(performance.now() - started), size));
    };
    cells.push(cell('async', { model: 'async', gil: 'on' }, () => Promise.all(Array.from({ length: tasks }, timer))));
  }
  return cells;
}

export interface RowFigures {
  title: string;
  runs: Cell['runs'];
  medianMs: number;
  /** Sequential time over this cell's: the median over rounds, and its 95% interval. */
  speedup: number;
  speedupCI: ConfidenceInterval;
}

interface Measured {
  figures: RowFigures[];
  rounds: number;
  /** Whether every interval reached ±5% within the budget. */
  converged: boolean;
  /** Whether every cell's warm-ups settled. */
  steady: boolean;
}

/** The cells through the measurement core of lib/lab: warmed until steady, then timed in shuffled rounds. */
async function measure(cells: Cell[], settings: Settings, onRound: (round: number) => void): Promise<Measured> {
  const signal = new AbortController().signal;
  let steady = true;
  for (const c of cells) steady = (await warmUntilSteady(c, signal)).steady && steady;
  const { runs, converged } = await timeInRounds(cells, {
    comparisons: cells.slice(1).map((_, i) => ({ baseline: 0, cell: i + 1 })),
    minRounds: settings.rounds,
    deadline: performance.now() + settings.seconds * 1000,
    signal,
    onRun: (_, round) => onRound(round + 1),
  });
  const figures = cells.map((c, i) => ({
    title: c.title,
    runs: c.runs,
    medianMs: median(runs[i]),
    ...pairedSpeedup(runs[0], runs[i]),
  }));
  return { figures, rounds: runs[0].length, converged, steady };
}

/**
 * countdown's n for a task of about `ms` alone, on the sequential worker: n grows until a run
 * takes CALIBRATION_MS, then the fastest of a few more runs of that n sets the rate, since the
 * first runs of a fresh worker include compiling the loop.
 */
async function calibrate(worker: LabWorker, ms: number): Promise<number> {
  const CALIBRATION_MS = 50;
  let n = 1_000_000;
  while ((await worker.run('countdown', n))! < CALIBRATION_MS) n *= 4;
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) fastest = Math.min(fastest, (await worker.run('countdown', n))!);
  return Math.max(1, Math.round((n * ms) / fastest));
}

/** The convoy's I/O calls: this many in a row, each a tenth of the I/O-bound task's wait. */
const CONVOY_CALLS = 10;
const convoyIoMs = (settings: Settings) => settings.ioMs / 10;

export interface ConvoyFigures {
  /** Each the median time of one I/O call, in ms: alone with the lock on and off, then beside CPU-bound workers. */
  aloneOnMs: number;
  aloneOffMs: number;
  besideOnMs: number;
  besideOffMs: number;
}

/**
 * The convoy: short I/O tasks one after another on one worker of the shared lock, alone, then
 * beside CPU-bound tasks on every other worker, lock on and off. Each I/O task must take the
 * lock back to start (as a thread returning from a blocking call), which with the lock on
 * waits for a CPU-bound holder to be asked to drop it: up to a switch interval each time.
 */
async function convoy(workers: Workers, calls: number, ioMs: number): Promise<ConvoyFigures> {
  const [io, ...cpu] = workers.threads;
  const perCall = async (mode: GilMode) => {
    workers.shared.view.mode = mode;
    const times: number[] = [];
    for (let i = 0; i < calls; i++) times.push(await wall(() => io.run('sleep', ioMs)));
    return median(times);
  };
  const beside = async (mode: GilMode) => {
    workers.shared.view.mode = mode;
    const ids = cpu.map(() => nextTaskId++);
    const running = cpu.map((w, i) => w.run('countdown', Number.MAX_SAFE_INTEGER, ids[i]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ms = await perCall(mode);
    for (const id of ids) cancelTask(workers.board, id);
    await Promise.all(running);
    return ms;
  };
  const { mode } = workers.settings;
  const figures = {
    aloneOnMs: await perCall(mode),
    aloneOffMs: await perCall('off'),
    besideOnMs: await beside(mode),
    besideOffMs: await beside('off'),
  };
  workers.shared.view.mode = mode;
  return figures;
}

// ---- The page: settings from the form and the URL, the run, the figures. ----

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function readSettings(params: URLSearchParams): Settings {
  const form = $<HTMLFormElement>('controls');
  const settings = { ...DEFAULTS };
  for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const raw = params.get(key) ?? (form.elements.namedItem(key) as HTMLInputElement).value;
    const value = Number(raw);
    const [min, max] = LIMITS[key];
    if (raw !== '' && Number.isFinite(value)) settings[key] = Math.min(max, Math.max(min, value));
  }
  settings.workers = Math.round(settings.workers);
  settings.rounds = Math.round(settings.rounds);
  const workload = params.get('workload') ?? (form.elements.namedItem('workload') as HTMLSelectElement).value;
  if (workload === 'cpu' || workload === 'io' || workload === 'both') settings.workload = workload;
  const mode = params.get('mode') ?? (form.elements.namedItem('mode') as HTMLSelectElement).value;
  if (mode === 'cpython' || mode === 'legacy') settings.mode = mode;
  return settings;
}

function fillForm(settings: Settings): void {
  const form = $<HTMLFormElement>('controls');
  for (const [key, value] of Object.entries(settings)) {
    const field = form.elements.namedItem(key) as HTMLInputElement | null;
    if (field) field.value = String(value);
  }
}

const fixed = (x: number, digits = 2) => x.toFixed(digits);

function speedupCell(figures: RowFigures, ideal: number): HTMLTableCellElement {
  const cell = document.createElement('td');
  const [low, high] = figures.speedupCI;
  cell.className = 'speedup';
  cell.dataset.speedup = String(figures.speedup);
  cell.dataset.low = String(low);
  cell.dataset.high = String(high);
  cell.innerHTML = `<b>${fixed(figures.speedup)}×</b><small>${fixed(low)}–${fixed(high)}</small>`;
  cell.title = `95% interval ${fixed(low)}–${fixed(high)}; median ${fixed(figures.medianMs, 1)} ms a run; ideal ${ideal}×`;
  return cell;
}

function renderTable(rows: Row[], ideal: number): void {
  const table = $<HTMLTableElement>('results');
  const titles = ['sequential', 'threads, lock on', 'threads, lock off', 'processes', 'async'];
  table.innerHTML = `<thead><tr><th>workload</th>${titles.map((t) => `<th>${t}</th>`).join('')}</tr></thead>`;
  const body = document.createElement('tbody');
  for (const { workload, figures } of rows) {
    const tr = document.createElement('tr');
    tr.dataset.workload = workload;
    tr.innerHTML = `<th>${workload}</th>`;
    for (const title of titles) {
      const found = figures.find((f) => f.title === title);
      if (found) tr.append(speedupCell(found, ideal));
      else tr.insertAdjacentHTML('beforeend', '<td class="none" title="not meaningful for this workload">—</td>');
    }
    body.append(tr);
  }
  table.append(body);
}

function renderConvoy(figures: ConvoyFigures, settings: Settings): void {
  const line = $('convoy');
  for (const [key, ms] of Object.entries(figures)) line.dataset[key] = String(ms);
  line.textContent =
    `Convoy: an I/O call of ${convoyIoMs(settings)} ms takes ${fixed(figures.aloneOnMs)} ms alone (median), ` +
    `${fixed(figures.besideOnMs)} ms beside ${settings.workers - 1} CPU-bound worker(s) with the lock on ` +
    `(${fixed(figures.besideOnMs / figures.aloneOnMs, 1)}×), ${fixed(figures.besideOffMs)} ms with it off ` +
    `(${fixed(figures.aloneOffMs)} ms alone).`;
}

/** A workload's figures: its name, and its task as compare() names it. */
type Row = { workload: string; task: Pick<ChartRow, 'workload' | 'kernel' | 'size'> } & Measured;

/** The lock of a row, as compare()'s rows have it. */
function lockOf(gil: ChartRow['gil'], settings: Settings): Pick<ChartRow, 'gil' | 'mode' | 'switchInterval'> {
  return gil === 'off'
    ? { gil, mode: null, switchInterval: null }
    : { gil, mode: settings.mode, switchInterval: settings.intervalMs / 1000 };
}

/** A workload's figures as the rows of compare(), for the report's charts. */
function chartRowsOf({ task, figures }: Row, settings: Settings): ChartRow[] {
  return figures.map(({ runs, speedup, speedupCI }) => ({
    ...task,
    ...lockOf(runs.gil, settings),
    model: runs.model,
    backend: 'js',
    workers: runs.model === 'sequential' ? 1 : settings.workers,
    tasks: settings.workers,
    speedup,
    speedupCI,
  }));
}

/** The convoy's figures as compare()'s latency rows: alone (0 workers beside) and beside the other workers. */
function convoyRows(figures: ConvoyFigures, settings: Settings): ChartRow[] {
  const row = (model: ChartRow['model'], gil: ChartRow['gil'], workers: number, median: number): ChartRow => ({
    workload: 'latency',
    kernel: 'sleep',
    size: CONVOY_CALLS,
    tasks: 1,
    ...lockOf(gil, settings),
    model,
    backend: 'js',
    workers,
    speedup: null,
    speedupCI: null,
    latencyMs: { median },
  });
  const beside = settings.workers - 1;
  return [
    row('sequential', 'on', 0, figures.aloneOnMs),
    row('threads', 'on', beside, figures.besideOnMs),
    row('sequential', 'off', 0, figures.aloneOffMs),
    row('threads', 'off', beside, figures.besideOffMs),
  ];
}

/** Warnings the run calls for: a machine that gives less than the workers in parallel, intervals not narrowed, warm-ups not settled. */
function warnings(rows: Row[], settings: Settings): string[] {
  const found: string[] = [];
  const off = rows.find((r) => r.workload === 'CPU-bound')?.figures.find((f) => f.title === 'threads, lock off');
  if (off && off.speedup < 0.75 * settings.workers) {
    found.push(
      `Threads with the lock off reached ${fixed(off.speedup)}× on ${settings.workers} workers: this machine ` +
        `(${navigator.hardwareConcurrency} logical cores reported) is busy or has fewer cores free, so no model can reach ${settings.workers}×.`,
    );
  }
  for (const { workload, figures, rounds, converged, steady } of rows) {
    if (!steady)
      found.push(
        `${workload}: some cells' warm-ups did not settle within 5% — the machine's load changed while they ran.`,
      );
    if (converged) continue;
    const wide = figures.filter((f) => relativeHalfWidth(f.speedup, f.speedupCI) > 0.05).map((f) => f.title);
    found.push(
      `${workload}: after ${rounds} rounds in the ${settings.seconds} s budget, the intervals of ${wide.join(', ')} are still wider than ±5% — a noisy machine; read them with their intervals.`,
    );
  }
  return found;
}

/** The shared lock's counters since its last reset, summed over its threads. */
function lockCounts(gil: JsGil): Record<CounterName, number> {
  const threads = gil.stats();
  return Object.fromEntries(COUNTERS.map((name) => [name, threads.reduce((total, t) => total + t[name], 0)])) as Record<
    CounterName,
    number
  >;
}

function renderLockCounts(workload: string, counts: Record<CounterName, number>): void {
  const item = document.createElement('li');
  item.dataset.workload = workload;
  for (const name of COUNTERS) item.dataset[name] = String(counts[name]);
  item.textContent =
    `${workload}: ${counts.takes} takes (${counts.contendedTakes} contended), ${counts.dropRequests} drop requests, ` +
    `${counts.forcedSwitches} forced switches, ${counts.voluntaryReleases} releases around a blocking call; ` +
    `held ${fixed(counts.holdNs / 1e6, 0)} ms, waited ${fixed(counts.waitNs / 1e6, 0)} ms in all.`;
  $('lock-counts').append(item);
}

/** Redraws the shared lock's timeline each frame until `stop()`; keeps the most bars drawn at once in its dataset. */
function liveTimeline(gil: JsGil, workers: number): { stop(): void } {
  const canvas = $<HTMLCanvasElement>('timeline');
  const names = Array.from({ length: workers }, (_, i) => `thread ${i + 1}`);
  let running = true;
  const frame = () => {
    if (!running) return;
    const drawn = drawTimeline(canvas, gil, names);
    for (const key of ['holds', 'waits', 'drops'] as const) {
      canvas.dataset[key] = String(Math.max(drawn[key], Number(canvas.dataset[key] ?? 0)));
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  return {
    stop() {
      running = false;
    },
  };
}

async function runDemo(settings: Settings): Promise<void> {
  const status = $('status');
  document.body.dataset.state = 'running';
  const workers = new Workers(settings);
  $('lock-counts').replaceChildren();
  const timeline = liveTimeline(workers.shared.view, settings.workers);
  try {
    status.textContent = `Starting ${workers.all().length} workers…`;
    await Promise.all(workers.all().map((w) => w.ready));
    const workloads: { workload: string; kernel: PageKernel; size: number }[] = [];
    if (settings.workload !== 'io') {
      status.textContent = 'Calibrating the CPU-bound task…';
      workloads.push({
        workload: 'CPU-bound',
        kernel: 'countdown',
        size: await calibrate(workers.sequential, settings.cpuMs),
      });
    }
    if (settings.workload !== 'cpu') workloads.push({ workload: 'I/O-bound', kernel: 'sleep', size: settings.ioMs });
    const rows: Row[] = [];
    for (const { workload, kernel, size } of workloads) {
      workers.shared.view.resetStats();
      status.textContent = `${workload}: warming each cell until steady…`;
      const measured = await measure(cellsOf(workers, kernel, size), settings, (round) => {
        status.textContent = `${workload}: round ${round} (at least ${settings.rounds}, until every interval is within ±5% or ${settings.seconds} s)…`;
      });
      rows.push({ workload, task: { workload: kernel === 'sleep' ? 'io' : 'cpu', kernel, size }, ...measured });
      renderLockCounts(workload, lockCounts(workers.shared.view));
      renderTable(rows, settings.workers);
    }
    status.textContent = 'The convoy…';
    const chartRows = rows.flatMap((row) => chartRowsOf(row, settings));
    if (settings.workers >= 2) {
      const figures = await convoy(workers, CONVOY_CALLS, convoyIoMs(settings));
      renderConvoy(figures, settings);
      chartRows.push(...convoyRows(figures, settings));
    } else $('convoy').textContent = 'The convoy needs at least 2 workers.';
    renderCharts($('charts'), chartRows);
    $('warnings').innerHTML = warnings(rows, settings)
      .map((w) => `<li>${w}</li>`)
      .join('');
    status.textContent = `Done: ${rows.map((r) => `${r.workload} ${r.rounds} rounds`).join(', ')}; ${settings.workers} workers, switch interval ${settings.intervalMs} ms, ${settings.mode} mode.`;
    document.body.dataset.state = 'done';
  } finally {
    timeline.stop();
    workers.terminate();
  }
}

function main(): void {
  const params = new URLSearchParams(location.search);
  document.body.dataset.backend = BACKEND;
  fillForm(DEFAULTS);
  fillForm(readSettings(params));
  const start = (settings: Settings) =>
    runDemo(settings).catch((error: unknown) => {
      document.body.dataset.state = 'error';
      $('status').textContent = `The demo failed: ${error instanceof Error ? error.message : String(error)}`;
    });
  if (!crossOriginIsolated) {
    document.body.dataset.state = 'error';
    $('status').textContent =
      'This page is not cross-origin isolated, so the browser hides SharedArrayBuffer and the lock cannot run. ' +
      'Serve it with gil-lab serve, or see docs/browser.md for static hosts.';
    return;
  }
  $<HTMLFormElement>('controls').addEventListener('submit', (event) => {
    event.preventDefault();
    if (document.body.dataset.state !== 'running') void start(readSettings(new URLSearchParams()));
  });
  if (params.get('autorun') === '1') void start(readSettings(params));
}

main();
