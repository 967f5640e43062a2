'use strict';
// InterpreterPool on this pass's backend: threads that each have a lock of their own. Whether
// tasks escape each other's lock is judged by the locks' own counters and trace, never by
// timing: a task that holds its lock for ever (until aborted) beside another task shows, in
// the other's counts, whether it had to wait.
const { submitFault } = require('./support/faults'); // first: it puts the test-only entries in place
const {
  InterpreterPool,
  ThreadPool,
  gil,
  info,
  asCompleted,
  wait,
  AbortError,
  CancelledError,
  WorkerExitedError,
} = require('gil-lab');
const { backend: pass } = require('./support/backends');

const backend = pass === 'auto' ? info().backend : pass;
/** Longer than any test: a task that only a cancel stops. */
const ENDLESS = 2 ** 31 - 1;

afterEach(() => {
  gil.disable();
  gil.resetStats();
});

/** Runs `body(pool)` on a new pool, then shuts the pool down, cancelling what is left. */
async function withPool(Pool, options, body) {
  const pool = new Pool({ backend, ...options });
  try {
    return await body(pool);
  } finally {
    await pool.shutdown({ cancelFutures: true });
  }
}

/** This backend's threads of `pool`, from `gil.stats()`. */
function threadsOf(pool) {
  return gil.stats()[backend].threads.filter((t) => t.thread.startsWith(`${pool.label}-`));
}

