'use strict';
// compare() with the emulated lock on: contention shows in the threads rows' counts and not
// in the interpreters rows' nor the processes rows' (each interpreter and each child has a lock
// of its own); blocking sleeps release the lock.
const path = require('node:path');
const { compare, gil, info } = require('gil-lab');
const { ROOT, backend } = require('./support/backends');

const { intervalsOf } = require(path.join(ROOT, 'dist', 'report', 'charts'));

const HERE = { backends: [info().backend], repeats: 1, maxTime: 0 };
/** countPrimes' limit for a task of about 50 ms in this backend: long enough for two threads to overlap for many switch intervals. */
const LIMIT_50_MS = info().backend === 'native' ? 6_000_000 : 1_000_000;

describe(`compare with the lock (${backend} backend)`, () => {
  // Each cell is warmed until steady, and runs under the lock vary: its warm-ups may take their cap.
  jest.setTimeout(90_000);
  afterEach(() => gil.disable());

  test('cpu: 2 tasks on 2 threads contend for the lock; 2 interpreters and 2 processes do not; the caller’s settings come back', async () => {
    gil.enable({ mode: 'legacy', switchInterval: 0.002 });
    const report = await compare({
      ...HERE,
      kernel: 'countPrimes',
      size: LIMIT_50_MS,
      tasks: 2,
      workers: [2],
      models: ['threads', 'interpreters', 'processes'],
      gil: ['on'],
      switchIntervals: [0.001],
      trace: true,
    });
    expect({ enabled: gil.enabled, mode: gil.mode, interval: gil.getSwitchInterval() }).toEqual({
      enabled: true,
      mode: 'legacy',
      interval: 0.002,
    });
    const [sequential, threads, interpreters, processes] = report.rows;
    expect(report.rows.map((r) => r.model)).toEqual(['sequential', 'threads', 'interpreters', 'processes']);
    expect(threads).toMatchObject({ gil: 'on', mode: 'cpython', switchInterval: 0.001 });
    expect(threads.gilStats.takes).toBeGreaterThan(2);
    expect(threads.gilStats.contendedTakes).toBeGreaterThan(0);
    expect(threads.gilStats.forcedSwitches).toBeGreaterThan(0);
    expect(threads.gilStats.waitMs).toBeGreaterThan(0);
    expect(processes.gilStats.takes).toBeGreaterThanOrEqual(2);
    expect(processes.gilStats).toMatchObject({ contendedTakes: 0, forcedSwitches: 0, dropRequests: 0 });
    expect(interpreters.gilStats.takes).toBeGreaterThanOrEqual(2);
    expect(interpreters.gilStats).toMatchObject({ contendedTakes: 0, forcedSwitches: 0, dropRequests: 0, waitMs: 0 });
    expect(interpreters.startupMs).toBeGreaterThan(0);
    expect(sequential.gilStats).toMatchObject({ contendedTakes: 0, forcedSwitches: 0 });
    const threadsTimeline = report.timelines.find((t) => t.label.includes('threads'));
    expect(threadsTimeline.events.length).toBeGreaterThan(0);
    expect(threadsTimeline.events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['wait', 'take', 'release', 'drop-request']),
    );
    // Both threads wait for their turns, and the report draws each wait up to its take.
    const { held, waiting } = intervalsOf(threadsTimeline.events);
    expect(new Set(waiting.map((w) => w.thread)).size).toBe(2);
    for (const w of waiting) expect(held.some((h) => h.thread === w.thread && h.from === w.to)).toBe(true);
    for (const e of threadsTimeline.events) {
      expect(e.backend).toBe(info().backend);
      expect(e.timeMs).toBeGreaterThanOrEqual(0);
    }
  });

  test('lock off: no counts, no timelines', async () => {
    const report = await compare({
      ...HERE,
      kernel: 'countPrimes',
      size: 200_000,
      tasks: 2,
      workers: [2],
      models: ['threads'],
      trace: true,
    });
    expect(report.rows.map((r) => r.gilStats)).toEqual([null, null]);
    expect(report.timelines).toEqual([]);
  });

  test('io: 8 sleeps of 100 ms on 8 threads overlap with the lock on (a blocking call releases it)', async () => {
    const report = await compare({
      ...HERE,
      workload: 'io',
      size: 100,
      tasks: 8,
      workers: [8],
      models: ['threads'],
      gil: ['on'],
    });
    const [sequential, threads] = report.rows;
    expect(sequential.wallMs.median).toBeGreaterThanOrEqual(800);
    expect(threads.speedup).toBeGreaterThan(2);
    expect(threads.gilStats.voluntaryReleases).toBeGreaterThanOrEqual(8);
  });

  test('latency: pipe round trips alone and beside a CPU-bound thread, interpreter and process; no convoy across interpreters', async () => {
    const report = await compare({
      ...HERE,
      workload: 'latency',
      size: 20,
      workers: [1],
      models: ['threads', 'interpreters', 'processes'],
      gil: ['on'],
    });
    expect(report.rows.map((r) => [r.model, r.workers, r.kernel])).toEqual([
      ['sequential', 0, 'pipeRoundTrips'],
      ['threads', 1, 'pipeRoundTrips'],
      ['interpreters', 1, 'pipeRoundTrips'],
      ['processes', 1, 'pipeRoundTrips'],
    ]);
    const [, threads, interpreters] = report.rows;
    // The CPU-bound task holds the lock when the I/O task starts: on a shared lock it waits at
    // least then; in an interpreter of its own it never waits, before or after a round trip.
    expect(threads.gilStats.contendedTakes).toBeGreaterThanOrEqual(1);
    expect(interpreters.gilStats.voluntaryReleases).toBeGreaterThanOrEqual(20);
    expect(interpreters.gilStats).toMatchObject({ contendedTakes: 0, dropRequests: 0, forcedSwitches: 0, waitMs: 0 });
    for (const row of report.rows) {
      expect(row.latencyMs.median).toBeGreaterThan(0);
      expect(row.latencyMs.median).toBeCloseTo(row.wallMs.median / 20, 5);
    }
    await expect(compare({ workload: 'latency', kernel: 'fannkuch' })).rejects.toThrow(
      /^options.kernel must be one of .*nbody.* for the latency workload \(a task that runs until stopped\); got "fannkuch"$/,
    );
  });
});
