'use strict';
// The CPython driver with real interpreters: python3 on the PATH, the oldest it supports and
// any other pyenv keeps, ones too old, paths that are no interpreter; and a driver that dies,
// hangs or prints garbage. No backend is involved: the suite runs in the JS pass only.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PythonDriver, locatePython } = require('../dist/lab/cpython/driver');
const { CPythonRuntime } = require('../dist/lab/cpython/cells');
const { ROOT, backend, inBackendAsync } = require('./support/backends');
const { failure, pyenvPython, python3OnPath } = require('./support/python');

const describeOnce = backend === 'native' ? describe.skip : describe;
const whenPython3 = python3OnPath() ? test : test.skip;
const oldest = pyenvPython('3.8');
const newest = pyenvPython('3.13');
const tooOld = pyenvPython('3.7') ?? pyenvPython('2.7');

/**
 * What `python` itself says of the two probes of a free-threaded build: `sys._is_gil_enabled()`
 * (null where it has none, before 3.13) and the build's `Py_GIL_DISABLED` (null before 3.13).
 */
function gilProbes(python) {
  const script =
    'import json, sys, sysconfig; probe = getattr(sys, "_is_gil_enabled", None); ' +
    'print(json.dumps({"isGilEnabled": probe() if probe else None, "gilDisabled": sysconfig.get_config_var("Py_GIL_DISABLED")}))';
  return JSON.parse(execFileSync(python, ['-c', script], { encoding: 'utf8' }));
}

/** Runs `body` in a Node process of its own with `env` (jest's process.env does not reach children), `PythonDriver` and `failure` in scope. */
function inDriverChild(body, env) {
  const driver = JSON.stringify(path.join(ROOT, 'dist', 'lab', 'cpython', 'driver'));
  return inBackendAsync('js', `const { PythonDriver } = require(${driver}); ${failure.toString()}; ${body}`, {
    env,
    timeout: 30_000,
  });
}

/** Opens each model on `runtime` and times a short run of each workload it serves. */
async function everyModel(runtime) {
  const n = await runtime.calibrateCountdown(20);
  const seen = {};
  for (const model of ['sequential', 'threads', 'processes', 'async']) {
    for (const task of [
      { workload: 'cpu', tasks: 2, n },
      { workload: 'io', tasks: 4, seconds: 0.02 },
      { workload: 'latency', round_trips: 50, head_start: 0.01 },
    ]) {
      if (model === 'async' && task.workload === 'latency') continue;
      const cell = await runtime.open(model, 2, task, 200);
      const warm = await cell.warm();
      const ms = await cell.time();
      await cell.close();
      seen[`${model}/${task.workload}`] = { warm: warm.length, ms };
    }
  }
  return seen;
}

