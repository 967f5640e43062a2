// One pool's resident set, in a process of its own (so that no other pool's memory, nor the
// size V8 gave its heap for another pool's load, counts): at rest with the pool started and
// warmed up, then after each of two batches of TASKS tiny tasks, 1000 in flight at a time.
// benchmark/peers.js runs it once per pool and prints the table.
//
//   node --expose-gc benchmark/memory-child.js native|js|processes|piscina TASKS
//   → {"readings":[{"ownMiB":…,"childrenMiB":…,"heapTotalMiB":…,"heapUsedMiB":…}, …]}
'use strict';
const fs = require('node:fs');
const { ThreadPool, ProcessPool } = require('..');

const [kind, tasksArg] = process.argv.slice(2);
const TASKS = Number(tasksArg);
const IN_FLIGHT = 1000;

function rssMiB(pid) {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s*(\d+) kB/m)[1]) / 1024;
  } catch {
    return 0; // a child that has just exited
  }
}

async function open() {
  if (kind === 'piscina') {
    const { Piscina } = require('piscina');
    const pool = new Piscina({
      filename: require.resolve('./peer-pools/piscina-task.js'),
      minThreads: 2,
      maxThreads: 2,
    });
    return { run: () => pool.run(0), pids: () => [], close: () => pool.destroy() };
  }
  const Pool = kind === 'processes' ? ProcessPool : ThreadPool;
  const pool = new Pool({ maxWorkers: 2, backend: kind === 'js' ? 'js' : 'native' });
  if (pool.start) await pool.start();
  return { run: () => pool.submit('countPrimes', 0), pids: () => pool.pids ?? [], close: () => pool.shutdown() };
}

async function main() {
  if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
  const pool = await open();
  const batch = () => Promise.all(Array.from({ length: IN_FLIGHT }, pool.run));
  const reading = () => {
    globalThis.gc(); // --expose-gc
    const { rss, heapTotal, heapUsed } = process.memoryUsage();
    const mib = (bytes) => bytes / 2 ** 20;
    return {
      ownMiB: mib(rss),
      childrenMiB: pool.pids().reduce((sum, pid) => sum + rssMiB(pid), 0),
      heapTotalMiB: mib(heapTotal),
      heapUsedMiB: mib(heapUsed),
    };
  };
  await batch(); // starts the threads' work and warms up the code paths
  const readings = [reading()];
  for (let pass = 0; pass < 2; pass++) {
    for (let done = 0; done < TASKS; done += IN_FLIGHT) await batch();
    readings.push(reading());
  }
  await pool.close();
  process.stdout.write(JSON.stringify({ readings }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
