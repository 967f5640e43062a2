// What a call costs beside its work, native vs JS: a sync call of a kernel that does nothing
// (countPrimes(0)), an async call through the default pool one at a time, and a batch of
// async calls all in flight (per call). `gil-lab bench` runs it; so does this script.
//
//   node benchmark/overhead.js [--only sync,async,batch] [--max-time 2] [--json]
'use strict';
const { kernelsFor } = require('..');
const { measure, loadedBackends, main } = require('./support');

const BATCH = 100;

const cases = {
  sync: { label: 'sync call of countPrimes(0)', time: (k, o) => measure('sync', () => k.countPrimesSync(0), o) },
  async: {
    label: 'async call of countPrimes(0), one at a time',
    time: (k, o) => measure('async', () => k.countPrimes(0), { ...o, defer: true }),
  },
  batch: {
    label: `async calls of countPrimes(0), ${BATCH} in flight, per call`,
    time: async (k, o) => {
      const ms = await measure('batch', () => Promise.all(Array.from({ length: BATCH }, () => k.countPrimes(0))), {
        ...o,
        defer: true,
      });
      return ms / BATCH;
    },
  },
};

/** Resolves to one row per case, shaped as benchmark/kernels.js's rows. */
async function run({ only, maxTime, onCase } = {}) {
  const unknown = (only ?? []).filter((name) => !(name in cases));
  if (unknown.length)
    throw new RangeError(
      `no overhead case named ${unknown.join(', ')}; the cases are ${Object.keys(cases).join(', ')}`,
    );
  const names = Object.keys(cases).filter((name) => !only || only.includes(name));
  const backends = loadedBackends(kernelsFor);
  const rows = [];
  for (const name of names) {
    const ms = {};
    for (const backend of backends) ms[backend] = await cases[name].time(kernelsFor(backend), { maxTime });
    const row = { name, label: cases[name].label, ms, ratio: ms.native && ms.js ? ms.js / ms.native : null };
    rows.push(row);
    onCase?.(row, rows.length, names.length);
  }
  return rows;
}

const suite = { title: 'Call and dispatch overhead, native vs JS', cases: () => Object.keys(cases), run };
module.exports = suite;

if (require.main === module) {
  main(suite).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
