// How long a tick lasts, for every CPU-bound kernel of benchmark/cases.js, native and JS —
// the median and the longest time between two ticks, which bound how long a kernel runs
// before it next reads its eval breaker (so how late it sees a cancel or a drop request) —
// and what reading the breaker costs.
//
//   node benchmark/ticks.js [--only nbody,fannkuch] [--runs 5] [--json]
//
// Measured without changing a kernel:
// - JS: the kernels of dist/kernels with a Ticker of this script's own whose tick() takes
//   performance.now(), in a worker thread of its own (so that no other ticker class ever
//   reaches the kernels' tick() call sites there and changes how V8 compiles them).
// - native: two more builds of the addon, made here with cargo (into target/ticks/; minutes
//   the first time, seconds after): with the feature `probe-ticks`, Ticker::tick also
//   records the time since the previous tick of its thread (crates/core/src/tick_probe.rs),
//   read back by the binding's tickProbeFinish(); with `unchecked-ticks`, Ticker::tick checks
//   nothing, and the compiler drops the check and the counters that lead to it.
// The call's start and end count as ticks, so the first and last gaps include the call's
// own overhead; every gap includes one clock read (about 25 ns native, 50 ns JS). A gap can
// also include the time this thread was preempted: the longest gaps on a busy machine are
// the scheduler's, which is why p99 and p99.9 are shown beside the maximum.
//
// The check's cost: each kernel's sync call, timed as the median of interleaved runs, in
// the shipped build and in the `unchecked-ticks` build; in JS, in two more worker threads,
// one with the pool workers' own ticker (an Atomics.load of the task's breaker word per
// tick), one with a ticker whose tick() is empty.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const cases = require('./cases');
const { median, machine } = require('./support');

const ROOT = path.join(__dirname, '..');
const dist = (file) => require(path.join(ROOT, 'dist', file));

const { jsKernels } = dist('kernels');
const { platformTriple } = dist('platform');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const only = arg('only') ? new Set(arg('only').split(',')) : null;
const RUNS = Number(arg('runs', 5));
const asJson = process.argv.includes('--json');
const log = (line) => asJson || process.stderr.write(`${line}\n`);

/** The addon built with `feature`, built or brought up to date first. */
function nativeVariant(feature) {
  const outDir = path.join(ROOT, 'target', 'ticks', feature);
  log(`building the addon with --features ${feature} …`);
  const napi = path.join(ROOT, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js');
  const build = spawnSync(
    process.execPath,
    [
      napi,
      'build',
      '--platform',
      '--release',
      '--no-js',
      '--features',
      feature,
      '--target-dir',
      path.join(ROOT, 'target', 'ticks', 'cargo'),
      '--output-dir',
      outDir,
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', asJson ? 'ignore' : 'inherit'] },
  );
  if (build.status !== 0) throw new Error(`the ${feature} build failed`);
  return require(path.join(outDir, `gil-lab.${platformTriple()}.node`));
}

function stats(gapsNs, calls, wallMs) {
  const sorted = Float64Array.from(gapsNs).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000;
  return {
    ticksPerCall: sorted.length / calls,
    meanUs: (wallMs * 1000) / sorted.length,
    medianUs: median(sorted) / 1000,
    p99Us: at(0.99),
    p999Us: at(0.999),
    maxUs: sorted[sorted.length - 1] / 1000,
  };
}

/** Gaps between ticks of `RUNS` sync calls of a native kernel, from the probe build. */
function nativeTicks(probe, kernel, args) {
  const gaps = [];
  let wall = 0;
  probe[`${kernel}Sync`](...args); // warm
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now();
    probe.tickProbeStart();
    probe[`${kernel}Sync`](...args);
    const run = probe.tickProbeFinish();
    wall += performance.now() - started;
    for (const gap of run) gaps.push(gap);
  }
  return stats(gaps, RUNS, wall);
}

/**
 * A worker thread that runs JS kernels with one kind of ticker: 'probe' (clock reads, answers
 * with the gaps), 'board' (the pool workers' ticker) or 'quiet' (an empty tick(); both
 * answer with the call's ms).
 */
function runJsWorker(kind) {
  const { jsKernels: table } = dist('kernels');
  const { BoardTicker, createBreakerBoard, quietTicker } = dist('breaker');
  let gaps = [];
  let last = 0;
  const probe = {
    ...quietTicker,
    tick() {
      const now = performance.now();
      gaps.push((now - last) * 1e6);
      last = now;
    },
  };
  const ticker = { probe, board: new BoardTicker(createBreakerBoard(), 1), quiet: quietTicker }[kind];
  parentPort.on('message', ({ kernel, args }) => {
    const spec = table[kernel];
    const checked = spec.check(args);
    gaps = [];
    const started = (last = performance.now());
    spec.run(checked, ticker);
    const ended = performance.now();
    gaps.push((ended - last) * 1e6);
    parentPort.postMessage({ ms: ended - started, gaps: kind === 'probe' ? gaps : [] });
  });
}

function jsWorker(kind) {
  const worker = new Worker(__filename, { workerData: { ticker: kind } });
  worker.unref();
  return {
    call: (kernel, args) =>
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({ kernel, args });
      }),
  };
}

