// Shared by the benchmark scripts: medians, a description of the machine they ran on, and a
// CPU-bound task of a given length.
'use strict';
const os = require('node:os');
const { execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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

module.exports = { median, machine, calibrateCountPrimes };
