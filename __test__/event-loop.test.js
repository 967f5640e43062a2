'use strict';
const { EventLoopExecutor, AbortError, CancelledError, kernels, info } = require('gil-lab');
const { backend } = require('./support/backends');

describe(`EventLoopExecutor: the async model (${backend} backend)`, () => {
  test('CPU-bound tasks run on this thread, one after another: the event loop is blocked meanwhile', async () => {
    const executor = new EventLoopExecutor({ maxWorkers: 4 });
    expect(executor.backend).toBe(info().backend);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const results = await executor.map('countPrimes', [300_000, 300_000, 300_000]);
    clearInterval(timer);
    expect(results).toEqual([25_997, 25_997, 25_997]);
    // Each task runs to its end once started; between tasks the loop turns once, so at most
    // a few timer callbacks fit in, whatever the tasks' length.
    expect(ticks).toBeLessThanOrEqual(4);
    await executor.shutdown();
  });

  test('checks kernels and arguments as every pool does', async () => {
    const executor = new EventLoopExecutor();
    await expect(executor.submit('countPrimes', 1.5)).rejects.toThrow(
      new RangeError('limit must be an integer from 0 to 2147483647; got 1.5'),
    );
    await expect(executor.submit('nope')).rejects.toThrow(RangeError);
    expect(() => new EventLoopExecutor({ maxWorkers: -1 })).toThrow(
      'options.maxWorkers must be an integer from 1 to 256; got -1',
    );
  });

  test('abort: a waiting task rejects and never runs; maxWorkers bounds the tasks in flight', async () => {
    const executor = new EventLoopExecutor({ maxWorkers: 1 });
    const controller = new AbortController();
    const first = executor.submit('countPrimes', 100_000);
    const second = executor.submit('countPrimes', 2 ** 31 - 1, { signal: controller.signal });
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(AbortError);
    await expect(first).resolves.toBe(9592);
    await expect(executor.submit('countPrimes', 10, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortError,
    );
  });

  test('shutdown: waits for the tasks, or cancels those not started; then refuses new ones', async () => {
    const executor = new EventLoopExecutor({ maxWorkers: 1 });
    const futures = [executor.submit('countPrimes', 1000), executor.submit('countPrimes', 2 ** 31 - 1)];
    const outcomes = Promise.allSettled(futures);
    await executor.shutdown({ cancelFutures: true });
    // The first still had its turn of the loop ahead of it, so it never started either.
    for (const outcome of await outcomes) expect(outcome.reason).toBeInstanceOf(CancelledError);
    await expect(executor.submit('countPrimes', 10)).rejects.toMatchObject({ code: 'ERR_GIL_LAB_POOL_SHUT_DOWN' });

    const waited = new EventLoopExecutor({ maxWorkers: 2 });
    const all = waited.map('countPrimes', [1000, 100]);
    await waited[Symbol.asyncDispose]();
    await expect(all).resolves.toEqual([kernels.countPrimesSync(1000), 25]);
  });
});
