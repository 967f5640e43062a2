// Throughput against the goals, native and JS side by side in one process:
// - sha256 over 64 MiB: the native kernel against node:crypto hashing the same bytes in one
//   call (the goal: native at least 0.9× its throughput), and the JS twin;
// - matmul at n = 512: GFLOP/s of the native kernel (goal: at least 10, on one core) and of
//   the JS twin (goal: native at least 5× JS).
// Sync forms, on this thread: one core. Medians of benchmark.js samples.
//
//   node benchmark/throughput.js [--only sha256|matmul] [--json]
'use strict';
const crypto = require('node:crypto');
const Benchmark = require('benchmark');
const { kernelsFor } = require('..');
const { median, machine } = require('./support');

const only = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? process.argv[i + 1] : null;
})();
const asJson = process.argv.includes('--json');

function available(backend) {
  try {
    return kernelsFor(backend);
  } catch {
    return null;
  }
}
const native = available('native');
const js = available('js');

/** Median seconds per call of `fn`. */
function seconds(name, fn) {
  const bench = new Benchmark(name, fn, { minSamples: 10, maxTime: 3 });
  bench.run();
  return median(bench.stats.sample);
}

const rows = [];
function row(what, unit, value, note = '') {
  rows.push({ what, unit, value, note });
  if (!asJson) process.stderr.write(`  ${what}: ${value.toFixed(2)} ${unit} ${note}\n`);
}

if (!only || only === 'sha256') {
  const data = new Uint8Array(64 << 20).map((_, i) => (i * 2654435761) >>> 24);
  const mb = data.length / 1e6;
  const check = crypto.createHash('sha256').update(data).digest('hex');
  const crypt = mb / seconds('node:crypto', () => crypto.createHash('sha256').update(data).digest());
  row('sha256 64 MiB, node:crypto (one update)', 'MB/s', crypt);
  if (native) {
    if (Buffer.from(native.sha256Sync(data)).toString('hex') !== check) throw new Error('native sha256 disagrees with node:crypto');
    const speed = mb / seconds('native', () => native.sha256Sync(data));
    row('sha256 64 MiB, native', 'MB/s', speed, `(${(speed / crypt).toFixed(2)}× node:crypto; goal ≥ 0.9×)`);
  }
  if (js) row('sha256 64 MiB, JS twin (64 KiB updates)', 'MB/s', mb / seconds('js', () => js.sha256Sync(data)));
}

if (!only || only === 'matmul') {
  const n = 512;
  const a = new Float64Array(n * n).map((_, i) => Math.sin(i));
  const b = new Float64Array(n * n).map((_, i) => Math.cos(i));
  const gflop = (2 * n ** 3) / 1e9;
  const speeds = {};
  for (const [backend, kernels] of [['native', native], ['js', js]]) {
    if (!kernels) continue;
    speeds[backend] = gflop / seconds(backend, () => kernels.matmulSync(a, b, n));
  }
  if (speeds.js) row('matmul n = 512, JS twin', 'GFLOP/s', speeds.js);
  if (speeds.native) {
    const ratio = speeds.js ? ` (${(speeds.native / speeds.js).toFixed(1)}× JS; goals ≥ 10 GFLOP/s, ≥ 5× JS)` : '';
    row('matmul n = 512, native', 'GFLOP/s', speeds.native, ratio);
  }
}

if (asJson) {
  process.stdout.write(`${JSON.stringify({ machine: machine(), rows }, null, 2)}\n`);
} else {
  console.log(`\n${machine().summary}\n`);
  console.log('| measure | value | |');
  console.log('| --- | ---: | --- |');
  for (const r of rows) console.log(`| ${r.what} | ${r.value.toFixed(2)} ${r.unit} | ${r.note} |`);
}
