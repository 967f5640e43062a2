// Throughput against the goals, native and JS side by side in one process:
// - sha256 over 64 MiB: the native kernel against node:crypto hashing the same bytes in one
//   call (the goal: native at least 0.9× its throughput), and the JS twin;
// - matmul at n = 512: GFLOP/s of the native kernel (goal: at least 10, on one core) and of
//   the JS twin (goal: native at least 5× JS).
// Sync forms, on this thread: one core. Medians of benchmark.js samples. benchmark/peers.js
// calls `sha256Rates` and `matmulRates` with its own sizes and time budget.
//
//   node benchmark/throughput.js [--only sha256|matmul] [--json]
'use strict';
const crypto = require('node:crypto');
const Benchmark = require('benchmark');
const { kernelsFor } = require('..');
const { median, machine } = require('./support');

function available(backend) {
  try {
    return kernelsFor(backend);
  } catch {
    return null;
  }
}

/** Median seconds per call of `fn`, over benchmark.js samples taken for about `maxTime` s. */
function seconds(name, fn, maxTime = 3) {
  const bench = new Benchmark(name, fn, { minSamples: 10, maxTime });
  bench.run();
  return median(bench.stats.sample);
}

/**
 * MB/s of sha256 over `bytes` bytes: node:crypto in one update, the native kernel (checked
 * against node:crypto first) and the JS twin; a backend that does not load is null.
 */
function sha256Rates({ bytes = 64 << 20, maxTime } = {}) {
  const native = available('native');
  const js = available('js');
  const data = new Uint8Array(bytes).map((_, i) => (i * 2654435761) >>> 24);
  const mb = data.length / 1e6;
  const check = crypto.createHash('sha256').update(data).digest('hex');
  const crypt = mb / seconds('node:crypto', () => crypto.createHash('sha256').update(data).digest(), maxTime);
  let nativeRate = null;
  if (native) {
    if (Buffer.from(native.sha256Sync(data)).toString('hex') !== check)
      throw new Error('native sha256 disagrees with node:crypto');
    nativeRate = mb / seconds('native', () => native.sha256Sync(data), maxTime);
  }
  const jsRate = js ? mb / seconds('js', () => js.sha256Sync(data), maxTime) : null;
  return { crypto: crypt, native: nativeRate, js: jsRate };
}

/** GFLOP/s of matmul of two n × n matrices on this thread, per backend (null where absent). */
function matmulRates({ n = 512, maxTime, backends = ['native', 'js'] } = {}) {
  const a = new Float64Array(n * n).map((_, i) => Math.sin(i));
  const b = new Float64Array(n * n).map((_, i) => Math.cos(i));
  const gflop = (2 * n ** 3) / 1e9;
  const rates = {};
  for (const backend of backends) {
    const kernels = available(backend);
    rates[backend] = kernels ? gflop / seconds(backend, () => kernels.matmulSync(a, b, n), maxTime) : null;
  }
  return rates;
}

module.exports = { sha256Rates, matmulRates };

if (require.main === module) {
  const only = (() => {
    const i = process.argv.indexOf('--only');
    return i > 0 ? process.argv[i + 1] : null;
  })();
  const asJson = process.argv.includes('--json');
  const rows = [];
  const row = (what, unit, value, note = '') => {
    rows.push({ what, unit, value, note });
    if (!asJson) process.stderr.write(`  ${what}: ${value.toFixed(2)} ${unit} ${note}\n`);
  };

  if (!only || only === 'sha256') {
    const rates = sha256Rates();
    row('sha256 64 MiB, node:crypto (one update)', 'MB/s', rates.crypto);
    if (rates.native !== null)
      row(
        'sha256 64 MiB, native',
        'MB/s',
        rates.native,
        `(${(rates.native / rates.crypto).toFixed(2)}× node:crypto; goal ≥ 0.9×)`,
      );
    if (rates.js !== null) row('sha256 64 MiB, JS twin (64 KiB updates)', 'MB/s', rates.js);
  }

  if (!only || only === 'matmul') {
    const speeds = matmulRates({ n: 512 });
    if (speeds.js !== null) row('matmul n = 512, JS twin', 'GFLOP/s', speeds.js);
    if (speeds.native !== null) {
      const ratio =
        speeds.js !== null ? ` (${(speeds.native / speeds.js).toFixed(1)}× JS; goals ≥ 10 GFLOP/s, ≥ 5× JS)` : '';
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
}
