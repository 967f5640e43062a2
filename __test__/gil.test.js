'use strict';
// `gil`: its settings and their checks, and what its stats and trace show of tasks that run
// under the lock of this pass's backend.
const { gil, kernels, ThreadPool } = require('gil-lab');
const { backend: pass, nativeLoads } = require('./support/backends');
const { checkWaits } = require('./support/trace');
const { info } = require('gil-lab');

const backend = pass === 'auto' ? info().backend : pass;
/** About 100 ms of `countdown` on either backend. */
const CPU_TASK = 400_000_000;

afterEach(() => {
  gil.disable();
  gil.setSwitchInterval(0.005);
  gil.resetStats();
});

/** The stats of the threads whose name starts with `prefix`, in this pass's backend. */
function threadsOf(prefix) {
  return gil.stats()[backend].threads.filter((t) => t.thread.startsWith(prefix));
}

/** `checkWaits` of `gil.trace()` against `gil.stats()`, for this pass's backend. */
function waitsOfTrace() {
  const events = gil
    .trace()
    .filter((e) => e.backend === backend)
    .map((e) => ({ ...e, time: e.timeMs }));
  const threads = gil.stats()[backend].threads.map((t) => ({ ...t, wait: t.waitMs }));
  return checkWaits(events, threads, 1e-6);
}

