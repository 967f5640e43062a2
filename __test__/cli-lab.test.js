// `gil-lab compare` and `gil-lab demo` run for real, on small matrices: the JSON record, the
// tables, the HTML report opened in Chromium with its charts and the lock's timeline, errors
// from compare()'s own checks, which come before anything runs, and the demo.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { backend, nativeLoads } = require('./support/backends');
const { gilLab, gilLabClosedStdout, gilLabThroughHead, progressLines } = require('./support/cli');
const { chromiumMissing, openReport } = require('./support/browser');
const { startNoise } = require('./support/noise');

const thisBackend = backend === 'auto' ? require('gil-lab').info().backend : backend;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-lab-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const few = ['--kernel', 'countPrimes', '--tasks', '2', '--backends', thisBackend];
const small = [...few, '--workers', '1,2', '--repeats', '2', '--max-time', '0'];

// Once per `npm test`, as the demo below: what the CLI prints of a record is the same whichever
// backend measured it, and compare() itself runs on each backend in compare.test.js and
// compare-gil.test.js.
const onePass = backend === 'native' || backend === 'auto' || !nativeLoads();

(onePass ? describe : describe.skip)(`gil-lab compare, measured (${backend} backend)`, () => {
  jest.setTimeout(600_000);

  test('--json: the machine, the versions, the options as run, a row per cell', async () => {
    const args = [
      'compare',
      '--workload',
      'cpu',
      '--size',
      '200000',
      '--models',
      'sequential,threads',
      '--gil',
      'on,off',
      ...small,
      '--json',
    ];
    const { status, stdout, stderr } = await gilLab(args);
    expect(stderr).toMatch(progressLines('compare'));
    expect(status).toBe(0);
    const record = JSON.parse(stdout);
    expect(Object.keys(record)).toEqual([
      'machine',
      'versions',
      'startedAt',
      'durationMs',
      'runs',
      'rows',
      'warnings',
      'timelines',
      'python',
    ]);
    expect(record.warnings).toContain('2 rounds only: a 95% interval needs 5 or more; raise repeats or maxTime');
    expect(record.runs[0].calibration.ceiling.map((c) => c.workers)).toEqual([2]);
    expect(record.machine).toMatchObject({
      cores: expect.any(Number),
      node: process.version,
      backends: expect.arrayContaining([thisBackend]),
    });
    expect(record.versions).toMatchObject({ node: process.versions.node });
    expect(record.runs).toHaveLength(1);
    expect(record.runs[0].options).toMatchObject({
      workload: 'cpu',
      kernel: 'countPrimes',
      size: 200_000,
      tasks: 2,
      workers: [1, 2],
      models: ['sequential', 'threads'],
      gil: ['on', 'off'],
      mode: 'cpython',
      switchIntervals: [0.005],
      backends: [thisBackend],
      repeats: 2,
      maxTime: 0,
    });
    // Per lock: the sequential baseline, then threads on 1 and 2 workers.
    const cells = record.rows.map((r) => [r.model, r.gil, r.workers]);
    expect(cells).toEqual([
      ['sequential', 'on', 1],
      ['threads', 'on', 1],
      ['threads', 'on', 2],
      ['sequential', 'off', 1],
      ['threads', 'off', 1],
      ['threads', 'off', 2],
    ]);
    for (const row of record.rows) {
      expect(row).toMatchObject({
        workload: 'cpu',
        kernel: 'countPrimes',
        size: 200_000,
        backend: thisBackend,
        tasks: 2,
      });
      expect(row.wallMs.runs).toHaveLength(2);
      expect(row.wallMs.median).toBeGreaterThan(0);
      const sequential = record.rows.find((r) => r.model === 'sequential' && r.gil === row.gil);
      const ratios = row.wallMs.runs.map((ms, r) => sequential.wallMs.runs[r] / ms);
      expect(row.speedup).toBeCloseTo((ratios[0] + ratios[1]) / 2, 10);
      expect(row.speedupCI).toHaveLength(2);
      expect(row.flags).toContain('few-rounds');
      if (row.gil === 'on') {
        expect(row).toMatchObject({ mode: 'cpython', switchInterval: 0.005 });
        expect(row.gilStats.takes).toBeGreaterThan(0);
      } else {
        expect(row).toMatchObject({ mode: null, switchInterval: null, gilStats: null });
      }
    }
  });

  test('tables: one per workload, with the measured rows; the pools’ rows with their start-up time', async () => {
    const models = ['--models', 'threads,interpreters,processes'];
    const { status, stdout } = await gilLab([
      'compare',
      '--workload',
      'cpu',
      '--size',
      '100000',
      ...models,
      '--gil',
      'off',
      ...small,
    ]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^cpu {2}2 × countPrimes\(100,000\)$/m);
    expect(stdout).toMatch(/│ forced switches │ start-up ms │ flags +│$/m);
    expect(stdout).toMatch(
      new RegExp(
        `│ sequential +│ off +│ ${thisBackend} +│ +1 │ +[\\d.]+ │ +[\\d.]+–[\\d.]+ │ +1\\.00× │ .* │ +– │ .*few rounds.* │$`,
        'm',
      ),
    );
    for (const model of ['threads', 'interpreters']) {
      expect(stdout).toMatch(
        new RegExp(
          `│ ${model} +│ off +│ ${thisBackend} +│ +2 │ +[\\d.]+ │ +[\\d.]+–[\\d.]+ │ +\\d+\\.\\d\\d× ±\\d+\\.\\d\\d │ .* │ +[\\d.]+ │ .*few rounds.* │$`,
          'm',
        ),
      );
    }
    expect(stdout).toMatch(/^machine: 2 processes \d+\.\d\d× ±\d+\.\d\d \(ideal 2×\)/m);
    expect(stdout).toMatch(/^! 2 rounds only: a 95% interval needs 5 or more/m);
    // On each processes row, its children's start-up: a Node.js process to spawn and load, some milliseconds.
    const startups = [
      ...stdout.matchAll(
        new RegExp(`^│ processes +│ off +│ ${thisBackend} +│ +[12] │.* │ +([\\d.]+) │ [a-z ,.]+│$`, 'gm'),
      ),
    ].map((m) => Number(m[1]));
    expect(startups).toHaveLength(2);
    for (const ms of startups) expect(ms).toBeGreaterThan(5);
    expect(stdout).toContain(
      'start-up ms: for processes, the median time a child took to start, spawn to ready; for threads and interpreters, the time from making the pool until it had answered one empty task per worker; no timed run includes it.',
    );
  });

  test('in a pipe whose reader stops early (| head -1, or gone before the first write): exit 0, no error', async () => {
    const args = [
      'compare',
      '--workload',
      'cpu',
      '--size',
      '1000',
      '--models',
      'threads',
      '--gil',
      'off',
      ...few,
      '--repeats',
      '1',
      '--quiet',
    ];
    const [tables, json] = [await gilLabThroughHead(args), await gilLabClosedStdout([...args, '--json'])];
    expect(tables).toEqual({ status: 0, signal: null, stdout: 'cpu  2 × countPrimes(1,000)\n', stderr: '' });
    expect(json).toMatchObject({ status: 0, stderr: '' });
  });

  test('with stderr not a terminal, a long run says what it is doing, a line per workload, unless --quiet', async () => {
    const common = ['--models', 'threads', '--gil', 'off', ...few, '--repeats', '1', '--json'];
    // Long enough that a terminal would have shown a bar: sleeps of 600 ms, alone and side by side.
    const loud = await gilLab(['compare', '--workload', 'io', '--size', '600', ...common]);
    expect(loud.status).toBe(0);
    expect(loud.stderr).toMatch(/^gil-lab compare: measuring io\ngil-lab compare: 1 workload measured in [\d.]+ s\n$/);
    const quiet = await gilLab(['compare', '--workload', 'io', '--size', '600', ...common, '--quiet']);
    expect({ status: quiet.status, stderr: quiet.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test("compare()'s own checks stop a bad matrix before any run, as one line", async () => {
    const started = Date.now();
    // The first workload is fine, the second not: nothing runs.
    const { status, stdout, stderr } = await gilLab([
      'compare',
      '--workload',
      'cpu,transfer',
      '--tasks',
      '10000',
      '--backends',
      thisBackend,
    ]);
    expect({ status, stdout }).toEqual({ status: 1, stdout: '' });
    expect(stderr).toMatch(
      /^gil-lab compare: transfer: --tasks × --size must be at most \d+ MiB for the transfer workload; got \d+ MiB\n$/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  const missing = chromiumMissing();
  (missing ? test.skip : test)(
    '--html: a report that Chromium draws, with the latency chart and the lock’s timeline',
    async () => {
      const file = path.join(scratch, 'report.html');
      const { status, stderr } = await gilLab(
        [
          'compare',
          '--workload',
          'cpu,latency',
          '--gil',
          'on,off',
          '--models',
          'threads,processes',
          ...few,
          '--workers',
          '2',
          '--repeats',
          '1',
          '--max-time',
          '0',
          '--html',
          file,
        ],
        { timeout: 580_000 },
      );
      expect(status).toBe(0);
      const wrote = /^wrote .*report\.html \(\d+ KiB\)\n/m;
      expect(stderr).toMatch(wrote);
      expect(stderr.replace(wrote, '')).toMatch(progressLines('compare'));
      const page = await openReport(file, { screenshotName: `compare-${backend}.png` });
      expect(page.consoleErrors).toEqual([]);
      expect(page.requests).toEqual([]);
      const ids = page.charts.map((c) => c.id);
      expect(ids.slice(0, 2)).toEqual(['speedup-0', 'latency-1']);
      for (const chart of page.charts) {
        expect(chart.width).toBeGreaterThan(200);
        expect(chart.height).toBeGreaterThan(50);
        expect(chart.chart.datasets.length).toBeGreaterThan(0);
        expect(chart.chart.datasets.every((d) => d.points > 0 && d.drawn === d.points)).toBe(true);
      }
      // Latency: a line per model and lock, each from the alone measurement at 0 workers.
      expect(page.charts[1].chart.datasets.map((d) => [d.label, d.points])).toEqual([
        ['threads, lock cpython, 5 ms', 2],
        ['processes, lock cpython, 5 ms', 2],
        ['threads, lock off', 2],
        ['processes, lock off', 2],
      ]);
      // The lock's timeline of the threads that shared it: both held it, turn by turn.
      const { timelines } = JSON.parse(
        /<script type="application\/json" id="gil-lab-record">([\s\S]*?)<\/script>/.exec(
          fs.readFileSync(file, 'utf8'),
        )[1],
      );
      const shared = timelines.findIndex((t) => /^cpu .*threads, 2 workers/.test(t.label));
      expect(shared).toBeGreaterThanOrEqual(0);
      const timeline = page.charts.find((c) => c.id === `timeline-${shared}`).chart;
      expect(timeline.datasets.find((d) => d.label === 'held the lock').drawn).toBeGreaterThan(1);
      expect(new Set(timelines[shared].events.filter((e) => e.event === 'take').map((e) => e.thread)).size).toBe(2);
    },
  );
});

// The demo takes about a minute: it runs once per `npm test` too — beside a noise source, a
// neighbour that alternately spins and idles, so that what it prints must hold on a busy machine.
(onePass ? describe : describe.skip)(`gil-lab demo beside a noise source, measured (${backend} backend)`, () => {
  jest.setTimeout(600_000);

  test('the table with intervals, the ceiling, the convoy line, sentences — and no speedup above the cores without a warning; with no python3 on the PATH, one note', async () => {
    const noise = startNoise();
    const started = Date.now();
    const noPython = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-no-python-'));
    let run;
    try {
      run = await gilLab(['demo'], { env: { PATH: noPython }, timeout: 580_000 });
    } finally {
      fs.rmSync(noPython, { recursive: true });
      await noise.stop();
    }
    const { status, stdout, stderr } = run;
    // On stderr, not a terminal, a line per workload and one at the end.
    expect(stderr).toMatch(
      /^gil-lab demo: python python3: not found on the PATH; the CPython line is left out \(--python PATH names one\)\ngil-lab demo: measuring cpu \(1 of \d\)\n(.*\n)*gil-lab demo: \d workloads measured in [\d.]+ s\n$/,
    );
    expect(stderr.slice(stderr.indexOf('\n') + 1)).toMatch(progressLines('demo'));
    expect(status).toBe(0);
    // About a minute of budgets, and the rounds and warm-ups each part always gets: beside the
    // noise, on a shared machine, it may take longer; nothing here waits on its speed but this bound.
    expect(Date.now() - started).toBeLessThan(580_000);
    const cores = require('gil-lab').info().cpus;
    expect(stdout).toMatch(
      new RegExp(
        `^gil-lab demo · ${thisBackend} backend · ${cores} (logical )?cores? \\(.+\\), .+ · lock: cpython, 5 ms$`,
        'm',
      ),
    );
    // Each figure, its interval on the line under it.
    const figure = ' +\\d+\\.\\d\\d×(?: !)? │';
    const cpuRow = new RegExp(`│ CPU-bound, \\d+ workers +│((?:${figure}){6})`).exec(stdout);
    const ioRow = new RegExp(`│ I/O-bound, 8 workers +│((?:${figure}){6})`).exec(stdout);
    expect(cpuRow).not.toBeNull();
    expect(ioRow).not.toBeNull();
    expect(stdout).toMatch(/│ \d+ × countdown\([\d,]+\) +│/);
    expect(stdout).toMatch(/│ 8 × sleep\(50 ms\) +│/);
    // Each CPU-bound speedup above the core count is marked and the warnings explain it, above the table.
    const cpuFigures = [...cpuRow[1].matchAll(/(\d+\.\d\d)×(?: ±[\d.]+)?( !)?/g)];
    const warned = /^! /m.test(stdout) && stdout.indexOf('! ') < stdout.indexOf('CPU-bound,');
    for (const [, value, mark] of cpuFigures) {
      if (Number(value) > cores) {
        expect(mark).toBe(' !');
        expect(warned).toBe(true);
      }
    }
    expect(stdout).toMatch(/^machine: \d+ processes \d+\.\d\d× ±\d+\.\d\d \(ideal \d+×\)/m);
    const text = stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(
      /Convoy: one I\/O round trip takes [\d.]+ ms alone, [\d.]+ ms beside one CPU-bound thread with the lock on \([\d.]+×\), [\d.]+ ms with it off, [\d.]+ ms with the CPU-bound work in another interpreter, [\d.]+ ms with the CPU-bound work in a process \(medians\)\./,
    );
    expect(text).toMatch(
      /With the lock on, \d+ threads ran the CPU-bound tasks at [\d.]+× ±[\d.]+ the sequential speed/,
    );
    expect(text).toMatch(
      /Like processes, each interpreter has its own lock: \d+ interpreters ran the CPU-bound tasks at [\d.]+× ±[\d.]+, lock on/,
    );
    expect(text).toMatch(/For I\/O-bound work, 8 threads reached [\d.]+× ±[\d.]+ with the lock on/);
    expect(text).toMatch(
      /Beside one CPU-bound thread, an I\/O round trip took [\d.]+× \([\d.]+–[\d.]+×\) as long as alone with the lock on/,
    );
    expect(text).toMatch(/Measured just now in [\d.]+ s\./);
    expect(text).not.toContain('CPython');
  });
});
