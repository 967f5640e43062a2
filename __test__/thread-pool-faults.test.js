'use strict';
// ThreadPool under faults injected into its worker threads (the JS backend's; the native
// backend's threads run Rust alone, where a panic is the one fault: see panic.test.js).
const { submitFault } = require('./support/faults'); // first: it puts the test-only entries in place
const { ThreadPool, WorkerExitedError, AbortError } = require('gil-lab');
const { backend } = require('./support/backends');

describe(`ThreadPool faults (${backend} pass)`, () => {
  let pool;
  beforeEach(() => {
    pool = new ThreadPool({ maxWorkers: 1, backend: 'js' });
  });
  afterEach(() => pool.shutdown({ cancelFutures: true }));

  test('a task that throws rejects with its own error, and the thread takes the next task', async () => {
    await expect(submitFault(pool, { kind: 'throw' })).rejects.toMatchObject({
      name: 'FaultForTestingError',
      code: 'ERR_FAULT_FOR_TESTING',
    });
    await expect(pool.submit('countPrimes', 1000)).resolves.toBe(168);
  });

  test('process.exit in the thread is a WorkerExitedError with the code; the task queued behind it runs on a new thread', async () => {
    const exited = submitFault(pool, { kind: 'exit', code: 3 });
    const queued = pool.submit('countPrimes', 1000);
    const error = await exited.catch((e) => e);
    expect(error).toBeInstanceOf(WorkerExitedError);
    expect(error).toMatchObject({ code: 'ERR_GIL_LAB_WORKER_EXITED', exitCode: 3, signal: null });
    expect(error.message).toBe('the worker thread running readFile exited with code 3');
    await expect(queued).resolves.toBe(168);
  });

  test('an uncaught exception ends the thread: the task rejects with it, the pool goes on', async () => {
    await expect(submitFault(pool, { kind: 'crash' })).rejects.toThrow('a crash injected for testing');
    await expect(pool.map('countPrimes', [100, 1000])).resolves.toEqual([25, 168]);
  });

  test('a blocked thread: an abort settles the task at once; the thread answers once unblocked', async () => {
    const controller = new AbortController();
    const blocked = submitFault(pool, { kind: 'block', ms: 300 }, { signal: controller.signal });
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await expect(blocked).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(250);
    await expect(pool.submit('countPrimes', 1000)).resolves.toBe(168);
  });
});
