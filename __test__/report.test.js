// What renders a lab record: the HTML report (self-contained, escaped, its charts' data),
// the CLI's tables, the demo's table and sentences, and the terminal helpers. Rendered from
// a hand-made record (support/report-fixture.js), so that the figures to expect are known.
'use strict';
const crypto = require('node:crypto');
const path = require('node:path');
const { ROOT } = require('./support/backends');
const { fixtureReports, row } = require('./support/report-fixture');

const dist = (file) => require(path.join(ROOT, 'dist', file));
const { combine, runtimeVersions, lockLabel, intervalLabel } = dist('report/record');
const { renderHtml, escapeHtml, jsonForScript, scriptSafe } = dist('report/html');
const { chartsOf, intervalsOf } = dist('report/charts');
const { renderRecord, plansOf } = dist('cli/compare');
const { demoFigures, readings, renderDemo } = dist('cli/demo');
const { Progress, colorEnabled } = dist('cli/terminal');
const { durations } = dist('cli/options');
const { significant, duration, formatNumber } = dist('report/text');

// Colour follows the stream here, not the environment the tests run in.
delete process.env.FORCE_COLOR;
delete process.env.NO_COLOR;

const record = (reports = fixtureReports()) => combine(reports, runtimeVersions('0.1.0'));
const pipe = { isTTY: false, write() {} };

/** The contents of each <script> element, with its attributes. */
function scripts(html) {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1], body: m[2] }));
}

describe('combine', () => {
  test('joins the runs: rows and timelines in order, one machine, the span of time they took', () => {
    const reports = fixtureReports();
    const r = record(reports);
    expect(r.rows).toEqual(reports.flatMap((x) => x.rows));
    expect(r.timelines).toEqual([...reports[0].timelines, ...reports[2].timelines]);
    expect(r.runs.map((x) => x.workload)).toEqual(['cpu', 'io', 'latency']);
    expect(r.machine).toEqual(reports[0].machine);
    // 03:04:05 to 03:04:20 + 6 s
    expect(r.durationMs).toBe(21_000);
    expect(r.versions).toMatchObject({ 'gil-lab': '0.1.0', node: process.versions.node });
  });

  test('a machine busy as the runs started is said once, for the first run that found it', () => {
    const busy = (load) =>
      `the machine was busy as the run started: its load average over the last minute was ${load} on 2 cores, so other programs shared the cores with the run; rerun, or close other programs`;
    const [cpu, io, latency] = fixtureReports();
    const r = record([
      { ...cpu, warnings: ['the machine is noisy: …'] },
      { ...io, warnings: [busy('1.5')] },
      { ...latency, warnings: [busy('2.5'), '1 speedup is less certain than ±5% …'] },
    ]);
    expect(r.warnings).toEqual([
      'cpu: the machine is noisy: …',
      `io: ${busy('1.5')}`,
      'latency: 1 speedup is less certain than ±5% …',
    ]);
  });

  test('refuses nothing to join', () => {
    expect(() => combine([], {})).toThrow(RangeError);
  });
});

describe('labels and numbers', () => {
  test.each([
    [{ gil: 'off', mode: null, switchInterval: null }, 'off'],
    [{ gil: 'on', mode: 'cpython', switchInterval: 0.005 }, 'cpython, 5 ms'],
    [{ gil: 'on', mode: 'legacy', switchInterval: 0.0001 }, 'legacy, 100 µs'],
    [{ gil: 'on', mode: 'cpython', switchInterval: 1e-6 }, 'cpython, 1 µs'],
  ])('lockLabel(%j) is %s', (r, label) => expect(lockLabel(r)).toBe(label));

  test.each([
    [0.005, '5 ms'],
    [0.0025, '2.5 ms'],
    [2, '2 s'],
    [1e-5, '10 µs'],
  ])('intervalLabel(%d) is %s', (s, label) => expect(intervalLabel(s)).toBe(label));

  test.each([
    [1234.5, '1235'],
    [12.345, '12.3'],
    [1.5, '1.50'],
    [0.012345, '0.0123'],
    [0, '0'],
  ])('significant(%d) is %s', (x, text) => expect(significant(x)).toBe(text));

  test.each([
    [2500, '2.50 s'],
    [12.3, '12.3 ms'],
    [0.0421, '42.1 µs'],
    [0.0000142, '14.2 ns'],
  ])('duration(%d ms) is %s', (ms, text) => expect(duration(ms)).toBe(text));

  test('formatNumber groups integers and trims the rest', () => {
    expect(formatNumber(5_000_000)).toBe('5,000,000');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(0.005 * 1e3)).toBe('5');
  });

  test.each([
    ['0.005', [0.005]],
    ['5ms,1ms,100us,10µs', [0.005, 0.001, 0.0001, 0.00001]],
    ['1s,1000ms', [1]],
  ])('--switch-interval %s is %j seconds', (text, seconds) => expect(durations(text)).toEqual(seconds));
});

