// `ThreadPool.map` beside the same tasks submitted one by one, on each backend: what map's
// own bookkeeping (one abort group for its tasks, the checks of every item up front) costs
// per task, at growing sizes. Map's cost per task should stay flat as the size grows.
//
//   node benchmark/map.js [--rounds 5]
'use strict';
const { performance } = require('node:perf_hooks');
const { ThreadPool, kernelsFor } = require('..');
const { median, loadedBackends, machine } = require('./support');

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;
const SIZES = [1_000, 10_000, 50_000];

async function usPerTask(n, run) {
  const started = performance.now();
  await run(n);
  return ((performance.now() - started) * 1000) / n;
}

async function main() {
  console.log(
    `\n\`ThreadPool.map\` vs \`submit\`: µs per countPrimes(0) task on 2 workers, medians of ${ROUNDS} rounds`,
  );
  console.log(`${machine().summary}\n`);
  console.log('| backend | tasks | map (µs/task) | submit, all in flight (µs/task) | map ÷ submit |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const backend of loadedBackends(kernelsFor)) {
    const pool = new ThreadPool({ maxWorkers: 2, backend });
    await pool.map('countPrimes', Array(1000).fill(0)); // starts and warms the threads
    const viaMap = (n) => pool.map('countPrimes', Array(n).fill(0));
    const viaSubmit = (n) => Promise.all(Array.from({ length: n }, () => pool.submit('countPrimes', 0)));
    for (const n of SIZES) {
      const map = [];
      const submit = [];
      for (let round = 0; round < ROUNDS; round++) {
        map.push(await usPerTask(n, viaMap));
        submit.push(await usPerTask(n, viaSubmit));
      }
      const [m, s] = [median(map), median(submit)];
      console.log(
        `| ${backend} | ${n.toLocaleString('en-US')} | ${m.toFixed(2)} | ${s.toFixed(2)} | ${(m / s).toFixed(2)}× |`,
      );
    }
    await pool.shutdown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
