// The lab in ten lines: does a lock like CPython's stop two threads from running CPU-bound
// tasks in parallel? Sequential, threads and processes, the lock on and off, each backend.
//
//   node examples/lab.cjs
'use strict';
const { compare } = require('gil-lab');

const task = { workload: 'cpu', kernel: 'countPrimes', size: 300_000, tasks: 2 };
compare({ ...task, models: ['sequential', 'threads', 'processes'], workers: [2], gil: ['on', 'off'], repeats: 1 })
  .then(({ rows }) => {
    for (const r of rows)
      console.log(`${r.backend.padEnd(6)} ${r.model.padEnd(10)} lock ${r.gil.padEnd(3)} ${r.speedup.toFixed(2)}×`);
  })
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
