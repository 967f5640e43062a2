'use strict';
const { kernels } = require('gil-lab');
const { backend } = require('./support/backends');
const { testBadInput, expectAbortFreesThePool } = require('./support/kernel-checks');

describe(`countdown (${backend} backend)`, () => {
  test.each([0, 1, 2, 65_535, 65_536, 65_537, 1_000_000])(
    'countdown(%i) returns undefined, sync and async',
    async (n) => {
      expect(kernels.countdownSync(n)).toBeUndefined();
      await expect(kernels.countdown(n)).resolves.toBeUndefined();
    },
  );

  describe('bad n', () => {
    const range = 'n must be an integer from 0 to 9007199254740991';
    testBadInput('countdown', [
      ['a string', ['10'], TypeError, 'n must be a number; got string'],
      ['undefined', [undefined], TypeError, 'n must be a number; got undefined'],
      ['null', [null], TypeError, 'n must be a number; got null'],
      ['a bigint', [10n], TypeError, 'n must be a number; got bigint'],
      ['NaN', [NaN], RangeError, `${range}; got NaN`],
      ['negative', [-1], RangeError, `${range}; got -1`],
      ['fractional', [0.5], RangeError, `${range}; got 0.5`],
      ['2^53', [2 ** 53], RangeError, `${range}; got 9007199254740992`],
      ['Infinity', [Infinity], RangeError, `${range}; got Infinity`],
    ]);
  });

  test('an abort of the longest countdown rejects with AbortError and frees the pool', async () => {
    await expectAbortFreesThePool(
      (signal) => kernels.countdown(Number.MAX_SAFE_INTEGER, { signal }),
      () => kernels.countdown(1000),
    );
  });
});
