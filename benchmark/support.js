// Shared by the benchmark scripts: medians, timing one case with benchmark.js, the backends
// that load here, a description of the machine they ran on, and a CPU-bound task of a given
// length.
'use strict';
const os = require('node:os');
const { execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const Benchmark = require('benchmark');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times `fn` with benchmark.js and resolves to the median milliseconds per call. With
 * `defer`, `fn` returns a promise and a call ends when it settles. Cycles run with timers
 * between them, so the event loop (and a progress bar) goes on meanwhile.
 */
function measure(name, fn, { maxTime = 2, defer = false } = {}) {
  return new Promise((resolve, reject) => {
    const bench = new Benchmark(name, {
      defer,
      fn: defer ? (deferred) => fn().then(() => deferred.resolve(), reject) : fn,
      minSamples: 10,
      maxTime,
      onError: (event) => reject(event.target.error),
      onComplete: () => resolve(median(bench.stats.sample) * 1000),
    });
    bench.run({ async: true });
  });
}

/** The backends whose kernels load here, native first. */
function loadedBackends(kernelsFor) {
  return ['native', 'js'].filter((b) => {
    try {
      kernelsFor(b);
      return true;
    } catch {
      return false;
    }
  });
}

/** A countPrimes limit whose sync call on `kernels` takes about `ms` on this machine. */
function calibrateCountPrimes(kernels, ms) {
  let limit = 100_000;
  for (;;) {
    const started = performance.now();
    kernels.countPrimesSync(limit);
    const took = performance.now() - started;
    if (took >= ms / 4) return Math.round(limit * Math.pow(ms / took, 1 / 1.5)); // trial division grows as n^1.5 / log n
    limit *= 4;
  }
}

function rustVersion() {
  try {
    return execFileSync('rustc', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'rustc: not found';
  }
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const m = {
    cpu,
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    rust: rustVersion(),
  };
  return { ...m, summary: `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.platform}; Node ${m.node}; ${m.rust}` };
}

/**
 * Runs a suite from the command line: `--only a,b`, `--max-time s`, `--json`. Prints a
 * Markdown table of medians per backend and the native speedup (JS time / native time).
 */
async function main(suite) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const only = arg('--only')?.split(',');
  const maxTime = arg('--max-time') === undefined ? undefined : Number(arg('--max-time'));
  const asJson = process.argv.includes('--json');
  const onCase = asJson
    ? undefined
    : (row) =>
        process.stderr.write(
          `  ${row.label}: ${Object.entries(row.ms)
            .map(([b, ms]) => `${b} ${ms.toFixed(4)} ms`)
            .join(', ')}\n`,
        );
  const rows = await suite.run({ only, maxTime, onCase });
  if (asJson) {
    process.stdout.write(`${JSON.stringify({ machine: machine(), suite: suite.title, rows }, null, 2)}\n`);
    return;
  }
  console.log(`\n${suite.title}\n${machine().summary}\n`);
  console.log('| case | native ms (median) | JS ms (median) | native speedup |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of rows) {
    const fmt = (b) => (r.ms[b] === undefined ? '–' : r.ms[b].toPrecision(4));
    console.log(`| ${r.label} | ${fmt('native')} | ${fmt('js')} | ${r.ratio ? `${r.ratio.toFixed(2)}×` : '–'} |`);
  }
}

/** The value after `--name` on the command line, or `fallback`. */
function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

module.exports = { median, measure, loadedBackends, machine, main, calibrateCountPrimes, option };
