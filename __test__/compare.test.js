'use strict';
const { compare, info, AbortError } = require('gil-lab');
const { backend } = require('./support/backends');

// Two rounds only (no budget beyond them): the shapes and the arithmetic, not the figures.
const SMALL = {
  kernel: 'countPrimes',
  size: 400_000,
  tasks: 2,
  workers: [1, 2],
  repeats: 2,
  maxTime: 0,
  backends: [info().backend],
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2
    ? sorted[sorted.length >> 1]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

describe(`compare (${backend} backend)`, () => {
  // Every cell is warmed until steady and the ceiling measured first: tens of seconds on a busy machine.
  jest.setTimeout(120_000);
  let report;
  const progress = [];
  beforeAll(async () => {
    report = await compare({ ...SMALL, onProgress: (p) => progress.push(p) });
  });

  test('returns one row per cell, the sequential baseline first, with the options as run', () => {
    expect(report.rows.map((r) => `${r.model}/${r.workers}`)).toEqual([
      'sequential/1',
      'threads/1',
      'threads/2',
      'interpreters/1',
      'interpreters/2',
      'processes/1',
      'processes/2',
      'async/1',
      'async/2',
    ]);
    expect(report.options).toMatchObject({
      workload: 'cpu',
      kernel: 'countPrimes',
      size: 400_000,
      tasks: 2,
      repeats: 2,
      maxTime: 0,
      gil: ['off'],
    });
    expect(report.options).not.toHaveProperty('onProgress');
    expect(report.machine).toMatchObject({ cores: info().cpus, gilLab: info().version, node: process.version });
    expect(report.machine.backends).toContain(info().backend);
    expect(Date.parse(report.startedAt)).not.toBeNaN();
    expect(report.durationMs).toBeGreaterThan(0);
  });

  test('its figures agree with each other: spreads, speedup = the median of sequential / row over rounds, efficiency = speedup / workers', () => {
    const sequential = report.rows[0];
    for (const row of report.rows) {
      expect(row).toMatchObject({
        workload: 'cpu',
        kernel: 'countPrimes',
        size: 400_000,
        tasks: 2,
        gil: 'off',
        mode: null,
        backend: info().backend,
      });
      const { min, max, runs } = row.wallMs;
      expect(runs).toHaveLength(2);
      expect(min).toBe(Math.min(...runs));
      expect(max).toBe(Math.max(...runs));
      expect(row.wallMs.median).toBeCloseTo((runs[0] + runs[1]) / 2, 9);
      expect(min).toBeGreaterThan(0);
      // Round by round: each round timed the sequential cell and this one.
      expect(row.speedup).toBeCloseTo(median(runs.map((ms, r) => sequential.wallMs.runs[r] / ms)), 9);
      expect(row.speedupCI[0]).toBeLessThanOrEqual(row.speedup);
      expect(row.speedupCI[1]).toBeGreaterThanOrEqual(row.speedup);
      expect(row.efficiency).toBeCloseTo(row.speedup / row.workers, 9);
      // Warmed with the real task until two warm-ups agreed, or the cap.
      // A JS cell counts agreement from its fourth warm-up on (benchmark/warm-up.js).
      expect(row.warmUpRuns).toBeGreaterThanOrEqual(row.backend === 'js' ? 4 : 2);
      expect(row.warmUpRuns).toBeLessThanOrEqual(8);
      // Two rounds are too few for an interval, and each row says so.
      expect(row.flags).toContain('few-rounds');
      expect(row.gilStats).toBeNull();
      if (['threads', 'interpreters', 'processes'].includes(row.model)) expect(row.startupMs).toBeGreaterThan(0);
      else expect(row).not.toHaveProperty('startupMs');
      // CPU time where the work runs on threads of this process (how much of it depends on the machine's load).
      if (row.model === 'processes') expect(row).not.toHaveProperty('cpuMs');
      else expect(row.cpuMs).toBeGreaterThan(0);
    }
    expect(sequential.speedup).toBe(1);
    expect(sequential.speedupCI).toEqual([1, 1]);
    expect(report.warnings).toContain('2 rounds only: a 95% interval needs 5 or more; raise repeats or maxTime');
  });

  test('measures the machine’s ceiling first: 2 plain processes against one, and how noisy the runs were', () => {
    const { ceiling, variation, noisy, warning } = report.calibration;
    expect(ceiling).toHaveLength(1);
    expect(ceiling[0].workers).toBe(2);
    expect(ceiling[0].speedup).toBeGreaterThan(0);
    expect(ceiling[0].speedupCI[0]).toBeLessThanOrEqual(ceiling[0].speedup);
    expect(ceiling[0].speedupCI[1]).toBeGreaterThanOrEqual(ceiling[0].speedup);
    expect(variation).toBeGreaterThanOrEqual(0);
    expect(noisy).toBe(variation > 0.1);
    // The machine's warnings come first: its load as the run started (where busy), then its noise.
    const { loadAverage, cores } = report.machine;
    const busy = loadAverage !== null && loadAverage >= 0.5 * cores;
    if (busy) expect(report.warnings[0]).toMatch(/^the machine was busy as the run started: its load average/);
    if (noisy) expect(report.warnings[busy ? 1 : 0]).toBe(warning);
    expect(report.machine.physicalCores === null || report.machine.physicalCores > 0).toBe(true);
    expect(loadAverage === null || loadAverage >= 0).toBe(true);
  });

  test('reports progress once per timed run, every cell once a round, up to the total', () => {
    expect(progress).toHaveLength(report.rows.length * 2);
    progress.forEach((p, i) => expect(p).toMatchObject({ done: i + 1, total: report.rows.length * 2 }));
    for (const round of [progress.slice(0, report.rows.length), progress.slice(report.rows.length)]) {
      expect(new Set(round.map((p) => p.label)).size).toBe(report.rows.length);
    }
    expect(progress.map((p) => p.label)).toContain(
      'cpu countPrimes, sequential, 1 worker, ' + info().backend + ', lock off',
    );
  });

  test('transfer: hashing MiBs on threads and in processes gives rows of the same shape', async () => {
    const transfer = await compare({
      workload: 'transfer',
      size: 2,
      tasks: 2,
      workers: [2],
      models: ['threads', 'processes'],
      repeats: 1,
      maxTime: 0,
      backends: [info().backend],
    });
    expect(transfer.rows.map((r) => [r.model, r.kernel, r.size, r.workers])).toEqual([
      ['sequential', 'sha256', 2, 1],
      ['threads', 'sha256', 2, 2],
      ['processes', 'sha256', 2, 2],
    ]);
    await expect(compare({ workload: 'transfer', size: 256, tasks: 100 })).rejects.toThrow(
      'options.tasks × options.size must be at most 2048 MiB for the transfer workload; got 25600 MiB',
    );
  });

  test.each([
    ['nbody', 1_000],
    ['monteCarloPi', 10_000],
    ['spectralNorm', 20],
    ['fannkuch', 6],
    ['mandelbrot', 16],
  ])('cpu: %s runs on threads, interpreters, in processes and on the event loop', async (kernel, size) => {
    const run = await compare({
      kernel,
      size,
      tasks: 2,
      workers: [2],
      repeats: 1,
      maxTime: 0,
      backends: [info().backend],
    });
    expect(run.rows.map((r) => [r.model, r.kernel, r.size])).toEqual(
      ['sequential', 'threads', 'interpreters', 'processes', 'async'].map((model) => [model, kernel, size]),
    );
    for (const row of run.rows) expect(row.wallMs.median).toBeGreaterThan(0);
  });

  test('an aborted signal stops the run with an AbortError', async () => {
    const controller = new AbortController();
    const run = compare({ ...SMALL, size: 2 ** 31 - 1, models: ['processes'], signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(compare({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
  });

  test('a lock option without options.gil turns the lock on: no setting is ignored', async () => {
    const io = { workload: 'io', size: 1, tasks: 1, models: ['sequential'], repeats: 1, backends: [info().backend] };
    const byInterval = await compare({ ...io, switchIntervals: [0.002] });
    expect(byInterval.options).toMatchObject({ gil: ['on'], switchIntervals: [0.002] });
    expect(byInterval.rows.map((r) => [r.gil, r.mode, r.switchInterval])).toEqual([['on', 'cpython', 0.002]]);
    const byMode = await compare({ ...io, mode: 'legacy' });
    expect(byMode.rows.map((r) => [r.gil, r.mode])).toEqual([['on', 'legacy']]);
    const both = await compare({ ...io, gil: ['on', 'off'], switchIntervals: [0.002] });
    expect(both.rows.map((r) => r.gil)).toEqual(['on', 'off']);
  });

  test.each([
    [{ workload: 'disk' }, RangeError, 'options.workload must be one of cpu, io, latency, transfer; got "disk"'],
    [{ kernel: 'fft' }, RangeError, /^options.kernel must be one of countPrimes/],
    [{ tasks: 0 }, RangeError, 'options.tasks must be an integer from 1 to 10000; got 0'],
    [{ workers: [] }, RangeError, 'options.workers must not be empty'],
    [{ workers: [1, 'two'] }, TypeError, 'options.workers[1] must be a number; got string'],
    [{ workers: [1, 1] }, RangeError, 'options.workers must not repeat an item; got 1, 1'],
    [
      { models: ['fibers'] },
      RangeError,
      'options.models[0] must be one of sequential, threads, interpreters, processes, async, cluster; got "fibers"',
    ],
    [{ repeats: 1.5 }, RangeError, 'options.repeats must be an integer from 1 to 1000; got 1.5'],
    [{ maxTime: -1 }, RangeError, 'options.maxTime must be a number of seconds from 0 to 3600; got -1'],
    [{ maxTime: '10' }, TypeError, 'options.maxTime must be a number of seconds; got string'],
    [
      { switchIntervals: [0] },
      RangeError,
      'options.switchIntervals[0] must be a number of seconds, more than 0 and at most 1; got 0',
    ],
    [{ backends: ['gpu'] }, RangeError, 'options.backends[0] must be one of native, wasm, js; got "gpu"'],
    // A lock option with a lock that is only off would be ignored: it is refused instead.
    [
      { gil: ['off'], switchIntervals: [0.001] },
      RangeError,
      'options.switchIntervals applies only with the lock on, and options.gil is off: add on to options.gil, or leave options.switchIntervals out',
    ],
    [
      { gil: ['off'], mode: 'legacy' },
      RangeError,
      'options.mode applies only with the lock on, and options.gil is off: add on to options.gil, or leave options.mode out',
    ],
    [{ onProgress: 'bar' }, TypeError, 'options.onProgress must be a function; got string'],
    [{ size: -3 }, RangeError, /^options.size \(the kernel’s size argument\) must be an integer from 1 to/],
    ['fast', TypeError, 'options must be an object; got string'],
  ])('refuses %p before it runs anything', async (options, type, message) => {
    const run = compare(options);
    await expect(run).rejects.toThrow(type);
    await expect(run).rejects.toThrow(message);
  });
});