describe('plansOf: flags to compare() options', () => {
  test('one run per workload; flags left out stay out, so that compare() fills in its defaults', () => {
    expect(plansOf({ workload: ['cpu', 'latency'], workers: [1, 2], gil: ['on', 'off'] })).toEqual([
      { workload: 'cpu', workers: [1, 2], gil: ['on', 'off'] },
      { workload: 'latency', workers: [1, 2], gil: ['on', 'off'] },
    ]);
  });

  test('--html asks for a trace unless --no-trace', () => {
    expect(plansOf({ workload: ['cpu'], html: 'r.html' })[0].trace).toBe(true);
    expect(plansOf({ workload: ['cpu'], html: 'r.html', trace: false })[0].trace).toBe(false);
    expect(plansOf({ workload: ['cpu'] })[0]).not.toHaveProperty('trace');
  });

  test('every dimension reaches the options', () => {
    // The flags that are compare()'s options under the same name, and the two that are not:
    // one workload per run, and --switch-interval for switchIntervals.
    const same = {
      kernel: 'countdown',
      size: 1000,
      tasks: 4,
      workers: [1, 2],
      models: ['threads'],
      gil: ['on'],
      mode: 'legacy',
      backends: ['js'],
      repeats: 2,
      trace: true,
    };
    expect(plansOf({ ...same, workload: ['cpu'], switchInterval: [0.001] })).toEqual([
      { ...same, workload: 'cpu', switchIntervals: [0.001] },
    ]);
  });
});

