// Fidelity to the real GIL, for BENCHMARKS.md: `gil-lab fidelity` (lib/cli/fidelity.ts) — real
// CPython beside the emulation on each backend, measure by measure, in the same compare() runs
// — printed as a Markdown table (or, with --json, its measures and record).
//
//   node benchmark/fidelity.js [--python PATH] [--backends native,js] [--repeats 3] [--json]
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const args = process.argv.slice(2);
const main = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
const format = args.includes('--json') ? [] : ['--markdown'];
const { status } = spawnSync(process.execPath, [main, 'fidelity', ...format, ...args], { stdio: 'inherit' });
process.exitCode = status ?? 1;
