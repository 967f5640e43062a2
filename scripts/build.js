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

run('npm', ['run', '--silent', 'build:ts']);
if (process.env.GIL_LAB_SKIP_NATIVE_BUILD === '1') {
  console.log('gil-lab: GIL_LAB_SKIP_NATIVE_BUILD=1, so no native build.');
} else if (hasCargo()) {
  run('npm', ['run', '--silent', 'build:native']);
} else {
  console.log('gil-lab: cargo was not found, so the native addon was not built; the JS backend will be used.');
}
