'use strict';
// lib/backends/binding.d.ts types the native backend by the binding's exports; it must be what
// the native build generates from src/ (native/binding.d.ts), which `npm run build` copies over it
// before tsc (scripts/binding-types.js). Where no native build is (no cargo), there is nothing to
// compare: the checked-in copy serves.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const generated = path.join(ROOT, 'native', 'binding.d.ts');
const checkedIn = path.join(ROOT, 'lib', 'backends', 'binding.d.ts');

const testBuilt = fs.existsSync(generated) ? test : test.skip;

testBuilt('the checked-in binding.d.ts is what the native build generates (npm run build refreshes it)', () => {
  expect(fs.readFileSync(checkedIn, 'utf8')).toBe(fs.readFileSync(generated, 'utf8'));
});
