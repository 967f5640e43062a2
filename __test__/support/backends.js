// What the tests need to know about backends. Each jest pass runs with GIL_LAB_BACKEND set
// (see scripts/test.js); `inBackend` runs a snippet in a child process under another.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/** The backend this jest pass runs against. */
const backend = process.env.GIL_LAB_BACKEND || 'auto';

/**
 * Runs `body` (the text of an async function taking the loaded `gil-lab`) in a fresh Node
 * process with GIL_LAB_BACKEND=`name`, and returns what it returns, through JSON. Typed
 * arrays come back as `{ $typed: 'Uint8Array', data: [...] }`. A process that runs past
 * `timeout` ms is killed, and the call throws.
 */
function inBackend(name, body, { cwd = ROOT, env = {}, timeout } = {}) {
  const script = `
    const gil = require(${JSON.stringify(ROOT)});
    const encode = (k, v) => ArrayBuffer.isView(v) ? { $typed: v.constructor.name, data: Array.from(v) } : v;
    (async (gil) => { ${body} })(gil).then(
      (r) => process.stdout.write(JSON.stringify({ ok: r === undefined ? null : r }, encode)),
      (e) => process.stdout.write(JSON.stringify({ error: { name: e.name, code: e.code, message: e.message } })),
    );`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd,
    env: { ...process.env, ...env, GIL_LAB_BACKEND: name },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout,
    killSignal: 'SIGKILL',
  });
  return JSON.parse(out);
}

module.exports = { ROOT, backend, inBackend };
