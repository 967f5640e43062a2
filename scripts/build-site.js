// `npm run build:site`: the lab's page, from site/ into dist/site/ (shipped in the package,
// served by `gil-lab serve`). esbuild bundles the page and its worker from site/src and the
// plain TypeScript of lib/gil and lib/kernels they import, for the browser; the lock's one
// Node.js global, process.hrtime, comes from site/src/process-shim.ts.
//
// Where the wasm build is there (`npm run build:wasm`, in wasm/), the site gets the wasm
// backend too: the host worker (site/src/wasm-host.ts) bundled with napi-rs's browser loader
// and its runtime, the loader's thread worker bundled under the name the loader asks for, and
// the .wasm itself. Without it the page runs the JS backend and says why.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const source = path.join(root, 'site');
const out = path.join(root, 'dist', 'site');
const wasmBuild = path.join(root, 'wasm');
const WASM_LOADER = path.join(wasmBuild, 'gil-lab.wasi-browser.js');
/** The loader fetches these by these names, next to itself. */
const WASM_FILE = 'gil-lab.wasm32-wasi.wasm';
const WASM_THREAD_WORKER = 'wasi-worker-browser.mjs';

// lib/args.ts imports node:util for argument checks the page never calls (the page checks its
// own settings); those checks are dropped from the bundle, and so is this module, unless some
// code does call them, which then fails loudly instead of silently.
const nodeUtilUnused = {
  name: 'node-util-unused',
  setup(build) {
    build.onResolve({ filter: /^node:util$/ }, () => ({ path: 'node:util', namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({
      contents:
        "export const types = /* @__PURE__ */ new Proxy({}, { get() { throw new Error('node:util is not in the browser'); } });",
      loader: 'js',
    }));
  },
};

/**
 * The page's name for the wasm build's browser loader (see site/tsconfig.json); and, for the
 * loader and its thread worker, napi-rs's runtime with the page's WASI (site/src/wasi-runtime.ts).
 */
const wasmLoader = {
  name: 'gil-lab-wasm-browser',
  setup(build) {
    build.onResolve({ filter: /^gil-lab-wasm-browser$/ }, () => ({ path: WASM_LOADER }));
    build.onResolve({ filter: /^@napi-rs\/wasm-runtime$/ }, ({ importer }) =>
      path.dirname(importer) === wasmBuild ? { path: path.join(source, 'src', 'wasi-runtime.ts') } : undefined,
    );
  },
};

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
async function build() {
  const withWasm = fs.existsSync(WASM_LOADER) && fs.existsSync(path.join(wasmBuild, WASM_FILE));
  const common = {
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Top-level await (the wasm loader's) needs these versions or later.
    target: ['chrome100', 'firefox100', 'safari16'],
    outdir: out,
    logLevel: 'warning',
  };
  await esbuild.build({
    ...common,
    entryPoints: {
      page: path.join(source, 'src', 'page.ts'),
      'lab-worker': path.join(source, 'src', 'lab-worker.ts'),
      ...(withWasm ? { 'wasm-host': path.join(source, 'src', 'wasm-host.ts') } : {}),
    },
    define: { WASM_IN_SITE: String(withWasm) },
    plugins: [nodeUtilUnused, wasmLoader],
    inject: [path.join(source, 'src', 'process-shim.ts')],
  });
  // A service worker must be a classic script where the browser cannot load a module one.
  await esbuild.build({
    ...common,
    format: 'iife',
    entryPoints: { 'isolation-worker': path.join(source, 'src', 'isolation-worker.ts') },
  });
  if (withWasm) {
    await esbuild.build({
      ...common,
      entryPoints: [path.join(wasmBuild, WASM_THREAD_WORKER)],
      outExtension: { '.js': '.mjs' },
      plugins: [wasmLoader],
    });
    fs.copyFileSync(path.join(wasmBuild, WASM_FILE), path.join(out, WASM_FILE));
  } else {
    console.log('build:site: no wasm build in wasm/ (npm run build:wasm), so the page has the JS backend only.');
  }
  for (const file of ['index.html', 'style.css', '_headers'])
    fs.copyFileSync(path.join(source, file), path.join(out, file));
}

build().catch(() => {
  process.exitCode = 1;
});
