'use strict';
// gil-lab fidelity: the measures read from a record, whether figures agree, the table; and a
// python that cannot serve, as one line. The live run takes minutes: benchmark/fidelity.js.
const path = require('node:path');
const { ROOT } = require('./support/backends');
const { gilLab } = require('./support/cli');
const { row } = require('./support/report-fixture');

const { fidelityMeasures, fidelityMarkdown, fidelityPlans, agree, SWEEP } = require(
  path.join(ROOT, 'dist', 'cli', 'fidelity'),
);

const withInterval = (r, low, high) => ({ ...r, speedupCI: [low, high] });

function fixtureRecord() {
  const rows = [];
  for (const backend of ['native', 'cpython']) {
    const cpu = (model, gil, wall, interval = 0.005) =>
      row({
        workload: 'cpu',
        model,
        gil,
        workers: model === 'sequential' ? 1 : 2,
        wall,
        sequential: 400,
        backend,
        interval,
      });
    rows.push(
      cpu('sequential', 'on', 400),
      withInterval(cpu('threads', 'on', 400), 0.95, 1.05),
      withInterval(cpu('processes', 'on', 210), 1.8, 2.0),
      cpu('sequential', 'off', 400),
      withInterval(cpu('threads', 'off', backend === 'native' ? 250 : 400), 1.5, 1.7),
    );
    // A round trip 300 times slower beside a CPU-bound thread: the row's speedup is alone ÷ beside.
    rows.push(
      row({ workload: 'latency', model: 'sequential', workers: 0, tasks: 1, wall: 1, latency: 0.001, backend }),
      withInterval(
        {
          ...row({ workload: 'latency', model: 'threads', workers: 1, tasks: 1, wall: 300, latency: 0.3, backend }),
          speedup: 1 / 300,
        },
        1 / 400,
        1 / 250,
      ),
    );
  }
  return { rows, python: { gilEnabled: true } };
}

describe('gil-lab fidelity', () => {
  test('the plans: CPython beside every backend in each measured run, none in legacy mode', () => {
    const plans = fidelityPlans('python3', ['native', 'js'], 1000, 3);
    expect(plans.map((p) => `${p.workload}/${p.python ?? false}/${p.mode ?? 'cpython'}`)).toEqual([
      'cpu/python3/cpython',
      'cpu/python3/cpython',
      'io/python3/cpython',
      'latency/python3/cpython',
      'cpu/false/legacy',
      'latency/false/legacy',
    ]);
    expect(plans[3].switchIntervals).toEqual(SWEEP);
    for (const p of plans) expect(p.backends).toEqual(['native', 'js']);
  });

  test('reads each measure from the rows: CPython and each backend, a convoy inverted into × slower', () => {
    const [cpuOn, offVsProcesses, , convoy] = fidelityMeasures(fixtureRecord(), ['native']);
    expect(cpuOn.cpython).toEqual({ value: 1, interval: [0.95, 1.05] });
    expect(cpuOn.emulation.native).toEqual({ value: 1, interval: [0.95, 1.05] });
    expect(offVsProcesses.cpython.value).toBeCloseTo(400 / 210, 9);
    expect(offVsProcesses.emulation.native.value).toBeCloseTo(400 / 250, 9);
    expect(convoy.cpython.value).toBeCloseTo(300, 9);
    expect(convoy.cpython.interval[0]).toBeCloseTo(250, 9);
    expect(convoy.cpython.interval[1]).toBeCloseTo(400, 9);
  });

  test('figures agree where their intervals overlap; without intervals, no verdict', () => {
    expect(agree({ value: 1, interval: [0.9, 1.1] }, { value: 1.15, interval: [1.05, 1.2] })).toBe(true);
    expect(agree({ value: 1, interval: [0.9, 1.0] }, { value: 1.9, interval: [1.8, 2.0] })).toBe(false);
    expect(agree({ value: 1, interval: null }, { value: 1, interval: [0.9, 1.1] })).toBeNull();
  });

  test('the Markdown table: a row per measure, a verdict per backend', () => {
    const markdown = fidelityMarkdown(fidelityMeasures(fixtureRecord(), ['native']), ['native']).split('\n');
    expect(markdown[0]).toBe('| measure | CPython | native | native vs CPython |');
    expect(markdown[2]).toBe(
      '| CPU-bound: 2 threads vs sequential, lock on | 1.00× [0.950–1.05] | 1.00× [0.950–1.05] | agree |',
    );
    expect(markdown[3]).toBe(
      '| CPU-bound: lock off (emulation) vs 2 processes (CPython) | 1.90× [1.80–2.00] | 1.60× [1.50–1.70] | differ |',
    );
    expect(markdown.find((l) => l.startsWith('| legacy mode: convoy'))).toBe(
      '| legacy mode: convoy, × slower | CPython before 3.2 | – | – |',
    );
  });

  test('a python that cannot serve is one line, exit 1, before any work', async () => {
    const { status, stdout, stderr } = await gilLab(['fidelity', '--python', '/nowhere/python3']);
    expect({ status, stdout, stderr }).toEqual({
      status: 1,
      stdout: '',
      stderr: 'gil-lab fidelity: python /nowhere/python3: no such file\n',
    });
  });
});
