// What the tests need to know about backends. Each jest pass runs with GIL_LAB_BACKEND set
// (see scripts/test.js); `inBackend` runs a snippet in a child process under another.
'use strict';
const { execFile, execFileSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/** The backend this jest pass runs against. */
const backend = process.env.GIL_LAB_BACKEND || 'auto';

/** Whether the native backend loads here (a JS pass may still run it, in children). */
function nativeLoads() {
  try {
    require('gil-lab').kernelsFor('native');
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the wasm backend loads here (a wasm build is there, and this Node runs it). Asked of
 * a child process: jest's module system cannot load emnapi, which is ES modules only, so the
 * wasm backend is tested in children (`inBackend('wasm', …)`), never in jest's own process.
 */
function wasmLoads() {
  try {
    return inBackend('wasm', 'return gil.info().backend').ok === 'wasm';
  } catch {
    return false; // GIL_LAB_BACKEND=wasm throws as gil-lab loads where no wasm build is
  }
}

/** The backends each parity test compares with native: JS, and wasm where it loads. */
function rivalsOfNative() {
  return wasmLoads() ? ['wasm', 'js'] : ['js'];
}

/** The command line and options of a child that runs `body` under backend `name` (see `inBackend`). */
function childOf(name, body, { cwd = ROOT, env = {}, timeout } = {}) {
  const script = `
    const gil = require(${JSON.stringify(ROOT)});
    const encode = (k, v) => ArrayBuffer.isView(v) ? { $typed: v.constructor.name, data: Array.from(v) } : v;
    (async (gil) => { ${body} })(gil).then(
      (r) => process.stdout.write(JSON.stringify({ ok: r === undefined ? null : r }, encode)),
      (e) => process.stdout.write(JSON.stringify({ error: { name: e.name, code: e.code, message: e.message } })),
    );`;
  const options = {
    cwd,
    env: { ...process.env, ...env, GIL_LAB_BACKEND: name },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout,
    killSignal: 'SIGKILL',
  };
  return [process.execPath, ['-e', script], options];
}

/**
 * Runs `body` (the text of an async function taking the loaded `gil-lab`) in a fresh Node
 * process with GIL_LAB_BACKEND=`name`, and returns what it returns, through JSON. Typed
 * arrays come back as `{ $typed: 'Uint8Array', data: [...] }`. A process that runs past
 * `timeout` ms is killed, and the call throws.
 */
function inBackend(name, body, options) {
  return JSON.parse(execFileSync(...childOf(name, body, options)));
}

/** `inBackend` without blocking: a promise of the answer, so that children of both backends can run at once. */
function inBackendAsync(name, body, options) {
  return new Promise((resolve, reject) => {
    execFile(...childOf(name, body, options), (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve(JSON.parse(stdout));
    });
  });
}

module.exports = { ROOT, backend, nativeLoads, wasmLoads, rivalsOfNative, inBackend, inBackendAsync };
