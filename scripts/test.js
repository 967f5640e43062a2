// `npm test`: builds what is missing, then runs `cargo test`, the loom model of the lock
// (scripts/loom.js), the jest suite against the built package once per backend (native, JS),
// the wasm backend's suite (__test__/wasm/, where a wasm build is there; the parity suites of
// the other passes compare its kernels too), and the install from packed tarballs
// (__test__/packed/),
// and ends with one line: `Tests: N passed, N failed`.
// Extra arguments go to jest (`npm test -- __test__/loader.test.js`).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { loomTest } = require('./loom');

const root = path.join(__dirname, '..');
const jestArgs = process.argv.slice(2);
const totals = { passed: 0, failed: 0 };
let ok = true;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  return result.status === 0;
}

function step(title) {
  console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`);
}

const hasCargo = spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0;

step('build');
// The test builds of the addon (native/test/) and of the wasm backend (wasm/test/) add the panic
// exports that the crash tests call; the shipped ones (native/, wasm/) have none. Where the
// native build is skipped (CI's test jobs), they all come built.
const buildsNative = hasCargo && process.env.GIL_LAB_SKIP_NATIVE_BUILD !== '1';
const hasWasmBuild = () => fs.existsSync(path.join(root, 'wasm', 'gil-lab.wasi.cjs'));
if (
  !run('npm', ['run', '--silent', 'build']) ||
  (buildsNative && !run('npm', ['run', '--silent', 'build:native:test'])) ||
  (buildsNative && hasWasmBuild() && !run('npm', ['run', '--silent', 'build:wasm:test']))
) {
  console.log('\nTests: 0 passed, 1 failed');
  process.exit(1);
}

/** Runs a `cargo test` and adds its counts to the totals. */
function cargoStep(title, command, args, options = {}) {
  step(title);
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    ...options,
  });
  process.stdout.write(result.stdout ?? '');
  let failed = 0;
  for (const m of (result.stdout ?? '').matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    totals.passed += Number(m[1]);
    failed += Number(m[2]);
  }
  if (result.status !== 0) {
    ok = false;
    failed ||= 1; // it failed to build or crashed
  }
  totals.failed += failed;
}

if (hasCargo && jestArgs.length === 0) {
  cargoStep('cargo test', 'cargo', ['test', '--release', '-p', 'gil-lab-core']);
  cargoStep('loom: the emulated GIL model-checked', ...loomTest());
}

let jestRuns = 0;

/** Runs jest with `args` and `env`, and adds its counts to the totals. */
function jestStep(args, env) {
  const report = path.join(os.tmpdir(), `gil-lab-jest-${process.pid}-${++jestRuns}.json`);
  const jest = require.resolve('jest/bin/jest');
  const passed = run(process.execPath, [jest, '--json', `--outputFile=${report}`, ...args], {
    env: { ...process.env, ...env },
  });
  ok &&= passed;
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
    fs.rmSync(report);
  } else {
    totals.failed += 1;
  }
}

const backends = hasCargo || process.env.GIL_LAB_BACKEND === 'native' ? ['native', 'js'] : ['js'];
if (!backends.includes('native'))
  console.log('\nNo cargo here: the native backend was not built, so only the JS pass runs.');
for (const backend of backends) {
  step(`jest, GIL_LAB_BACKEND=${backend}`);
  jestStep(jestArgs, { GIL_LAB_BACKEND: backend });
}

if (jestArgs.length === 0 && hasWasmBuild()) {
  // jest's module system cannot load emnapi (ES modules only), so this pass does not run the
  // suite in jest's process with GIL_LAB_BACKEND=wasm: its tests run the wasm backend in
  // child processes, as the parity suites do.
  step('jest, the wasm backend (in child processes)');
  jestStep(['__test__/wasm', '--testPathIgnorePatterns=/support/'], { GIL_LAB_BACKEND: '' });
} else if (jestArgs.length === 0) {
  console.log('\nNo wasm build here (npm run build:wasm): the wasm pass does not run.');
}

if (jestArgs.length === 0) {
  // Once, not per backend: the install a user gets, from packed tarballs (__test__/packed/).
  step('packed tarballs, installed with no Rust toolchain');
  jestStep(['__test__/packed', '--testPathIgnorePatterns=/support/'], { GIL_LAB_BACKEND: '' });
}

console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
