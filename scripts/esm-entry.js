// Writes dist/index.mjs: the ES-module entry, re-exporting the CommonJS build by name so
// that `import { kernels } from 'gil-lab'` works whatever Node's export detection sees.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
// The names are the same whichever backend loads; the JS one needs no native build, which
// may not be made yet, or be older than the TypeScript just compiled.
process.env.GIL_LAB_BACKEND = 'js';
const names = Object.keys(require(path.join(dist, 'index.js'))).filter((n) => n !== '__esModule');
const source =
  `import cjs from './index.js';\n` + `export const { ${names.join(', ')} } = cjs;\n` + `export default cjs;\n`;
fs.writeFileSync(path.join(dist, 'index.mjs'), source);
