// The lab in ten lines: does a lock like CPython's stop two threads from running CPU-bound
// tasks in parallel? Sequential, threads and processes, the lock on and off.
//
//   node examples/lab.cjs
'use strict';
const { compare } = require('gil-lab');

compare({ workload: 'cpu', kernel: 'countPrimes', size: 300_000, tasks: 2, workers: [2], models: ['sequential', 'threads', 'processes'], gil: ['on', 'off'], repeats: 1 })
  .then((report) => {
    for (const row of report.rows) console.log(`${row.backend.padEnd(6)} ${row.model.padEnd(10)} lock ${row.gil.padEnd(3)} ${row.speedup.toFixed(2)}×`);
  })
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
