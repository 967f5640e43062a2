// The wasm backend beside native and JS: every kernel of benchmark/cases.js, the sync form of
// each backend in one process, in interleaved rounds (a shuffled order each round, so that a
// drift of the machine's load hits the three alike); then the cost of a call: a sync call that
// does nothing, and an async call of the default pool that does nothing. Prints Markdown tables
// of medians with the min–max of the rounds, and the ratios the goal is judged by.
//
// `--cpu` times each kernel call by the process's CPU time (process.cpuUsage) instead of the
// wall clock: on a machine shared with other work, a call that waits for a core is then
// charged only for the time it ran (a sync call runs on this one thread; the pools are idle).
//
//   node benchmark/wasm.js [--rounds 15] [--cpu]
'use strict';
const { kernelsFor } = require('..');
const cases = require('./cases');

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 15;
const cpuClock = process.argv.includes('--cpu');
const BACKENDS = ['native', 'wasm', 'js'];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const shuffled = (xs) =>
  xs
    .map((x) => [Math.random(), x])
    .sort((a, b) => a[0] - b[0])
    .map(([, x]) => x);

/** Milliseconds that `fn` took: of the wall clock, or (`cpu`) of the process's CPU time. */
function timeOnce(fn, cpu = false) {
  if (cpu) {
    const start = process.cpuUsage();
    fn();
    const { user, system } = process.cpuUsage(start);
    return (user + system) / 1e3;
  }
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timeAsync(fn, calls) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / calls;
}

async function main() {
  const kernels = Object.fromEntries(BACKENDS.map((b) => [b, kernelsFor(b)]));
  const unit = cpuClock ? 'CPU ms' : 'ms';
  console.log(`| kernel | native ${unit} | wasm ${unit} | JS ${unit} | wasm vs JS | wasm vs native |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, { label }] of Object.entries(cases)) {
    const args = cases[name].args();
    const times = Object.fromEntries(BACKENDS.map((b) => [b, []]));
    // Two rounds of warm-up (JIT tiers, caches, the default pools' threads), not counted.
    for (let r = 0; r < rounds + 2; r++) {
      for (const b of shuffled(BACKENDS)) {
        const t = timeOnce(() => kernels[b][`${name}Sync`](...args), cpuClock);
        if (r >= 2) times[b].push(t);
      }
    }
    const m = Object.fromEntries(BACKENDS.map((b) => [b, median(times[b])]));
    const cell = (b) => `${m[b].toFixed(2)} (${Math.min(...times[b]).toFixed(2)}–${Math.max(...times[b]).toFixed(2)})`;
    console.log(
      `| ${label} | ${cell('native')} | ${cell('wasm')} | ${cell('js')} | ${(m.js / m.wasm).toFixed(2)}× faster | ${(m.wasm / m.native).toFixed(2)}× slower |`,
    );
  }
  console.log('\n| call | native µs | wasm µs | JS µs |');
  console.log('| --- | ---: | ---: | ---: |');
  const syncCall = {};
  const asyncCall = {};
  for (const b of BACKENDS) {
    syncCall[b] = [];
    asyncCall[b] = [];
  }
  for (let r = 0; r < rounds + 2; r++) {
    for (const b of shuffled(BACKENDS)) {
      const k = kernels[b];
      const sync =
        (timeOnce(() => {
          for (let i = 0; i < 10_000; i++) k.countdownSync(0);
        }) *
          1e3) /
        10_000;
      const async = await timeAsync(() => k.countdown(0), 500);
      if (r >= 2) {
        syncCall[b].push(sync);
        asyncCall[b].push(async);
      }
    }
  }
  const row = (label, xs) => console.log(`| ${label} | ${BACKENDS.map((b) => median(xs[b]).toFixed(2)).join(' | ')} |`);
  row('sync call, `countdownSync(0)`', syncCall);
  row('async call of the default pool, `await countdown(0)`, one at a time', asyncCall);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
