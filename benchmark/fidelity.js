// Fidelity to the real GIL: CPython (`python3`, the scripts in benchmark/python/) and gil-lab's
// emulated lock, side by side in one run, on this machine:
//
// 1. CPU-bound: two countdowns on two threads vs one after the other on one thread.
//    Targets, lock on: 0.8–1.1× (CPython measured here 0.76–1.0×); lock off: at least 1.8×.
// 2. I/O-bound: 8 blocking sleeps of 200 ms on 8 threads vs one after the other, lock on:
//    at least 7× (CPython: 7.9×).
// 3. The convoy effect: pipe round trips on one thread while one CPU-bound thread runs, vs
//    alone, in the steady state (thousands of round trips). Lock on: at least 100× slower
//    (CPython measured here: about 290×); off: at most 3×.
// 4. A sweep of the switch interval (5 ms, 1 ms, 100 µs, 10 µs, 1 µs): what switching costs
//    the CPU-bound threads, and what it gives the I/O thread, as the interval shrinks.
// 5. gil-lab's `legacy` mode (CPython before 3.2) beside `cpython`.
//
// Each gil-lab figure is measured by compare() and its measurement core (docs/measurement.md):
// threads of the backend (2 for the CPU-bound tasks, 8 for the sleeps, one CPU-bound thread
// beside the I/O one), the same kernels as the Python loops — `countdown`, `sleep`,
// `pipeRoundTrips` — warmed until steady, timed in shuffled rounds against the sequential
// cell, each ratio with its 95% interval. CPython's figures are its scripts' own medians.
//
//   node benchmark/fidelity.js [--quick] [--backends native,js] [--repeats 5] [--max-time 20] [--json]
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { compare, info, kernelsFor } = require('..');
const { loadedBackends, machine } = require('./support');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const quick = process.argv.includes('--quick');
const asJson = process.argv.includes('--json');
const backends = option('backends', loadedBackends(kernelsFor).join(',')).split(',');
const repeats = Number(option('repeats', 5));
/** Each compare() run's budget, seconds. */
const maxTime = Number(option('max-time', quick ? 5 : 20));
/** One countdown task, alone, in ms (CPython's scripts take the same). */
const TASK_MS = quick ? 100 : 200;
const SLEEP_MS = 200;
const SLEEPS = 8;
const ALONE_ROUND_TRIPS = 20_000;
/** Round trips timed beside a countdown in legacy mode, where each may take seconds. */
const LEGACY_ROUND_TRIPS = 3;
/** How long the round trips beside a CPU-bound thread should take, whatever the interval. */
const BESIDE_MS = quick ? 200 : 400;
const INTERVALS = [0.005, 0.001, 0.0001, 0.00001, 0.000001];
const DEFAULT_INTERVAL = 0.005;

function progress(message) {
  if (!asJson) process.stderr.write(`  ${message}\n`);
}

function python(script, ...args) {
  const out = execFileSync('python3', [path.join(__dirname, 'python', script), ...args.map(String)], { encoding: 'utf8' });
  return JSON.parse(out);
}

