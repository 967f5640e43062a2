'use strict';
const { kernels, info } = require('gil-lab');
const { backend } = require('./support/backends');
const { badArguments, abortWhileRunning } = require('./support/kernel-cases');

describe(`sleep (${backend} backend)`, () => {
  test('the sync form blocks the calling thread for as long as asked', () => {
    let fired = false;
    const timer = setTimeout(() => (fired = true), 0);
    const started = performance.now();
    expect(kernels.sleepSync(40)).toBeUndefined();
    const slept = performance.now() - started;
    expect(slept).toBeGreaterThanOrEqual(40);
    expect(slept).toBeLessThan(40 + 200);
    expect(fired).toBe(false); // nothing else ran on this thread meanwhile
    clearTimeout(timer);
  });

  test('fractions of a millisecond and zero are sleeps too', async () => {
    expect(kernels.sleepSync(0)).toBeUndefined();
    expect(kernels.sleepSync(0.25)).toBeUndefined();
    await expect(kernels.sleep(0.5)).resolves.toBeUndefined();
  });

  test('the async form sleeps on a pool thread while the event loop runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    await expect(kernels.sleep(200)).resolves.toBeUndefined();
    clearInterval(timer);
    expect(performance.now() - started).toBeGreaterThanOrEqual(199);
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  test('8 × sleep(200) on the default pool (one thread per core) run a pool-full at a time', async () => {
    const cpus = info().cpus;
    const started = performance.now();
    await Promise.all(Array.from({ length: 8 }, () => kernels.sleep(200)));
    const elapsed = performance.now() - started;
    // As many rounds of 200 ms as it takes the pool's threads to do 8 sleeps: they block
    // threads, not the event loop, and each thread sleeps its share one after another.
    expect(elapsed).toBeGreaterThanOrEqual(Math.ceil(8 / cpus) * 200 - 5);
    if (cpus >= 2) expect(elapsed).toBeLessThan(8 * 200 * 0.75);
  });

  describe('bad ms', () => {
    badArguments('sleep', [
      ['a string', ['10'], TypeError, 'ms must be a number; got string'],
      ['undefined', [undefined], TypeError, 'ms must be a number; got undefined'],
      ['null', [null], TypeError, 'ms must be a number; got null'],
      ['negative', [-1], RangeError, 'ms must be a number from 0 to 2147483647; got -1'],
      ['NaN', [NaN], RangeError, 'ms must be a number from 0 to 2147483647; got NaN'],
      ['Infinity', [Infinity], RangeError, 'ms must be a number from 0 to 2147483647; got Infinity'],
      ['past the maximum', [2 ** 31], RangeError, 'ms must be a number from 0 to 2147483647; got 2147483648'],
    ]);
  });

  test('an abort during sleep(10000) rejects within 100 ms and frees the thread', async () => {
    await abortWhileRunning('sleep', [10_000], { withinMs: 100 });
  });
});