async function eventually(what, condition) {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Starts a task that holds its lock until aborted, and waits until it has taken it. Returns
 * the thread that runs it, and a function that stops it.
 */
async function holdOneLock(pool) {
  const controller = new AbortController();
  const endless = pool.submit('countdown', ENDLESS, { signal: controller.signal });
  endless.catch(() => {});
  await eventually('the endless task holds its lock', () => threadsOf(pool).some((t) => t.takes > 0));
  const holder = threadsOf(pool).find((t) => t.takes > 0);
  return {
    holder,
    stop: async () => {
      controller.abort();
      await expect(endless).rejects.toBeInstanceOf(AbortError);
    },
  };
}

describe(`InterpreterPool (${backend} backend)`, () => {
  describe('options', () => {
    test.each([
      [5, TypeError, 'options must be an object; got number'],
      [{ maxWorkers: 0 }, RangeError, 'options.maxWorkers must be an integer from 1 to 256; got 0'],
      [{ backend: 'gpu' }, RangeError, 'options.backend must be "native", "wasm", "js" or "auto"; got "gpu"'],
      [{ maxWorkers: 2, interpreters: '2' }, TypeError, 'options.interpreters must be a number; got string'],
      [{ maxWorkers: 2, interpreters: 0 }, RangeError, 'options.interpreters must be an integer from 1 to 2; got 0'],
      [{ maxWorkers: 2, interpreters: 3 }, RangeError, 'options.interpreters must be an integer from 1 to 2; got 3'],
    ])('new InterpreterPool(%p) throws', (options, type, message) => {
      expect(() => new InterpreterPool(options)).toThrow(type);
      expect(() => new InterpreterPool(options)).toThrow(message);
    });

    test('defaults: one interpreter per thread, a thread per core', () =>
      withPool(InterpreterPool, {}, async (pool) => {
        expect(pool.maxWorkers).toBe(info().cpus);
        expect(pool.interpreters).toBe(info().cpus);
        expect(pool.label).toMatch(/^interpreters-\d+$/);
      }));
  });

  test('submit and map run kernels and check their arguments as every pool does', () =>
    withPool(InterpreterPool, { maxWorkers: 2 }, async (pool) => {
      await expect(pool.submit('countPrimes', 1000)).resolves.toBe(168);
      await expect(pool.map('countPrimes', [10, 100, 1000])).resolves.toEqual([4, 25, 168]);
      await expect(pool.submit('countPrimes', -1)).rejects.toThrow(
        'limit must be an integer from 0 to 2147483647; got -1',
      );
    }));

  test('its futures work with asCompleted and wait, as every pool’s', () =>
    withPool(InterpreterPool, { maxWorkers: 2 }, async (pool) => {
      const futures = [pool.submit('countPrimes', 100), pool.submit('countPrimes', 1000)];
      const results = [];
      for await (const future of asCompleted(futures)) results.push(await future);
      expect(results.sort((a, b) => a - b)).toEqual([25, 168]);
      const { done, notDone } = await wait(futures);
      expect([done.size, notDone.size]).toEqual([2, 0]);
    }));

  test('arguments and results are copies: a change to the argument after submit changes nothing', () =>
    withPool(InterpreterPool, { maxWorkers: 1 }, async (pool) => {
      const data = new Uint8Array(new SharedArrayBuffer(1024)).fill(7);
      const expected = await pool.submit('sha256', data.slice());
      const digest = pool.submit('sha256', data);
      data.fill(8);
      const result = await digest;
      expect(result).toEqual(expected);
      expect(result.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    }));

  test('with the lock on, a task in another interpreter runs beside a task that holds its lock, and never waits', () =>
    withPool(InterpreterPool, { maxWorkers: 2 }, async (pool) => {
      gil.enable({ switchInterval: 0.001 });
      const { holder, stop } = await holdOneLock(pool);
      // It finishes while the other still holds its lock: the two ran at once, locks on.
      await expect(pool.map('countPrimes', [20_000, 20_000, 20_000])).resolves.toEqual([2262, 2262, 2262]);
      await stop();
      const threads = threadsOf(pool);
      expect(new Set(threads.map((t) => t.interpreter)).size).toBe(2);
      const other = threads.find((t) => t.interpreter !== holder.interpreter);
      expect(other).toMatchObject({ takes: 3, contendedTakes: 0, dropRequests: 0, forcedSwitches: 0 });
      expect(threads.reduce((all, t) => all + t.contendedTakes + t.dropRequests, 0)).toBe(0);
    }));

  test('two threads in one interpreter still contend for its lock, as threads do', () =>
    withPool(InterpreterPool, { maxWorkers: 2, interpreters: 1 }, async (pool) => {
      gil.enable({ switchInterval: 0.001 });
      const { holder, stop } = await holdOneLock(pool);
      await expect(pool.submit('countPrimes', 20_000)).resolves.toBe(2262);
      await stop();
      const threads = threadsOf(pool);
      expect(new Set(threads.map((t) => t.interpreter)).size).toBe(1);
      const other = threads.find((t) => t.thread !== holder.thread);
      expect(other.contendedTakes).toBeGreaterThanOrEqual(1);
      expect(other.dropRequests).toBeGreaterThanOrEqual(1);
      expect(threads.find((t) => t.thread === holder.thread).forcedSwitches).toBeGreaterThanOrEqual(1);
    }));

  test('no convoy: I/O in one interpreter beside a CPU-bound task in another never waits to take its lock back', async () => {
    gil.enable({ switchInterval: 0.001 });
    const waitsOfIo = async (Pool) =>
      withPool(Pool, { maxWorkers: 2 }, async (pool) => {
        const { holder, stop } = await holdOneLock(pool);
        gil.resetStats();
        await pool.submit('pipeRoundTrips', 20);
        const io = threadsOf(pool).find((t) => t.thread !== holder.thread);
        const trace = gil.trace().filter((e) => e.backend === backend && e.thread === io.thread);
        await stop();
        return {
          io,
          waits: trace.filter((e) => e.event === 'wait').length,
          releases: trace.filter((e) => e.reason === 'voluntary').length,
        };
      });
    const interpreters = await waitsOfIo(InterpreterPool);
    expect(interpreters.io.voluntaryReleases).toBeGreaterThanOrEqual(20);
    expect(interpreters.io.contendedTakes).toBe(0);
    expect(interpreters).toMatchObject({ waits: 0, releases: interpreters.io.voluntaryReleases });
    // Threads that share a lock, the same way: the I/O task waits at least to start (how many of
    // its round trips wait after that depends on how soon the CPU-bound thread wakes).
    const threads = await waitsOfIo(ThreadPool);
    expect(threads.io.contendedTakes).toBeGreaterThanOrEqual(1);
    expect(threads.waits).toBeGreaterThanOrEqual(1);
  });

  test('gil.stats() and gil.trace() show each interpreter apart; the settings apply to every lock; a reset forgets a closed pool', async () => {
    const pool = new InterpreterPool({ backend, maxWorkers: 2 });
    gil.enable({ mode: 'legacy' });
    const controller = new AbortController();
    const endless = pool.map('countdown', [ENDLESS, ENDLESS], { signal: controller.signal });
    endless.catch(() => {});
    // Legacy mode reaches each interpreter's lock: it releases every 100 ticks.
    const periodic = (n) =>
      gil.trace().some((e) => e.backend === backend && e.interpreter === n && e.reason === 'periodic');
    await eventually('both locks release periodically', () => {
      const numbers = new Set(threadsOf(pool).map((t) => t.interpreter));
      return numbers.size === 2 && [...numbers].every(periodic);
    });
    controller.abort();
    await expect(endless).rejects.toBeInstanceOf(AbortError);
    const stats = gil.stats()[backend];
    const numbers = [...new Set(threadsOf(pool).map((t) => t.interpreter))].sort((a, b) => a - b);
    expect(numbers).toHaveLength(2);
    expect(numbers.every((n) => n > 0)).toBe(true);
    expect(stats.interpreters.map((i) => i.interpreter)).toEqual(expect.arrayContaining([0, ...numbers]));
    for (const n of numbers) {
      const mine = stats.interpreters.find((i) => i.interpreter === n);
      expect(mine.totals.takes).toBe(
        stats.threads.filter((t) => t.interpreter === n).reduce((sum, t) => sum + t.takes, 0),
      );
      expect(mine.totals.takes).toBeGreaterThanOrEqual(1);
      expect(mine.totals.contendedTakes).toBe(0);
    }
    gil.disable();
    gil.resetStats();
    await pool.map('countdown', [1000, 1000]);
    expect(threadsOf(pool).every((t) => t.takes === 0)).toBe(true);
    await pool.shutdown();
    gil.resetStats();
    expect(gil.stats()[backend].interpreters.map((i) => i.interpreter)).toEqual([0]);
  });

  describe('faults, aborts and shutdown, as ThreadPool', () => {
    test('an abort stops a running task with AbortError, and the pool goes on', () =>
      withPool(InterpreterPool, { maxWorkers: 1 }, async (pool) => {
        const controller = new AbortController();
        const running = pool.submit('countdown', ENDLESS, { signal: controller.signal });
        setTimeout(() => controller.abort(), 20);
        await expect(running).rejects.toBeInstanceOf(AbortError);
        await expect(pool.submit('countPrimes', 1000)).resolves.toBe(168);
      }));

    test('shutdown with cancelFutures rejects the running and the queued tasks with CancelledError, then takes none', async () => {
      const pool = new InterpreterPool({ backend, maxWorkers: 1 });
      const tasks = Promise.allSettled([pool.submit('countdown', ENDLESS), pool.submit('countPrimes', 1000)]);
      await pool.shutdown({ cancelFutures: true });
      for (const outcome of await tasks) expect(outcome.reason).toBeInstanceOf(CancelledError);
      await expect(pool.submit('countPrimes', 10)).rejects.toMatchObject({ code: 'ERR_GIL_LAB_POOL_SHUT_DOWN' });
    });

    test('Symbol.asyncDispose shuts down after the tasks finish', async () => {
      const pool = new InterpreterPool({ backend, maxWorkers: 2 });
      const task = pool.submit('countPrimes', 1000);
      await pool[Symbol.asyncDispose]();
      await expect(task).resolves.toBe(168);
      await expect(pool.submit('countPrimes', 10)).rejects.toMatchObject({ code: 'ERR_GIL_LAB_POOL_SHUT_DOWN' });
    });

    const testJs = backend === 'js' ? test : test.skip;
    testJs(
      'a thread that exits is a WorkerExitedError; its replacement joins the interpreter it left, which contends with no other',
      () =>
        withPool(InterpreterPool, { maxWorkers: 2 }, async (pool) => {
          await pool.map('countPrimes', [10, 10]);
          const exited = submitFault(pool, { kind: 'exit', code: 3 });
          await expect(exited).rejects.toBeInstanceOf(WorkerExitedError);
          await expect(exited).rejects.toMatchObject({ exitCode: 3 });
          gil.enable({ switchInterval: 0.001 });
          gil.resetStats();
          const { stop } = await holdOneLock(pool);
          await expect(pool.submit('countPrimes', 20_000)).resolves.toBe(2262);
          await stop();
          const live = threadsOf(pool).filter((t) => !t.retired);
          expect(live).toHaveLength(2);
          expect(new Set(live.map((t) => t.interpreter)).size).toBe(2);
          expect(live.every((t) => t.contendedTakes === 0)).toBe(true);
        }),
    );

    const testNative = backend === 'native' ? test : test.skip;
    testNative('a panic in Rust rejects its task; the thread takes the next one', () =>
      withPool(InterpreterPool, { maxWorkers: 1 }, async (pool) => {
        await expect(submitFault(pool, { kind: 'panic' })).rejects.toThrow(
          'panicked in Rust: a panic injected for testing',
        );
        await expect(pool.submit('countPrimes', 1000)).resolves.toBe(168);
      }),
    );
  });
});
