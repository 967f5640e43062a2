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
// Each gil-lab figure runs on ThreadPools of the backend (1, 2 and 8 threads), the same
// kernels as the Python loops: `countdown`, `sleep`, `pipeRoundTrips`. Times are medians.
//
//   node benchmark/fidelity.js [--quick] [--backends native,js] [--repeats 3] [--json]
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { ThreadPool, gil, kernelsFor, info } = require('..');
const { median, machine } = require('./support');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const quick = process.argv.includes('--quick');
const asJson = process.argv.includes('--json');
const backends = option('backends', ['native', 'js'].filter(loads).join(',')).split(',');
const repeats = Number(option('repeats', quick ? 1 : 3));
/** One countdown task, alone, in ms. */
const TASK_MS = quick ? 100 : 200;
const SLEEP_MS = 200;
const SLEEPS = 8;
const ALONE_ROUND_TRIPS = 20_000;
/** Round trips timed beside a countdown in legacy mode, where each may take seconds... */
const LEGACY_ROUND_TRIPS = 3;
/** ...and how long they may take: past it, the figure is a lower bound. */
const LEGACY_BUDGET_MS = quick ? 2000 : 5000;
/** How long the round trips beside a CPU-bound thread should take, whatever the interval. */
const BESIDE_MS = quick ? 200 : 400;
const INTERVALS = [0.005, 0.001, 0.0001, 0.00001, 0.000001];
const DEFAULT_INTERVAL = 0.005;

function loads(backend) {
  try {
    kernelsFor(backend);
    return true;
  } catch {
    return false;
  }
}

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

async function timed(run) {
  const started = performance.now();
  await run();
  return performance.now() - started;
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

function setLock(mode, interval = DEFAULT_INTERVAL) {
  if (mode === 'off') gil.disable();
  else gil.enable({ mode, switchInterval: interval });
}

/** gil-lab on one backend: its pools, and the experiments above. */
class Lab {
  constructor(backend) {
    this.backend = backend;
    this.kernels = kernelsFor(backend);
    this.one = new ThreadPool({ maxWorkers: 1, backend });
    this.two = new ThreadPool({ maxWorkers: 2, backend });
    this.eight = new ThreadPool({ maxWorkers: SLEEPS, backend });
  }

  async warmUp() {
    gil.disable();
    await Promise.all([this.one, this.two, this.eight].map((pool) => pool.map('countdown', Array(pool.maxWorkers).fill(1))));
    let n = 1_000_000;
    for (;;) {
      const started = performance.now();
      this.kernels.countdownSync(n);
      const took = performance.now() - started;
      if (took >= TASK_MS / 4) return (this.n = Math.round((n * TASK_MS) / took));
      n *= 4;
    }
  }

  /** Two countdowns: one after the other on one thread, then on two threads; and the lock's counts. */
  async cpuBound(mode, interval) {
    setLock(mode, interval);
    const sequential = [];
    const threads = [];
    let counts;
    for (let r = 0; r < repeats; r++) {
      sequential.push(await timed(() => this.one.map('countdown', [this.n, this.n])));
      gil.resetStats();
      const ms = await timed(() => this.two.map('countdown', [this.n, this.n]));
      threads.push(ms);
      counts = lockCounts(this.backend, ms);
    }
    return { sequentialMs: median(sequential), threadsMs: median(threads), speedup: median(sequential) / median(threads), ...counts };
  }

  /** SLEEPS sleeps: one after the other on one thread (once), then on SLEEPS threads. */
  async ioBound(mode) {
    setLock(mode);
    const sequentialMs = await timed(() => this.one.map('sleep', Array(SLEEPS).fill(SLEEP_MS)));
    const threads = [];
    for (let r = 0; r < repeats; r++) threads.push(await timed(() => this.eight.map('sleep', Array(SLEEPS).fill(SLEEP_MS))));
    return { sequentialMs, threadsMs: median(threads), speedup: sequentialMs / median(threads) };
  }

  /**
   * µs per round trip of `count`, less `setupMs`, the cost of opening the pipe; past
   * `budgetMs`, the round trips are abandoned and the figure is a lower bound (`atLeast`).
   */
  async roundTripUs(count, setupMs, budgetMs = Infinity) {
    const signal = budgetMs === Infinity ? undefined : AbortSignal.timeout(budgetMs);
    let atLeast = false;
    const ms = await timed(() =>
      this.two.submit('pipeRoundTrips', count, { signal }).catch((error) => {
        if (error.name !== 'AbortError') throw error;
        atLeast = true;
      }),
    );
    return { us: (Math.max(0, ms - setupMs) * 1000) / count, atLeast };
  }

  /**
   * Round trips alone, then beside a countdown that runs until they are done. Beside the
   * countdown with the lock on, each round trip waits for the lock; in legacy mode it may wait
   * for seconds, so only a few are timed there.
   */
  async convoy(mode, interval = DEFAULT_INTERVAL) {
    setLock(mode, interval);
    const beside = mode === 'off' ? ALONE_ROUND_TRIPS : mode === 'legacy' ? LEGACY_ROUND_TRIPS : besideCount(interval);
    const aloneUs = [];
    const besideUs = [];
    for (let r = 0; r < repeats; r++) {
      const setupMs = await timed(() => this.two.submit('pipeRoundTrips', 0));
      aloneUs.push((await this.roundTripUs(ALONE_ROUND_TRIPS, setupMs)).us);
      const stop = new AbortController();
      const cpu = this.two.submit('countdown', 2 ** 53 - 1, { signal: stop.signal }).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 50)); // the countdown settles in as the holder
      besideUs.push(await this.roundTripUs(beside, setupMs, mode === 'legacy' ? LEGACY_BUDGET_MS : Infinity));
      stop.abort();
      await cpu;
    }
    const besideCpuUs = median(besideUs.map((b) => b.us));
    const atLeast = besideUs.some((b) => b.atLeast);
    return { aloneUs: median(aloneUs), besideCpuUs, slowdown: besideCpuUs / median(aloneUs), atLeast };
  }

  async close() {
    gil.disable();
    await Promise.all([this.one, this.two, this.eight].map((pool) => pool.shutdown()));
  }
}