describeOnce('the CPython driver', () => {
  whenPython3('python3 on the PATH: names itself, and runs every model of every workload', async () => {
    const runtime = await CPythonRuntime.start('python3');
    try {
      expect(runtime.info).toMatchObject({ command: 'python3', implementation: 'cpython', switchInterval: 0.005 });
      expect(runtime.info.version).toMatch(/^3\.\d+\.\d+$/);
      expect(runtime.info.label).toBe(
        runtime.info.gilEnabled ? `CPython ${runtime.info.version}` : `CPython ${runtime.info.version}, no GIL`,
      );
      expect(path.isAbsolute(runtime.info.executable)).toBe(true);
      expect(await runtime.setSwitchInterval(0.001)).toBeCloseTo(0.001, 9);
      const seen = await everyModel(runtime);
      expect(Object.keys(seen)).toHaveLength(11);
      // cpu: one time per worker (two), where the sequential model has one; others: the run's.
      expect(seen['threads/cpu'].warm).toBe(2);
      expect(seen['processes/cpu'].warm).toBe(2);
      expect(seen['sequential/cpu'].warm).toBe(1);
      for (const { ms } of Object.values(seen)) expect(ms).toBeGreaterThan(0);
      // Four sleeps of 20 ms one after another, against two at a time.
      expect(seen['sequential/io'].ms).toBeGreaterThanOrEqual(80);
      expect(seen['threads/io'].ms).toBeGreaterThanOrEqual(40);
    } finally {
      await runtime.close();
    }
  });

  (oldest ? test : test.skip)(`the oldest Python it supports, ${oldest ?? '3.8 (not here)'}, runs too`, async () => {
    const runtime = await CPythonRuntime.start(oldest);
    try {
      expect(runtime.info.version).toMatch(/^3\.8\./);
      // Neither probe exists before 3.13: the driver's fallbacks name a build with its GIL.
      expect(gilProbes(oldest)).toEqual({ isGilEnabled: null, gilDisabled: null });
      expect(runtime.info).toMatchObject({ freeThreadedBuild: false, gilEnabled: true });
      expect(runtime.info.label).toBe(`CPython ${runtime.info.version}`);
      const n = await runtime.calibrateCountdown(10);
      const cell = await runtime.open('processes', 2, { workload: 'cpu', tasks: 2, n }, 100);
      expect(await cell.warm()).toHaveLength(2);
      await cell.close();
    } finally {
      await runtime.close();
    }
  });

  (newest ? test : test.skip)(
    `another interpreter, ${newest ?? '3.13 (not here)'}, says which it is by both probes of a free-threaded build`,
    async () => {
      const runtime = await CPythonRuntime.start(newest);
      try {
        expect(runtime.info.version).toMatch(/^3\.13\./);
        // 3.13 has both probes, so the driver's answer is theirs, not its fallbacks'. A build is
        // free-threaded only if its path says so (3.13.0t); one with its GIL reports Py_GIL_DISABLED 0.
        const freeThreaded = /t\/bin/.test(newest);
        const probes = gilProbes(newest);
        expect(probes.gilDisabled).toBe(freeThreaded ? 1 : 0);
        expect(typeof probes.isGilEnabled).toBe('boolean');
        expect(runtime.info).toMatchObject({ freeThreadedBuild: freeThreaded, gilEnabled: probes.isGilEnabled });
        expect(runtime.info.label).toBe(`CPython ${runtime.info.version}${probes.isGilEnabled ? '' : ', no GIL'}`);
        if (!freeThreaded) expect(probes.isGilEnabled).toBe(true);
      } finally {
        await runtime.close();
      }
    },
  );

  (tooOld ? test : test.skip)(
    `an interpreter too old, ${tooOld ?? '(none here)'}, is one message naming it and its version`,
    async () => {
      const error = await failure(PythonDriver.start(tooOld));
      expect(error).toMatchObject({ name: 'PythonError', code: 'ERR_GIL_LAB_PYTHON_TOO_OLD' });
      expect(error.message).toContain(tooOld);
      expect(error.message).toMatch(/is Python [23]\.\d+\.\d+ .*needs Python 3\.8 or later/);
    },
  );

  test('paths that are not an interpreter: missing, not executable, a folder, another program', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-python-'));
    try {
      const plain = path.join(dir, 'python3');
      fs.writeFileSync(plain, '#!/bin/sh\n');
      expect(() => locatePython(path.join(dir, 'missing'))).toThrow(
        expect.objectContaining({ code: 'ERR_GIL_LAB_PYTHON_NOT_FOUND' }),
      );
      expect(() => locatePython(plain)).toThrow(/python .*python3: not executable/);
      expect(() => locatePython(dir)).toThrow(expect.objectContaining({ code: 'ERR_GIL_LAB_PYTHON_NOT_EXECUTABLE' }));
      const error = await failure(PythonDriver.start('/bin/true'));
      expect(error).toMatchObject({ code: 'ERR_GIL_LAB_PYTHON_FAILED' });
      expect(error.message).toBe('python /bin/true exited with code 0');
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('no python3 on the PATH: not found, naming it', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-no-python-'));
    try {
      const answer = await inDriverChild(`return (await failure(PythonDriver.start('python3'))).message;`, {
        PATH: empty,
      });
      expect(answer.ok).toBe('python python3: not found on the PATH');
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  whenPython3('a driver that prints what is not a reply fails, quoting it', async () => {
    const answer = await inDriverChild(`return (await failure(PythonDriver.start('python3'))).message;`, {
      PYTHONPATH: path.join(__dirname, 'support', 'python-garbage'),
    });
    expect(answer.ok).toMatch(/^python python3 printed what is not a reply of gil-lab's driver: "this is not JSON"/);
  });

  whenPython3('a driver killed during a run fails that run and every later request', async () => {
    const driver = await PythonDriver.start('python3');
    try {
      const { executor } = await driver.request('open', { model: 'sequential', workers: 1 }, 60_000);
      const run = driver.request('run', { executor, workload: 'io', tasks: 1, seconds: 30 }, 60_000);
      setTimeout(() => process.kill(driver.pid, 'SIGKILL'), 100);
      const error = await failure(run);
      expect(error.code).toBe('ERR_GIL_LAB_PYTHON_FAILED');
      expect(error.message).toMatch(/^CPython 3\.\d+\.\d+ \(python3\) was killed by signal SIGKILL$/);
      expect(await failure(driver.request('calibrate', { ms: 1 }, 1000))).toBe(error);
    } finally {
      await driver.close();
    }
  });

  whenPython3('a driver that hangs is stopped when its request times out', async () => {
    const driver = await PythonDriver.start('python3');
    try {
      process.kill(driver.pid, 'SIGSTOP');
      const error = await failure(driver.request('calibrate', { ms: 1 }, 500));
      expect(error.message).toMatch(/did not answer calibrate within 1 s; stopped it$/);
    } finally {
      await driver.close();
    }
  });

  whenPython3('an aborted request stops the driver and rejects with an AbortError', async () => {
    const driver = await PythonDriver.start('python3');
    try {
      const controller = new AbortController();
      const { executor } = await driver.request('open', { model: 'sequential', workers: 1 }, 60_000);
      const run = driver.request('run', { executor, workload: 'io', tasks: 1, seconds: 30 }, 60_000, controller.signal);
      setTimeout(() => controller.abort(), 50);
      expect(await failure(run)).toMatchObject({ name: 'AbortError' });
    } finally {
      await driver.close();
    }
  });
});