describe('the CLI table of a record', () => {
  const text = renderRecord(record(), pipe);

  test('a titled table per workload, with each row’s figures', () => {
    expect(text).toContain('cpu  2 × countdown(5,000,000)');
    expect(text).toContain('io  8 × sleep(50 ms)');
    expect(text).toContain('latency  200 pipe round trips, alone and beside CPU-bound workers');
    // threads, lock off, 2 workers: 400 / 206 = 1.94×, ±2% of it, efficiency 0.97; the baseline with no ±
    expect(text).toMatch(/│ threads +│ off +│ native +│ +2 │ +206 │ +196–227 │ +1\.94× ±0\.04 │ +0\.97 │ +– │/);
    expect(text).toMatch(/│ sequential +│ off +│ native +│ +1 │ +396 │ +376–436 │ +1\.01× │/);
    expect(text).toMatch(/│ sequential +│ cpython, 5 ms +│ native +│ +1 │ +400 │ +380–440 │ +1\.00× │/);
    expect(text).toMatch(/│ threads +│ cpython, 5 ms +│ native +│ +1 │ +4\.60 │ +4\.37–5\.06 │ +90 │/);
    expect(text).toMatch(/│ sequential +│ off +│ native +│ +0 │ +0\.0100 │ +0\.00950–0\.0110 │ +– │/);
    expect(text).toContain(
      'Test CPU @ 3.0GHz, 2 cores (physical, no SMT), load average 0.3 at the start; gil-lab 0.1.0, Node v20.0.0; took 21.00 s',
    );
  });

  test('the machine’s ceiling as a line under the cpu table, and what ± means', () => {
    const cpuTable = text.slice(0, text.indexOf('io  8 × sleep'));
    expect(cpuTable.replace(/\s+/g, ' ')).toContain(
      'machine: 2 processes 1.90× ±0.04 (ideal 2×) — plain CPU-bound processes side by side against one, just before: the most this machine gave in parallel.',
    );
    expect(text.slice(text.indexOf('io  8 × sleep'))).not.toContain('machine:');
    expect(cpuTable.replace(/\s+/g, ' ')).toContain('speedup ±95%: the median over rounds of sequential / this row');
  });

  test('flags in a column of their own, explained under the table, and the warnings last', () => {
    const [cpu] = fixtureReports();
    const flagged = {
      ...cpu,
      rows: cpu.rows.map((r) =>
        r.model === 'async' && r.workers === 2
          ? { ...r, speedup: 2.3, speedupCI: [2.2, 2.4], flags: ['above-workers', 'async-above-1'] }
          : r,
      ),
      warnings: ['the machine was busy during the run: async × 2 …'],
    };
    const out = renderRecord(record([flagged]), pipe);
    expect(out).toMatch(
      /│ async +│ cpython, 5 ms +│ native +│ +2 │ .* │ +2\.30× ±0\.10 │ .* │ above workers, async above 1 │$/m,
    );
    expect(out).toMatch(/│ threads +│ off +│ native +│ +2 │ .* │ +│$/m);
    expect(out.replace(/\s+/g, ' ')).toContain('flags: above workers / above ceiling — faster than the workers');
    expect(out.trimEnd().split('\n').at(-1)).toBe('! the machine was busy during the run: async × 2 …');
    expect(text).not.toContain('flags');
    expect(text).not.toContain('! ');
  });

  test('start-up times on the pools’ rows, with a note under the table; no such column where no row has one', () => {
    expect(text).toMatch(
      /│ processes +│ cpython, 5 ms +│ native +│ +2 │ +232 │ +220–255 │ +1\.72× ±0\.03 │ +0\.86 │ +0 │ +45\.0 │$/m,
    );
    expect(text).toMatch(
      /│ threads +│ off +│ native +│ +2 │ +206 │ +196–227 │ +1\.94× ±0\.04 │ +0\.97 │ +– │ +0\.500 │$/m,
    );
    expect(text).toMatch(
      /│ interpreters +│ cpython, 5 ms +│ native +│ +2 │ +210 │ +200–231 │ +1\.90× ±0\.04 │ +0\.95 │ +0 │ +0\.750 │$/m,
    );
    expect(text).toMatch(/│ sequential +│ off +│ native +│ +1 │ +396 │ +376–436 │ +1\.01× │ +1\.01 │ +– │ +– │$/m);
    expect(text).toMatch(/│ processes +│ off +│ native +│ +1 │ +0\.0120 │ +0\.0114–0\.0132 │ +– │ +42\.5 │$/m);
    const note =
      /^start-up ms: for processes, the median time a child took to start, spawn to ready; for threads and interpreters, the time from making the pool until it had answered one empty task per worker; no timed run includes it\.$/gm;
    expect(text.match(note)).toHaveLength(3);
    const [cpu] = fixtureReports();
    const sequentialOnly = renderRecord(
      record([{ ...cpu, rows: cpu.rows.filter((r) => r.model === 'sequential' || r.model === 'async') }]),
      pipe,
    );
    expect(sequentialOnly).not.toContain('start-up');
  });

  test('colours speedups only where asked', () => {
    expect(text).not.toMatch(/\x1b\[/);
    const coloured = renderRecord(record(), { isTTY: true, write() {} });
    expect(coloured).toContain('\x1b[32m1.94× ±0.04\x1b[39m');
  });
});

describe('the demo', () => {
  const figures = demoFigures(record());
  const fig = (speedup, flags = []) => ({ speedup, interval: [speedup * 0.98, speedup * 1.02], flags });

  test('picks each column’s row, with the most workers, each speedup with its interval and flags', () => {
    expect(figures.cpu).toMatchObject({ label: '2 × countdown(5,000,000)', workers: 2, sequentialMs: 400 });
    expect(figures.cpu.speedups.sequential).toEqual({ speedup: 1, interval: [1, 1], flags: [] });
    expect(figures.cpu.speedups.threadsOff.speedup).toBeCloseTo(400 / 206, 10);
    expect(figures.cpu.speedups.threadsOff.interval[0]).toBeCloseTo((0.98 * 400) / 206, 10);
    expect(figures.cpu.speedups.processes.speedup).toBeCloseTo(400 / 232, 10);
    expect(figures.io.speedups.threadsOn.speedup).toBeCloseTo(400 / 52, 10);
    expect(figures.convoy).toMatchObject({
      alone: 0.011,
      lockOn: 4.6,
      aloneLockOff: 0.01,
      lockOff: 0.013,
      interpreter: 0.0115,
      process: 0.012,
    });
    expect(figures.startupMs).toEqual({ threads: 0.5, interpreters: 0.75, processes: 42.5 });
    // Alone / beside, round by round, turned over: how much slower beside.
    expect(figures.convoy.slowdown.lockOn.times).toBeCloseTo(4.6 / 0.011, 6);
    expect(figures.ceiling).toEqual([{ workers: 2, speedup: 1.9, speedupCI: [1.86, 1.94] }]);
    expect(figures.lock).toBe('cpython, 5 ms');
  });

  test('prints the warnings first, one table of speedups with their intervals, the ceiling, the convoy line, and sentences', () => {
    const text = renderDemo(figures, pipe);
    expect(text).toMatch(
      /^gil-lab demo · native backend · 2 cores \(physical, no SMT\), Test CPU @ 3\.0GHz · lock: cpython, 5 ms$/m,
    );
    // Each interval on the line under its figure.
    expect(text).toMatch(
      /│ CPU-bound, 2 workers +│ +1\.00× │ +0\.96× │ +1\.94× │ +1\.90× │ +1\.72× │ +1\.00× │\n│ 2 × countdown\(5,000,000\) +│ +│ +±0\.02 │ +±0\.04 │ +±0\.04 │ +±0\.03 │ +±0\.02 │/,
    );
    expect(text).toMatch(
      /│ I\/O-bound, 8 workers +│ +1\.00× │ +7\.69× │ +7\.84× │ +7\.55× │ +5\.63× │ +7\.92× │\n│ 8 × sleep\(50 ms\) +│ +│ +±0\.15 │ +±0\.16 │ +±0\.15 │ +±0\.11 │ +±0\.16 │/,
    );
    expect(text.replace(/\s+/g, ' ')).toContain('machine: 2 processes 1.90× ±0.04 (ideal 2×)');
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Convoy: one I/O round trip takes 0.0110 ms alone, 4.60 ms beside one CPU-bound thread with the lock on (418×), 0.0130 ms with it off, ' +
        '0.0115 ms with the CPU-bound work in another interpreter, 0.0120 ms with the CPU-bound work in a process (medians).',
    );
    expect(text).not.toContain('!');
    expect(text.split('\n').every((line) => line.length <= 100 || line.includes('─'))).toBe(true);

    const warned = renderDemo(
      {
        ...figures,
        warnings: ['the machine is noisy: …'],
        cpu: { ...figures.cpu, speedups: { ...figures.cpu.speedups, async: fig(2.4, ['above-workers']) } },
      },
      pipe,
    );
    const lines = warned.split('\n');
    expect(lines.indexOf('! the machine is noisy: …')).toBeGreaterThan(0);
    expect(lines.indexOf('! the machine is noisy: …')).toBeLessThan(
      lines.findIndex((l) => l.includes('CPU-bound, 2 workers')),
    );
    expect(warned).toMatch(/│ +2\.40× ! │/);
  });

  test('the sentences follow the figures and their intervals', () => {
    const [cpu, interpreters, io, convoy] = readings(figures);
    expect(interpreters).toBe(
      'Like processes, each interpreter has its own lock: 2 interpreters ran the CPU-bound tasks at 1.90× ±0.04, lock on; like threads, they start in 750 µs (threads: 500 µs; processes: 42.5 ms).',
    );
    expect(cpu).toContain(
      'With the lock on, 2 threads ran the CPU-bound tasks at 0.96× ±0.02 the sequential speed — no faster',
    );
    // 1.94× ±0.04 and 1.90× ±0.04 overlap: no single fastest.
    expect(cpu).toContain(
      'Fastest for CPU-bound work: threads, lock off and interpreters, lock on, within each other’s intervals. This machine gave 2 plain processes side by side 1.90× ±0.04.',
    );
    expect(io).toBe(
      'For I/O-bound work, 8 threads reached 7.69× ±0.15 with the lock on, since a blocking call releases the lock; async, on the event loop alone, 7.92× ±0.16.',
    );
    expect(convoy).toContain('took 418× (410–427×) as long as alone with the lock on — the convoy effect');
    expect(convoy).toContain('; with the lock off, 1.30× (1.27–1.33×); beside a thread of another interpreter, ');
    expect(convoy).toContain('; beside a process instead, 1.09× (1.07–1.11×).');

    // Other figures, other words: processes ahead, a lock that costs I/O threads, no convoy.
    const other = {
      ...figures,
      cpu: {
        ...figures.cpu,
        speedups: {
          ...figures.cpu.speedups,
          threadsOn: fig(1.5),
          threadsOff: fig(1.6),
          interpreters: null,
          processes: fig(1.9),
        },
      },
      io: { ...figures.io, speedups: { ...figures.io.speedups, threadsOn: fig(2), threadsOff: fig(7.5) } },
      convoy: {
        ...figures.convoy,
        slowdown: { lockOn: { times: 2, interval: [1.9, 2.1] }, lockOff: null, interpreter: null, process: null },
      },
    };
    const [cpu2, io2, convoy2] = readings(other);
    expect(cpu2).not.toContain('no faster');
    expect(cpu2).toContain('Fastest for CPU-bound work: processes.');
    expect(io2).toContain('reached 2.00× ±0.04 with the lock on, against 7.50× ±0.15 with it off');
    expect(convoy2).toBe(
      'Beside one CPU-bound thread, an I/O round trip took 2.00× (1.90–2.10×) as long as alone with the lock on.',
    );

    // A figure missing, its clause gone, the sentence still a sentence.
    const [cpu3] = readings({
      ...figures,
      cpu: { ...figures.cpu, speedups: { ...figures.cpu.speedups, threadsOn: null } },
    });
    expect(cpu3).toMatch(/^With the lock off, at 1\.94× ±0\.04; and 2 processes/);
  });

  test('a conclusion is drawn only where the intervals support it; a flagged figure is called too noisy', () => {
    // Overlapping leaders: no single fastest.
    const close = {
      ...figures,
      cpu: {
        ...figures.cpu,
        speedups: { ...figures.cpu.speedups, threadsOff: fig(1.8), interpreters: null, processes: fig(1.75) },
      },
    };
    expect(readings(close)[0]).toContain(
      'Fastest for CPU-bound work: threads, lock off and processes, within each other’s intervals.',
    );
    // An interval that reaches past 1.2: no claim that the lock kept the threads to one at a time.
    const wide = {
      ...figures,
      cpu: {
        ...figures.cpu,
        speedups: {
          ...figures.cpu.speedups,
          threadsOn: { speedup: 1, interval: [0.8, 1.3], flags: ['wide-interval'] },
        },
      },
    };
    expect(readings(wide)[0]).toMatch(
      /^With the lock on, 2 threads ran the CPU-bound tasks at 1\.00× ±0\.25 the sequential speed; with/,
    );
    // Beyond what the machine allows: named too noisy, and left out of the ranking.
    const busy = {
      ...figures,
      cpu: {
        ...figures.cpu,
        speedups: {
          ...figures.cpu.speedups,
          threadsOn: fig(1.46, ['lock-on-above-1.2']),
          interpreters: null,
          processes: fig(2.9, ['above-workers']),
        },
      },
    };
    const [cpu] = readings(busy);
    expect(cpu).toContain('at 1.46× ±0.03 the sequential speed (too noisy here to tell)');
    expect(cpu).toContain('at 2.90× ±0.06 (too noisy here to tell)');
    expect(cpu).toContain('Fastest for CPU-bound work: threads, lock off.');
    // A convoy whose interval reaches under 10×: no convoy effect claimed.
    const faint = {
      ...figures,
      convoy: { ...figures.convoy, slowdown: { ...figures.convoy.slowdown, lockOn: { times: 12, interval: [8, 20] } } },
    };
    expect(readings(faint)[3]).not.toContain('convoy effect');
  });
});

