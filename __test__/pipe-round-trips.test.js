'use strict';
const fs = require('node:fs');
const os = require('node:os');
const { kernels } = require('gil-lab');
const { backend, inBackend } = require('./support/backends');
const { badArguments, abortWhileRunning } = require('./support/kernel-cases');

const pipeFolders = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('gil-lab-pipe-'));

describe(`pipeRoundTrips (${backend} backend)`, () => {
  test.each([0, 1, 2, 1000, 20_000])('%i round trips, sync and async', async (count) => {
    expect(kernels.pipeRoundTripsSync(count)).toBe(count);
    await expect(kernels.pipeRoundTrips(count)).resolves.toBe(count);
  });

  test('leaves nothing behind on disk', async () => {
    const before = pipeFolders();
    kernels.pipeRoundTripsSync(10);
    await kernels.pipeRoundTrips(10);
    expect(pipeFolders()).toEqual(before);
  });

  test('works where no FIFO can be made (no mkfifo on the PATH)', () => {
    const out = inBackend(
      backend === 'native' ? 'native' : 'js',
      'return [gil.kernels.pipeRoundTripsSync(100), await gil.kernels.pipeRoundTrips(100)];',
      {
        env: { PATH: '' },
      },
    );
    expect(out).toEqual({ ok: [100, 100] });
  });

  describe('bad count', () => {
    badArguments('pipeRoundTrips', [
      ['a string', ['10'], TypeError, 'count must be a number; got string'],
      ['an object', [{}], TypeError, 'count must be a number; got object'],
      ['negative', [-1], RangeError, 'count must be an integer from 0 to 2147483647; got -1'],
      ['fractional', [1.5], RangeError, 'count must be an integer from 0 to 2147483647; got 1.5'],
      ['past the maximum', [2 ** 31], RangeError, 'count must be an integer from 0 to 2147483647; got 2147483648'],
    ]);
  });

  test('an abort while it runs rejects with AbortError at once and frees the pool', async () => {
    await abortWhileRunning('pipeRoundTrips', [2 ** 31 - 1], { withinMs: 100 });
  });
});
