// `npm run build:site`: the lab's page, from site/ into dist/site/ (shipped in the package,
// served by `gil-lab serve`). esbuild bundles the page and its worker from site/src and the
// plain TypeScript of lib/gil and lib/kernels they import, for the browser; the lock's one
// Node.js global, process.hrtime, comes from site/src/process-shim.ts.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const source = path.join(root, 'site');
const out = path.join(root, 'dist', 'site');

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

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
async function build() {
  await esbuild.build({
    entryPoints: { page: path.join(source, 'src', 'page.ts'), 'lab-worker': path.join(source, 'src', 'lab-worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari16'],
    plugins: [nodeUtilUnused],
    inject: [path.join(source, 'src', 'process-shim.ts')],
    outdir: out,
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'style.css', '_headers'])
    fs.copyFileSync(path.join(source, file), path.join(out, file));
}

build().catch(() => {
  process.exitCode = 1;
});