describe('charts', () => {
  const charts = chartsOf(record());

  test('one per workload with speedups, the latency chart, a timeline per trace', () => {
    expect(charts.map((c) => c.id)).toEqual(['speedup-0', 'speedup-1', 'latency-2', 'timeline-0', 'timeline-1']);
    expect(new Set(charts.map((c) => c.id)).size).toBe(charts.length);
  });

  test('speedup vs workers: a line per model and lock, with the rows’ speedups', () => {
    const { config } = charts[0];
    expect(config.type).toBe('line');
    const byLabel = Object.fromEntries(config.data.datasets.map((d) => [d.label, d.data]));
    expect(Object.keys(byLabel)).toEqual([
      'sequential, lock cpython, 5 ms',
      'sequential, lock off',
      'threads, lock cpython, 5 ms',
      'threads, lock off',
      'interpreters, lock cpython, 5 ms',
      'processes, lock cpython, 5 ms',
      'async, lock cpython, 5 ms',
      'ideal (speedup = workers)',
      'machine: plain processes side by side',
    ]);
    // The references: speedup = workers, and the machine's ceiling from the cpu run's calibration.
    expect(byLabel['ideal (speedup = workers)']).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ]);
    expect(byLabel['machine: plain processes side by side']).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 1.9 },
    ]);
    // Each point with its interval, drawn by the page as an error bar.
    const threadsOff = config.data.datasets.find((d) => d.label === 'threads, lock off');
    expect(threadsOff.errorBars[1][0]).toBeCloseTo((0.98 * 400) / 206, 10);
    expect(threadsOff.errorBars[1][1]).toBeCloseTo((1.02 * 400) / 206, 10);
    expect(byLabel['threads, lock off']).toEqual([
      { x: 1, y: 400 / 398 },
      { x: 2, y: 400 / 206 },
    ]);
    const off = config.data.datasets.find((d) => d.label === 'threads, lock off');
    expect(off.borderDash).toEqual([6, 4]);
  });

  test('the lock off is drawn apart only beside the lock on', () => {
    const [cpu] = fixtureReports();
    const offOnly = record([{ ...cpu, rows: cpu.rows.filter((r) => r.gil === 'off'), timelines: [] }]);
    const [chart] = chartsOf(offOnly);
    expect(chart.config.data.datasets.map((d) => [d.label, d.borderDash])).toEqual([
      ['sequential', []],
      ['threads', []],
      ['ideal (speedup = workers)', [4, 4]],
      ['machine: plain processes side by side', [2, 3]],
    ]);
  });

  test('one worker count: a bar per model and lock', () => {
    const { config } = charts[1];
    expect(config.type).toBe('bar');
    expect(config.data.labels).toEqual([
      ['sequential', 'lock cpython', '5 ms'],
      ['sequential', 'lock off'],
      ['threads', 'lock cpython', '5 ms'],
      ['threads', 'lock off'],
      ['interpreters', 'lock cpython', '5 ms'],
      ['processes', 'lock cpython', '5 ms'],
      ['async', 'lock cpython', '5 ms'],
    ]);
    expect(config.data.datasets[0].data).toEqual([1, 400 / 402, 400 / 52, 400 / 51, 400 / 53, 400 / 71, 400 / 50.5]);
    expect(config.data.datasets[0].errorBars[0]).toEqual([1, 1]);
    // The ideal across the bars; no ceiling, which only CPU-bound runs measure.
    expect(config.data.datasets.slice(1).map((d) => [d.type, d.label, d.data])).toEqual([
      ['line', 'ideal: 8× (speedup = workers)', [8, 8, 8, 8, 8, 8, 8]],
    ]);
  });

  test('latency vs CPU-bound workers, on a log scale, each line from its lock’s alone measurement', () => {
    const { config } = charts[2];
    expect(config.options.scales.y.type).toBe('logarithmic');
    expect(config.data.datasets.map((d) => [d.label, d.data.map((p) => [p.x, p.y])])).toEqual([
      [
        'threads, lock cpython, 5 ms',
        [
          [0, 0.011],
          [1, 4.6],
          [2, 9.8],
        ],
      ],
      [
        'interpreters, lock cpython, 5 ms',
        [
          [0, 0.011],
          [1, 0.0115],
          [2, 0.0125],
        ],
      ],
      [
        'processes, lock cpython, 5 ms',
        [
          [0, 0.011],
          [1, 0.012],
          [2, 0.014],
        ],
      ],
      [
        'threads, lock off',
        [
          [0, 0.01],
          [1, 0.013],
          [2, 0.02],
        ],
      ],
      [
        'processes, lock off',
        [
          [0, 0.01],
          [1, 0.012],
          [2, 0.013],
        ],
      ],
    ]);
  });

  test('the timeline: holds, waits and drop requests per thread, as floating bars', () => {
    const { config, caption } = charts[3];
    expect(config.options.indexAxis).toBe('y');
    expect(config.data.labels).toEqual(['worker 1', 'worker 2']);
    const [held, waited, drops] = config.data.datasets;
    expect(held.data).toEqual([
      { x: [0, 5.3], y: 'worker 1' },
      { x: [5.35, 10.5], y: 'worker 2' },
      { x: [10.55, 14], y: 'worker 1' },
      { x: [14.05, 14.05], y: 'worker 2' },
    ]);
    expect(waited.data).toEqual([
      { x: [0.2, 5.35], y: 'worker 2' },
      { x: [5.4, 10.55], y: 'worker 1' },
      { x: [10.6, 14.05], y: 'worker 2' },
    ]);
    expect(drops.data.map((d) => d.x[0])).toEqual([5.2, 10.4]);
    expect(caption).toContain('4 holds, 3 waits and 2 drop requests over 2 threads');
  });

  test('intervalsOf: names threads by backend when a trace has both, and closes what is open at the end', () => {
    const { threads, held, waiting } = intervalsOf([
      { backend: 'js', thread: 'w1', event: 'take', timeMs: 1 },
      { backend: 'native', thread: 'w1', event: 'wait', timeMs: 2 },
      { backend: 'js', thread: 'w1', event: 'release', timeMs: 3 },
      { backend: 'js', thread: 'w1', event: 'take', timeMs: 4 },
    ]);
    expect(threads).toEqual(['js w1', 'native w1']);
    expect(held).toEqual([
      { thread: 'js w1', from: 1, to: 3 },
      { thread: 'js w1', from: 4, to: 4 },
    ]);
    expect(waiting).toEqual([{ thread: 'native w1', from: 2, to: 4 }]);
  });

  test('a timeline shows only the kinds of event its trace has', () => {
    const [cpu] = fixtureReports();
    const events = cpu.timelines[0].events.filter((e) => e.event !== 'wait');
    const [timeline] = chartsOf(record([{ ...cpu, rows: [], timelines: [{ label: 'no waits', events }] }]));
    expect(timeline.config.data.datasets.map((d) => d.label)).toEqual(['held the lock', 'drop request']);
    expect(timeline.caption).toMatch(/^4 holds, 0 waits and 2 drop requests over 2 threads, /);
  });

  test('no chart where no row measured what it draws', () => {
    const only = record([
      {
        ...fixtureReports()[0],
        rows: [row({ workload: 'cpu', model: 'sequential', wall: 10, sequential: 10 })],
        timelines: [],
      },
    ]);
    expect(chartsOf(only)).toEqual([]);
    expect(renderHtml(only)).toContain('No run in this report measured a speedup, a latency or a timeline.');
  });
});

