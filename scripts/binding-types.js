// The binding's types. lib/backends/native.ts is typed by lib/backends/binding.d.ts, the exports
// as napi-rs declares them from src/ (`napi build --dts` writes native/binding.d.ts). The copy in
// lib/ is checked in, not only generated: a clone without cargo builds no addon, yet must
// type-check and build the TypeScript (its JS backend serves there). Where cargo is, the native
// build comes first and this refreshes the copy before tsc reads it, so that a Rust export
// renamed fails the TypeScript build at once, and git shows the new copy to commit;
// __test__/binding-types.test.js fails where the copy is not what the Rust generates.
//
//   node scripts/binding-types.js refresh   native/binding.d.ts → lib/backends/ (after the native build)
//   node scripts/binding-types.js dist      lib/backends/binding.d.ts → dist/backends/ (after tsc: the
//                                           declarations of native.ts import it)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const generated = path.join(root, 'native', 'binding.d.ts');
const checkedIn = path.join(root, 'lib', 'backends', 'binding.d.ts');
const inDist = path.join(root, 'dist', 'backends', 'binding.d.ts');

const [from, to] = { refresh: [generated, checkedIn], dist: [checkedIn, inDist] }[process.argv[2]] ?? [];
if (from === undefined) {
  console.error('usage: node scripts/binding-types.js refresh|dist');
  process.exit(2);
}
if (!fs.existsSync(to) || fs.readFileSync(to, 'utf8') !== fs.readFileSync(from, 'utf8')) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}