/** The same as nativeTicks for a JS kernel, in the probe worker. */
async function jsTicks(probeWorker, kernel, args) {
  await probeWorker.call(kernel, args); // warm
  const gaps = [];
  let wall = 0;
  for (let r = 0; r < RUNS; r++) {
    const { ms, gaps: run } = await probeWorker.call(kernel, args);
    wall += ms;
    for (const gap of run) gaps.push(gap);
  }
  return stats(gaps, RUNS, wall);
}

/** Median ms of `withCheck` and `withoutCheck` (async, each giving its ms), run alternately. */
async function checkCost(withCheck, withoutCheck) {
  await withCheck();
  await withoutCheck();
  const timesWith = [];
  const timesWithout = [];
  for (let r = 0; r < 2 * RUNS + 1; r++) {
    timesWith.push(await withCheck());
    timesWithout.push(await withoutCheck());
  }
  const [a, b] = [median(timesWith), median(timesWithout)];
  return { withMs: a, withoutMs: b, costPercent: ((a - b) / b) * 100 };
}

/** A sync call's ms. */
function timed(fn) {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

async function main() {
  const kernels = Object.keys(cases).filter((k) => !cases[k].io && k in jsKernels && (!only || only.has(k)));
  const probe = nativeVariant('probe-ticks');
  const unchecked = nativeVariant('unchecked-ticks');
  const shipped = require(path.join(ROOT, 'native', `gil-lab.${platformTriple()}.node`));
  const [jsProbe, jsBoard, jsQuiet] = ['probe', 'board', 'quiet'].map(jsWorker);

  const rows = [];
  for (const kernel of kernels) {
    const args = cases[kernel].args();
    const { label } = cases[kernel];
    log(`  ${label}`);
    rows.push({
      kernel,
      label,
      backend: 'native',
      ...nativeTicks(probe, kernel, args),
      ...(await checkCost(
        async () => timed(() => shipped[`${kernel}Sync`](...args)),
        async () => timed(() => unchecked[`${kernel}Sync`](...args)),
      )),
    });
    rows.push({
      kernel,
      label,
      backend: 'js',
      ...(await jsTicks(jsProbe, kernel, args)),
      ...(await checkCost(
        async () => (await jsBoard.call(kernel, args)).ms,
        async () => (await jsQuiet.call(kernel, args)).ms,
      )),
    });
  }
  report(rows);
}

function report(rows) {
  if (asJson) {
    process.stdout.write(`${JSON.stringify({ machine: machine(), runs: RUNS, rows }, null, 2)}\n`);
    return;
  }
  const f = (x, digits = 1) => x.toFixed(digits);
  console.log(`\n${machine().summary}; ${RUNS} runs per kernel\n`);
  console.log(
    '| kernel | backend | ticks per call | mean tick µs | median µs | p99 µs | p99.9 µs | max µs | ms with check | ms without | check cost |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const cells = [
      r.label,
      r.backend,
      f(r.ticksPerCall, 0),
      f(r.meanUs),
      f(r.medianUs),
      f(r.p99Us),
      f(r.p999Us),
      f(r.maxUs),
      f(r.withMs, 2),
      f(r.withoutMs, 2),
      `${f(r.costPercent)} %`,
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

if (isMainThread) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  runJsWorker(workerData.ticker);
}