describe('the HTML report', () => {
  const html = renderHtml(record());
  const parts = scripts(html);

  test('is self-contained: Chart.js, styles and data inlined, nothing to fetch', () => {
    expect(parts).toHaveLength(4);
    expect(parts[0].body).toContain('Chart.js v4.');
    expect(parts.every((s) => !/\bsrc=/.test(s.attrs))).toBe(true);
    const outsideScripts = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    expect(outsideScripts).not.toMatch(/\b(src|href)=/i);
    expect(outsideScripts).not.toMatch(/<link\b|@import|url\(/i);
  });

  test('its Content-Security-Policy allows no request and only its own scripts, by hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)[1].replaceAll('&#39;', "'");
    expect(csp).toContain("default-src 'none'");
    const hash = (text) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    const runnable = parts.filter((s) => !s.attrs.includes('application/json'));
    expect(runnable).toHaveLength(2);
    for (const s of runnable) expect(csp).toContain(hash(s.body));
  });

  test('carries the charts and the record as JSON that reads back whole', () => {
    const data = (id) => JSON.parse(parts.find((s) => s.attrs.includes(`id="${id}"`)).body);
    expect(data('gil-lab-record')).toEqual(JSON.parse(JSON.stringify(record())));
    expect(data('gil-lab-charts').map((c) => c.id)).toEqual(chartsOf(record()).map((c) => c.id));
    for (const c of chartsOf(record())) expect(html).toContain(`<canvas id="${c.id}"`);
  });

  test('shows the machine, the versions, and the figures', () => {
    expect(html).toContain('<th>CPU</th><td>Test CPU @ 3.0GHz</td>');
    expect(html).toContain('<th>load average at the start</th><td>0.3</td>');
    expect(html).toContain(`<th>node</th><td>${process.versions.node}</td>`);
    expect(html).toMatch(/<th>Chart\.js<\/th><td>4\.\d+\.\d+<\/td>/);
    expect(html).toContain('<td>threads</td><td>off</td><td>native</td><td class="num">2</td><td class="num">206</td>');
    expect(html).toMatch(
      /<td>processes<\/td><td>cpython, 5 ms<\/td><td>native<\/td><td class="num">2<\/td>(<td class="num">[^<]*<\/td>){5}<td class="num">45\.0<\/td><\/tr>/,
    );
    expect(html).toContain(
      '<p class="caption">start-up ms: for processes, the median time a child took to start, spawn to ready; for threads and interpreters, the time from making the pool until it had answered one empty task per worker; no timed run includes it.</p>',
    );
  });

  test('escapes what it inlines: no text from a record can open or close an element', () => {
    const evil = '</script><script>alert(1)</script><!--';
    const reports = fixtureReports();
    reports[0].machine = { ...reports[0].machine, cpu: evil };
    reports[0].timelines[0].label = `<b>${evil}`;
    reports[0].timelines[0].events[0].thread = evil;
    const page = renderHtml(record(reports));
    expect(scripts(page)).toHaveLength(4);
    expect(page.match(/<script/g)).toHaveLength(4);
    expect(page).toContain(escapeHtml(evil));
    const recordJson = scripts(page).find((s) => s.attrs.includes('gil-lab-record')).body;
    expect(JSON.parse(recordJson).machine.cpu).toBe(evil);
  });

  test('escaping helpers', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    expect(jsonForScript({ s: '</script>&\u2028' })).toBe('{"s":"\\u003c/script\\u003e\\u0026\\u2028"}');
    expect(JSON.parse(jsonForScript({ s: '</script>&\u2028' }))).toEqual({ s: '</script>&\u2028' });
    expect(scriptSafe('a = "</SCRIPT>"; // <!-- x')).toBe('a = "<\\/SCRIPT>"; // <\\!-- x');
  });
});

