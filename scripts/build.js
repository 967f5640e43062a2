// `npm install` / `npm run build`: compiles the TypeScript, and the native addon where
// cargo is there. Without cargo the install still succeeds: the JS backend will run.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function hasCargo() {
  return spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0;
}

if (process.env.GIL_LAB_SKIP_NATIVE_BUILD === '1') {
  console.log('gil-lab: GIL_LAB_SKIP_NATIVE_BUILD=1, so no native build.');
} else if (hasCargo()) {
  // First, so that tsc reads the binding's types as this build of the Rust declares them
  // (scripts/binding-types.js).
  run('npm', ['run', '--silent', 'build:native']);
  run(process.execPath, [path.join(__dirname, 'binding-types.js'), 'refresh']);
} else {
  console.log('gil-lab: cargo was not found, so the native addon was not built; the JS backend will be used.');
}
run('npm', ['run', '--silent', 'build:ts']);