function pythonVersion() {
  return execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * Round trips beside a CPU-bound thread for about BESIDE_MS. A round trip does not wait a
 * whole interval for each of its two re-takes: after a forced switch the I/O thread runs
 * freely until the CPU-bound thread, woken, queues for the lock again — 20 to 30 round trips
 * on this machine, for CPython as for gil-lab — and then waits an interval. So about 25 round
 * trips an interval, enough of them that the steady state, not the first hand-off, is timed.
 */
function besideCount(interval) {
  return Math.max(100, Math.min(ALONE_ROUND_TRIPS, Math.round((25 * BESIDE_MS) / (interval * 1000))));
}

/** A countdown length whose sync call takes about TASK_MS on `backend`, from a calibrating compare() of one task. */
async function countdownFor(backend) {
  const probe = 50_000_000;
  const { rows } = await compare({ backends: [backend], kernel: 'countdown', size: probe, tasks: 1, workers: [1], models: ['sequential'], repeats: 3, maxTime: 0 });
  return Math.round((probe * TASK_MS) / rows[0].wallMs.median);
}

/** A threads row as this benchmark reports it: the speedup, its interval, the lock's rates. */
function threadsFigure(row) {
  const seconds = row.wallMs.runs.reduce((a, b) => a + b, 0) / 1000;
  const stats = row.gilStats;
  return {
    speedup: row.speedup,
    speedupCI: row.speedupCI,
    flags: row.flags,
    threadsMs: row.wallMs.median,
    forcedSwitchesPerS: stats ? stats.forcedSwitches / seconds : undefined,
    takesPerS: stats ? stats.takes / seconds : undefined,
  };
}

/** The convoy of a latency run's threads row: how much slower a round trip was beside a countdown, with its interval. */
function convoyFigure(rows, gil) {
  const alone = rows.find((r) => r.model === 'sequential' && r.gil === gil);
  const beside = rows.find((r) => r.model === 'threads' && r.gil === gil);
  return {
    aloneUs: alone.latencyMs.median * 1000,
    besideCpuUs: beside.latencyMs.median * 1000,
    slowdown: 1 / beside.speedup,
    slowdownCI: [1 / beside.speedupCI[1], 1 / beside.speedupCI[0]],
    flags: beside.flags,
  };
}

/** gil-lab on one backend, every figure through compare(). */
async function labFigures(backend) {
  const here = { backends: [backend], repeats, maxTime };
  const n = await countdownFor(backend);
  const threadsOf = (report, gil, interval = null, mode = 'cpython') =>
    threadsFigure(report.rows.find((r) => r.model === 'threads' && r.gil === gil && (gil === 'off' || (r.switchInterval === interval && r.mode === mode))));
  progress(`gil-lab ${backend}: CPU-bound, lock on at each interval and off`);
  const cpu = await compare({ ...here, workload: 'cpu', kernel: 'countdown', size: n, tasks: 2, workers: [2], models: ['threads'], gil: ['on', 'off'], switchIntervals: INTERVALS });
  progress(`gil-lab ${backend}: I/O-bound`);
  const io = await compare({ ...here, workload: 'io', size: SLEEP_MS, tasks: SLEEPS, workers: [SLEEPS], models: ['threads'], gil: ['on'] });
  progress(`gil-lab ${backend}: convoy at each interval`);
  const convoys = [];
  for (const interval of INTERVALS) {
    const gil = interval === DEFAULT_INTERVAL ? ['on', 'off'] : ['on'];
    const report = await compare({ ...here, workload: 'latency', kernel: 'countdown', size: besideCount(interval), workers: [1], models: ['threads'], gil, switchIntervals: [interval] });
    convoys.push({ interval, on: convoyFigure(report.rows, 'on'), off: gil.length > 1 ? convoyFigure(report.rows, 'off') : null });
  }
  progress(`gil-lab ${backend}: legacy`);
  const legacyCpu = await compare({ ...here, workload: 'cpu', kernel: 'countdown', size: n, tasks: 2, workers: [2], models: ['threads'], gil: ['on'], mode: 'legacy' });
  // Each legacy round trip may wait seconds for the lock: the fewest rounds, no budget beyond them.
  const legacyConvoy = await compare({ ...here, workload: 'latency', kernel: 'countdown', size: LEGACY_ROUND_TRIPS, workers: [1], models: ['threads'], gil: ['on'], mode: 'legacy', repeats: 3, maxTime: 0 });
  const warnings = [cpu, io, ...[legacyCpu, legacyConvoy]].flatMap((r) => r.warnings.map((w) => `${r.options.workload}${r.options.mode === 'legacy' ? ' (legacy)' : ''}: ${w}`));
  return {
    countdown: n,
    ceiling: cpu.calibration.ceiling,
    cpuBound: { on: threadsOf(cpu, 'on', DEFAULT_INTERVAL), off: threadsOf(cpu, 'off') },
    ioBound: { on: threadsFigure(io.rows.find((r) => r.model === 'threads')) },
    convoy: { on: convoys[0].on, off: convoys[0].off },
    sweep: INTERVALS.map((interval, i) => ({ interval, cpu: threadsOf(cpu, 'on', interval), convoy: convoys[i].on })),
    legacy: { cpuBound: threadsOf(legacyCpu, 'on', DEFAULT_INTERVAL, 'legacy'), convoy: convoyFigure(legacyConvoy.rows, 'on') },
    warnings,
  };
}

async function measure() {
  const results = { machine: machine(), python: pythonVersion(), gilLab: info().version, backends, cpython: {}, labs: {} };

  progress(`${results.python}: CPU-bound, I/O-bound, convoy, sweep`);
  const cpython = results.cpython;
  cpython.cpuBound = python('cpu.py', TASK_MS, DEFAULT_INTERVAL, repeats);
  cpython.cpuBound.speedup = cpython.cpuBound.sequential_ms / cpython.cpuBound.threads_ms;
  cpython.ioBound = python('io.py', SLEEP_MS, SLEEPS, 1);
  cpython.ioBound.speedup = cpython.ioBound.sequential_ms / cpython.ioBound.threads_ms;
  cpython.sweep = INTERVALS.map((interval) => {
    const cpu = python('cpu.py', TASK_MS, interval, repeats);
    const convoy = python('convoy.py', ALONE_ROUND_TRIPS, besideCount(interval), interval);
    return { interval, speedup: cpu.sequential_ms / cpu.threads_ms, ...convoy, slowdown: convoy.beside_cpu_us / convoy.alone_us };
  });
  cpython.convoy = cpython.sweep[0];

  for (const backend of backends) results.labs[backend] = await labFigures(backend);
  return results;
}

const fmt = (x, digits = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));
const times = (x) => `${fmt(x)}×`;
/** A figure with ± half its 95% interval, and its flags: "0.98× ±0.03", "1.46× ±0.30 (wide-interval)". */
const within = (x, ci, flags = []) =>
  `${times(x)}${ci && ci[0] !== ci[1] ? ` ±${fmt((ci[1] - ci[0]) / 2)}` : ''}${flags.length ? ` (${flags.join(', ')})` : ''}`;