describe('terminal', () => {
  test.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { NO_COLOR: '' }, true],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: false }, { FORCE_COLOR: '0' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
  ])('colorEnabled(%j, %j) is %s', (stream, env, enabled) => expect(colorEnabled(stream, env)).toBe(enabled));

  const sink = (isTTY) => {
    const stream = { isTTY, columns: 80, written: '', write: (s) => ((stream.written += s), true) };
    return stream;
  };
  const tick = (ms) => new Promise((r) => setTimeout(r, ms));

  test('a bar appears on a terminal once the delay has passed, and updates', async () => {
    const tty = sink(true);
    const progress = new Progress({ stream: tty, delayMs: 20 });
    progress.update(1, 4, 'first');
    expect(tty.written).toBe('');
    await tick(60);
    progress.update(3, 4, 'third');
    await tick(150);
    progress.stop();
    const shown = tty.written.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '');
    expect(shown).toMatch(/█{6}░{18} 1\/4 first/);
    expect(shown).toMatch(/█{18}░{6} 3\/4 third/);
  });

  test('nothing when quiet, or when done before the delay, on a terminal or not', async () => {
    const streams = [sink(true), sink(false), sink(true), sink(false)];
    const bars = [
      new Progress({ stream: streams[0], delayMs: 0, quiet: true }),
      new Progress({ stream: streams[1], delayMs: 0, quiet: true }),
      new Progress({ stream: streams[2], delayMs: 50 }),
      new Progress({ stream: streams[3], delayMs: 50 }),
    ];
    bars.forEach((b) => (b.stage('first'), b.update(1, 2, 'x')));
    bars[2].finish('1 done');
    bars[3].finish('1 done');
    await tick(100);
    bars.forEach((b) => b.finish('2 done'));
    expect(streams.map((s) => s.written)).toEqual(['', '', '', '']);
  });

  test('on a stream that is not a terminal, once the delay has passed: a line per stage, and one at the end', async () => {
    const log = sink(false);
    const progress = new Progress({ stream: log, delayMs: 20, name: 'gil-lab compare' });
    progress.stage('measuring cpu (1 of 2)');
    progress.update(1, 4, 'a cell');
    expect(log.written).toBe('');
    await tick(60);
    progress.stage('measuring io (2 of 2)');
    progress.update(3, 4, 'a cell');
    progress.finish('2 workloads measured');
    progress.stop();
    expect(log.written).toMatch(
      /^gil-lab compare: measuring cpu \(1 of 2\)\ngil-lab compare: measuring io \(2 of 2\)\ngil-lab compare: 2 workloads measured in [\d.]+ ms\n$/,
    );
  });
});

