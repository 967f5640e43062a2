'use strict';
const path = require('node:path');
const { kernels } = require('gil-lab');
const { backend, ROOT } = require('./support/backends');
const { testBadInput, expectAbortFreesThePool } = require('./support/kernel-checks');

describe(`monteCarloPi (${backend} backend)`, () => {
  // Points inside, from an independent implementation of the README's specification
  // (Python, unbounded integers masked to 32 bits).
  test.each([
    [1, 7, 1],
    [10, 0, 9],
    [1000, 42, 795],
    [100_000, 2024, 78_313],
    [1_000_000, 42, 784_851],
  ])('%i samples, seed %i: %i inside, sync and async', async (samples, seed, inside) => {
    const expected = (4 * inside) / samples;
    expect(kernels.monteCarloPiSync(samples, seed)).toBe(expected);
    await expect(kernels.monteCarloPi(samples, seed)).resolves.toBe(expected);
  });

  test('estimates π, and the same seed gives the same estimate', async () => {
    const estimate = kernels.monteCarloPiSync(2_000_000, 12_345);
    expect(Math.abs(estimate - Math.PI)).toBeLessThan(0.01);
    await expect(kernels.monteCarloPi(2_000_000, 12_345)).resolves.toBe(estimate);
    expect(kernels.monteCarloPiSync(2_000_000, 12_346)).not.toBe(estimate);
    expect(kernels.monteCarloPiSync(1000, 2 ** 32 - 1)).toBeGreaterThan(2.5);
  });

  test("the JS generator gives xoshiro128**'s reference outputs", () => {
    const { Xoshiro128StarStar } = require(path.join(ROOT, 'dist', 'kernels', 'monte-carlo-pi.js'));
    const rng = new Xoshiro128StarStar(1, 2, 3, 4);
    const outputs = Array.from({ length: 10 }, () => rng.nextU32());
    expect(outputs).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  describe('bad input', () => {
    const samples = 'samples must be an integer from 1 to 9007199254740991';
    const seed = 'seed must be an integer from 0 to 4294967295';
    testBadInput('monteCarloPi', [
      ['samples a string', ['10', 1], TypeError, 'samples must be a number; got string'],
      ['samples missing', [], TypeError, 'samples must be a number; got undefined'],
      ['samples 0', [0, 1], RangeError, `${samples}; got 0`],
      ['samples fractional', [1.5, 1], RangeError, `${samples}; got 1.5`],
      ['samples 2^53', [2 ** 53, 1], RangeError, `${samples}; got 9007199254740992`],
      ['seed missing', [10], TypeError, 'seed must be a number; got undefined'],
      ['seed null', [10, null], TypeError, 'seed must be a number; got null'],
      ['seed negative', [10, -1], RangeError, `${seed}; got -1`],
      ['seed 2^32', [10, 2 ** 32], RangeError, `${seed}; got 4294967296`],
      ['seed fractional', [10, 0.5], RangeError, `${seed}; got 0.5`],
    ]);
  });

  test('an abort while it runs rejects with AbortError and frees the pool', async () => {
    await expectAbortFreesThePool(
      (signal) => kernels.monteCarloPi(Number.MAX_SAFE_INTEGER, 1, { signal }),
      () => kernels.monteCarloPi(1000, 42),
    );
  });
});
