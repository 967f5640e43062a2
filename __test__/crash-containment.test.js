'use strict';
// Crash containment: a Rust panic inside a task, a child that throws or exits as it starts.
// Each gives a clear rejection; the pool goes on, or says plainly that it is broken.
const { submitFault, failNextStarts } = require('./support/faults'); // first: it puts the test-only entries in place
const { kernels, info, gil, ProcessPool, ThreadPool, BrokenPoolError, WorkerExitedError } = require('gil-lab');
const { MAX_FAILED_STARTS } = require('../dist/pools/process-pool');
const { backend } = require('./support/backends');

const native = info().backend === 'native';
const testNative = native ? test : test.skip;
const testJs = native ? test.skip : test;

/** Settles `promise` within `ms`, or fails: a hang is a failure of its own. */
function within(promise, ms = 5000) {
  let timer;
  const hang = new Promise(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms)),
  );
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

/** Resolves once `pool` has no live child, or rejects after `ms`. */
async function allExited(pool, ms = 5000) {
  const deadline = Date.now() + ms;
  while (pool.pids.length > 0) {
    if (Date.now() > deadline) throw new Error(`children still alive: ${pool.pids}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe(`crash containment (${backend} backend)`, () => {
  let pool;
  afterEach(async () => {
    await pool?.shutdown({ cancelFutures: true });
    pool = undefined;
  });

  describe('a Rust panic', () => {
    testNative(
      'on the default pool’s threads, amid real tasks: each panic rejects its own promise, every other task gets its result',
      async () => {
        const binding = require(info().binary);
        const calls = Array.from({ length: 8 * info().cpus }, (_, i) =>
          i % 2 ? binding.__panicForTesting(null, null, `number ${i}`) : kernels.countPrimes(1000 + i),
        );
        const outcomes = await Promise.allSettled(calls);
        outcomes.forEach((outcome, i) => {
          if (i % 2)
            expect(outcome).toMatchObject({
              status: 'rejected',
              reason: { message: `__panicForTesting panicked in Rust: number ${i}` },
            });
          else expect(outcome).toEqual({ status: 'fulfilled', value: kernels.countPrimesSync(1000 + i) });
        });
      },
    );

    testNative('in a child process: the task rejects with it, and the same child takes the next task', async () => {
      pool = new ProcessPool({ maxWorkers: 1 });
      const [pid] = (await pool.start(), pool.pids);
      const error = await submitFault(pool, { kind: 'panic' }).catch((e) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe('__panicForTesting panicked in Rust: a panic injected for testing');
      await expect(pool.submit('countPrimes', 1000)).resolves.toBe(168);
      expect(pool.pids).toEqual([pid]);
    });
  });

  describe('ThreadPool threads that die', () => {
    testNative('a panic on one of its native threads rejects that task; the pool goes on', async () => {
      pool = new ThreadPool({ maxWorkers: 2 });
      const panics = Array.from({ length: 4 }, () => submitFault(pool, { kind: 'panic' }));
      for (const outcome of await Promise.allSettled(panics)) {
        expect(outcome).toMatchObject({
          status: 'rejected',
          reason: { message: '__panicForTesting panicked in Rust: a panic injected for testing' },
        });
      }
      await expect(pool.map('countPrimes', [10, 100, 1000])).resolves.toEqual([4, 25, 168]);
    });

    testJs(
      'a worker thread that exits mid-task: that task rejects with WorkerExitedError, the thread is replaced',
      async () => {
        pool = new ThreadPool({ maxWorkers: 1 });
        const error = await within(submitFault(pool, { kind: 'exit', code: 3 }).catch((e) => e));
        expect(error).toBeInstanceOf(WorkerExitedError);
        expect(error).toMatchObject({
          code: 'ERR_GIL_LAB_WORKER_EXITED',
          exitCode: 3,
          signal: null,
          message: 'the worker thread running readFile exited with code 3',
        });
        await expect(within(pool.submit('countPrimes', 1000))).resolves.toBe(168);
      },
    );

    testJs(
      'a worker thread that dies holding the lock lets it go: the other threads and sync calls go on; its slot is retired',
      async () => {
        gil.enable({ switchInterval: 0.001 });
        try {
          pool = new ThreadPool({ maxWorkers: 2 });
          await within(pool.map('countPrimes', [10, 10])); // both threads up
          await expect(within(submitFault(pool, { kind: 'exit', code: 3 }))).rejects.toBeInstanceOf(WorkerExitedError);
          await expect(within(submitFault(pool, { kind: 'crash' }))).rejects.toThrow('a crash injected for testing');
          await expect(within(pool.map('countPrimes', [10, 100, 1000, 10_000]))).resolves.toEqual([4, 25, 168, 1229]);
          expect(kernels.countPrimesSync(1000)).toBe(168);
          const threads = gil.stats().js.threads.filter((t) => t.thread.startsWith(`${pool.label}-`));
          expect(threads.filter((t) => t.retired)).toHaveLength(2); // the two that died
          expect(threads.filter((t) => !t.retired)).toHaveLength(2); // their replacements
        } finally {
          gil.disable();
        }
      },
    );

    testJs('an uncaught exception in a worker thread rejects its task with that error; the pool goes on', async () => {
      pool = new ThreadPool({ maxWorkers: 1 });
      await expect(within(submitFault(pool, { kind: 'crash' }))).rejects.toThrow('a crash injected for testing');
      await expect(within(pool.submit('countPrimes', 1000))).resolves.toBe(168);
    });

    testJs('one thread that fails as it starts is replaced: the tasks get their results', async () => {
      pool = new ThreadPool({ maxWorkers: 2 });
      failNextStarts(pool, { kind: 'throw' });
      await expect(within(pool.map('countPrimes', [10, 100, 1000, 10]))).resolves.toEqual([4, 25, 168, 4]);
    });

    test.each([
      ['throw', { kind: 'throw' }, (e) => e.code === 'ERR_FAULT_FOR_TESTING'],
      ['exit', { kind: 'exit', code: 4 }, (e) => e instanceof WorkerExitedError && e.exitCode === 4],
    ])(
      'JS threads that all die as they start (%s): every task is refused at once, none hangs, the process lives',
      async (_, fault, isTheFault) => {
        if (native) return; // native threads start once, with their pool
        pool = new ThreadPool({ maxWorkers: 2 });
        failNextStarts(pool, fault, 1000);
        const outcomes = await within(
          Promise.allSettled(Array.from({ length: 6 }, () => pool.submit('countPrimes', 10))),
        );
        const later = await within(Promise.allSettled([pool.submit('countPrimes', 10)]));
        for (const { status, reason } of [...outcomes, ...later]) {
          expect(status).toBe('rejected');
          // The thread's own error, or, once none is left to run the waiting tasks, the pool's.
          if (!isTheFault(reason)) {
            expect(reason).toBeInstanceOf(BrokenPoolError);
            expect(reason.message).toMatch(
              /^the pool is broken: its worker threads died as they started, and none is left to run its tasks: /,
            );
          }
        }
        await expect(within(pool.shutdown())).resolves.toBeUndefined();
      },
    );
  });

  describe('children that die as they start', () => {
    test(`fewer than ${MAX_FAILED_STARTS} in a row: the tasks wait for a child that starts, and get their results`, async () => {
      pool = new ProcessPool({ maxWorkers: 1 });
      failNextStarts(pool, { kind: 'throw' });
      failNextStarts(pool, { kind: 'exit', code: 3 }, MAX_FAILED_STARTS - 2);
      await expect(Promise.all([pool.submit('countPrimes', 100), pool.submit('countPrimes', 1000)])).resolves.toEqual([
        25, 168,
      ]);
      expect(pool.pids).toHaveLength(1);
    });

    test('a child that starts resets the count: failures that never come three in a row never break the pool', async () => {
      pool = new ProcessPool({ maxWorkers: 1 });
      failNextStarts(pool, { kind: 'exit', code: 9 }, MAX_FAILED_STARTS - 1);
      await expect(pool.submit('countPrimes', 100)).resolves.toBe(25); // the third child started
      for (let round = 0; round < 3; round++) {
        // The idle child is killed; its replacement and the next die as they start; the third starts.
        failNextStarts(pool, { kind: 'exit', code: 9 }, MAX_FAILED_STARTS - 1);
        const [pid] = pool.pids;
        process.kill(pid, 'SIGKILL');
        while (pool.pids.includes(pid)) await new Promise((resolve) => setTimeout(resolve, 5));
        await expect(pool.submit('countPrimes', 100)).resolves.toBe(25);
      }
    });

    test.each([
      [
        'throws',
        { kind: 'throw' },
        { exitCode: 1, signal: null },
        /exited with code 1 before it was ready; its stderr ended with:[^]*FaultForTestingError: a fault injected for testing/,
      ],
      ['exits', { kind: 'exit', code: 3 }, { exitCode: 3, signal: null }, /exited with code 3 before it was ready$/],
    ])(
      `${MAX_FAILED_STARTS} in a row (each %s): the pool is broken, and says so to every task, queued or later`,
      async (_, fault, exit, lastDeath) => {
        pool = new ProcessPool({ maxWorkers: 2 });
        failNextStarts(pool, fault, 2 * MAX_FAILED_STARTS); // every child the pool starts, up to when it gives up
        const queued = Array.from({ length: 5 }, (_, i) => pool.submit('countPrimes', 100 * i));
        const outcomes = await Promise.allSettled(queued);
        const [first] = outcomes;
        expect(first.status).toBe('rejected');
        const broken = first.reason;
        expect(broken).toBeInstanceOf(BrokenPoolError);
        expect(broken).toMatchObject({ name: 'BrokenPoolError', code: 'ERR_GIL_LAB_BROKEN_POOL' });
        expect(broken.message).toMatch(
          new RegExp(
            `^the pool is broken: ${MAX_FAILED_STARTS} child processes in a row died before they were ready; the last: a child process \\(pid \\d+\\) `,
          ),
        );
        expect(broken.cause).toBeInstanceOf(WorkerExitedError);
        expect(broken.cause).toMatchObject(exit);
        expect(broken.cause.message).toMatch(lastDeath);
        for (const outcome of outcomes) expect(outcome).toEqual({ status: 'rejected', reason: broken });
        // Later tasks, of every way in, are refused with the same error, and start no child.
        await expect(pool.submit('countPrimes', 10)).rejects.toBe(broken);
        await expect(pool.map('countPrimes', [1, 2])).rejects.toBe(broken);
        await expect(pool.start()).rejects.toBe(broken);
        await expect(submitFault(pool, { kind: 'throw' })).rejects.toBe(broken);
        await allExited(pool);
        await expect(pool.shutdown()).resolves.toBeUndefined();
      },
    );

    test('start() of a pool whose children all die: it rejects, and shutdown() still resolves', async () => {
      pool = new ProcessPool({ maxWorkers: 2 });
      failNextStarts(pool, { kind: 'exit', code: 4 }, 10);
      await expect(pool.start()).rejects.toBeInstanceOf(WorkerExitedError);
      await expect(pool.submit('countPrimes', 10)).rejects.toBeInstanceOf(BrokenPoolError);
      await allExited(pool);
      await expect(pool.shutdown()).resolves.toBeUndefined();
    });

    test('a pool that breaks lets the task running on a healthy child finish, then closes that child', async () => {
      pool = new ProcessPool({ maxWorkers: 2 });
      await pool.start();
      const running = pool.submit('sleep', 2500); // on the first child, for longer than three starts take
      failNextStarts(pool, { kind: 'exit', code: 5 }, MAX_FAILED_STARTS);
      await expect(submitFault(pool, { kind: 'exit', code: 6 })).rejects.toBeInstanceOf(WorkerExitedError); // the second
      // The second child's replacements die as they start, while this task waits for them.
      await expect(pool.submit('countPrimes', 10)).rejects.toBeInstanceOf(BrokenPoolError);
      await expect(running).resolves.toBeUndefined();
      await allExited(pool);
    });
  });
});
