// `npm run build:wasm`: the binding and its core built for wasm32-wasip1-threads into wasm/ —
// the `.wasm`, napi-rs's Node loader (gil-lab.wasi.cjs) and its thread worker (wasi-worker.mjs),
// and the browser's loader and worker (gil-lab.wasi-browser.js, wasi-worker-browser.mjs).
// Extra arguments go to `napi build`.
//
// Each wasm thread is a worker thread that makes a WASI instance of its own, and Node 20 warns
// in each that WASI is experimental. The warning is about gil-lab's insides, not about the
// user's code, so the worker is given a line that drops that one warning (the loader in
// lib/loader.ts does the same on the main thread).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'wasm');

const napi = require.resolve('@napi-rs/cli/package.json').replace(/package\.json$/, 'dist/cli.js');
const args = [
  'build',
  '--platform',
  '--release',
  '--target',
  'wasm32-wasip1-threads',
  '--no-js',
  '--output-dir',
  out,
  '--dts',
  'binding.d.ts',
];
const result = spawnSync(process.execPath, [napi, ...args, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

const worker = path.join(out, 'wasi-worker.mjs');
const source = fs.readFileSync(worker, 'utf8');
// Node 20 warns as `node:wasi` is loaded, so the worker loads it after the filter is in place.
const wasiImport = "import { WASI } from 'node:wasi'\n";
const anchor = "import { parentPort, threadId, Worker, workerData } from 'node:worker_threads'\n";
const marker = '// gil-lab: ';
if (!source.includes(marker)) {
  if (!source.includes(anchor) || !source.includes(wasiImport)) {
    console.error(
      `gil-lab: ${worker} is not as scripts/build-wasm.js expects it (its imports changed); update the script`,
    );
    process.exit(1);
  }
  const filter =
    `${marker}Node 20's ExperimentalWarning for WASI concerns gil-lab's insides, not its users' code.\n` +
    'const __emitWarning = process.emitWarning\n' +
    'process.emitWarning = function (warning, ...rest) {\n' +
    "  if (String(warning?.message ?? warning).startsWith('WASI is an experimental feature')) return\n" +
    '  return __emitWarning.call(process, warning, ...rest)\n' +
    '}\n' +
    "const { WASI } = createRequire(import.meta.url)('node:wasi')\n";
  fs.writeFileSync(worker, source.replace(wasiImport, '').replace(anchor, anchor + filter));
}
