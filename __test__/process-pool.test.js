'use strict';
const { submitFault } = require('./support/faults'); // first: it puts the test-only entries in place
const { ProcessPool, AbortError, CancelledError, WorkerExitedError, kernels, info } = require('gil-lab');
const { backend } = require('./support/backends');

const FOREVER = 2 ** 31 - 1; // countPrimes of this runs for minutes: only an abort or a death ends it

/** Resolves when `pool` has `count` live children. */
async function childrenUp(pool, count) {
  for (let i = 0; i < 200 && pool.pids.length !== count; i++) await new Promise((r) => setTimeout(r, 10));
  return pool.pids;
}

describe(`ProcessPool (${backend} backend)`, () => {
  let pool;
  afterEach(async () => {
    await pool?.shutdown({ cancelFutures: true });
    pool = undefined;
  });

  test('runs kernels in child processes of its own backend, with the results of a sync call', async () => {
    pool = new ProcessPool({ maxWorkers: 2 });
    expect(pool.backend).toBe(info().backend);
    expect(pool.maxWorkers).toBe(2);
    const { startupMs } = await pool.start();
    expect(startupMs).toHaveLength(2);
    for (const ms of startupMs) expect(ms).toBeGreaterThan(0);
    const pids = pool.pids;
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(process.pid);
    const limits = [0, 10, 1000, 100_000, 300_000];
    await expect(pool.map('countPrimes', limits)).resolves.toEqual(limits.map((l) => kernels.countPrimesSync(l)));
    await expect(pool.submit('countPrimes', 7920)).resolves.toBe(1000);
    expect(pool.pids).toEqual(pids);
  });

  test('typed arrays cross both ways as typed arrays; optional arguments may be left off', async () => {
    pool = new ProcessPool({ maxWorkers: 1 });
    const a = Float64Array.from([1, 2, 3, 4]);
    const b = Float64Array.from([0.5, -1, 2, 0.25]);
    const product = await pool.submit('matmul', a, b, 2);
    expect(product.constructor.name).toBe('Float64Array'); // from Node's realm, not the test's
    expect(product).toEqual(kernels.matmulSync(a, b, 2));
    const data = new TextEncoder().encode('abc');
    const digest = await pool.submit('sha256', data, { signal: new AbortController().signal });
    expect(digest.constructor.name).toBe('Uint8Array');
    expect(Buffer.from(digest).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  test('checks the kernel, its arguments and the options in this process, before any child starts', async () => {
    pool = new ProcessPool({ maxWorkers: 1 });
    await expect(pool.submit('countPrimes', -1)).rejects.toThrow(
      new RangeError('limit must be an integer from 0 to 2147483647; got -1'),
    );
    await expect(pool.submit('countPrimes', '5')).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_TYPE',
    });
    await expect(pool.submit('nope', 5)).rejects.toThrow(RangeError);
    await expect(pool.submit('nope', 5)).rejects.toThrow(/kernel must be one of countPrimes/);
    await expect(pool.submit('countPrimes', 5, { signal: 'x' })).rejects.toThrow(
      'options.signal must be an AbortSignal',
    );
    await expect(pool.map('countPrimes', [1, 2, 'three'])).rejects.toThrow('limit must be a number; got string');
    await expect(pool.map('countPrimes', 5)).rejects.toThrow('items must be an iterable; got number');
    expect(pool.pids).toEqual([]);
  });

  test.each([
    [{ maxWorkers: 0 }, RangeError, 'options.maxWorkers must be an integer from 1 to 256; got 0'],
    [{ maxWorkers: 1.5 }, RangeError, 'options.maxWorkers must be an integer from 1 to 256; got 1.5'],
    [{ maxWorkers: '2' }, TypeError, 'options.maxWorkers must be a number; got string'],
    [{ backend: 'gpu' }, RangeError, 'options.backend must be "native", "wasm", "js" or "auto"; got "gpu"'],
    [5, TypeError, 'options must be an object; got number'],
  ])('refuses options %p', (options, type, message) => {
    expect(() => new ProcessPool(options)).toThrow(type);
    expect(() => new ProcessPool(options)).toThrow(message);
  });

  describe('abort', () => {
    test('a running task rejects promptly; its child stops the kernel and takes the next task', async () => {
      pool = new ProcessPool({ maxWorkers: 1 });
      const [pid] = (await pool.start(), pool.pids);
      const controller = new AbortController();
      const running = pool.submit('countPrimes', FOREVER, { signal: controller.signal });
      const next = pool.submit('countPrimes', 1000);
      setTimeout(() => controller.abort(new Error('enough')), 50);
      const started = Date.now();
      await expect(running).rejects.toMatchObject({
        name: 'AbortError',
        code: 'ABORT_ERR',
        cause: new Error('enough'),
      });
      expect(Date.now() - started).toBeLessThan(1000);
      await expect(next).resolves.toBe(168);
      expect(pool.pids).toEqual([pid]);
    });

    test('a queued task rejects and never runs; an aborted signal rejects at once', async () => {
      pool = new ProcessPool({ maxWorkers: 1 });
      const controller = new AbortController();
      const first = pool.submit('countPrimes', 200_000);
      const queued = pool.submit('countPrimes', FOREVER, { signal: controller.signal });
      controller.abort();
      await expect(queued).rejects.toBeInstanceOf(AbortError);
      await expect(first).resolves.toBe(17_984);
      await expect(pool.submit('countPrimes', 10, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    });

    test('a child deaf to the abort is killed after a grace period and replaced', async () => {
      pool = new ProcessPool({ maxWorkers: 1 });
      const [pid] = (await pool.start(), pool.pids);
      const controller = new AbortController();
      const blocked = submitFault(pool, { kind: 'block', ms: 20_000 }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(blocked).rejects.toBeInstanceOf(AbortError);
      await expect(pool.submit('countPrimes', 1000)).resolves.toBe(168);
      expect(pool.pids).toHaveLength(1);
      expect(pool.pids).not.toContain(pid);
    });

    test('map stops every one of its tasks when its signal aborts', async () => {
      pool = new ProcessPool({ maxWorkers: 2 });
      const controller = new AbortController();
      const mapped = pool.map('countPrimes', [FOREVER, FOREVER, FOREVER], { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(mapped).rejects.toBeInstanceOf(AbortError);
      // Both children are free again at once.
      await expect(pool.map('countPrimes', [10, 100])).resolves.toEqual([4, 25]);
    });
  });

  describe('faults', () => {
    test('a task that throws rejects with the error’s class name, message, code and stack', async () => {
      pool = new ProcessPool({ maxWorkers: 1 });
      const error = await submitFault(pool, { kind: 'throw' }).catch((e) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({
        name: 'FaultForTestingError',
        message: 'a fault injected for testing',
        code: 'ERR_FAULT_FOR_TESTING',
      });
      expect(error.stack).toMatch(/^FaultForTestingError: a fault injected for testing\n\s+at injectFault/);
      await expect(pool.submit('countPrimes', 100)).resolves.toBe(25);
    });

    test.each([
      ['process.exit', { kind: 'exit', code: 7 }, { exitCode: 7, signal: null }, /exited with code 7/],
      [
        'an uncaught exception',
        { kind: 'crash' },
        { exitCode: 1, signal: null },
        /exited with code 1; its stderr ended with:[^]*a crash injected for testing/,
      ],
      ['a kill signal', { kind: 'kill' }, { exitCode: null, signal: 'SIGKILL' }, /was killed by signal SIGKILL/],
    ])(
      'a child that dies mid-task (%s) rejects that task, is replaced, and the queue goes on',
      async (_, fault, exit, message) => {
        pool = new ProcessPool({ maxWorkers: 1 });
        const [pid] = (await pool.start(), pool.pids);
        const dying = submitFault(pool, fault);
        const queued = [pool.submit('countPrimes', 1000), pool.submit('countPrimes', 100)];
        const error = await dying.catch((e) => e);
        expect(error).toBeInstanceOf(WorkerExitedError);
        expect(error).toMatchObject({ code: 'ERR_GIL_LAB_WORKER_EXITED', ...exit });
        expect(error.message).toMatch(new RegExp(`^the child process \\(pid ${pid}\\) running readFile`));
        expect(error.message).toMatch(message);
        await expect(Promise.all(queued)).resolves.toEqual([168, 25]);
        expect(pool.pids).toHaveLength(1);
        expect(pool.pids).not.toContain(pid);
      },
    );

    test('a child killed from outside while it runs a kernel: the task rejects with the signal', async () => {
      pool = new ProcessPool({ maxWorkers: 2 });
      await pool.start();
      const long = pool.submit('countPrimes', FOREVER);
      const other = pool.submit('countPrimes', 100_000);
      await new Promise((r) => setTimeout(r, 100));
      const [victim, survivor] = pool.pids;
      process.kill(victim, 'SIGTERM');
      await expect(long).rejects.toMatchObject({ name: 'WorkerExitedError', signal: 'SIGTERM', exitCode: null });
      await expect(other).resolves.toBe(9592);
      const pids = await childrenUp(pool, 2);
      expect(pids).toContain(survivor);
      expect(pids).not.toContain(victim);
    });
  });

  describe('shutdown', () => {
    test('waits for the queued and running tasks, then for every child to exit; then takes no tasks', async () => {
      pool = new ProcessPool({ maxWorkers: 2 });
      const futures = [200_000, 100_000, 1000, 100, 10].map((l) => pool.submit('countPrimes', l));
      await pool.shutdown();
      expect(pool.pids).toEqual([]);
      await expect(Promise.all(futures)).resolves.toEqual([17_984, 9592, 168, 25, 4]);
      await expect(pool.submit('countPrimes', 10)).rejects.toMatchObject({
        message: 'the pool is shut down and takes no new tasks',
        code: 'ERR_GIL_LAB_POOL_SHUT_DOWN',
      });
      await expect(pool.shutdown()).resolves.toBeUndefined();
    });

    test('cancelFutures settles every task at once: queued and running ones reject with CancelledError', async () => {
      pool = new ProcessPool({ maxWorkers: 2 });
      await pool.start();
      const futures = Array.from({ length: 5 }, () => pool.submit('countPrimes', FOREVER));
      const outcomes = Promise.allSettled(futures);
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      await pool.shutdown({ cancelFutures: true });
      expect(Date.now() - started).toBeLessThan(1500);
      for (const outcome of await outcomes) {
        expect(outcome.status).toBe('rejected');
        expect(outcome.reason).toBeInstanceOf(CancelledError);
      }
      expect(pool.pids).toEqual([]);
    });

    test('wait: false returns at once, and the tasks still finish', async () => {
      pool = new ProcessPool({ maxWorkers: 1 });
      const future = pool.submit('countPrimes', 100_000);
      await pool.shutdown({ wait: false });
      await expect(future).resolves.toBe(9592);
      await expect(pool.shutdown({ wait: 'yes' })).rejects.toThrow('options.wait must be a boolean; got string');
    });

    test('Symbol.asyncDispose shuts down and waits', async () => {
      const disposable = new ProcessPool({ maxWorkers: 1 });
      const future = disposable.submit('countPrimes', 1000);
      await disposable[Symbol.asyncDispose]();
      await expect(future).resolves.toBe(168);
      expect(disposable.pids).toEqual([]);
    });
  });
});
