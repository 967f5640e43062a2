// The real parts of the cluster tests: Debian's redis-server on a free loopback port, without
// persistence, and `gil-lab worker` hosts as child processes of the built CLI. Each is stopped
// by its own pid.
'use strict';
const { spawn } = require('node:child_process');
const { MAIN } = require('./cli');
const { ROOT } = require('./backends');
// The Redis that `gil-lab compare --cluster-hosts` starts: the same server, set up the same way.
const { freePort, startRedis } = require('../../dist/cli/local-cluster');

/** Collects a child's stdout by line, and resolves waits for lines that match. */
function lineReader(child) {
  const lines = [];
  const waits = [];
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop();
    for (const line of parts) {
      lines.push(line);
      for (const wait of [...waits]) if (wait.pattern.test(line)) wait.found(line);
    }
  });
  /** Resolves with the first line from index `from` on that matches `pattern`. */
  function waitForLine(pattern, { from = 0, timeout = 20_000 } = {}) {
    const seen = lines.slice(from).find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const wait = { pattern };
      const timer = setTimeout(() => {
        waits.splice(waits.indexOf(wait), 1);
        reject(new Error(`no line matched ${pattern} in ${timeout} ms; the lines were:\n${lines.join('\n')}`));
      }, timeout);
      wait.found = (line) => {
        clearTimeout(timer);
        waits.splice(waits.indexOf(wait), 1);
        resolve(line);
      };
      waits.push(wait);
    });
  }
  return { lines, waitForLine };
}

function exitOf(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Options that make a dead host's job run again within three seconds. Not shorter: on a
 * loaded machine a live host may renew its lock late, and a false stall costs one of the two
 * reruns a job is allowed.
 */
const QUICK_STALLS = ['--lock-duration', '2000', '--stalled-interval', '1000', '--max-stalled', '2'];

/** Starts `gil-lab worker --redis url ...args --verbose` and resolves once it serves the queue. */
async function startHost(url, args = [], { env = {} } = {}) {
  const child = spawn(process.execPath, [MAIN, 'worker', '--redis', url, ...args, '--verbose'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const reader = lineReader(child);
  const exited = exitOf(child);
  await Promise.race([
    reader.waitForLine(/serving queue/),
    exited.then(({ code }) =>
      Promise.reject(new Error(`gil-lab worker exited with code ${code}:\n${reader.lines.join('\n')}`)),
    ),
  ]);
  return {
    pid: child.pid,
    lines: reader.lines,
    waitForLine: reader.waitForLine,
    exited,
    signal(name) {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, name);
    },
  };
}

module.exports = { freePort, startRedis, startHost, QUICK_STALLS };
