// lib/ imports one way: cli → lab → pools → backends → kernels / gil, and every layer may use
// the leaves (argument checks, errors, backend names, …). No import cycle, not even through a
// type: madge reads each file's imports, `import type` included.
'use strict';
const path = require('node:path');
const madge = require('madge');

const LIB = path.join(__dirname, '..', 'lib');

/**
 * The layers, top first, each a list of path prefixes under lib/. A file may import files of its
 * own layer and of the layers below it, never above.
 */
const LAYERS = [
  ['index.ts', 'cli/'],
  ['report/', 'serve/'],
  ['lab/'],
  ['pools/'],
  ['loader.ts', 'backends/'],
  ['kernels/', 'gil/'],
  ['breaker.ts', 'abort.ts', 'platform.ts'],
  ['args.ts', 'errors.ts', 'backend-names.ts', 'entries.ts'],
];

/** The layer of a file: that of the longest prefix that names it. */
function layerOf(file) {
  let best = { index: -1, length: 0 };
  LAYERS.forEach((prefixes, index) => {
    for (const p of prefixes) {
      const names = file === p || (p.endsWith('/') && file.startsWith(p));
      if (names && p.length > best.length) best = { index, length: p.length };
    }
  });
  if (best.index < 0) throw new Error(`lib/${file} is in no layer: add it to LAYERS in ${path.basename(__filename)}`);
  return best.index;
}

let graph;
beforeAll(async () => {
  graph = await madge(LIB, { fileExtensions: ['ts'] });
}, 60_000);

test('lib/ has no import cycle', () => {
  expect(graph.circular()).toEqual([]);
});

test('every import in lib/ goes to the same layer or one below', () => {
  const upward = [];
  for (const [file, imports] of Object.entries(graph.obj())) {
    for (const imported of imports) {
      if (layerOf(imported) < layerOf(file)) upward.push(`${file} → ${imported}`);
    }
  }
  expect(upward).toEqual([]);
});
