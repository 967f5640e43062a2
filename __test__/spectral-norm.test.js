'use strict';
const { kernels } = require('gil-lab');
const { backend } = require('./support/backends');
const { badArguments, abortWhileRunning } = require('./support/kernel-cases');

describe(`spectralNorm (${backend} backend)`, () => {
  test('reproduces the Benchmarks Game output for n = 100, sync and async', async () => {
    expect(kernels.spectralNormSync(100).toFixed(9)).toBe('1.274219991');
    expect((await kernels.spectralNorm(100)).toFixed(9)).toBe('1.274219991');
  });

  test('a 1 × 1 matrix has its one entry, 1, as norm', () => {
    expect(kernels.spectralNormSync(1)).toBe(1);
  });

  test('the norm grows with n towards the limit, and sync and async agree to the bit', async () => {
    const norms = [2, 3, 10, 100, 1000].map((n) => kernels.spectralNormSync(n));
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeGreaterThan(norms[i - 1]);
    expect(norms[norms.length - 1]).toBeLessThan(1.2742241528); // the n = ∞ value, 1.27422415282...
    expect(await kernels.spectralNorm(1000)).toBe(norms[norms.length - 1]);
  });

  describe('bad n', () => {
    badArguments('spectralNorm', [
      ['a string', ['100'], TypeError, 'n must be a number; got string'],
      ['an object', [{}], TypeError, 'n must be a number; got object'],
      ['zero', [0], RangeError, 'n must be an integer from 1 to 1000000; got 0'],
      ['fractional', [99.5], RangeError, 'n must be an integer from 1 to 1000000; got 99.5'],
      ['past the maximum', [1_000_001], RangeError, 'n must be an integer from 1 to 1000000; got 1000001'],
      ['-Infinity', [-Infinity], RangeError, 'n must be an integer from 1 to 1000000; got -Infinity'],
    ]);
  });

  test('an abort while it runs rejects with AbortError at once and frees the pool', async () => {
    await abortWhileRunning('spectralNorm', [1_000_000]);
  });
});
