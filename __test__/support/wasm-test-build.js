// Preloaded (`node --require`) in the wasm crash tests' children: where gil-lab loads its wasm
// build, this loads the test build (`npm run build:wasm:test`, which adds `__panicForTesting`)
// instead. What ships is loaded unchanged; only the file it comes from differs.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const shipped = path.join(ROOT, 'wasm', 'gil-lab.wasi.cjs');
const testBuild = path.join(ROOT, 'wasm', 'test', 'gil-lab.wasi.cjs');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const resolved = resolveFilename.call(this, request, ...rest);
  return resolved === shipped ? testBuild : resolved;
};
