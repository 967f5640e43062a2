'use strict';
const { kernels, info, AbortError } = require('gil-lab');
const { backend } = require('./support/backends');

describe(`countPrimes (${backend} backend)`, () => {
  test('runs on the backend this pass asked for', () => {
    if (backend !== 'auto') expect(info().backend).toBe(backend);
  });

  test.each([
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 1],
    [4, 2],
    [10, 4],
    [100, 25],
    [1000, 168],
    [7919, 999],
    [7920, 1000],
    [100_000, 9592],
    [1_000_000, 78_498],
  ])('primes below %i: %i, sync and async', async (limit, primes) => {
    expect(kernels.countPrimesSync(limit)).toBe(primes);
    await expect(kernels.countPrimes(limit)).resolves.toBe(primes);
  });

  describe('bad limit', () => {
    const cases = [
      ['a string', '10', TypeError, 'limit must be a number; got string'],
      ['undefined', undefined, TypeError, 'limit must be a number; got undefined'],
      ['null', null, TypeError, 'limit must be a number; got null'],
      ['a bigint', 10n, TypeError, 'limit must be a number; got bigint'],
      ['an object', {}, TypeError, 'limit must be a number; got object'],
      ['NaN', NaN, RangeError, 'limit must be an integer from 0 to 2147483647; got NaN'],
      ['negative', -1, RangeError, 'limit must be an integer from 0 to 2147483647; got -1'],
      ['fractional', 2.5, RangeError, 'limit must be an integer from 0 to 2147483647; got 2.5'],
      ['past the maximum', 2 ** 31, RangeError, 'limit must be an integer from 0 to 2147483647; got 2147483648'],
      ['Infinity', Infinity, RangeError, 'limit must be an integer from 0 to 2147483647; got Infinity'],
    ];
    test.each(cases)('%s: sync throws', (_, limit, type, message) => {
      expect(() => kernels.countPrimesSync(limit)).toThrow(type);
      expect(() => kernels.countPrimesSync(limit)).toThrow(message);
    });
    test.each(cases)('%s: async rejects', async (_, limit, type, message) => {
      const promise = kernels.countPrimes(limit);
      await expect(promise).rejects.toThrow(type);
      await expect(promise).rejects.toMatchObject({
        message,
        code: type === TypeError ? 'ERR_INVALID_ARG_TYPE' : 'ERR_OUT_OF_RANGE',
      });
    });
  });

  test('the async form leaves the event loop free while it computes', async () => {
    // A computation of minutes: had it run on this thread, no timer below could fire
    // before it ended, and the test would time out.
    const controller = new AbortController();
    const running = kernels.countPrimes(2 ** 31 - 1, { signal: controller.signal });
    running.catch(() => {});
    const { setTimeout: sleep } = require('node:timers/promises');
    for (let i = 0; i < 10; i++) await sleep(5);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(AbortError);
  });

  test('an abort while it runs rejects with AbortError, and the pool goes on', async () => {
    const controller = new AbortController();
    const promise = kernels.countPrimes(2 ** 31 - 1, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    await expect(promise).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(5000);
    // Every thread is free again: as many tasks as cores all finish.
    const results = await Promise.all(Array.from({ length: info().cpus }, () => kernels.countPrimes(1000)));
    expect(results.every((r) => r === 168)).toBe(true);
  });

  test('an abort before the call rejects without running it', async () => {
    const reason = new Error('changed my mind');
    const promise = kernels.countPrimes(2 ** 31 - 1, { signal: AbortSignal.abort(reason) });
    await expect(promise).rejects.toMatchObject({ name: 'AbortError', cause: reason });
  });

  test('bad input wins over an aborted signal', async () => {
    await expect(kernels.countPrimes(-5, { signal: AbortSignal.abort() })).rejects.toThrow(RangeError);
  });

  test('options must be an object with an AbortSignal', async () => {
    await expect(kernels.countPrimes(10, 5)).rejects.toThrow('options must be an object; got number');
    await expect(kernels.countPrimes(10, { signal: 'stop' })).rejects.toThrow('options.signal must be an AbortSignal');
  });
});