/** What the lock did during a run of `ms` on `backend`: forced switches and switches per second. */
function lockCounts(backend, ms) {
  const stats = gil.stats()[backend];
  if (!stats || stats.totals.takes === 0) return {};
  return { forcedSwitchesPerS: (stats.totals.forcedSwitches * 1000) / ms, switchesPerS: (stats.switches * 1000) / ms };
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

  for (const backend of backends) {
    const lab = new Lab(backend);
    await lab.warmUp();
    const r = (results.labs[backend] = {});
    progress(`gil-lab ${backend}: CPU-bound`);
    r.cpuBound = { on: await lab.cpuBound('cpython', DEFAULT_INTERVAL), off: await lab.cpuBound('off') };
    progress(`gil-lab ${backend}: I/O-bound`);
    r.ioBound = { on: await lab.ioBound('cpython') };
    progress(`gil-lab ${backend}: convoy`);
    r.convoy = { on: await lab.convoy('cpython'), off: await lab.convoy('off') };
    progress(`gil-lab ${backend}: sweep`);
    r.sweep = [];
    for (const interval of INTERVALS) {
      const cpu = interval === DEFAULT_INTERVAL ? r.cpuBound.on : await lab.cpuBound('cpython', interval);
      const convoy = interval === DEFAULT_INTERVAL ? r.convoy.on : await lab.convoy('cpython', interval);
      r.sweep.push({ interval, cpu, convoy });
    }
    progress(`gil-lab ${backend}: legacy`);
    r.legacy = { cpuBound: await lab.cpuBound('legacy'), convoy: await lab.convoy('legacy') };
    await lab.close();
  }
  return results;
}

const fmt = (x, digits = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));
const times = (x) => `${fmt(x)}×`;
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

  lines.push(`${results.machine.summary}; ${results.python}; gil-lab ${results.gilLab}; ${repeats} repeat(s)`, '');
  header('measure', 'CPython, GIL', ...results.backends.flatMap((b) => [`${b}, lock on`, `${b}, lock off`]), 'target (on / off)');
  row(
    'CPU-bound: 2 threads vs sequential',
    times(cpython.cpuBound.speedup),
    ...labCells((l) => [`${times(l.cpuBound.on.speedup)} ${check(l.cpuBound.on.speedup >= 0.8 && l.cpuBound.on.speedup <= 1.1)}`, `${times(l.cpuBound.off.speedup)} ${check(l.cpuBound.off.speedup >= 1.8)}`]).flat(),
    '0.8–1.1× / ≥ 1.8×',
  );
  row(
    `I/O-bound: ${SLEEPS} × sleep(${SLEEP_MS}) on ${SLEEPS} threads vs sequential`,
    times(cpython.ioBound.speedup),
    ...labCells((l) => [`${times(l.ioBound.on.speedup)} ${check(l.ioBound.on.speedup >= 7)}`, '']).flat(),
    '≥ 7× / –',
  );
  row(
    'convoy: pipe round trip beside 1 CPU thread vs alone (slower by)',
    times(cpython.convoy.slowdown),
    ...labCells((l) => [`${times(l.convoy.on.slowdown)} ${check(l.convoy.on.slowdown >= 100)}`, `${times(l.convoy.off.slowdown)} ${check(l.convoy.off.slowdown <= 3)}`]).flat(),
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
      ...labCells((l) => times(l.sweep[i].cpu.speedup)),
      fmt(cpython.sweep[i].beside_cpu_us, 0),
      ...labCells((l) => fmt(l.sweep[i].convoy.besideCpuUs, 0)),
      ...labCells((l) => fmt(l.sweep[i].cpu.forcedSwitchesPerS, 0)),
    );
  });

  lines.push('', 'gil-lab legacy mode (CPython before 3.2: release every 100 ticks, no drop request, no forced switch) beside cpython', '');
  header('backend', 'mode', 'CPU 2 threads vs sequential', 'switches/s', 'forced switches/s', 'convoy slower by', 'round trip beside CPU (µs)');
  for (const b of results.backends) {
    const l = labs[b];
    row(b, 'cpython', times(l.cpuBound.on.speedup), fmt(l.cpuBound.on.switchesPerS, 0), fmt(l.cpuBound.on.forcedSwitchesPerS, 0), times(l.convoy.on.slowdown), fmt(l.convoy.on.besideCpuUs, 0));
    const atLeast = l.legacy.convoy.atLeast ? '≥ ' : '';
    row(b, 'legacy', times(l.legacy.cpuBound.speedup), fmt(l.legacy.cpuBound.switchesPerS, 0), fmt(l.legacy.cpuBound.forcedSwitchesPerS, 0), `${atLeast}${times(l.legacy.convoy.slowdown)}`, `${atLeast}${fmt(l.legacy.convoy.besideCpuUs, 0)}`);
  }
  return lines.join('\n');
}

measure().then(
  (results) => process.stdout.write(asJson ? `${JSON.stringify(results, null, 2)}\n` : `${report(results)}\n`),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
