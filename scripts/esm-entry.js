// Writes dist/index.mjs: the ES-module entry, re-exporting the CommonJS build by name so
// that `import { kernels } from 'gil-lab'` works whatever Node's export detection sees.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const names = Object.keys(require(path.join(dist, 'index.js'))).filter((n) => n !== '__esModule');
const source =
  `import cjs from './index.js';\n` +
  `export const { ${names.join(', ')} } = cjs;\n` +
  `export default cjs;\n`;
fs.writeFileSync(path.join(dist, 'index.mjs'), source);
