// compare() beside a busy neighbour (support/noise.js: a process that alternately spins and
// idles): whatever the noise does to the figures, each comes with its interval and flags, rows
// of the same one-thread work agree with sequential or are flagged, no figure beyond what the
// workers, the cores or the model allow stands unflagged, and a flagged run warns in words.
// Nothing here depends on how fast the machine is.
'use strict';
const os = require('node:os');
const path = require('node:path');
const { compare, info } = require('gil-lab');
const { ROOT, backend } = require('./support/backends');
const { startNoise } = require('./support/noise');

const { sameWorkAsSequential } = require(path.join(ROOT, 'dist', 'lab', 'plausibility'));

/** countPrimes' limit for a task of a few tens of ms in this backend. */
const SIZE = info().backend === 'native' ? 3_000_000 : 900_000;

describe(`compare beside a noise source (${backend} backend)`, () => {
  jest.setTimeout(300_000);
  let report;
  beforeAll(async () => {
    const noise = startNoise();
    try {
      report = await compare({
        workload: 'cpu',
        kernel: 'countPrimes',
        size: SIZE,
        tasks: 2,
        workers: [1, 2],
        models: ['sequential', 'threads', 'async', 'processes'],
        backends: [info().backend],
        maxTime: 6,
      });
    } finally {
      await noise.stop();
    }
  });

  test('every row carries its interval and flags, the record its warnings and the machine’s ceiling', () => {
    expect(report.rows.map((r) => `${r.model}/${r.workers}`)).toEqual([
      'sequential/1',
      'threads/1',
      'threads/2',
      'async/1',
      'async/2',
      'processes/1',
      'processes/2',
    ]);
    for (const row of report.rows) {
      expect(row.speedupCI[0]).toBeLessThanOrEqual(row.speedup);
      expect(row.speedupCI[1]).toBeGreaterThanOrEqual(row.speedup);
      expect(Array.isArray(row.flags)).toBe(true);
      expect(row.wallMs.runs.length).toBeGreaterThanOrEqual(5);
    }
    expect(Array.isArray(report.warnings)).toBe(true);
    expect(report.calibration.ceiling.map((c) => c.workers)).toEqual([2]);
    if (report.calibration.noisy)
      expect(report.warnings.filter((w) => !w.startsWith('the machine was busy as the run started'))[0]).toMatch(
        /^the machine is noisy: runs of the same plain CPU-bound loop varied by \d+%/,
      );
  });

  test('rows of the same one-thread work agree with sequential within 10%, or are flagged', () => {
    const same = report.rows.filter(sameWorkAsSequential);
    expect(same.map((r) => `${r.model}/${r.workers}`)).toEqual(['threads/1', 'async/1', 'async/2', 'processes/1']);
    for (const row of same) {
      if (Math.abs(row.speedup - 1) > 0.1) expect(row.flags).toContain('disagrees');
    }
  });

  test('no figure beyond its workers, the cores or its model stands unflagged, and every flagged run warns', () => {
    const cores = os.availableParallelism();
    for (const row of report.rows.filter((r) => r.model !== 'sequential')) {
      const limit = Math.min(row.workers, cores);
      if (row.speedupCI[0] > limit || row.speedup > limit * 1.05) expect(row.flags).toContain('above-workers');
      if (row.model === 'async' && row.speedupCI[0] > 1.05) expect(row.flags).toContain('async-above-1');
    }
    const implausible = ['above-workers', 'above-ceiling', 'async-above-1', 'lock-on-above-1.2'];
    if (report.rows.some((r) => r.flags.some((f) => implausible.includes(f)))) {
      expect(report.warnings.some((w) => w.startsWith('the machine was busy during the run: '))).toBe(true);
    }
    if (report.rows.some((r) => r.flags.includes('disagrees'))) {
      expect(
        report.warnings.some((w) =>
          /^rows of the same one-thread work as sequential disagree with it by up to \d+%/.test(w),
        ),
      ).toBe(true);
    }
    if (report.rows.some((r) => r.flags.includes('wide-interval'))) {
      expect(report.warnings.some((w) => /less certain than ±5%/.test(w))).toBe(true);
    }
  });
});
