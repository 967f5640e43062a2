// How many runs a fresh worker needs before its runs take their steady time: the evidence
// behind the measurement core's warm-up rule (docs/measurement.md: warm until two runs in a
// row agree within 5%, then time). For each CPU-bound kernel of compare()'s cpu workload, at
// its default size, a new one-thread pool — a fresh V8 isolate for the JS backend, as each of
// compare()'s cells has — runs the task `--runs` times, one at a time, and each run's CPU time
// is taken (process.cpuUsage: only that thread is busy meanwhile), so that a busy machine
// stretches none of them. Each run is shown against the median of the last half.
//
//   node benchmark/warm-up.js [--backend js] [--runs 8] [--kernels countPrimes,nbody]
'use strict';
const path = require('node:path');
const { ThreadPool } = require('..');
const { CPU_KERNELS, CPU_KERNEL_NAMES } = require(path.join(__dirname, '..', 'dist', 'lab', 'compare.js'));
const { median, machine, option } = require('./support');

const backend = option('backend', 'js');
const runs = Number(option('runs', 8));
const kernels = option('kernels', CPU_KERNEL_NAMES.join(',')).split(',');

async function cpuTimes(kernel) {
  const { args, defaultSize } = CPU_KERNELS[kernel];
  const pool = new ThreadPool({ maxWorkers: 1, backend });
  try {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const before = process.cpuUsage();
      await pool.submit(kernel, ...args(defaultSize));
      const { user, system } = process.cpuUsage(before);
      times.push((user + system) / 1000);
    }
    return times;
  } finally {
    await pool.shutdown();
  }
}

async function main() {
  console.log(
    `${machine().summary}; backend ${backend}; CPU time per run, as a share of the median of runs ${Math.ceil(runs / 2) + 1}–${runs}\n`,
  );
  console.log(`| kernel | steady ms | ${Array.from({ length: runs }, (_, i) => `run ${i + 1}`).join(' | ')} |`);
  console.log(`| --- | ---: | ${Array(runs).fill('---:').join(' | ')} |`);
  for (const kernel of kernels) {
    const times = await cpuTimes(kernel);
    const steady = median(times.slice(Math.ceil(runs / 2)));
    const shares = times.map((ms) => `${(ms / steady).toFixed(2)}`);
    console.log(`| ${kernel} | ${steady.toFixed(0)} | ${shares.join(' | ')} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
