'use strict';
// ThreadPool on this pass's backend: its checks, submit/map/shutdown/asyncDispose/abort, and
// its threads: exactly maxWorkers of them, each under the backend's lock.
const { ThreadPool, gil, info, AbortError, CancelledError } = require('gil-lab');
const { backend: pass, inBackend } = require('./support/backends');

const backend = pass === 'auto' ? info().backend : pass;
/** Longer than any test: a task that only a cancel stops. */
const ENDLESS = 2 ** 31 - 1;

afterEach(() => {
  gil.disable();
  gil.resetStats();
});

/** Runs `body(pool)` on a new pool, then shuts the pool down, cancelling what is left. */
async function withPool(options, body) {
  const pool = new ThreadPool({ backend, ...options });
  try {
    return await body(pool);
  } finally {
    await pool.shutdown({ cancelFutures: true });
  }
}

describe(`ThreadPool (${backend} backend)`, () => {
  describe('options', () => {
    test.each([
      [5, TypeError, 'options must be an object; got number'],
      [{ maxWorkers: '2' }, TypeError, 'options.maxWorkers must be a number; got string'],
      [{ maxWorkers: 0 }, RangeError, 'options.maxWorkers must be an integer from 1 to 256; got 0'],
      [{ maxWorkers: 1.5 }, RangeError, 'options.maxWorkers must be an integer from 1 to 256; got 1.5'],
      [{ maxWorkers: 257 }, RangeError, 'options.maxWorkers must be an integer from 1 to 256; got 257'],
      [{ backend: 1 }, TypeError, 'options.backend must be a string; got number'],
      [{ backend: 'gpu' }, RangeError, 'options.backend must be "native", "wasm", "js" or "auto"; got "gpu"'],
    ])('new ThreadPool(%p) throws', (options, type, message) => {
      expect(() => new ThreadPool(options)).toThrow(type);
      expect(() => new ThreadPool(options)).toThrow(message);
    });

    test('defaults: a thread per core, on the loaded backend', async () => {
      const pool = new ThreadPool();
      expect(pool.maxWorkers).toBe(info().cpus);
      expect(pool.backend).toBe(info().backend);
      await pool.shutdown();
    });
  });

  test('submit runs a kernel with its arguments and checks them as kernels.NAME does', () =>
    withPool({ maxWorkers: 2 }, async (pool) => {
      await expect(pool.submit('countPrimes', 1000)).resolves.toBe(168);
      await expect(pool.submit('countPrimes', -1)).rejects.toThrow(
        'limit must be an integer from 0 to 2147483647; got -1',
      );
      await expect(pool.submit('countPrimes', 10, 5)).rejects.toThrow('options must be an object; got number');
      await expect(pool.submit('primes', 10)).rejects.toThrow(RangeError);
      await expect(pool.submit('primes', 10)).rejects.toThrow(/^kernel must be one of countPrimes.*; got "primes"$/);
      await expect(pool.submit(7)).rejects.toThrow('kernel must be a string; got number');
    }));

  test('map runs one task per item and keeps their order', () =>
    withPool({ maxWorkers: 3 }, async (pool) => {
      await expect(pool.map('countPrimes', [10, 100, 1000, 2, 100_000])).resolves.toEqual([4, 25, 168, 0, 9592]);
      await expect(pool.map('countPrimes', new Set([10, 100]))).resolves.toEqual([4, 25]);
      await expect(pool.map('countPrimes', [])).resolves.toEqual([]);
      await expect(pool.map('countPrimes', 10)).rejects.toThrow('items must be an iterable; got number');
      await expect(pool.map('countPrimes', [10, 'x'])).rejects.toThrow(TypeError);
    }));

  test('map of many items raises no listener-leak warning (its tasks listen for an abort in groups, by design)', () => {
    const { ok } = inBackend(
      backend,
      `const warnings = [];
       process.on('warning', (w) => warnings.push(w.name));
       const pool = new gil.ThreadPool({ maxWorkers: 2 });
       const few = await pool.map('countPrimes', Array(50).fill(10), { signal: new AbortController().signal });
       const many = await pool.map('countPrimes', Array(10_000).fill(10), { signal: new AbortController().signal });
       await pool.shutdown();
       await new Promise((resolve) => setImmediate(resolve));
       return { few: few.every((n) => n === 4) && few.length, many: many.every((n) => n === 4) && many.length, warnings };`,
    );
    expect(ok).toEqual({ few: 50, many: 10_000, warnings: [] });
  });

  test('exactly maxWorkers threads, each running tasks under the lock', () =>
    withPool({ maxWorkers: 3 }, async (pool) => {
      gil.enable();
      await pool.map('countdown', Array(9).fill(40_000_000));
      const threads = gil.stats()[backend].threads.filter((t) => t.thread.startsWith(`${pool.label}-`));
      expect(threads).toHaveLength(3);
      expect(threads.every((t) => t.takes > 0 && t.takes === t.releases)).toBe(true);
    }));

  test('an abort stops a running task with AbortError, and the pool goes on', () =>
    withPool({ maxWorkers: 1 }, async (pool) => {
      const controller = new AbortController();
      const running = pool.submit('countPrimes', ENDLESS, { signal: controller.signal });
      setTimeout(() => controller.abort(), 30);
      await expect(running).rejects.toBeInstanceOf(AbortError);
      await expect(pool.submit('countPrimes', 1000)).resolves.toBe(168);
      await expect(pool.submit('countPrimes', 10, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    }));

  test('an abort of a map of many items stops every one of its tasks, running and queued', () =>
    withPool({ maxWorkers: 2 }, async (pool) => {
      const controller = new AbortController();
      const mapped = pool.map('countPrimes', Array(1000).fill(ENDLESS), { signal: controller.signal });
      setTimeout(() => controller.abort(), 30);
      await expect(mapped).rejects.toBeInstanceOf(AbortError);
      // Were any of the thousand endless tasks left running or queued, this would never come.
      await expect(pool.submit('countPrimes', 1000)).resolves.toBe(168);
    }));

  describe('shutdown', () => {
    test('lets every task finish, then takes no more', async () => {
      const pool = new ThreadPool({ maxWorkers: 1, backend });
      const tasks = [pool.submit('countPrimes', 1_000_000), pool.submit('countPrimes', 1000)];
      await pool.shutdown();
      await expect(Promise.all(tasks)).resolves.toEqual([78_498, 168]);
      await expect(pool.submit('countPrimes', 10)).rejects.toMatchObject({
        code: 'ERR_GIL_LAB_POOL_SHUT_DOWN',
        message: 'the pool is shut down and takes no new tasks',
      });
      // Bad arguments are still reported as such.
      await expect(pool.submit('countPrimes', -1)).rejects.toThrow(RangeError);
      await expect(pool.shutdown()).resolves.toBeUndefined();
    });

    test('with cancelFutures, the running and the queued tasks reject with CancelledError', () =>
      withPool({ maxWorkers: 1 }, async (pool) => {
        const outcomes = Promise.allSettled([pool.submit('countPrimes', ENDLESS), pool.submit('countPrimes', 1000)]);
        await new Promise((r) => setTimeout(r, 30));
        await pool.shutdown({ cancelFutures: true });
        for (const outcome of await outcomes) expect(outcome.reason).toBeInstanceOf(CancelledError);
      }));

    test('with wait: false, it returns at once; a later call can still cancel', () =>
      withPool({ maxWorkers: 1 }, async (pool) => {
        const running = pool.submit('countPrimes', ENDLESS).catch((error) => error);
        await new Promise((r) => setTimeout(r, 30));
        const started = Date.now();
        await pool.shutdown({ wait: false });
        expect(Date.now() - started).toBeLessThan(1000);
        await pool.shutdown({ cancelFutures: true });
        await expect(running).resolves.toBeInstanceOf(CancelledError);
      }));

    test('checks its options', async () => {
      const pool = new ThreadPool({ maxWorkers: 1, backend });
      await expect(pool.shutdown({ wait: 'yes' })).rejects.toThrow('options.wait must be a boolean; got string');
      await expect(pool.shutdown({ cancelFutures: 1 })).rejects.toThrow(
        'options.cancelFutures must be a boolean; got number',
      );
      await expect(pool.shutdown(null)).rejects.toThrow('options must be an object; got null');
      await expect(pool.submit('countPrimes', 10)).resolves.toBe(4);
      await pool.shutdown();
    });

    test('Symbol.asyncDispose shuts down and waits', async () => {
      const pool = new ThreadPool({ maxWorkers: 2, backend });
      const task = pool.submit('countPrimes', 100_000);
      await pool[Symbol.asyncDispose]();
      await expect(task).resolves.toBe(9592);
      await expect(pool.submit('countPrimes', 10)).rejects.toMatchObject({ code: 'ERR_GIL_LAB_POOL_SHUT_DOWN' });
    });
  });

  if (backend === 'native') {
    test('its threads are its own: 4 workers run 4 sleeps at once with UV_THREADPOOL_SIZE=1', () => {
      const ms = inBackend(
        'native',
        `const pool = new gil.ThreadPool({ maxWorkers: 4, backend: 'native' });
         await pool.submit('sleep', 0);
         const started = performance.now();
         await pool.map('sleep', [200, 200, 200, 200]);
         const ms = performance.now() - started;
         await pool.shutdown();
         return ms;`,
        { env: { UV_THREADPOOL_SIZE: '1' } },
      ).ok;
      // One after another would take 800 ms.
      expect(ms).toBeGreaterThanOrEqual(199);
      expect(ms).toBeLessThan(600);
    });

    test('its threads are its own: 4 workers run 4 CPU-bound tasks at once with UV_THREADPOOL_SIZE=1', () => {
      // With the lock on, every task's thread waits for the others and is asked to drop the
      // lock: four threads each switching proves four tasks in flight at once.
      const threads = inBackend(
        'native',
        `const pool = new gil.ThreadPool({ maxWorkers: 4, backend: 'native' });
         gil.gil.enable({ switchInterval: 0.001 });
         await pool.map('countdown', Array(4).fill(200_000_000));
         await pool.shutdown();
         return gil.gil.stats().native.threads.filter((t) => t.thread.startsWith(pool.label));`,
        { env: { UV_THREADPOOL_SIZE: '1' } },
      ).ok;
      expect(threads).toHaveLength(4);
      for (const t of threads) {
        expect(t.contendedTakes).toBeGreaterThan(0);
        expect(t.forcedSwitches).toBeGreaterThan(0);
      }
    });
  }
});
