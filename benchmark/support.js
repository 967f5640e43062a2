// Shared by the benchmark scripts: medians, and a description of the machine they ran on.
'use strict';
const os = require('node:os');
const { execFileSync } = require('node:child_process');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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

module.exports = { median, machine };
