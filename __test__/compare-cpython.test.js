'use strict';
// compare({ python }): CPython's rows beside gil-lab's, from the real python3 on the PATH; a
// python that cannot serve is one error with a code, before any work.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { compare, info } = require('gil-lab');
const { backend } = require('./support/backends');
const { gilLab } = require('./support/cli');
const { failure, python3OnPath } = require('./support/python');

const whenPython3 = python3OnPath() ? test : test.skip;
const SMALL = {
  tasks: 2,
  workers: [2],
  models: ['sequential', 'threads', 'processes', 'async'],
  gil: ['on'],
  // One round, no budget beyond it: each speedup is then the plain ratio of the two runs.
  repeats: 1,
  maxTime: 0,
  backends: [info().backend],
};

/** The pid of this process's CPython driver, found in /proc. */
function driverPid() {
  const found = fs.readdirSync('/proc').filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('driver.py');
    } catch {
      return false;
    }
  });
  if (found.length !== 1) throw new Error(`expected one driver, found ${found.length}`);
  return Number(found[0]);
}

describe(`compare with CPython (${backend} backend)`, () => {
  whenPython3(
    'cpu: a row of every model in CPython beside gil-lab’s, timed in the same rounds, its countdown calibrated to gil-lab’s task',
    async () => {
      const progress = [];
      const report = await compare({
        ...SMALL,
        workload: 'cpu',
        kernel: 'countdown',
        size: 20_000_000,
        repeats: 2,
        python: true,
        onProgress: (p) => progress.push(p),
      });
      const runtimes = report.rows.map((r) => `${r.runtime}/${r.model}`);
      expect(runtimes).toEqual([
        'gil-lab/sequential',
        'gil-lab/threads',
        'gil-lab/processes',
        'gil-lab/async',
        'cpython/sequential',
        'cpython/threads',
        'cpython/processes',
        'cpython/async',
      ]);
      expect(report.python).toMatchObject({
        command: 'python3',
        implementation: 'cpython',
        gilEnabled: true,
        error: null,
        note: null,
        missing: null,
      });
      expect(report.python.label).toBe(`CPython ${report.python.version}`);
      expect(report.options.python).toBe('python3');
      const [sequential, ...others] = report.rows.filter((r) => r.runtime === 'cpython');
      expect(sequential).toMatchObject({
        backend: 'cpython',
        kernel: 'countdown',
        gil: 'on',
        mode: 'cpython',
        switchInterval: 0.005,
        workers: 1,
        tasks: 2,
        speedup: 1,
        gilStats: null,
      });
      expect(sequential.size).toBeGreaterThan(0);
      for (const row of others) {
        // Paired by round: the median of two rounds' ratios is their mean.
        const [a, b] = row.wallMs.runs.map((ms, round) => sequential.wallMs.runs[round] / ms);
        expect(row.speedup).toBeCloseTo((a + b) / 2, 9);
      }
      expect(others.find((r) => r.model === 'processes').startupMs).toBeGreaterThan(0);
      // Interleaved: the core times every cell of both runtimes in each round (progress is its
      // onRun, in the order it ran them), so each round's eight runs are the eight cells.
      for (const row of report.rows) expect(row.wallMs.runs).toHaveLength(2);
      expect(progress.map((p) => p.done)).toEqual([...Array(16).keys()].map((i) => i + 1));
      expect(progress.at(-1).total).toBe(16);
      const cpythonLabel =
        /^CPython: cpu, (sequential, 1 worker|(threads|processes|async), 2 workers), CPython 3\.\d+\.\d+ \(5 ms\)$/;
      for (const round of [progress.slice(0, 8), progress.slice(8)]) {
        const labels = round.map((p) => p.label);
        expect(new Set(labels).size).toBe(8);
        expect(labels.filter((l) => cpythonLabel.test(l))).toHaveLength(4);
        expect(labels.filter((l) => l.startsWith('cpu countdown, '))).toHaveLength(4);
      }
    },
  );

  whenPython3(
    'io and latency: sleeps overlap on threads; round trips alone and beside spinners, at the switch intervals asked',
    async () => {
      const io = await compare({
        ...SMALL,
        workload: 'io',
        size: 30,
        tasks: 4,
        workers: [4],
        models: ['sequential', 'threads'],
        python: true,
      });
      const cpythonIo = io.rows.filter((r) => r.runtime === 'cpython');
      expect(cpythonIo.map((r) => r.model)).toEqual(['sequential', 'threads']);
      expect(cpythonIo[0].wallMs.median).toBeGreaterThanOrEqual(4 * 30);
      expect(cpythonIo[1].wallMs.median).toBeGreaterThanOrEqual(30);
      const latency = await compare({
        ...SMALL,
        workload: 'latency',
        size: 20,
        workers: [1],
        models: ['threads', 'processes', 'async'],
        switchIntervals: [0.005, 0.001],
        python: true,
      });
      const rows = latency.rows.filter((r) => r.runtime === 'cpython');
      expect(rows.map((r) => `${r.model}/${r.workers}/${r.switchInterval}`)).toEqual([
        'sequential/0/0.005',
        'threads/1/0.005',
        'processes/1/0.005',
        'sequential/0/0.001',
        'threads/1/0.001',
        'processes/1/0.001',
      ]);
      for (const row of rows) expect(row.latencyMs.median).toBeCloseTo(row.wallMs.median / 20, 9);
    },
  );

  whenPython3('interpreters: gil-lab’s rows, and CPython’s record says why it has none before 3.14', async () => {
    const report = await compare({
      ...SMALL,
      workload: 'io',
      size: 5,
      models: ['threads', 'interpreters'],
      python: true,
    });
    expect(report.rows.map((r) => `${r.runtime}/${r.model}`)).toEqual([
      'gil-lab/sequential',
      'gil-lab/threads',
      'gil-lab/interpreters',
      'cpython/sequential',
      'cpython/threads',
    ]);
    const [major, minor] = report.python.version.split('.').map(Number);
    expect(report.python.missing).toBe(
      major === 3 && minor < 14
        ? `interpreters: InterpreterPoolExecutor is new in Python 3.14, and this is ${report.python.version}`
        : `interpreters: gil-lab's driver does not run ${report.python.label}'s InterpreterPoolExecutor yet`,
    );
  });

  whenPython3('a driver killed mid-run: its rows are missing and the record says why; the run goes on', async () => {
    let killed = false;
    const report = await compare({
      ...SMALL,
      workload: 'io',
      size: 20,
      models: ['sequential', 'threads'],
      repeats: 2,
      python: true,
      onProgress: ({ label }) => {
        if (killed || !label.startsWith('CPython')) return;
        killed = true;
        process.kill(driverPid(), 'SIGKILL');
      },
    });
    // Its rounds were cut short: gil-lab's cells were timed again, the rounds asked for in full.
    const gilLab = report.rows.filter((r) => r.runtime === 'gil-lab');
    expect(gilLab.map((r) => r.wallMs.runs.length)).toEqual([2, 2]);
    expect(report.rows.filter((r) => r.runtime === 'cpython')).toHaveLength(0);
    expect(report.python.error).toMatch(/^CPython 3\.\d+\.\d+ \(python3\) was killed by signal SIGKILL$/);
  });

  test('a python that is not there, or not a python option: one error with a code or a TypeError, before any work', async () => {
    const progress = [];
    const missing = await failure(
      compare({ ...SMALL, python: '/nowhere/python3', onProgress: (p) => progress.push(p) }),
    );
    expect(missing).toMatchObject({
      name: 'PythonError',
      code: 'ERR_GIL_LAB_PYTHON_NOT_FOUND',
      message: 'python /nowhere/python3: no such file',
    });
    expect(progress).toEqual([]);
    await expect(compare({ ...SMALL, python: 3 })).rejects.toThrow(
      new TypeError('options.python must be true (python3 on the PATH), false or the path of a python; got number'),
    );
    const error = await failure(compare({ ...SMALL, python: '/bin/true' }));
    expect(error).toMatchObject({ code: 'ERR_GIL_LAB_PYTHON_FAILED', message: 'python /bin/true exited with code 0' });
  });

  test('gil-lab compare --python: a bad path, or no python3 on the PATH, is one line and exit 1', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-no-python-'));
    try {
      const bad = await gilLab(['compare', '--workload', 'cpu', '--python', '/nowhere/python3']);
      expect(bad).toMatchObject({
        status: 1,
        stdout: '',
        stderr: 'gil-lab compare: python /nowhere/python3: no such file\n',
      });
      const none = await gilLab(['compare', '--workload', 'cpu', '--python'], { env: { PATH: empty } });
      expect(none).toMatchObject({
        status: 1,
        stdout: '',
        stderr: 'gil-lab compare: python python3: not found on the PATH\n',
      });
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
