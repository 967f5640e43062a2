// `npm install` / `npm run build`: compiles the TypeScript, the native addon where cargo is
// there, and the wasm build where Rust's wasm32-wasip1-threads target is installed too. Without
// them the install still succeeds: the backend that loads (wasm, else JS) will run.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const WASM_TARGET = 'wasm32-wasip1-threads';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function hasCargo() {
  return spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Whether rustc has the standard library of `target` (`rustup target add` installs it). */
function hasRustTarget(target) {
  const libdir = spawnSync('rustc', ['--print', 'target-libdir', '--target', target], { encoding: 'utf8' });
  if (libdir.status !== 0) return false;
  const dir = libdir.stdout.trim();
  return fs.existsSync(dir) && fs.readdirSync(dir).some((file) => file.startsWith('libstd-'));
}

if (process.env.GIL_LAB_SKIP_NATIVE_BUILD === '1') {
  console.log('gil-lab: GIL_LAB_SKIP_NATIVE_BUILD=1, so no native or wasm build.');
} else if (!hasCargo()) {
  console.log('gil-lab: cargo was not found, so the native addon was not built; the JS backend will be used.');
} else {
  // First, so that tsc reads the binding's types as this build of the Rust declares them
  // (scripts/binding-types.js).
  run('npm', ['run', '--silent', 'build:native']);
  run(process.execPath, [path.join(__dirname, 'binding-types.js'), 'refresh']);
  if (process.env.GIL_LAB_SKIP_WASM_BUILD === '1') {
    console.log('gil-lab: GIL_LAB_SKIP_WASM_BUILD=1, so no wasm build.');
  } else if (hasRustTarget(WASM_TARGET)) {
    run('npm', ['run', '--silent', 'build:wasm']);
  } else {
    console.log(
      `gil-lab: Rust's ${WASM_TARGET} target is not installed, so the wasm backend was not built ` +
        `(rustup target add ${WASM_TARGET}, then npm run build:wasm); the native and JS backends serve.`,
    );
  }
}
run('npm', ['run', '--silent', 'build:ts']);
run('npm', ['run', '--silent', 'build:site']);