describe(`gil (${backend} backend)`, () => {
  describe('settings', () => {
    test('off until enabled; enable() means cpython at 5 ms', () => {
      expect([gil.enabled, gil.mode, gil.getSwitchInterval()]).toEqual([false, 'off', 0.005]);
      gil.enable({ mode: 'legacy', switchInterval: 0.001 });
      expect([gil.enabled, gil.mode, gil.getSwitchInterval()]).toEqual([true, 'legacy', 0.001]);
      gil.enable();
      expect([gil.enabled, gil.mode, gil.getSwitchInterval()]).toEqual([true, 'cpython', 0.005]);
      gil.disable();
      expect([gil.enabled, gil.mode]).toEqual([false, 'off']);
    });

    test('the switch interval is kept in whole microseconds', () => {
      gil.setSwitchInterval(0.0000014);
      expect(gil.getSwitchInterval()).toBe(0.000001);
      gil.setSwitchInterval(1000);
      expect(gil.getSwitchInterval()).toBe(1000);
    });

    test.each([
      ['a string', '0.001', TypeError, 'seconds must be a number; got string'],
      ['zero', 0, RangeError, 'seconds must be a number from 0.000001 to 1000; got 0'],
      ['negative', -1, RangeError, 'seconds must be a number from 0.000001 to 1000; got -1'],
      ['NaN', NaN, RangeError, 'seconds must be a number from 0.000001 to 1000; got NaN'],
      ['Infinity', Infinity, RangeError, 'seconds must be a number from 0.000001 to 1000; got Infinity'],
      ['below 1 µs', 1e-7, RangeError, 'seconds must be a number from 0.000001 to 1000; got 1e-7'],
      ['above 1000 s', 1001, RangeError, 'seconds must be a number from 0.000001 to 1000; got 1001'],
    ])('setSwitchInterval refuses %s', (_, seconds, type, message) => {
      expect(() => gil.setSwitchInterval(seconds)).toThrow(type);
      expect(() => gil.setSwitchInterval(seconds)).toThrow(message);
      expect(gil.getSwitchInterval()).toBe(0.005);
    });

    test.each([
      [5, TypeError, 'options must be an object; got number'],
      [{ mode: 1 }, TypeError, 'options.mode must be a string; got number'],
      [{ mode: 'off' }, RangeError, 'options.mode must be "cpython" or "legacy"; got "off"'],
      [{ switchInterval: '1' }, TypeError, 'options.switchInterval must be a number; got string'],
      [{ switchInterval: 0 }, RangeError, 'options.switchInterval must be a number from 0.000001 to 1000; got 0'],
    ])('enable(%p) throws and changes nothing', (options, type, message) => {
      expect(() => gil.enable(options)).toThrow(type);
      expect(() => gil.enable(options)).toThrow(message);
      expect(gil.mode).toBe('off');
    });

    test('trace checks its limit', () => {
      expect(() => gil.trace({ limit: -1 })).toThrow('options.limit must be an integer from 0 to 2147483647; got -1');
      expect(() => gil.trace({ limit: 1.5 })).toThrow(RangeError);
      expect(() => gil.trace({ limit: '3' })).toThrow('options.limit must be a number; got string');
      expect(() => gil.trace('all')).toThrow('options must be an object; got string');
    });
  });

  test('a sync call on the main thread takes the lock', () => {
    kernels.countPrimesSync(1000);
    expect(threadsOf('main').every((t) => t.takes === 0)).toBe(true);
    gil.enable();
    expect(kernels.countPrimesSync(1000)).toBe(168);
    const [main] = threadsOf('main');
    expect(main).toMatchObject({ backend, takes: 1, releases: 1, contendedTakes: 0 });
    // Uncontended: no wait before the take.
    expect(gil.trace().map((e) => [e.thread, e.event])).toEqual([
      ['main', 'take'],
      ['main', 'release'],
    ]);
  });

  describe('two CPU-bound tasks on two threads', () => {
    let pool;
    beforeAll(() => {
      pool = new ThreadPool({ maxWorkers: 2, backend });
    });
    afterAll(() => pool.shutdown());

    test('with the lock on, they take turns: forced switches, and never two holders', async () => {
      gil.enable({ switchInterval: 0.002 });
      gil.resetStats();
      const started = performance.now();
      await expect(pool.map('countdown', [CPU_TASK, CPU_TASK])).resolves.toEqual([undefined, undefined]);
      const wallMs = performance.now() - started;
      const threads = threadsOf(pool.label);
      expect(threads).toHaveLength(2);
      for (const t of threads) {
        expect(t.takes).toBe(t.releases);
        expect(t.contendedTakes).toBeGreaterThan(0);
        expect(t.forcedSwitches).toBeGreaterThan(0);
      }
      const totals = gil.stats()[backend].totals;
      expect(totals.forcedSwitches).toBeLessThanOrEqual(totals.dropRequests);
      expect(totals.waitMs).toBeGreaterThan(0);
      // One holder at a time, so the holds fit in the run one after another: no parallelism.
      expect(totals.holdMs).toBeLessThanOrEqual(wallMs);
      let holder = null;
      for (const event of gil.trace().filter((e) => e.thread.startsWith(pool.label))) {
        if (event.event === 'take') {
          expect(holder).toBeNull();
          holder = event.thread;
        } else if (event.event === 'release') {
          expect(event.thread).toBe(holder);
          holder = null;
        }
      }
      expect(gil.stats()[backend].switches).toBeGreaterThanOrEqual(totals.forcedSwitches);
      // Each contended take shows its wait first: from its start to the take, the trace's
      // waits cover the time the stats count as waiting.
      const { waits, problems } = waitsOfTrace();
      expect(problems).toEqual([]);
      expect(waits).toBeGreaterThanOrEqual(totals.contendedTakes);
    });

    test('with the lock off, nothing is taken', async () => {
      await pool.map('countdown', [CPU_TASK, CPU_TASK]);
      expect(gil.stats()[backend].totals).toMatchObject({ takes: 0, releases: 0, holdMs: 0 });
      expect(gil.trace()).toEqual([]);
    });
  });

  (nativeLoads() ? test : test.skip)('one enable() locks both backends; stats and trace label each', async () => {
    gil.enable({ switchInterval: 0.002 });
    const pools = ['native', 'js'].map((b) => new ThreadPool({ maxWorkers: 2, backend: b }));
    await Promise.all(pools.map((pool) => pool.map('countdown', [CPU_TASK / 4, CPU_TASK / 4])));
    await Promise.all(pools.map((pool) => pool.shutdown()));
    const stats = gil.stats();
    for (const [i, b] of ['native', 'js'].entries()) {
      const threads = stats[b].threads.filter((t) => t.thread.startsWith(`${pools[i].label}-`));
      expect(threads).toHaveLength(2);
      expect(threads.every((t) => t.backend === b && t.retired && t.takes > 0)).toBe(true);
    }
    for (const key of Object.keys(stats.totals)) {
      expect(stats.totals[key]).toBeCloseTo(stats.native.totals[key] + stats.js.totals[key], 6);
    }
    expect(new Set(gil.trace().map((e) => e.backend))).toEqual(new Set(['native', 'js']));
  });

  test('the trace is bounded, ordered, and as long as asked', async () => {
    gil.enable();
    await using_(new ThreadPool({ maxWorkers: 2, backend }), (pool) => pool.map('countPrimes', Array(20).fill(1000)));
    const all = gil.trace();
    const { totals } = gil.stats();
    // A take per task, and one more for each forced switch: a busy machine can stall a holder
    // past the interval, and it takes the lock back after handing it over.
    expect(all.filter((e) => e.event === 'take')).toHaveLength(20 + totals.forcedSwitches);
    const { waits, problems } = waitsOfTrace();
    expect(problems).toEqual([]);
    expect(all.length).toBe(totals.takes + totals.releases + totals.dropRequests + waits);
    expect(gil.trace({ limit: 3 })).toEqual(all.slice(-3));
    expect(gil.trace({ limit: 0 })).toEqual([]);
    expect(all.every((e, i) => i === 0 || e.timeMs >= all[i - 1].timeMs)).toBe(true);
    expect(new Set(all.map((e) => e.backend))).toEqual(new Set([backend]));
    for (let i = 0; i < 200; i++) kernels.countPrimesSync(10);
    expect(gil.trace().length).toBeLessThanOrEqual(16384);
  });

  test('the stats start afresh after a reset', async () => {
    gil.enable();
    kernels.countPrimesSync(100);
    expect(gil.stats().totals.takes).toBeGreaterThan(0);
    gil.resetStats();
    const { totals } = gil.stats();
    expect(totals).toEqual({
      takes: 0,
      contendedTakes: 0,
      dropRequests: 0,
      forcedSwitches: 0,
      voluntaryReleases: 0,
      releases: 0,
      waitMs: 0,
      holdMs: 0,
    });
    expect(gil.trace()).toEqual([]);
  });

  test('toggling the lock and its interval while tasks run loses no task', async () => {
    const pool = new ThreadPool({ maxWorkers: 4, backend });
    const settings = [
      () => gil.enable({ switchInterval: 0.0001 }),
      () => gil.disable(),
      () => gil.enable({ mode: 'legacy' }),
      () => gil.setSwitchInterval(1000),
      () => gil.enable({ switchInterval: 0.00001 }),
    ];
    let changes = 0;
    const toggler = setInterval(() => settings[changes++ % settings.length](), 3);
    // Rounds of 24 tasks of about 5 ms until the lock has changed 10 times under them.
    while (changes < 10) {
      await expect(pool.map('countdown', Array(24).fill(20_000_000))).resolves.toEqual(Array(24).fill(undefined));
    }
    clearInterval(toggler);
    await pool.shutdown();
    for (const t of threadsOf(pool.label)) expect(t.takes).toBe(t.releases);
  });
});

/** `await using` for Node 20: runs `body(resource)`, then disposes of it. */
async function using_(resource, body) {
  try {
    return await body(resource);
  } finally {
    await resource[Symbol.asyncDispose]();
  }
}
