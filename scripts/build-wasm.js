// `npm run build:wasm`: the binding and its core built for wasm32-wasip1-threads into wasm/ —
// the `.wasm`, napi-rs's Node loader (gil-lab.wasi.cjs) and its thread worker (wasi-worker.mjs),
// and the browser's loader and worker (gil-lab.wasi-browser.js, wasi-worker-browser.mjs).
// `--test` builds the test build instead (the Cargo feature `test-hooks`, which adds the panic
// exports the crash tests call) into wasm/test/, as `build:native:test` does for the addon.
// Other arguments go to `napi build`.
//
// Each wasm thread is a worker thread that makes a WASI instance of its own, and Node 20 warns
// in each that WASI is experimental. The warning is about gil-lab's insides, not about the
// user's code, so the worker is given a line that drops that one warning (the loader in
// lib/loader.ts does the same on the main thread).
//
// A Rust panic is an abort on this target: the wasm thread traps. napi-rs's worker would throw
// the trap, and emnapi rethrows it on the main thread, which ends the process. The worker is
// given instead a report that raises the loader's crash flags (so that nothing enters that
// instance's wasm again) and says on a BroadcastChannel that a thread trapped; the loader is
// given two exports that lib/backends/wasm.ts uses to check which instance it was and to stop
// it, after which it rejects every call pending there and makes a new instance on next use.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const testBuild = process.argv.includes('--test');
const out = path.join(root, 'wasm', ...(testBuild ? ['test'] : []));
const extraArgs = process.argv.slice(2).filter((arg) => arg !== '--test');

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
  ...(testBuild ? ['--features', 'test-hooks', '--target-dir', 'target/test-hooks'] : []),
];
const result = spawnSync(process.execPath, [napi, ...args, ...extraArgs], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

/** Writes `file` with `patch` applied, once (a file that has the marker is left as it is). */
function patchOnce(file, patch) {
  const source = fs.readFileSync(file, 'utf8');
  if (source.includes(marker)) return;
  const patched = patch(source);
  if (patched === null) {
    console.error(
      `gil-lab: ${file} is not as scripts/build-wasm.js expects it (napi-rs changed it); update the script`,
    );
    process.exit(1);
  }
  fs.writeFileSync(file, patched);
}

const marker = '// gil-lab: ';
/** The BroadcastChannel a wasm thread's worker says on that its thread trapped (lib/backends/wasm.ts listens). */
const TRAP_CHANNEL = 'gil-lab:wasm-thread-trapped';

patchOnce(path.join(out, 'wasi-worker.mjs'), (source) => {
  // Node 20 warns as `node:wasi` is loaded, so the worker loads it after the filter is in place.
  const wasiImport = "import { WASI } from 'node:wasi'\n";
  const anchor = "import { parentPort, threadId, Worker, workerData } from 'node:worker_threads'\n";
  const handlerEnd = 'globalThis.onmessage = function (e) {\n  handler.handle(e)\n}\n';
  if (!source.includes(anchor) || !source.includes(wasiImport) || !source.endsWith(handlerEnd)) return null;
  const filter =
    `${marker}Node 20's ExperimentalWarning for WASI concerns gil-lab's insides, not its users' code.\n` +
    'const __emitWarning = process.emitWarning\n' +
    'process.emitWarning = function (warning, ...rest) {\n' +
    "  if (String(warning?.message ?? warning).startsWith('WASI is an experimental feature')) return\n" +
    '  return __emitWarning.call(process, warning, ...rest)\n' +
    '}\n' +
    "const { WASI } = createRequire(import.meta.url)('node:wasi')\n";
  const trapReport =
    `\n${marker}a trap of this wasm thread (a Rust panic aborts on wasm) must not end the process:\n` +
    '// the crash flags are raised as before, then the main thread is told, and this worker waits\n' +
    '// to be terminated with its instance.\n' +
    'const __reportError = handler.reportError\n' +
    'handler.reportError = function (error, type, tid) {\n' +
    "  if (type !== 'start') return __reportError.call(this, error, type, tid)\n" +
    '  try {\n' +
    '    this.beforeReportError(error, type, tid)\n' +
    '  } catch {}\n' +
    `  const channel = new BroadcastChannel('${TRAP_CHANNEL}')\n` +
    '  channel.postMessage({ message: String(error?.message ?? error), threadId })\n' +
    '  channel.close()\n' +
    '}\n';
  return source.replace(wasiImport, '').replace(anchor, anchor + filter) + trapReport;
});

patchOnce(path.join(out, 'gil-lab.wasi.cjs'), (source) => {
  const needed = [
    'let __napiInstance',
    'const __sharedMemory',
    'function __hasWasiThreadCrashed()',
    'function __disposeWasiBindingAfterThreadCrash()',
    'let __wasiThreadCrashed = false',
  ];
  if (!needed.every((text) => source.includes(text))) return null;
  return (
    source +
    `\n${marker}lib/backends/wasm.ts asks whether a wasm thread of this instance trapped, and stops the\n` +
    "// instance without entering its wasm again (a thread that trapped may hold the instance's locks).\n" +
    "Object.defineProperty(module.exports, Symbol.for('gil-lab.wasi.threadCrashed'), { value: __hasWasiThreadCrashed })\n" +
    '// The message of its first panic, or undefined: src/wasi.rs keeps it in memory, and the one\n' +
    '// call into the wasm returns where (it touches nothing the trapped thread may have held).\n' +
    "Object.defineProperty(module.exports, Symbol.for('gil-lab.wasi.panicMessage'), {\n" +
    '  value: function () {\n' +
    '    const at = __napiInstance?.exports?.gil_lab_panic_report?.()\n' +
    '    if (!at) return undefined\n' +
    '    const length = Atomics.load(new Uint32Array(__sharedMemory.buffer, at, 1), 0)\n' +
    '    if (length === 0 || length === 0xffffffff) return undefined\n' +
    '    return new TextDecoder().decode(new Uint8Array(__sharedMemory.buffer, at + 4, length).slice())\n' +
    '  },\n' +
    '})\n' +
    "Object.defineProperty(module.exports, Symbol.for('gil-lab.wasi.abandon'), {\n" +
    '  value: function () {\n' +
    '    __wasiThreadCrashed = true\n' +
    '    return __disposeWasiBindingAfterThreadCrash()\n' +
    '  },\n' +
    '})\n'
  );
});
