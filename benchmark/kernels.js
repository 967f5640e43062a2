// Every kernel, native vs JS, side by side in one process: the sync form of each backend,
// timed by benchmark.js. Prints a Markdown table of medians and the native/JS ratio.
//
//   node benchmark/kernels.js [--only countPrimes,sha256] [--json]
'use strict';
const Benchmark = require('benchmark');
const { kernelsFor, info } = require('..');
const cases = require('./cases');
const { median, machine } = require('./support');

const only = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? new Set(process.argv[i + 1].split(',')) : null;
})();
const asJson = process.argv.includes('--json');

const backends = ['native', 'js'].filter((b) => {
  try {
    kernelsFor(b);
    return true;
  } catch {
    return false;
  }
});

function measure(kernel, backend) {
  const fn = kernelsFor(backend)[`${kernel}Sync`];
  const args = cases[kernel].args();
  const bench = new Benchmark(`${kernel} ${backend}`, () => fn(...args), { minSamples: 10, maxTime: 2 });
  bench.run();
  return median(bench.stats.sample) * 1000; // ms per call
}

const rows = [];
for (const kernel of Object.keys(cases)) {
  if (only && !only.has(kernel)) continue;
  const ms = Object.fromEntries(backends.map((b) => [b, measure(kernel, b)]));
  rows.push({ kernel, label: cases[kernel].label, ms, ratio: ms.native && ms.js ? ms.js / ms.native : null });
  if (!asJson) process.stderr.write(`  ${cases[kernel].label}: ${backends.map((b) => `${b} ${ms[b].toFixed(3)} ms`).join(', ')}\n`);
}

if (asJson) {
  process.stdout.write(`${JSON.stringify({ machine: machine(), backend: info().backend, rows }, null, 2)}\n`);
} else {
  console.log(`\n${machine().summary}\n`);
  console.log('| kernel | native ms (median) | JS ms (median) | native speedup |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of rows) {
    const fmt = (b) => (r.ms[b] === undefined ? '–' : r.ms[b].toFixed(3));
    console.log(`| ${r.label} | ${fmt('native')} | ${fmt('js')} | ${r.ratio ? `${r.ratio.toFixed(2)}×` : '–'} |`);
  }
}