describe('CPython beside gil-lab', () => {
  const python = {
    command: 'python3',
    executable: '/usr/bin/python3.11',
    version: '3.11.7',
    implementation: 'cpython',
    freeThreadedBuild: false,
    gilEnabled: true,
    switchInterval: 0.005,
    startMethod: 'fork',
    label: 'CPython 3.11.7',
    error: null,
    note: null,
    missing: 'interpreters: InterpreterPoolExecutor is new in Python 3.14, and this is 3.11.7',
  };
  const withPython = () => {
    const reports = fixtureReports();
    reports[0].rows.push(
      row({ workload: 'cpu', model: 'sequential', backend: 'cpython', wall: 800, sequential: 800 }),
      row({ workload: 'cpu', model: 'threads', workers: 2, backend: 'cpython', wall: 820, sequential: 800 }),
      row({ workload: 'cpu', model: 'processes', workers: 2, backend: 'cpython', wall: 430, sequential: 800 }),
    );
    reports[0].python = python;
    reports[1].python = { ...python, error: 'CPython 3.11.7 (python3) was killed by signal SIGKILL' };
    return record(reports);
  };
  /** The demo's record with CPython's rows of every workload. */
  const demoWithPython = () => {
    const reports = fixtureReports();
    const cpython = (fields) => row({ backend: 'cpython', ...fields });
    reports[0].rows.push(
      cpython({ workload: 'cpu', model: 'sequential', wall: 800, sequential: 800 }),
      cpython({ workload: 'cpu', model: 'threads', workers: 2, wall: 800, sequential: 800 }),
      cpython({ workload: 'cpu', model: 'processes', workers: 2, wall: 400, sequential: 800 }),
    );
    reports[1].rows.push(
      cpython({ workload: 'io', model: 'sequential', tasks: 8, wall: 400, sequential: 400 }),
      cpython({ workload: 'io', model: 'threads', workers: 8, tasks: 8, wall: 50, sequential: 400 }),
    );
    reports[2].rows.push(
      cpython({ workload: 'latency', model: 'sequential', workers: 0, tasks: 1, wall: 0.2, latency: 0.001 }),
      cpython({ workload: 'latency', model: 'threads', workers: 1, tasks: 1, wall: 60, latency: 0.3 }),
      cpython({ workload: 'latency', model: 'processes', workers: 1, tasks: 1, wall: 0.3, latency: 0.0015 }),
    );
    for (const r of reports) r.python = python;
    return record(reports);
  };

  test('the demo: a CPython line under each of the emulation’s, its convoy, and sentences that compare the two', () => {
    const figures = demoFigures(demoWithPython());
    expect(figures.cpu).toEqual(demoFigures(record()).cpu);
    expect(figures.cpython).toMatchObject({
      label: 'CPython 3.11.7',
      convoy: { alone: 0.001, thread: 0.3, process: 0.0015 },
      error: null,
    });
    const speedupOf = (f) => f && f.speedup;
    expect(Object.fromEntries(Object.entries(figures.cpython.cpu.speedups).map(([k, f]) => [k, speedupOf(f)]))).toEqual(
      {
        sequential: 1,
        threadsOn: 1,
        threadsOff: null,
        interpreters: null,
        processes: 2,
        async: null,
      },
    );
    const text = renderDemo(figures, pipe);
    expect(text).toMatch(
      /│ CPU-bound, 2 workers +│ +1\.00× │ +0\.96× │[^\n]*\n│ 2 × countdown\(5,000,000\) +│[^\n]*\n│ {3}CPython 3\.11\.7 +│ +1\.00× │ +1\.00× │ +– │ +– │ +2\.00× │ +– │/,
    );
    expect(text).toMatch(/│ {3}CPython 3\.11\.7 +│ +1\.00× │ +8\.00× │ +– │/);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'CPython 3.11.7: 0.00100 ms alone, 0.300 ms beside one CPU-bound thread (300×), 0.00150 ms beside a process.',
    );
    const sentences = readings(figures);
    expect(sentences).toContain(
      'In CPython 3.11.7, measured in the same run, 2 threads ran the CPU-bound tasks at 1.00× ±0.02 (the emulation, lock on: 0.96× ±0.02); 2 processes at 2.00× ±0.04 (the emulation: 1.72× ±0.03).',
    );
    expect(sentences).toContain(
      'In CPython 3.11.7, 8 threads reached 8.00× ±0.16 on the I/O-bound tasks (the emulation: 7.69× ±0.15); an I/O round trip beside one CPU-bound thread took 300× as long as alone (the emulation: 418×).',
    );
  });

  test('the demo beside a CPython without its GIL sets its threads beside the lock off', () => {
    const r = demoWithPython();
    r.python = { ...r.python, label: 'CPython 3.13.0, no GIL', gilEnabled: false, freeThreadedBuild: true };
    for (const x of r.rows)
      if (x.runtime === 'cpython') Object.assign(x, { gil: 'off', mode: null, switchInterval: null });
    const sentences = readings(demoFigures(r));
    expect(sentences).toContain(
      'In CPython 3.13.0, no GIL, measured in the same run, 2 threads ran the CPU-bound tasks at 1.00× ±0.02 (the emulation, lock off: 1.94× ±0.04); 2 processes at 2.00× ±0.04 (the emulation: 1.72× ±0.03).',
    );
  });

  test('combine keeps the interpreter and says, per workload, what failed', () => {
    expect(withPython().python).toEqual({
      ...python,
      error: 'io: CPython 3.11.7 (python3) was killed by signal SIGKILL',
    });
    expect(record().python).toBeNull();
  });

  test('the table names CPython in the backend column, and under it which CPython ran and why rows are missing', () => {
    const text = renderRecord(withPython(), pipe);
    expect(text).toMatch(/│ threads +│ cpython, 5 ms +│ CPython +│ +2 │/);
    expect(text).toContain(
      'CPython rows: CPython 3.11.7 (/usr/bin/python3.11), sys.setswitchinterval as each row’s lock says'.replace(
        '’',
        "'",
      ),
    );
    expect(text).toContain('CPython rows are missing: io: CPython 3.11.7 (python3) was killed by signal SIGKILL');
    // Said once, though each run said it.
    expect(
      text.match(
        /CPython has no rows for interpreters: InterpreterPoolExecutor is new in Python 3\.14, and this is 3\.11\.7/g,
      ),
    ).toHaveLength(1);
  });

  test('the charts draw CPython’s points over gil-lab’s, as triangles; the report names it', () => {
    const [speedup] = chartsOf(withPython());
    const cpython = speedup.config.data.datasets.filter((d) => d.label.includes('CPython'));
    expect(cpython.map((d) => d.label)).toEqual([
      'sequential, lock cpython, 5 ms, CPython',
      'threads, lock cpython, 5 ms, CPython',
      'processes, lock cpython, 5 ms, CPython',
    ]);
    for (const d of cpython) expect(d.pointStyle).toBe('triangle');
    expect(cpython[2].data).toEqual([{ x: 2, y: 800 / 430 }]);
    const html = renderHtml(withPython());
    expect(html).toContain('native backend beside CPython 3.11.7');
  });
});
