// Every kernel, native vs JS, side by side in one process: the sync form of each backend,
// timed by benchmark.js. `gil-lab bench` runs it; so does this script, which prints a
// Markdown table of medians and the native/JS ratio.
//
//   node benchmark/kernels.js [--only countPrimes,sha256] [--max-time 2] [--json]
'use strict';
const { kernelsFor } = require('..');
const cases = require('./cases');
const { measure, loadedBackends, main } = require('./support');

/**
 * Resolves to one row per kernel of `cases` (or of `only`): `{ name, label, ms, ratio }`,
 * `ms` holding the median per backend that loads, `ratio` the JS time over the native time.
 * `onCase(row, done, total)` is called as each row is measured.
 */
async function run({ only, maxTime, onCase } = {}) {
  const unknown = (only ?? []).filter((name) => !(name in cases));
  if (unknown.length)
    throw new RangeError(`no kernel case named ${unknown.join(', ')}; the cases are ${Object.keys(cases).join(', ')}`);
  const names = Object.keys(cases).filter((name) => !only || only.includes(name));
  const backends = loadedBackends(kernelsFor);
  const rows = [];
  for (const name of names) {
    const ms = {};
    for (const backend of backends) {
      const fn = kernelsFor(backend)[`${name}Sync`];
      const args = cases[name].args();
      ms[backend] = await measure(`${name} ${backend}`, () => fn(...args), { maxTime });
    }
    const row = { name, label: cases[name].label, ms, ratio: ms.native && ms.js ? ms.js / ms.native : null };
    rows.push(row);
    onCase?.(row, rows.length, names.length);
  }
  return rows;
}

const suite = { title: 'Kernels, native vs JS: one sync call on this thread', cases: () => Object.keys(cases), run };
module.exports = suite;

if (require.main === module) {
  main(suite).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
