// The emulated GIL model-checked with loom (crates/core/tests/loom_gil.rs): `cargo test` of
// that file, built with `--cfg loom` into target/loom so that the normal build stays as it is,
// without the release profile's LTO, which only slows the build of a test.
// `node scripts/loom.js` runs it as `npm test` does; `--deep` (`npm run test:loom`) explores
// every test with 2 preemptions (some 2 minutes here).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');

/** The command, its arguments and its options. */
function loomTest({ deep = false } = {}) {
  const env = {
    ...process.env,
    RUSTFLAGS: `${process.env.RUSTFLAGS ?? ''} --cfg loom`.trim(),
    CARGO_TARGET_DIR: path.join(root, 'target', 'loom'),
    CARGO_PROFILE_RELEASE_LTO: 'false',
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS: '16',
    ...(deep ? { LOOM_MAX_PREEMPTIONS: '2' } : {}),
  };
  return ['cargo', ['test', '--release', '-p', 'gil-lab-core', '--test', 'loom_gil'], { cwd: root, env }];
}

if (require.main === module) {
  const [command, args, options] = loomTest({ deep: process.argv.includes('--deep') });
  process.exit(spawnSync(command, args, { ...options, stdio: 'inherit' }).status ?? 1);
}

module.exports = { loomTest };
