// What a hop through Redis costs: `node benchmark/cluster.js [--rounds N] [--json]`.
//
// A redis-server of its own on a loopback port and seven `gil-lab worker` hosts on this
// machine: one on queue h1, two on h2, four on h4, each running one job at a time. Then, in
// rounds whose cases run in a shuffled order (so that a change of the machine's load hits
// every case alike):
// - round trip: one task at a time (countPrimes(10)), a ProcessPool of one child beside a
//   ClusterPool served by one host;
// - tiny-task throughput: 2000 such tasks all in flight, a ProcessPool of two children beside
//   a ClusterPool served by one host and by two;
// - scaling: 8 CPU-bound tasks (countPrimes of about 100 ms each natively) on 1, 2 and 4
//   hosts.
// Prints medians with their min–max over the rounds. Everything runs on this machine: with
// 2 cores, four hosts share two cores, which is what the scaling rows show.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { ClusterPool, ProcessPool, kernels } = require('..');
const { startRedis } = require('../dist/cli/local-cluster');
const { median, machine, calibrateCountPrimes } = require('./support');

const MAIN = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 5);
const ROUND_TRIPS = 200;
const TINY_TASKS = 2000;
const SCALING_TASKS = 8;

function startHost(url, queue) {
  const child = spawn(process.execPath, [MAIN, 'worker', '--redis', url, '--queue', queue, '--concurrency', '1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      out += text;
      if (/serving queue/.test(out)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`a host exited with code ${code}: ${out}`)));
  });
}

function stopped(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    process.kill(child.pid, 'SIGTERM');
  });
}

function shuffle(list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function roundTripMs(pool) {
  const started = performance.now();
  for (let i = 0; i < ROUND_TRIPS; i++) await pool.submit('countPrimes', 10);
  return (performance.now() - started) / ROUND_TRIPS;
}

async function tasksPerSecond(pool) {
  const started = performance.now();
  await Promise.all(Array.from({ length: TINY_TASKS }, () => pool.submit('countPrimes', 10)));
  return TINY_TASKS / ((performance.now() - started) / 1000);
}

async function wallMs(pool, limit) {
  const started = performance.now();
  await Promise.all(Array.from({ length: SCALING_TASKS }, () => pool.submit('countPrimes', limit)));
  return performance.now() - started;
}

async function main() {
  const redis = await startRedis();
  const hosts = [];
  const pools = [];
  try {
    for (const [queue, count] of [
      ['h1', 1],
      ['h2', 2],
      ['h4', 4],
    ]) {
      for (let i = 0; i < count; i++) hosts.push(await startHost(redis.url, queue));
    }
    const cluster = (queue) => new ClusterPool({ connection: redis.url, queue });
    const [h1, h2, h4] = ['h1', 'h2', 'h4'].map(cluster);
    const processes1 = new ProcessPool({ maxWorkers: 1 });
    const processes2 = new ProcessPool({ maxWorkers: 2 });
    pools.push(h1, h2, h4, processes1, processes2);
    await Promise.all([processes1.start(), processes2.start()]);
    const limit = calibrateCountPrimes(kernels, 100);
    const cases = {
      'round trip ms: ProcessPool, 1 child': () => roundTripMs(processes1),
      'round trip ms: ClusterPool, 1 host': () => roundTripMs(h1),
      'tiny tasks/s: ProcessPool, 2 children': () => tasksPerSecond(processes2),
      'tiny tasks/s: ClusterPool, 1 host': () => tasksPerSecond(h1),
      'tiny tasks/s: ClusterPool, 2 hosts': () => tasksPerSecond(h2),
      [`${SCALING_TASKS} × countPrimes(${limit}) ms: 1 host`]: () => wallMs(h1, limit),
      [`${SCALING_TASKS} × countPrimes(${limit}) ms: 2 hosts`]: () => wallMs(h2, limit),
      [`${SCALING_TASKS} × countPrimes(${limit}) ms: 4 hosts`]: () => wallMs(h4, limit),
    };
    // One warm-up round: every host's and child's first tasks compile and connect.
    for (const run of Object.values(cases)) await run();
    const results = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of shuffle(Object.keys(cases))) results[name].push(await cases[name]());
      process.stderr.write(`round ${round + 1} of ${ROUNDS}\n`);
    }
    const rows = Object.entries(results).map(([name, values]) => ({
      case: name,
      median: median(values),
      min: Math.min(...values),
      max: Math.max(...values),
    }));
    if (process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ machine: machine(), rounds: ROUNDS, rows }, null, 2)}\n`);
      return;
    }
    console.log(`\n${machine().summary}; ${ROUNDS} rounds\n`);
    console.log('| case | median | min–max |');
    console.log('| --- | ---: | ---: |');
    const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
    for (const r of rows) console.log(`| ${r.case} | ${fmt(r.median)} | ${fmt(r.min)}–${fmt(r.max)} |`);
  } finally {
    await Promise.all(pools.map((pool) => pool.shutdown({ cancelFutures: true })));
    await Promise.all(hosts.map(stopped));
    await redis.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
