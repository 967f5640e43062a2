// Runs the built `gil-lab` command (dist/cli/main.js) as a user would, and returns what it
// wrote and how it exited.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const { ROOT } = require('./backends');

const MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');

/** The environment of a plain run: no colour forced or refused, unless a test says so. */
function plainEnv(env) {
  const base = { ...process.env };
  delete base.FORCE_COLOR;
  delete base.NO_COLOR;
  return { ...base, ...env };
}

/** Runs `gil-lab ...args` with pipes for its streams; resolves to { status, stdout, stderr }. */
function gilLab(args, { env = {}, timeout = 60_000 } = {}) {
  return collect(
    spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: plainEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }),
    timeout,
  );
}

/** What `child` writes and how it exits; it is killed after `timeout` ms. */
function collect(child, timeout) {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    if (!child.stdout.destroyed) child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/**
 * Runs `gil-lab ...args | head -1` in bash; resolves to { status, stdout, stderr }: gil-lab's
 * exit status and stderr, and what head printed.
 */
function gilLabThroughHead(args, { env = {}, timeout = 60_000 } = {}) {
  const line = '"$@" | head -1; exit "${PIPESTATUS[0]}"';
  return collect(
    spawn('bash', ['-c', line, 'bash', process.execPath, MAIN, ...args], {
      cwd: ROOT,
      env: plainEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    timeout,
  );
}

/**
 * Runs `gil-lab ...args` with a stdout whose reader has already gone, so that its first write
 * meets a closed pipe (EPIPE) whatever the timing; resolves to { status, stdout: '', stderr }.
 */
function gilLabClosedStdout(args, { env = {}, timeout = 60_000 } = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    env: plainEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  return collect(child, timeout);
}

/**
 * Runs `command` (a shell line) with a terminal for its streams, through util-linux's
 * `script`, and returns what the terminal showed.
 */
function inTerminal(command, { env = {}, timeout = 60_000 } = {}) {
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: plainEnv({ TERM: 'xterm-256color', COLUMNS: '120', ...env }),
    encoding: 'utf8',
    timeout,
  });
  if (result.error)
    throw new Error(`script (util-linux) is needed to run a command in a terminal: ${result.error.message}`);
  return { status: result.status, screen: result.stdout };
}

/**
 * What `gil-lab <command>` may write on stderr while it runs, stderr not being a terminal: a
 * line per workload or suite and one at the end, or nothing if it was over within a second.
 */
function progressLines(command) {
  return new RegExp(
    `^(gil-lab ${command}: (measuring \\w+( \\(\\d+ of \\d+\\))?|timing the \\w+ suite|\\d+ \\w+ (measured|timed) in [\\d.]+ m?s)\\n)*$`,
  );
}

module.exports = { MAIN, collect, gilLab, gilLabClosedStdout, gilLabThroughHead, inTerminal, progressLines };
