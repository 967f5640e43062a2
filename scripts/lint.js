// `npm run lint`: every linter of the house, each on what it knows, all run even when one fails:
// rustfmt and clippy (warnings are errors) on the Rust, ESLint and Prettier on the TypeScript and
// JavaScript, actionlint on the CI workflow (which cannot run here, so a linter reads it).
// `--fix` lets rustfmt, ESLint and Prettier rewrite what they can.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const fix = process.argv.includes('--fix');
/** actionlint is a Go program; where it is not on the PATH it is built into this folder. */
const toolsBin = path.join(root, '.tools', 'bin');
const ACTIONLINT_MODULE = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';

function found(command, versionFlag = '--version') {
  return spawnSync(command, [versionFlag], { stdio: 'ignore' }).status === 0;
}

function actionlint() {
  const local = path.join(toolsBin, 'actionlint');
  if (fs.existsSync(local)) return local;
  if (found('actionlint', '-version')) return 'actionlint';
  if (!found('go', 'version')) return null;
  console.log(`actionlint: not found; building ${ACTIONLINT_MODULE} into .tools/bin`);
  const built = spawnSync('go', ['install', ACTIONLINT_MODULE], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, GOBIN: toolsBin },
  });
  return built.status === 0 ? local : null;
}

const bin = (tool) => path.join(root, 'node_modules', '.bin', tool);
const steps = [];
if (found('cargo')) {
  steps.push(['rustfmt', 'cargo', ['fmt', '--all', ...(fix ? [] : ['--', '--check'])]]);
  // The binding's own test target is left out: napi's macros register exports only in the cdylib.
  steps.push(['clippy', 'cargo', ['clippy', '--release', '--workspace', '--quiet', '--', '-D', 'warnings']]);
  steps.push([
    'clippy (core, with tests)',
    'cargo',
    ['clippy', '--release', '-p', 'gil-lab-core', '--all-targets', '--quiet', '--', '-D', 'warnings'],
  ]);
} else {
  console.log('cargo: not found, so rustfmt and clippy are skipped');
}
steps.push(['ESLint', bin('eslint'), ['.', ...(fix ? ['--fix'] : [])]]);
steps.push([
  'Prettier',
  bin('prettier'),
  [fix ? '--write' : '--check', '--log-level', 'warn', '**/*.{ts,mts,js,mjs,cjs}'],
]);

const failed = [];
for (const [title, command, args] of steps) {
  console.log(`── ${title}`);
  if (spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status !== 0) failed.push(title);
}

console.log('── actionlint');
const linter = actionlint();
if (linter === null) {
  console.log(`actionlint: not on the PATH, and no Go to build ${ACTIONLINT_MODULE} with`);
  failed.push('actionlint');
} else if (spawnSync(linter, ['.github/workflows/ci.yml'], { cwd: root, stdio: 'inherit' }).status !== 0) {
  failed.push('actionlint');
}

if (failed.length > 0) {
  console.log(`\nlint failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nlint: clean');
