// The lab's page: the demo of `gil-lab demo`, measured in this browser. The page's thread only
// posts tasks and reads results; every blocking wait (taking the lock, the sleep kernel) is in
// a worker, since Atomics.wait throws on a page's main thread.
//
// The backend is the wasm build where it loads, else the JS kernels on Web Workers (backend.ts).
// Models, as in compare(): sequential (the tasks one after another on one thread), threads
// (sharing one lock, on or off), isolated threads with a lock each (processes on the JS
// backend: workers sharing nothing, talking by messages only; interpreters on wasm), async
// (I/O only: the waits as timers on the page's event loop). The cells are measured by the measurement core of lib/lab (warmed
// until steady, timed in shuffled rounds, each speedup the median of per-round ratios with its
// 95% bootstrap interval), as compare() measures them in Node.

import { COUNTERS, type CounterName, type GilMode } from '../../lib/gil/types';
import { newTaskId, type PageBackend } from './backend';
import { JsWorkersBackend } from './js-workers';
import type { PageKernel } from './protocol';
import { timeInRounds, warmUntilSteady, type Timeable } from '../../lib/lab/measure/core';
import { median, pairedSpeedup, relativeHalfWidth, type ConfidenceInterval } from '../../lib/lab/measure/stats';
import type { TimelineEvent } from '../../lib/lab/types';
import type { ChartRow } from '../../lib/report/charts';
import { renderCharts } from './charts';
import { drawTimeline } from './timeline';
import { WasmBackend } from './wasm';

/** Whether `npm run build:site` found the wasm build and put it in the site (set by esbuild). */
declare const WASM_IN_SITE: boolean;

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

interface Cell extends Timeable {
  title: string;
  /** The model and lock of the cell, as compare()'s rows name them. */
  kind: Pick<ChartRow, 'model' | 'gil'>;
}

