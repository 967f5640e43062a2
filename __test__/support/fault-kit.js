// What the test-only entries of worker threads and child processes (fault-worker.js,
// fault-child.js) share with the tests that drive them (faults.js): how a fault travels, and how
// it strikes. None of it ships: the shipped pools never see a fault, only a readFile task whose
// path names one, which these entries catch before the kernel would read it.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { isMainThread } = require('node:worker_threads');

const ROOT = path.join(__dirname, '..', '..');
/** A readFile path that carries a fault: it passes readFile's checks, and no file is named so. */
const FAULT_PATH_PREFIX = 'gil-lab-fault:';
/**
 * Where faults.js, in the test's process `pid`, leaves the start-up faults (a file each) for the
 * workers that start next: its worker threads share its pid, its children have it as their ppid.
 */
function startupFaultsDir(pid) {
  return path.join(os.tmpdir(), `gil-lab-startup-faults-${pid}`);
}

function faultPath(fault) {
  return FAULT_PATH_PREFIX + JSON.stringify(fault);
}

/** The fault a task carries (readFile of a fault path), or undefined. */
function faultOf(kernel, args) {
  if (kernel !== 'readFile' || typeof args[0] !== 'string' || !args[0].startsWith(FAULT_PATH_PREFIX)) return undefined;
  return JSON.parse(args[0].slice(FAULT_PATH_PREFIX.length));
}

class FaultForTestingError extends Error {
  constructor() {
    super('a fault injected for testing');
    this.name = 'FaultForTestingError';
    this.code = 'ERR_FAULT_FOR_TESTING';
  }
}

/** The test build of the addon (`npm run build:native:test`): the shipped one plus `__panicForTesting`. */
function testBuildPath(triple) {
  return path.join(ROOT, 'native', 'test', `gil-lab.${triple}.node`);
}

/** A worker that starts takes the oldest start-up fault left in `group` of process `pid`, if any; each is taken once. */
function takeStartupFault(pid, group) {
  const dir = path.join(startupFaultsDir(pid), group);
  let names;
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return undefined;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const text = fs.readFileSync(file, 'utf8');
      fs.unlinkSync(file); // only one worker's unlink succeeds
      return JSON.parse(text);
    } catch {
      // another worker took it first
    }
  }
  return undefined;
}

/** As a worker starts: a fault that strikes before it is ready. */
function meetStartupFault(fault) {
  if (fault === undefined) return;
  if (fault.kind === 'exit') process.exit(fault.code);
  throw new FaultForTestingError();
}

/** In the worker a task reaches, before it starts it (before it says so). */
function meetFaultBeforeStart(fault) {
  if (fault?.kind !== 'dieBeforeStart') return;
  if (isMainThread) process.kill(process.pid, 'SIGKILL');
  process.exit(9);
}

/** Runs `fault` in the worker that took it (a child process or a worker thread); `panic` is the native test build's, where it runs. */
function injectFault(fault, panic) {
  switch (fault.kind) {
    case 'throw':
      throw new FaultForTestingError();
    case 'exit':
      process.exit(fault.code);
    // falls through: process.exit does not return
    case 'crash':
      setImmediate(() => {
        throw new Error('a crash injected for testing');
      });
      return new Promise(() => {});
    case 'kill':
      if (!isMainThread) throw new Error('a kill signal would end the whole process: child processes only');
      process.kill(process.pid, 'SIGKILL');
      return new Promise(() => {});
    case 'block':
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, fault.ms);
      return 'unblocked';
    case 'panic':
      if (panic === undefined) throw new Error('a Rust panic needs the native backend');
      return panic('a panic injected for testing');
    default:
      throw new Error(`no such fault: ${JSON.stringify(fault)}`);
  }
}

module.exports = {
  ROOT,
  startupFaultsDir,
  FaultForTestingError,
  faultPath,
  faultOf,
  testBuildPath,
  takeStartupFault,
  meetStartupFault,
  meetFaultBeforeStart,
  injectFault,
};
