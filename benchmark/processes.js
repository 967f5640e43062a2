// Processes vs threads: what a process pool buys and what it costs.
//
// 1. CPU-bound tasks of about `--task-ms` each (default 250), 2 processes vs one after
//    another on one thread (the goal: at least 1.7× on 2 cores).
// 2. The round trip of a tiny task (countPrimes(10)): process pool vs the backend's threads,
//    one task in flight at a time.
// 3. A child's start-up: spawn to ready (Node's start and loading the backend).
//
//   node benchmark/processes.js [--backend native|js] [--tasks 4] [--task-ms 250] [--round-trips 2000] [--json]
'use strict';
const { performance } = require('node:perf_hooks');
const { ProcessPool, kernelsFor, info } = require('..');
const { median, machine, calibrateCountPrimes, option } = require('./support');

const backend = option('backend', info().backend);
const tasks = Number(option('tasks', 4));
const taskMs = Number(option('task-ms', 250));
const roundTrips = Number(option('round-trips', 2000));
const asJson = process.argv.includes('--json');
const kernels = kernelsFor(backend);

async function timed(run) {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main() {
  const limit = calibrateCountPrimes(kernels, taskMs);
  const pool = new ProcessPool({ maxWorkers: 2, backend });
  const { startupMs } = await pool.start();
  await pool.map('countPrimes', [1000, 1000]);

  const sequential = [];
  const processes = [];
  for (let r = 0; r < 3; r++) {
    sequential.push(
      await timed(() => {
        for (let i = 0; i < tasks; i++) kernels.countPrimesSync(limit);
      }),
    );
    processes.push(
      await timed(() => Promise.all(Array.from({ length: tasks }, () => pool.submit('countPrimes', limit)))),
    );
  }
  const oneTaskMs = median(sequential) / tasks;

  const processRoundTrip =
    (await timed(async () => {
      for (let i = 0; i < roundTrips; i++) await pool.submit('countPrimes', 10);
    })) / roundTrips;
  const threadRoundTrip =
    (await timed(async () => {
      for (let i = 0; i < roundTrips; i++) await kernels.countPrimes(10);
    })) / roundTrips;
  await pool.shutdown();

  const starts = [];
  for (let r = 0; r < 3; r++) {
    const one = new ProcessPool({ maxWorkers: 1, backend });
    starts.push(...(await one.start()).startupMs);
    await one.shutdown();
  }

  const result = {
    machine: machine(),
    backend,
    cpu: {
      kernel: 'countPrimes',
      limit,
      tasks,
      oneTaskMs,
      sequentialMs: median(sequential),
      processesMs: median(processes),
      speedup: median(sequential) / median(processes),
    },
    roundTripUs: { processes: processRoundTrip * 1000, threads: threadRoundTrip * 1000 },
    childStartupMs: { median: median(starts), warmPoolStart: startupMs },
  };
  if (asJson) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  console.log(`${result.machine.summary}; ${backend} backend\n`);
  console.log('| measure | value |');
  console.log('| --- | ---: |');
  console.log(
    `| ${tasks} × countPrimes(${limit}) (${oneTaskMs.toFixed(0)} ms each), sequential | ${result.cpu.sequentialMs.toFixed(0)} ms |`,
  );
  console.log(
    `| the same, 2 processes, lock on in each | ${result.cpu.processesMs.toFixed(0)} ms (${result.cpu.speedup.toFixed(2)}×) |`,
  );
  console.log(`| round trip of countPrimes(10), process pool | ${result.roundTripUs.processes.toFixed(1)} µs |`);
  console.log(`| round trip of countPrimes(10), ${backend} threads | ${result.roundTripUs.threads.toFixed(1)} µs |`);
  console.log(`| a child's start-up, spawn to ready (median of 3) | ${result.childStartupMs.median.toFixed(0)} ms |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