async function wall(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** A cell the measurement core can warm (each task's time) and time (the wall time of all). */
function cell(title: string, kind: Cell['kind'], run: () => Promise<number[]>, before = () => {}): Cell {
  return {
    title,
    kind,
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

/**
 * `cell` with the threads' lock's trace of its first timed run kept, as compare({ trace })
 * keeps it for the report's timeline chart: the events from the run's start, timed from it.
 */
function tracingFirstRun(cell: Cell, backend: PageBackend): { cell: Cell; timeline: () => TimelineEvent[] | null } {
  let timeline: TimelineEvent[] | null = null;
  const time = async (signal: AbortSignal) => {
    if (timeline !== null) return cell.time(signal);
    const startNs = (await backend.trace()).nowNs;
    const ms = await cell.time(signal);
    const names = new Map<number, string>();
    timeline = (await backend.trace()).events
      .filter((e) => e.timeNs >= startNs)
      .map((e) => {
        if (!names.has(e.thread)) names.set(e.thread, `thread ${names.size + 1}`);
        return {
          backend: rowBackend(backend),
          thread: names.get(e.thread)!,
          event: e.event,
          timeMs: (e.timeNs - startNs) / 1e6,
        };
      });
    return ms;
  };
  return { cell: { ...cell, time }, timeline: () => timeline };
}

/** The cells of a workload, and the trace of the first timed run of the threads with the lock on. */
function cellsOf(
  backend: PageBackend,
  settings: Settings,
  kernel: PageKernel,
  size: number,
): { cells: Cell[]; timeline: () => TimelineEvent[] | null } {
  const tasks = settings.workers;
  const onPool = (pool: 'threads' | 'isolated') => () =>
    Promise.all(Array.from({ length: tasks }, async () => (await backend.run(pool, kernel, size))!));
  const lockOn = () => backend.setMode(settings.mode);
  const lockedThreads = tracingFirstRun(
    cell('threads, lock on', { model: 'threads', gil: 'on' }, onPool('threads'), lockOn),
    backend,
  );
  const cells: Cell[] = [
    cell(
      'sequential',
      { model: 'sequential', gil: 'on' },
      async () => {
        const times: number[] = [];
        for (let i = 0; i < tasks; i++) times.push((await backend.run('sequential', kernel, size))!);
        return times;
      },
      lockOn,
    ),
    lockedThreads.cell,
    cell('threads, lock off', { model: 'threads', gil: 'off' }, onPool('threads'), () => backend.setMode('off')),
    cell(backend.isolatedModel, { model: backend.isolatedModel, gil: 'on' }, onPool('isolated'), lockOn),
  ];
  if (kernel === 'sleep') {
    const timer = () => {
      const started = performance.now();
      return new Promise<number>((resolve) => setTimeout(() => resolve(performance.now() - started), size));
    };
    cells.push(cell('async', { model: 'async', gil: 'on' }, () => Promise.all(Array.from({ length: tasks }, timer))));
  }
  return { cells, timeline: lockedThreads.timeline };
}

export interface RowFigures {
  title: string;
  kind: Cell['kind'];
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
    kind: c.kind,
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
async function calibrate(backend: PageBackend, ms: number): Promise<number> {
  const CALIBRATION_MS = 50;
  const run = async (n: number) => (await backend.run('sequential', 'countdown', n))!;
  let n = 1_000_000;
  while ((await run(n)) < CALIBRATION_MS) n *= 4;
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) fastest = Math.min(fastest, await run(n));
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
 * Each call is timed where it ran (the JS worker, or the wasm host), without the page's hops.
 */
async function convoy(backend: PageBackend, settings: Settings, calls: number, ioMs: number): Promise<ConvoyFigures> {
  const perCall = async (mode: GilMode) => {
    backend.setMode(mode);
    const times: number[] = [];
    for (let i = 0; i < calls; i++) times.push((await backend.run('threads', 'sleep', ioMs))!);
    return median(times);
  };
  const beside = async (mode: GilMode) => {
    backend.setMode(mode);
    const ids = Array.from({ length: settings.workers - 1 }, newTaskId);
    const running = ids.map((id) => backend.run('threads', 'countdown', Number.MAX_SAFE_INTEGER, id));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ms = await perCall(mode);
    for (const id of ids) backend.cancel(id);
    await Promise.all(running);
    return ms;
  };
  const figures = {
    aloneOnMs: await perCall(settings.mode),
    aloneOffMs: await perCall('off'),
    besideOnMs: await beside(settings.mode),
    besideOffMs: await beside('off'),
  };
  backend.setMode(settings.mode);
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
  const titles = [...new Set(rows.flatMap((r) => r.figures.map((f) => f.title)))];
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
    `Convoy: an I/O call of ${convoyIoMs(settings)} ms takes ${fixed(figures.aloneOnMs)} ms alone (median, timed where it ran), ` +
    `${fixed(figures.besideOnMs)} ms beside ${settings.workers - 1} CPU-bound worker(s) with the lock on ` +
    `(${fixed(figures.besideOnMs / figures.aloneOnMs, 1)}×), ${fixed(figures.besideOffMs)} ms with it off ` +
    `(${fixed(figures.aloneOffMs)} ms alone).`;
}

/** A workload's figures: its name, and its task as compare() names it. */
type Row = { workload: string; task: Pick<ChartRow, 'workload' | 'kernel' | 'size'> } & Measured;

/** The backend of the page's rows, as compare() names gil-lab's backends. */
const rowBackend = (backend: PageBackend): TimelineEvent['backend'] => (backend.name === 'wasm' ? 'wasm' : 'js');

/** The lock of a row, as compare()'s rows have it. */
function lockOf(gil: ChartRow['gil'], settings: Settings): Pick<ChartRow, 'gil' | 'mode' | 'switchInterval'> {
  return gil === 'off'
    ? { gil, mode: null, switchInterval: null }
    : { gil, mode: settings.mode, switchInterval: settings.intervalMs / 1000 };
}

/** A workload's figures as the rows of compare(), for the report's charts. */
function chartRowsOf({ task, figures }: Row, backend: PageBackend, settings: Settings): ChartRow[] {
  return figures.map(({ kind, speedup, speedupCI }) => ({
    ...task,
    ...lockOf(kind.gil, settings),
    model: kind.model,
    backend: rowBackend(backend),
    workers: kind.model === 'sequential' ? 1 : settings.workers,
    tasks: settings.workers,
    speedup,
    speedupCI,
  }));
}

/** The convoy's figures as compare()'s latency rows: alone (0 workers beside) and beside the other workers. */
function convoyRows(figures: ConvoyFigures, backend: PageBackend, settings: Settings): ChartRow[] {
  const row = (model: ChartRow['model'], gil: ChartRow['gil'], workers: number, median: number): ChartRow => ({
    workload: 'latency',
    kernel: 'sleep',
    size: CONVOY_CALLS,
    tasks: 1,
    ...lockOf(gil, settings),
    model,
    backend: rowBackend(backend),
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

/** Redraws the threads' lock's timeline each frame until `stop()`; keeps the most bars drawn at once in its dataset. */
function liveTimeline(backend: PageBackend, workers: number): { stop(): void } {
  const canvas = $<HTMLCanvasElement>('timeline');
  const names = Array.from({ length: workers }, (_, i) => `thread ${i + 1}`);
  let running = true;
  const frame = async () => {
    if (!running) return;
    const drawn = drawTimeline(canvas, await backend.trace(), names);
    for (const key of ['holds', 'waits', 'drops'] as const) {
      canvas.dataset[key] = String(Math.max(drawn[key], Number(canvas.dataset[key] ?? 0)));
    }
    requestAnimationFrame(() => void frame().catch(() => {}));
  };
  requestAnimationFrame(() => void frame().catch(() => {}));
  return {
    stop() {
      running = false;
    },
  };
}

async function runDemo(backend: PageBackend, settings: Settings): Promise<void> {
  const status = $('status');
  document.body.dataset.state = 'running';
  $('lock-counts').replaceChildren();
  status.textContent = 'Starting the workers…';
  await backend.open(settings);
  const timeline = liveTimeline(backend, settings.workers);
  try {
    const workloads: { workload: string; kernel: PageKernel; size: number }[] = [];
    if (settings.workload !== 'io') {
      status.textContent = 'Calibrating the CPU-bound task…';
      workloads.push({ workload: 'CPU-bound', kernel: 'countdown', size: await calibrate(backend, settings.cpuMs) });
    }
    if (settings.workload !== 'cpu') workloads.push({ workload: 'I/O-bound', kernel: 'sleep', size: settings.ioMs });
    const rows: Row[] = [];
    const timelines: { label: string; events: TimelineEvent[] }[] = [];
    for (const { workload, kernel, size } of workloads) {
      backend.resetStats();
      status.textContent = `${workload}: warming each cell until steady…`;
      const { cells, timeline } = cellsOf(backend, settings, kernel, size);
      const measured = await measure(cells, settings, (round) => {
        status.textContent = `${workload}: round ${round} (at least ${settings.rounds}, until every interval is within ±5% or ${settings.seconds} s)…`;
      });
      rows.push({ workload, task: { workload: kernel === 'sleep' ? 'io' : 'cpu', kernel, size }, ...measured });
      const events = timeline();
      if (events) timelines.push({ label: `${workload}, threads with the lock on, the first timed run`, events });
      renderLockCounts(workload, await backend.stats());
      renderTable(rows, settings.workers);
    }
    status.textContent = 'The convoy…';
    const chartRows = rows.flatMap((row) => chartRowsOf(row, backend, settings));
    if (settings.workers >= 2) {
      const figures = await convoy(backend, settings, CONVOY_CALLS, convoyIoMs(settings));
      renderConvoy(figures, settings);
      chartRows.push(...convoyRows(figures, backend, settings));
    } else $('convoy').textContent = 'The convoy needs at least 2 workers.';
    renderCharts($('charts'), chartRows, timelines);
    $('warnings').innerHTML = warnings(rows, settings)
      .map((w) => `<li>${w}</li>`)
      .join('');
    status.textContent = `Done: ${rows.map((r) => `${r.workload} ${r.rounds} rounds`).join(', ')}; ${settings.workers} workers, switch interval ${settings.intervalMs} ms, ${settings.mode} mode.`;
    document.body.dataset.state = 'done';
  } finally {
    timeline.stop();
    await backend.close();
  }
}

/** What each backend runs, and what it loses against the package in Node. */
function describeBackend(backend: PageBackend, whyNotWasm: string | null): string {
  if (backend.name === 'wasm') {
    return (
      "Backend: <b>wasm</b>: gil-lab's Rust kernels, emulated lock and thread pools built for wasm32-wasip1-threads, " +
      'each Rust thread a Web Worker, the lock in the shared wasm memory. What it loses against the package in Node: ' +
      'no native code (the same Rust, as wasm); no processes, which a page cannot start: the isolated model is ' +
      "interpreters, each thread with a lock of its own; async runs on the page's own event loop."
    );
  }
  return (
    "Backend: <b>JS kernels on Web Workers</b>, the lock on a SharedArrayBuffer (gil-lab's JS backend). What it " +
    `loses against the package in Node: no Rust kernels (the wasm build ${whyNotWasm}); "processes" are workers ` +
    "that share nothing, not operating-system processes; async runs on the page's own event loop."
  );
}

/** Set across the one reload that lets the service worker isolate the page, so that it is tried once. */
const RELOADED_FOR_ISOLATION = 'gil-lab:reloaded-for-isolation';
/** How long the service worker may take to register and activate. */
const SERVICE_WORKER_TIMEOUT_MS = 5000;

/**
 * Where the host sent no isolation headers: registers the page's service worker
 * (isolation-worker.ts), which adds them, and reloads once so that it controls the page.
 * Resolves to null while reloading, else to why that cannot isolate the page.
 */
async function isolateByServiceWorker(): Promise<string | null> {
  if (!('serviceWorker' in navigator)) return 'service workers are not available here';
  if (sessionStorage.getItem(RELOADED_FOR_ISOLATION)) {
    sessionStorage.removeItem(RELOADED_FOR_ISOLATION);
    return 'its service worker did not make it isolated after a reload';
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tooLong = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`it was not ready within ${SERVICE_WORKER_TIMEOUT_MS / 1000} s`)),
      SERVICE_WORKER_TIMEOUT_MS,
    );
  });
  try {
    // A browser that keeps service workers off may leave the registration pending for good.
    await Promise.race([navigator.serviceWorker.register(new URL('./isolation-worker.js', import.meta.url)), tooLong]);
    await Promise.race([navigator.serviceWorker.ready, tooLong]);
  } catch (error) {
    return `its service worker could not be registered: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
  $('status').textContent = 'Reloading once, so that the service worker makes the page cross-origin isolated…';
  sessionStorage.setItem(RELOADED_FOR_ISOLATION, '1');
  location.reload();
  return null;
}

/** The wasm backend where it loads (unless `?backend=js` asks for JS), else the JS one; and why not wasm. */
async function chooseBackend(params: URLSearchParams): Promise<{ backend: PageBackend; whyNotWasm: string | null }> {
  const js = (whyNotWasm: string) => ({ backend: new JsWorkersBackend(), whyNotWasm });
  if (params.get('backend') === 'js') return js('was not asked for: ?backend=js');
  if (!WASM_IN_SITE) return js('is not in this site: it was built without it');
  try {
    return { backend: await WasmBackend.load(), whyNotWasm: null };
  } catch (error) {
    return js(`did not load: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  fillForm(DEFAULTS);
  fillForm(readSettings(params));
  if (!crossOriginIsolated) {
    const whyNot = await isolateByServiceWorker();
    if (whyNot === null) return; // reloading
    document.body.dataset.state = 'error';
    $('status').textContent =
      'This page is not cross-origin isolated, so the browser hides SharedArrayBuffer and the lock cannot run ' +
      `(and ${whyNot}). Serve it with gil-lab serve, or see docs/browser.md for static hosts.`;
    return;
  }
  sessionStorage.removeItem(RELOADED_FOR_ISOLATION);
  $('status').textContent = 'Loading the backend…';
  const { backend, whyNotWasm } = await chooseBackend(params);
  document.body.dataset.backend = backend.name;
  $('backend').innerHTML = describeBackend(backend, whyNotWasm);
  $('status').textContent = 'Press Run, or open the page with ?autorun=1.';
  const start = (settings: Settings) =>
    runDemo(backend, settings).catch((error: unknown) => {
      document.body.dataset.state = 'error';
      $('status').textContent = `The demo failed: ${error instanceof Error ? error.message : String(error)}`;
    });
  $<HTMLFormElement>('controls').addEventListener('submit', (event) => {
    event.preventDefault();
    if (document.body.dataset.state !== 'running') void start(readSettings(new URLSearchParams()));
  });
  if (params.get('autorun') === '1') void start(readSettings(params));
}

void main();
