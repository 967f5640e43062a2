'use strict';
// Signals to a running `gil-lab compare` or `gil-lab demo`: SIGINT and SIGTERM end every
// child and worker thread, and the command exits with 130 or 143; SIGKILL leaves no child
// running either (each exits as its IPC channel closes). Each run is stopped once its
// ProcessPool's children are up.
const { spawn } = require('node:child_process');
const { info } = require('gil-lab');
const { MAIN } = require('./support/cli');
const { backend, ROOT } = require('./support/backends');
const { poolChildrenOf, running } = require('./support/processes');

const native = info().backend === 'native';
/** A CPU-bound task of some hundreds of ms on either backend: the processes cell lasts seconds. */
const SIZE = native ? 10_000_000 : 2_000_000;
const COMPARE = [
  'compare',
  '--workload',
  'cpu',
  '--kernel',
  'countPrimes',
  '--size',
  String(SIZE),
  '--tasks',
  '2',
  '--workers',
  '2',
  '--models',
  'processes',
  '--gil',
  'on',
  '--repeats',
  '3',
  '--backends',
  info().backend,
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `gil-lab ...args`, sends it `signal` once its pool's children are up, and resolves
 * with how it exited, what it wrote on stderr, and the children it had.
 */
async function interrupt(args, signal) {
  const cli = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  cli.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => cli.on('close', (status, signal_) => resolve({ status, signal: signal_ })));
  let children = [];
  let done = false;
  exited.then(() => (done = true));
  while (!done && children.length < 2) {
    children = poolChildrenOf(cli.pid);
    await sleep(10);
  }
  if (done) throw new Error(`the command ended before its children were up: ${stderr}`);
  cli.kill(signal);
  return { ...(await exited), stderr, children };
}

/** Resolves once none of `pids` runs, or rejects after `ms`. */
async function allEnded(pids, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (pids.some(running)) {
    if (Date.now() > deadline) throw new Error(`still running: ${pids.filter(running)}`);
    await sleep(20);
  }
}

describe(`signals to the gil-lab command (${backend} backend)`, () => {
  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])('compare, %s: every child ends, and it exits with %i', async (signal, status) => {
    const run = await interrupt(COMPARE, signal);
    expect(run).toMatchObject({ status, signal: null });
    expect(run.stderr).toMatch(new RegExp(`gil-lab compare: interrupted by ${signal}\\n$`));
    // The command shuts its pools down before it exits: none is left for the OS to clean up.
    expect(run.children.filter(running)).toEqual([]);
  });

  test('demo, SIGTERM: every child ends, and it exits with 143', async () => {
    const run = await interrupt(['demo', '--quiet'], 'SIGTERM');
    expect(run).toMatchObject({ status: 143, signal: null });
    expect(run.stderr).toMatch(/gil-lab demo: interrupted by SIGTERM\n$/);
    expect(run.children.filter(running)).toEqual([]);
  });

  test('compare, SIGKILL: no child outlives it', async () => {
    const run = await interrupt(COMPARE, 'SIGKILL');
    expect(run).toMatchObject({ status: null, signal: 'SIGKILL' });
    await allEnded(run.children);
  });
});
