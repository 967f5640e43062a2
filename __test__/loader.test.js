'use strict';
// The loader, as a user meets it: the native backend when a binary loads, the JS backend
// quietly when none is there, loudly when one is there but broken, and GIL_LAB_BACKEND.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { info } = require('gil-lab');
const { ROOT, backend } = require('./support/backends');

/** A copy of the built package with no native binary, or with `binary` as its local build. */
const copies = [];
afterAll(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function packageCopy(binary) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-loader-'));
  copies.push(dir);
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  if (binary !== undefined) {
    fs.mkdirSync(path.join(dir, 'native'));
    fs.writeFileSync(path.join(dir, 'native', `gil-lab.${info().platform}.node`), binary);
  }
  return dir;
}

function run(dir, env, code) {
  const script = `const g = require(${JSON.stringify(dir)}); ${code}`;
  return spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, GIL_LAB_BACKEND: '', ...env },
    encoding: 'utf8',
  });
}

const summary = `const i = g.info(); console.log(JSON.stringify({ ...i, primes: g.kernels.countPrimesSync(1000) }));`;

describe(`loader (${backend} pass)`, () => {
  test('info() describes this process', () => {
    const i = info();
    expect(Object.keys(i).sort()).toEqual(['backend', 'binary', 'cpus', 'nativeLoadError', 'platform', 'version']);
    expect(i.version).toBe(require(path.join(ROOT, 'package.json')).version);
    expect(i.cpus).toBe(os.availableParallelism());
    expect(i.platform).toMatch(/^(linux-(x64|arm64)-(gnu|musl)|darwin-(x64|arm64)|win32-x64-msvc|[a-z0-9]+-[a-z0-9]+)/);
    expect(i.nativeLoadError).toBeNull();
    if (i.backend === 'native') expect(fs.existsSync(i.binary)).toBe(true);
    if (backend !== 'auto') expect(i.backend).toBe(backend);
  });

  test('with no binary at all, the JS backend loads quietly', () => {
    const dir = packageCopy();
    const r = run(dir, {}, summary);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ backend: 'js', binary: null, nativeLoadError: null, primes: 168 });
    expect(r.stderr).toBe('');
  });

  test('forcing native where no binary loads is a clear error', () => {
    const dir = packageCopy();
    const r = run(dir, { GIL_LAB_BACKEND: 'native' }, summary);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('GIL_LAB_BACKEND=native, but no native binary loads');
  });

  test('an unknown GIL_LAB_BACKEND is refused', () => {
    const r = run(ROOT, { GIL_LAB_BACKEND: 'wasm' }, summary);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('GIL_LAB_BACKEND must be "native", "js" or "auto"; got "wasm"');
  });

  test('a binary that is there but corrupt gives a warning, nativeLoadError and the JS backend', () => {
    const dir = packageCopy(Buffer.from('this is not a shared object'));
    const r = run(dir, {}, summary);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ backend: 'js', primes: 168 });
    expect(out.binary).toContain(path.join(dir, 'native'));
    expect(out.nativeLoadError).toMatch(/gil-lab\..*\.node/);
    expect(r.stderr).toContain('GIL_LAB_NATIVE_LOAD_FAILED');
    expect(r.stderr).toContain('the native binary did not load');
  });

  test('GIL_LAB_BACKEND=js skips even a corrupt binary, silently', () => {
    const dir = packageCopy(Buffer.from('garbage'));
    const r = run(dir, { GIL_LAB_BACKEND: 'js' }, summary);
    expect(JSON.parse(r.stdout)).toMatchObject({ backend: 'js', nativeLoadError: null });
    expect(r.stderr).toBe('');
  });

  test('the ES-module entry exports the same API', () => {
    const code = `import { kernels, info } from 'gil-lab'; import cjs from 'gil-lab';
      console.log(JSON.stringify([info().backend, kernels.countPrimesSync(100), cjs.kernels === kernels]));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([info().backend, 25, true]);
  });
});