/** A slowdown with its interval: "312× (290–340×)". */
const slower = (c) => `${fmt(c.slowdown, c.slowdown >= 10 ? 0 : 2)}× (${fmt(c.slowdownCI[0], c.slowdown >= 10 ? 0 : 2)}–${fmt(c.slowdownCI[1], c.slowdown >= 10 ? 0 : 2)}×)`;
const check = (ok) => (ok ? '✓' : '✗');
const intervalName = (s) => (s >= 0.001 ? `${s * 1000} ms` : `${Math.round(s * 1e6)} µs`);

function report(results) {
  const { cpython, labs } = results;
  const lines = [];
  const row = (...cells) => lines.push(`| ${cells.join(' | ')} |`);
  const labCells = (pick) => results.backends.map((b) => pick(labs[b]));
  const header = (first, ...rest) => {
    row(first, ...rest);
    row(...[first, ...rest].map((_, i) => (i === 0 ? '---' : '---:')));
  };
  const ceilings = results.backends.map((b) => `${b}: ${labs[b].ceiling.map((c) => `${c.workers} processes ${within(c.speedup, c.speedupCI)}`).join(', ')}`);

  lines.push(`${results.machine.summary}; ${results.python}; gil-lab ${results.gilLab}; ${repeats} rounds at least, ${maxTime} s per compare() run`);
  lines.push(`Machine ceiling before each backend's CPU-bound run (plain processes side by side vs one): ${ceilings.join('; ')}`, '');
  header('measure', 'CPython, GIL', ...results.backends.flatMap((b) => [`${b}, lock on`, `${b}, lock off`]), 'target (on / off)');
  row(
    'CPU-bound: 2 threads vs sequential',
    times(cpython.cpuBound.speedup),
    ...labCells((l) => [
      `${within(l.cpuBound.on.speedup, l.cpuBound.on.speedupCI, l.cpuBound.on.flags)} ${check(l.cpuBound.on.speedup >= 0.8 && l.cpuBound.on.speedup <= 1.1)}`,
      `${within(l.cpuBound.off.speedup, l.cpuBound.off.speedupCI, l.cpuBound.off.flags)} ${check(l.cpuBound.off.speedup >= 1.8)}`,
    ]).flat(),
    '0.8–1.1× / ≥ 1.8×',
  );
  row(
    `I/O-bound: ${SLEEPS} × sleep(${SLEEP_MS}) on ${SLEEPS} threads vs sequential`,
    times(cpython.ioBound.speedup),
    ...labCells((l) => [`${within(l.ioBound.on.speedup, l.ioBound.on.speedupCI, l.ioBound.on.flags)} ${check(l.ioBound.on.speedup >= 7)}`, '']).flat(),
    '≥ 7× / –',
  );
  row(
    'convoy: pipe round trip beside 1 CPU thread vs alone (slower by, 95% interval)',
    times(cpython.convoy.slowdown),
    ...labCells((l) => [`${slower(l.convoy.on)} ${check(l.convoy.on.slowdown >= 100)}`, `${slower(l.convoy.off)} ${check(l.convoy.off.slowdown <= 3)}`]).flat(),
    '≥ 100× / ≤ 3×',
  );
  row(
    'convoy: µs per round trip, alone → beside',
    `${fmt(cpython.convoy.alone_us, 1)} → ${fmt(cpython.convoy.beside_cpu_us, 0)}`,
    ...labCells((l) => [`${fmt(l.convoy.on.aloneUs, 1)} → ${fmt(l.convoy.on.besideCpuUs, 0)}`, `${fmt(l.convoy.off.aloneUs, 1)} → ${fmt(l.convoy.off.besideCpuUs, 1)}`]).flat(),
    '',
  );

  lines.push('', 'Switch interval sweep, lock on: CPU-bound 2 threads vs sequential (×), and a pipe round trip beside one CPU thread (µs)', '');
  header('interval', 'CPython CPU', ...results.backends.map((b) => `${b} CPU`), 'CPython round trip', ...results.backends.map((b) => `${b} round trip`), ...results.backends.map((b) => `${b} forced switches/s`));
  INTERVALS.forEach((interval, i) => {
    row(
      intervalName(interval),
      times(cpython.sweep[i].speedup),
      ...labCells((l) => within(l.sweep[i].cpu.speedup, l.sweep[i].cpu.speedupCI, l.sweep[i].cpu.flags)),
      fmt(cpython.sweep[i].beside_cpu_us, 0),
      ...labCells((l) => fmt(l.sweep[i].convoy.besideCpuUs, 0)),
      ...labCells((l) => fmt(l.sweep[i].cpu.forcedSwitchesPerS, 0)),
    );
  });

  lines.push('', 'gil-lab legacy mode (CPython before 3.2: release every 100 ticks, no drop request, no forced switch) beside cpython', '');
  header('backend', 'mode', 'CPU 2 threads vs sequential', 'takes/s', 'forced switches/s', 'convoy slower by', 'round trip beside CPU (µs)');
  for (const b of results.backends) {
    const l = labs[b];
    const cpu = (c) => within(c.speedup, c.speedupCI, c.flags);
    row(b, 'cpython', cpu(l.cpuBound.on), fmt(l.cpuBound.on.takesPerS, 0), fmt(l.cpuBound.on.forcedSwitchesPerS, 0), slower(l.convoy.on), fmt(l.convoy.on.besideCpuUs, 0));
    row(b, 'legacy', cpu(l.legacy.cpuBound), fmt(l.legacy.cpuBound.takesPerS, 0), fmt(l.legacy.cpuBound.forcedSwitchesPerS, 0), slower(l.legacy.convoy), fmt(l.legacy.convoy.besideCpuUs, 0));
  }
  const warnings = results.backends.flatMap((b) => labs[b].warnings.map((w) => `${b} ${w}`));
  if (warnings.length) lines.push('', 'Warnings:', ...warnings.map((w) => `- ${w}`));
  return lines.join('\n');
}

measure().then(
  (results) => process.stdout.write(asJson ? `${JSON.stringify(results, null, 2)}\n` : `${report(results)}\n`),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
