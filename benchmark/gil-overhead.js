// What the emulated GIL costs a thread that meets nobody: an uncontended take and release
// (stats and trace included), and a tick while holding the lock, in each mode — native
// (the goal: at most 100 ns for a take and a release) and JS. Best of five runs each, since
// a busy machine only ever adds time.
//
// - native: the Rust example `gil_overhead` (crates/core/examples/), run with cargo where it
//   is on the PATH;
// - JS: the JS lock of dist/gil/js-lock.js on this thread, as a pool worker holds it for a
//   task: a JsSeat made and left, and the tick of a BoardTicker with that seat.
//
// benchmark/peers.js calls `measureNative` and `measureJs`.
//
//   node benchmark/gil-overhead.js [--json]
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { createJsGilState, JsGil, JsSeat } = require('../dist/gil/js-lock');
const { BoardTicker, createBreakerBoard } = require('../dist/breaker');
const { machine } = require('./support');

const ROUNDS = 200_000;
const MODES = ['off', 'cpython', 'legacy'];

function nsPer(rounds, body) {
  body();
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    for (let i = 0; i < rounds; i++) body();
    best = Math.min(best, ((performance.now() - started) * 1e6) / rounds);
  }
  return best;
}

function measureJs() {
  const board = createBreakerBoard();
  const gil = new JsGil(createJsGilState(), board.bits);
  const me = gil.register('bench', 0);
  return MODES.map((mode) => {
    gil.mode = mode;
    const takeRelease = nsPer(ROUNDS, () => new JsSeat(gil, me, 1).leave());
    const seat = new JsSeat(gil, me, 1);
    const ticker = new BoardTicker(board, 1, seat);
    const tick = nsPer(ROUNDS * 10, () => ticker.tick());
    seat.leave();
    return { mode, takeReleaseNs: takeRelease, tickNs: tick };
  });
}

/** The lines of the Rust example: `   cpython: take + release   58.2 ns, tick  0.27 ns`. */
function measureNative() {
  const run = spawnSync('cargo', ['run', '--quiet', '--release', '-p', 'gil-lab-core', '--example', 'gil_overhead'], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  });
  if (run.error || run.status !== 0) return null;
  return [...run.stdout.matchAll(/(\w+): take \+ release\s+([\d.]+) ns, tick\s+([\d.]+) ns/g)].map((m) => ({
    mode: m[1],
    takeReleaseNs: Number(m[2]),
    tickNs: Number(m[3]),
  }));
}

module.exports = { MODES, measureNative, measureJs };

if (require.main === module) {
  const results = { machine: machine(), native: measureNative(), js: measureJs() };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    console.log(`${results.machine.summary}\n`);
    console.log('| lock | native take + release | native tick | JS take + release | JS tick |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [i, mode] of MODES.entries()) {
      const n = results.native?.[i];
      const j = results.js[i];
      const ns = (x, digits) => (x === undefined ? '–' : `${x.toFixed(digits)} ns`);
      console.log(
        `| ${mode} | ${ns(n?.takeReleaseNs, 1)} | ${ns(n?.tickNs, 2)} | ${ns(j.takeReleaseNs, 1)} | ${ns(j.tickNs, 2)} |`,
      );
    }
    if (results.native === null) console.log('\n(native: cargo was not found, or the example did not build)');
  }
}
