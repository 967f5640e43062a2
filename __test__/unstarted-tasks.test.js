'use strict';
// A task is failed by a worker's death only if that worker had started it. A task handed to a
// child process or a worker thread that died before taking it goes back to the front of the
// queue and runs on a live worker; one that kills every worker it reaches, before it starts,
// is given up after MAX_HANDOFFS, and the error says so.
const { submitFault, failNextStarts } = require('./support/faults'); // first: it puts the test-only entries in place
const { ProcessPool, ThreadPool, WorkerExitedError, compare, info } = require('gil-lab');
const { MAX_HANDOFFS } = require('../dist/errors');
const { backend } = require('./support/backends');
const { poolChildrenOf } = require('./support/processes');

const native = info().backend === 'native';
const testJs = native ? test.skip : test;

describe(`tasks whose worker died before it started them (${backend} backend)`, () => {
  let pool;
  afterEach(async () => {
    await pool?.shutdown({ cancelFutures: true });
    pool = undefined;
  });

  describe('ProcessPool', () => {
    test('idle children killed from outside: tasks submitted before their deaths are seen run on the replacements', async () => {
      pool = new ProcessPool({ maxWorkers: 2 });
      const pids = (await pool.start(), pool.pids);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      // In the same tick: the pool cannot have seen the deaths, and hands the tasks to the dead.
      const futures = [
        pool.submit('countPrimes', 1000),
        pool.submit('countPrimes', 100),
        pool.submit('countPrimes', 10),
      ];
      await expect(Promise.all(futures)).resolves.toEqual([168, 25, 4]);
      expect(pool.pids).toHaveLength(2);
      for (const pid of pids) expect(pool.pids).not.toContain(pid);
    });

    test('a task handed to a stopped child, killed before it could read it, runs on its replacement', async () => {
      pool = new ProcessPool({ maxWorkers: 1 });
      const [pid] = (await pool.start(), pool.pids);
      process.kill(pid, 'SIGSTOP');
      const future = pool.submit('countPrimes', 1000); // sent to the stopped child, which never reads it
      await new Promise((resolve) => setImmediate(resolve));
      process.kill(pid, 'SIGKILL');
      await expect(future).resolves.toBe(168);
      expect(pool.pids).toHaveLength(1);
      expect(pool.pids).not.toContain(pid);
    });

    test(`a task that kills every child it reaches before it starts is given up after ${MAX_HANDOFFS} children, and says so; the pool goes on`, async () => {
      pool = new ProcessPool({ maxWorkers: 2 });
      await pool.start();
      const error = await submitFault(pool, { kind: 'dieBeforeStart' }).catch((e) => e);
      expect(error).toBeInstanceOf(WorkerExitedError);
      expect(error).toMatchObject({ code: 'ERR_GIL_LAB_WORKER_EXITED', signal: 'SIGKILL', exitCode: null });
      expect(error.message).toMatch(
        new RegExp(
          `^readFile was handed to ${MAX_HANDOFFS} child processes in turn, and each died before it started it; the last \\(pid \\d+\\) was killed by signal SIGKILL$`,
        ),
      );
      await expect(pool.map('countPrimes', [10, 100, 1000])).resolves.toEqual([4, 25, 168]);
      expect(pool.pids).toHaveLength(2);
    });

    test('a shutdown that waits runs a task handed back by a child killed while idle, then closes', async () => {
      pool = new ProcessPool({ maxWorkers: 1 });
      const [pid] = (await pool.start(), pool.pids);
      process.kill(pid, 'SIGKILL');
      const future = pool.submit('countPrimes', 1000);
      await pool.shutdown();
      await expect(future).resolves.toBe(168);
      expect(pool.pids).toEqual([]);
    });

    test('a task that the child started is failed by its death, and not run again', async () => {
      pool = new ProcessPool({ maxWorkers: 2 });
      await pool.start();
      await expect(submitFault(pool, { kind: 'kill' })).rejects.toMatchObject({
        name: 'WorkerExitedError',
        signal: 'SIGKILL',
      });
      await expect(pool.submit('countPrimes', 100)).resolves.toBe(25);
    });
  });

  describe('ThreadPool', () => {
    testJs(
      'a worker thread that dies as it starts, with a task already handed to it: the task runs on another thread',
      async () => {
        pool = new ThreadPool({ maxWorkers: 2 });
        failNextStarts(pool, { kind: 'exit', code: 3 });
        const futures = [1000, 100, 10, 1].map((n) => pool.submit('countPrimes', n));
        await expect(Promise.all(futures)).resolves.toEqual([168, 25, 4, 0]);
      },
    );

    testJs(
      `a task that kills every worker thread it reaches before it starts is given up after ${MAX_HANDOFFS}, and says so; the pool goes on`,
      async () => {
        pool = new ThreadPool({ maxWorkers: 2 });
        await pool.map('countPrimes', [10, 10]); // both threads up
        const error = await submitFault(pool, { kind: 'dieBeforeStart' }).catch((e) => e);
        expect(error).toBeInstanceOf(WorkerExitedError);
        expect(error.message).toBe(
          `readFile was handed to ${MAX_HANDOFFS} worker threads in turn, and each died before it started it; the last exited with code 9`,
        );
        expect(error).toMatchObject({ exitCode: 9, signal: null });
        await expect(pool.map('countPrimes', [10, 100, 1000])).resolves.toEqual([4, 25, 168]);
      },
    );

    test('a native pool hands a task to no thread that could die before it starts it: a panic fails only its own task', async () => {
      if (!native) return;
      pool = new ThreadPool({ maxWorkers: 1 });
      const panics = [submitFault(pool, { kind: 'panic' }), submitFault(pool, { kind: 'panic' })];
      const queued = [1000, 100, 10].map((n) => pool.submit('countPrimes', n));
      for (const outcome of await Promise.allSettled(panics)) expect(outcome.status).toBe('rejected');
      await expect(Promise.all(queued)).resolves.toEqual([168, 25, 4]);
    });
  });

  test('compare(): children of a processes cell killed while idle, between runs, fail no run', async () => {
    let killed = 0;
    const onProgress = () => {
      // Called as each run ends: the cell's children are idle, their next tasks on their way.
      for (const pid of poolChildrenOf(process.pid)) {
        process.kill(pid, 'SIGKILL');
        killed++;
      }
    };
    const report = await compare({
      kernel: 'countPrimes',
      size: 20_000,
      tasks: 2,
      workers: [2],
      models: ['processes'],
      repeats: 3,
      backends: [info().backend],
      onProgress,
    });
    expect(report.rows.map((r) => r.model)).toEqual(['sequential', 'processes']);
    expect(killed).toBeGreaterThanOrEqual(4);
  });
});
