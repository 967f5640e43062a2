// `gil-lab compare` run for real, on small matrices: the JSON record, the tables, the HTML
// report opened in Chromium with its charts, and errors from compare()'s own checks, which
// come before anything runs.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { backend } = require('./support/backends');
const { gilLab } = require('./support/cli');
const { chromiumMissing, openReport } = require('./support/browser');

const thisBackend = backend === 'auto' ? require('gil-lab').info().backend : backend;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-lab-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const few = ['--kernel', 'countPrimes', '--tasks', '2', '--backends', thisBackend, '--repeats', '2'];
const small = [...few, '--workers', '1,2'];

describe(`gil-lab compare, measured (${backend} backend)`, () => {
  jest.setTimeout(120_000);

  test('--json: the machine, the versions, the options as run, a row per cell', async () => {
    const args = ['compare', '--workload', 'cpu', '--size', '200000', '--models', 'sequential,threads', '--gil', 'off', ...small, '--json'];
    const { status, stdout, stderr } = await gilLab(args);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const record = JSON.parse(stdout);
    expect(Object.keys(record)).toEqual(['machine', 'versions', 'startedAt', 'durationMs', 'runs', 'rows', 'timelines']);
    expect(record.machine).toMatchObject({ cores: expect.any(Number), node: process.version, backends: expect.arrayContaining([thisBackend]) });
    expect(record.versions).toMatchObject({ node: process.versions.node });
    expect(record.runs).toHaveLength(1);
    expect(record.runs[0].options).toMatchObject({
      workload: 'cpu',
      kernel: 'countPrimes',
      size: 200_000,
      tasks: 2,
      workers: [1, 2],
      models: ['sequential', 'threads'],
      gil: ['off'],
      backends: [thisBackend],
      repeats: 2,
    });
    // The sequential baseline, then threads on 1 and 2 workers.
    const cells = record.rows.map((r) => [r.model, r.gil, r.workers]);
    expect(cells).toEqual([
      ['sequential', 'off', 1],
      ['threads', 'off', 1],
      ['threads', 'off', 2],
    ]);
    for (const row of record.rows) {
      expect(row).toMatchObject({ workload: 'cpu', kernel: 'countPrimes', size: 200_000, backend: thisBackend, tasks: 2 });
      expect(row.wallMs.runs).toHaveLength(2);
      expect(row.wallMs.median).toBeGreaterThan(0);
      const sequential = record.rows.find((r) => r.model === 'sequential' && r.gil === row.gil);
      expect(row.speedup).toBeCloseTo(sequential.wallMs.median / row.wallMs.median, 10);
    }
  });

  test('tables: one per workload, with the measured rows', async () => {
    const { status, stdout } = await gilLab(['compare', '--workload', 'cpu', '--size', '100000', '--models', 'threads', '--gil', 'off', ...small]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^cpu  2 × countPrimes\(100,000\)$/m);
    expect(stdout).toMatch(new RegExp(`│ sequential +│ off +│ ${thisBackend} +│ +1 │ +[\\d.]+ │ +[\\d.]+–[\\d.]+ │ +1\\.00× │`));
    expect(stdout).toMatch(new RegExp(`│ threads +│ off +│ ${thisBackend} +│ +2 │ +[\\d.]+ │ +[\\d.]+–[\\d.]+ │ +\\d+\\.\\d\\d× │`));
  });

  test("compare()'s own checks stop a bad matrix before any run, as one line", async () => {
    const started = Date.now();
    // The first workload is fine, the second not: nothing runs.
    const { status, stdout, stderr } = await gilLab(['compare', '--workload', 'cpu,transfer', '--tasks', '10000', '--backends', thisBackend]);
    expect({ status, stdout }).toEqual({ status: 1, stdout: '' });
    expect(stderr).toMatch(/^gil-lab compare: transfer: --tasks × --size must be at most \d+ MiB for the transfer workload; got \d+ MiB\n$/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  const missing = chromiumMissing();
  (missing ? test.skip : test)('--html: a report that Chromium draws, the speedup and latency charts included', async () => {
    const file = path.join(scratch, 'report.html');
    const { status, stderr } = await gilLab(['compare', '--workload', 'cpu,latency', '--gil', 'off', '--models', 'threads,processes', ...few, '--workers', '1', '--html', file]);
    expect(status).toBe(0);
    expect(stderr).toMatch(/^wrote .*report\.html \(\d+ KiB\)\n$/);
    const page = await openReport(file, { screenshotName: `compare-${backend}.png` });
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.charts.map((c) => c.id)).toEqual(['speedup-0', 'latency-1']);
    for (const chart of page.charts) {
      expect(chart.width).toBeGreaterThan(200);
      expect(chart.height).toBeGreaterThan(50);
      expect(chart.chart.datasets.length).toBeGreaterThan(0);
      expect(chart.chart.datasets.every((d) => d.points > 0 && d.drawn === d.points)).toBe(true);
    }
    // Latency: threads and processes, each line from the alone measurement at 0 workers.
    expect(page.charts[1].chart.datasets.map((d) => [d.label, d.points])).toEqual([
      ['threads', 2],
      ['processes', 2],
    ]);
  });
});
