// The ticks of the JS kernels: how long they are, and what checking the eval breaker costs.
// Each kernel of benchmark/cases.js runs three ways, each in a process of its own so that V8
// sees one kind of ticker, as a real sync call or pool worker does:
// - with a ticker that does nothing (what sync calls use): the time without checks;
// - with the ticker of a pool task (an Atomics.load of its word in the shared board, as on a
//   worker): the time with checks, and the difference;
// - with a ticker that notes the time at each tick: the ticks' median and longest length.
// The Rust kernels have their own: `cargo run --release -p gil-lab-core --example ticks`.
//
//   node benchmark/ticks.js [--only countPrimes,sha256]
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { median } = require('./support');
const cases = require('./cases');

const dist = path.join(__dirname, '..', 'dist');
const { jsKernels } = require(path.join(dist, 'kernels'));
const { BoardTicker, createBreakerBoard, quietTicker } = require(path.join(dist, 'breaker'));

const only = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? new Set(process.argv[i + 1].split(',')) : null;
})();

/** Median milliseconds of `runs` calls of `fn`, after two to warm up. */
function time(fn, runs = 15) {
  fn();
  fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

/** In a child: runs one kernel with one kind of ticker and prints what it measured. */
function measure(name, variant) {
  const kernel = jsKernels[name];
  const checked = kernel.check(cases[name].args());
  if (variant === 'quiet') return time(() => kernel.run(checked, quietTicker));
  if (variant === 'board') return time(() => kernel.run(checked, new BoardTicker(createBreakerBoard(), 1)));
  // The gaps between ticks of the last of five runs, warmed up by the others.
  let gaps = [];
  for (let run = 0; run < 5; run++) {
    gaps = [];
    let last = process.hrtime.bigint();
    const timing = {
      ...quietTicker,
      tick() {
        const now = process.hrtime.bigint();
        gaps.push(Number(now - last) / 1e3);
        last = now;
      },
    };
    kernel.run(checked, timing);
  }
  return { ticks: gaps.length, median: median(gaps), longest: Math.max(...gaps) };
}

const child = process.argv.indexOf('--measure');
if (child > 0) {
  const [name, variant] = process.argv.slice(child + 1);
  process.stdout.write(JSON.stringify(measure(name, variant)));
  return;
}

const inChild = (name, variant) =>
  JSON.parse(execFileSync(process.execPath, [__filename, '--measure', name, variant], { encoding: 'utf8' }));

console.log('| kernel | without checks (ms) | with checks (ms) | cost | ticks | median tick (µs) | longest tick (µs) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const name of Object.keys(cases)) {
  if (only && !only.has(name)) continue;
  const without = inChild(name, 'quiet');
  const withChecks = inChild(name, 'board');
  const gaps = inChild(name, 'timing');
  const cost = ((withChecks / without - 1) * 100).toFixed(1);
  console.log(
    `| ${cases[name].label} | ${without.toFixed(3)} | ${withChecks.toFixed(3)} | ${cost} % | ${gaps.ticks} | ${gaps.median.toFixed(1)} | ${gaps.longest.toFixed(1)} |`,
  );
}
