'use strict';
const { kernels } = require('gil-lab');
const { backend } = require('./support/backends');
const { badArguments, abortWhileRunning } = require('./support/kernel-cases');

describe(`nbody (${backend} backend)`, () => {
  test('reproduces the Benchmarks Game output for 1000 steps, sync and async', async () => {
    for (const e of [kernels.nbodySync(1000), await kernels.nbody(1000)]) {
      expect(Object.keys(e).sort()).toEqual(['energyAfter', 'energyBefore']);
      expect(e.energyBefore.toFixed(9)).toBe('-0.169075164');
      expect(e.energyAfter.toFixed(9)).toBe('-0.169087605');
    }
  });

  test('sync and async give the same bits', async () => {
    expect(await kernels.nbody(12_345)).toEqual(kernels.nbodySync(12_345));
  });

  test('no steps: the energy is the initial one, before and after', () => {
    const e = kernels.nbodySync(0);
    expect(e.energyAfter).toBe(e.energyBefore);
    expect(e.energyBefore).toBe(kernels.nbodySync(1000).energyBefore);
  });

  describe('bad steps', () => {
    badArguments('nbody', [
      ['a string', ['1000'], TypeError, 'steps must be a number; got string'],
      ['undefined', [undefined], TypeError, 'steps must be a number; got undefined'],
      ['null', [null], TypeError, 'steps must be a number; got null'],
      ['a bigint', [1000n], TypeError, 'steps must be a number; got bigint'],
      ['NaN', [NaN], RangeError, 'steps must be an integer from 0 to 2147483647; got NaN'],
      ['negative', [-1], RangeError, 'steps must be an integer from 0 to 2147483647; got -1'],
      ['fractional', [10.5], RangeError, 'steps must be an integer from 0 to 2147483647; got 10.5'],
      ['past the maximum', [2 ** 31], RangeError, 'steps must be an integer from 0 to 2147483647; got 2147483648'],
      ['Infinity', [Infinity], RangeError, 'steps must be an integer from 0 to 2147483647; got Infinity'],
    ]);
  });

  test('50 000 000 steps, the Benchmarks Game input, are accepted (then aborted)', async () => {
    await abortWhileRunning('nbody', [50_000_000]);
  });

  test('an abort while it runs rejects with AbortError at once and frees the pool', async () => {
    await abortWhileRunning('nbody', [2 ** 31 - 1]);
  });
});
