// Fault injection for the crash tests, from outside what ships. Require this before gil-lab:
// it puts the test-only entries (fault-worker.js, fault-child.js) in place of the shipped ones,
// by giving this test file's module registry an `entries` module of its own, and it loads the
// test build of the addon (`npm run build:native:test`, which adds `__panicForTesting`) where
// the loader asks for the shipped one. The pools themselves are the shipped classes, unchanged.
//
//   const { submitFault, failNextStarts, panicBinding } = require('./support/faults');
//   await submitFault(pool, { kind: 'exit', code: 3 });  // a readFile task that carries the fault
//   failNextStarts(pool, { kind: 'throw' }, 3);            // the next 3 workers die as they start
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const kit = require('./fault-kit');

const dist = (...parts) => path.join(kit.ROOT, 'dist', ...parts);
const { platformTriple } = require(dist('platform.js'));

jest.doMock(dist('entries.js'), () => ({
  JS_WORKER_ENTRY: path.join(__dirname, 'fault-worker.js'),
  PROCESS_CHILD_ENTRY: path.join(__dirname, 'fault-child.js'),
}));

const triple = platformTriple();
const shippedBuild = path.join(kit.ROOT, 'native', `gil-lab.${triple}.node`);
const testBuild = kit.testBuildPath(triple);
if (fs.existsSync(shippedBuild)) {
  if (!fs.existsSync(testBuild)) throw new Error(`${testBuild} is missing: run \`npm run build:native:test\``);
  jest.doMock(shippedBuild, () => jest.requireActual(testBuild));
}

const startupFaults = kit.startupFaultsDir(process.pid);
fs.mkdirSync(startupFaults, { recursive: true });
// A start-up fault left over (its pool broke first) must not strike the next test's pool.
afterEach(() => {
  for (const group of fs.readdirSync(startupFaults))
    fs.rmSync(path.join(startupFaults, group), { recursive: true, force: true });
});
afterAll(() => fs.rmSync(startupFaults, { recursive: true, force: true }));

const { ProcessPool } = require('gil-lab');

/** The addon as loaded, with its test-only exports. */
function panicBinding() {
  return require(shippedBuild);
}

/** A ThreadPool's native pool (its private parts: tests only), for a panic on one of its threads. */
function nativePoolOf(pool) {
  const nativePool = pool.pool?.pool;
  if (typeof nativePool?.shutdown !== 'function') throw new Error('not a native ThreadPool');
  return nativePool;
}

/**
 * Runs `fault` as a task of `pool`: a readFile task whose path carries it, which the test-only
 * entries meet in the worker; on a native ThreadPool, only a panic, on one of its threads.
 */
function submitFault(pool, fault, options = {}) {
  if (pool.backend === 'native' && !(pool instanceof ProcessPool)) {
    if (fault.kind !== 'panic')
      return Promise.reject(new Error(`a native thread meets no "${fault.kind}" fault, only a panic`));
    return panicBinding().__panicForTesting(nativePoolOf(pool), null, 'a panic injected for testing');
  }
  return pool.submit('readFile', kit.faultPath(fault), options);
}

let queued = 0;

/** Makes the next `times` workers that `pool` starts meet `fault` before they are ready (a ProcessPool's: any ProcessPool's). */
function failNextStarts(pool, fault, times = 1) {
  const dir = path.join(startupFaults, pool instanceof ProcessPool ? 'processes' : `threads-${pool.label}`);
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < times; i++)
    fs.writeFileSync(path.join(dir, `${String(++queued).padStart(9, '0')}.json`), JSON.stringify(fault));
}

module.exports = { submitFault, failNextStarts, panicBinding };
