'use strict';
const { compare, info, AbortError } = require('gil-lab');
const { backend } = require('./support/backends');

const SMALL = { kernel: 'countPrimes', size: 400_000, tasks: 2, workers: [1, 2], repeats: 2, backends: [info().backend] };

describe(`compare (${backend} backend)`, () => {
  let report;
  const progress = [];
  beforeAll(async () => {
    report = await compare({ ...SMALL, onProgress: (p) => progress.push(p) });
  });

  test('returns one row per cell, the sequential baseline first, with the options as run', () => {
    expect(report.rows.map((r) => `${r.model}/${r.workers}`)).toEqual([
      'sequential/1', 'threads/1', 'threads/2', 'interpreters/1', 'interpreters/2', 'processes/1', 'processes/2', 'async/1', 'async/2',
    ]);
    expect(report.options).toMatchObject({ workload: 'cpu', kernel: 'countPrimes', size: 400_000, tasks: 2, repeats: 2, gil: ['off'] });
    expect(report.options).not.toHaveProperty('onProgress');
    expect(report.machine).toMatchObject({ cores: info().cpus, gilLab: info().version, node: process.version });
    expect(report.machine.backends).toContain(info().backend);
    expect(Date.parse(report.startedAt)).not.toBeNaN();
    expect(report.durationMs).toBeGreaterThan(0);
  });

  test('its figures agree with each other: spreads, speedup = sequential / row, efficiency = speedup / workers', () => {
    const sequential = report.rows[0];
    for (const row of report.rows) {
      expect(row).toMatchObject({ workload: 'cpu', kernel: 'countPrimes', size: 400_000, tasks: 2, gil: 'off', mode: null, backend: info().backend });
      const { median, min, max, runs } = row.wallMs;
      expect(runs).toHaveLength(2);
      expect(min).toBe(Math.min(...runs));
      expect(max).toBe(Math.max(...runs));
      expect(median).toBeCloseTo((runs[0] + runs[1]) / 2, 9);
      expect(min).toBeGreaterThan(0);
      expect(row.speedup).toBeCloseTo(sequential.wallMs.median / median, 9);
      expect(row.efficiency).toBeCloseTo(row.speedup / row.workers, 9);
      expect(row.gilStats).toBeNull();
      if (['threads', 'interpreters', 'processes'].includes(row.model)) expect(row.startupMs).toBeGreaterThan(0);
      else expect(row).not.toHaveProperty('startupMs');
    }
    expect(sequential.speedup).toBe(1);
  });

  test('reports progress once per run, in order, up to the total', () => {
    expect(progress).toHaveLength(report.rows.length * 2);
    progress.forEach((p, i) => expect(p).toMatchObject({ done: i + 1, total: report.rows.length * 2 }));
    expect(progress[0].label).toMatch(/^cpu countPrimes, sequential, 1 worker/);
  });

  test('transfer: hashing MiBs on threads and in processes gives rows of the same shape', async () => {
    const transfer = await compare({ workload: 'transfer', size: 2, tasks: 2, workers: [2], models: ['threads', 'processes'], repeats: 1, backends: [info().backend] });
    expect(transfer.rows.map((r) => [r.model, r.kernel, r.size, r.workers])).toEqual([
      ['sequential', 'sha256', 2, 1], ['threads', 'sha256', 2, 2], ['processes', 'sha256', 2, 2],
    ]);
    await expect(compare({ workload: 'transfer', size: 256, tasks: 100 })).rejects.toThrow(
      'options.tasks × options.size must be at most 2048 MiB for the transfer workload; got 25600 MiB',
    );
  });

  test.each([
    ['nbody', 1_000], ['monteCarloPi', 10_000], ['spectralNorm', 20], ['fannkuch', 6], ['mandelbrot', 16],
  ])('cpu: %s runs on threads, interpreters, in processes and on the event loop', async (kernel, size) => {
    const run = await compare({ kernel, size, tasks: 2, workers: [2], repeats: 1, backends: [info().backend] });
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
    [{ models: ['fibers'] }, RangeError, 'options.models[0] must be one of sequential, threads, interpreters, processes, async, cluster; got "fibers"'],
    [{ repeats: 1.5 }, RangeError, 'options.repeats must be an integer from 1 to 1000; got 1.5'],
    [{ switchIntervals: [0] }, RangeError, 'options.switchIntervals[0] must be a number of seconds, more than 0 and at most 1; got 0'],
    [{ backends: ['gpu'] }, RangeError, 'options.backends[0] must be one of native, wasm, js; got "gpu"'],
    // A lock option with a lock that is only off would be ignored: it is refused instead.
    [
      { gil: ['off'], switchIntervals: [0.001] },
      RangeError,
      'options.switchIntervals applies only with the lock on, and options.gil is off: add on to options.gil, or leave options.switchIntervals out',
    ],
    [{ gil: ['off'], mode: 'legacy' }, RangeError, 'options.mode applies only with the lock on, and options.gil is off: add on to options.gil, or leave options.mode out'],
    [{ onProgress: 'bar' }, TypeError, 'options.onProgress must be a function; got string'],
    [{ size: -3 }, RangeError, /^options.size \(the kernel’s size argument\) must be an integer from 1 to/],
    ['fast', TypeError, 'options must be an object; got string'],
  ])('refuses %p before it runs anything', async (options, type, message) => {
    const run = compare(options);
    await expect(run).rejects.toThrow(type);
    await expect(run).rejects.toThrow(message);
  });
});
