'use strict';
// The loader, as a user meets it: the native backend when a binary loads, the JS backend
// quietly when none is there, loudly when one is there but broken or of another version,
// and GIL_LAB_BACKEND.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { info } = require('gil-lab');
const { ROOT, backend } = require('./support/backends');

const rootManifest = require(path.join(ROOT, 'package.json'));
const triple = info().platform;
/** This platform's release build, where cargo made one. */
const builtBinary = path.join(ROOT, 'native', `gil-lab.${triple}.node`);
const hasBuiltBinary = fs.existsSync(builtBinary);

const copies = [];
afterAll(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/**
 * A copy of the built package, outside the repository. `local`: the contents of a local build
 * in native/. `localWasm`: a copy of the wasm build in wasm/ — `undefined` for none, `null` for
 * the build as it is, bytes for another `.wasm`. `wasmPackage`: an installed
 * `gil-lab-wasm32-wasi` — `{ version, wasm }`, `wasm` as in `localWasm`. `platformPackage`: an installed `gil-lab-<triple>` beside it — `{ version, binary }`,
 * its manifest being this platform's npm/<triple>/package.json; `binary` undefined leaves the
 * package without its `.node`.
 */
function packageCopy({ local, localWasm, platformPackage, wasmPackage } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-loader-'));
  copies.push(dir);
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  if (localWasm !== undefined) wasmBuildCopy(path.join(dir, 'wasm'), localWasm);
  if (local !== undefined) {
    fs.mkdirSync(path.join(dir, 'native'));
    fs.writeFileSync(path.join(dir, 'native', `gil-lab.${triple}.node`), local);
  }
  if (platformPackage === undefined && wasmPackage === undefined) {
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
    return dir;
  }
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  for (const dependency of Object.keys(rootManifest.dependencies)) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', dependency), path.join(modules, dependency), 'junction');
  }
  if (wasmPackage !== undefined) {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'npm', 'wasm32-wasi', 'package.json'), 'utf8'));
    for (const dependency of new Set(Object.keys(manifest.dependencies).map((d) => d.split('/')[0]))) {
      fs.symlinkSync(path.join(ROOT, 'node_modules', dependency), path.join(modules, dependency), 'junction');
    }
    const packageDir = path.join(modules, 'gil-lab-wasm32-wasi');
    wasmBuildCopy(packageDir, wasmPackage.wasm);
    fs.writeFileSync(
      path.join(packageDir, 'package.json'),
      JSON.stringify({ ...manifest, version: wasmPackage.version }),
    );
  }
  if (platformPackage === undefined) return dir;
  const packageDir = path.join(modules, `gil-lab-${triple}`);
  fs.mkdirSync(packageDir);
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'npm', triple, 'package.json'), 'utf8'));
  fs.writeFileSync(
    path.join(packageDir, 'package.json'),
    JSON.stringify({ ...manifest, version: platformPackage.version }),
  );
  if (platformPackage.binary !== undefined)
    fs.writeFileSync(path.join(packageDir, manifest.main), platformPackage.binary);
  return dir;
}

/** The wasm build's files in `dir`, with `wasm` (bytes) as the `.wasm` where given. */
function wasmBuildCopy(dir, wasm) {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ['gil-lab.wasi.cjs', 'wasi-worker.mjs', 'gil-lab.wasm32-wasi.wasm']) {
    fs.copyFileSync(path.join(ROOT, 'wasm', file), path.join(dir, file));
  }
  if (wasm !== undefined && wasm !== null) fs.writeFileSync(path.join(dir, 'gil-lab.wasm32-wasi.wasm'), wasm);
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
    expect(Object.keys(i).sort()).toEqual([
      'backend',
      'binary',
      'cpus',
      'nativeLoadError',
      'physicalCores',
      'platform',
      'version',
    ]);
    if (i.physicalCores !== null) {
      expect(Number.isInteger(i.physicalCores)).toBe(true);
      expect(i.physicalCores).toBeGreaterThanOrEqual(1);
      expect(i.physicalCores).toBeLessThanOrEqual(os.cpus().length);
    }
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

  test('forcing wasm where no wasm build is there is a clear error', () => {
    const dir = packageCopy();
    const r = run(dir, { GIL_LAB_BACKEND: 'wasm' }, summary);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      'GIL_LAB_BACKEND=wasm, but no wasm build loads: neither the package gil-lab-wasm32-wasi nor a local build',
    );
  });

  test('forcing native where no binary loads is a clear error', () => {
    const dir = packageCopy();
    const r = run(dir, { GIL_LAB_BACKEND: 'native' }, summary);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('GIL_LAB_BACKEND=native, but no native binary loads');
  });

  test('an unknown GIL_LAB_BACKEND is refused', () => {
    const r = run(ROOT, { GIL_LAB_BACKEND: 'wasi' }, summary);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('GIL_LAB_BACKEND must be "native", "wasm", "js" or "auto"; got "wasi"');
  });

  test('a binary that is there but corrupt gives a warning, nativeLoadError and the JS backend', () => {
    const dir = packageCopy({ local: Buffer.from('this is not a shared object') });
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
    const dir = packageCopy({ local: Buffer.from('garbage') });
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

const withWasmBuild = fs.existsSync(path.join(ROOT, 'wasm', 'gil-lab.wasi.cjs')) ? describe : describe.skip;

withWasmBuild(`loader and the wasm build (${backend} pass)`, () => {
  test('with a wasm build and no native binary, wasm loads quietly, and gives the same results', () => {
    const dir = packageCopy({ localWasm: null });
    const r = run(dir, {}, summary);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      backend: 'wasm',
      binary: path.join(dir, 'wasm', 'gil-lab.wasm32-wasi.wasm'),
      nativeLoadError: null,
      primes: 168,
    });
  });

  test('a corrupt native binary beside a wasm build: one warning, nativeLoadError, the wasm backend', () => {
    const dir = packageCopy({ local: Buffer.from('not a shared object'), localWasm: null });
    const r = run(dir, {}, summary);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ backend: 'wasm', primes: 168 });
    expect(out.nativeLoadError).toMatch(/gil-lab\..*\.node/);
    expect(warningCodes(r.stderr)).toEqual(['GIL_LAB_NATIVE_LOAD_FAILED']);
    expect(r.stderr).toContain('the native binary did not load, so the wasm backend runs instead');
  });

  test('a corrupt wasm build: one warning, nativeLoadError, the JS backend; forced, a clear error', () => {
    const dir = packageCopy({ localWasm: Buffer.from('not a wasm module') });
    const r = run(dir, {}, summary);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      backend: 'js',
      binary: path.join(dir, 'wasm', 'gil-lab.wasm32-wasi.wasm'),
      primes: 168,
    });
    expect(out.nativeLoadError).toContain(path.join(dir, 'wasm', 'gil-lab.wasm32-wasi.wasm'));
    expect(warningCodes(r.stderr)).toEqual(['GIL_LAB_NATIVE_LOAD_FAILED']);
    expect(r.stderr).toContain('the wasm build did not load, so the JS backend runs instead');
    const forced = run(dir, { GIL_LAB_BACKEND: 'wasm' }, summary);
    expect(forced.status).not.toBe(0);
    expect(forced.stderr).toContain('GIL_LAB_BACKEND=wasm, but no wasm build loads: ');
  });

  test("the package gil-lab-wasm32-wasi at gil-lab's version is loaded, before a local build", () => {
    const dir = packageCopy({
      localWasm: Buffer.from('a local build that must not be loaded'),
      wasmPackage: { version: rootManifest.version },
    });
    const r = run(dir, {}, summary);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      backend: 'wasm',
      binary: path.join(dir, 'node_modules', 'gil-lab-wasm32-wasi', 'gil-lab.wasm32-wasi.wasm'),
      nativeLoadError: null,
      primes: 168,
    });
  });

  test('the package gil-lab-wasm32-wasi at another version is refused: one warning, nativeLoadError, the JS backend', () => {
    const dir = packageCopy({ wasmPackage: { version: '0.0.1-other' } });
    const r = run(dir, {}, summary);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ backend: 'js', primes: 168 });
    expect(out.nativeLoadError).toBe(
      `gil-lab-wasm32-wasi is version 0.0.1-other, but gil-lab is ${rootManifest.version}: a binary of another ` +
        `version is refused. Reinstall gil-lab so that npm installs gil-lab-wasm32-wasi@${rootManifest.version}.`,
    );
    expect(warningCodes(r.stderr)).toEqual(['GIL_LAB_NATIVE_LOAD_FAILED']);
  });
});

const withPlatformFolder = fs.existsSync(path.join(ROOT, 'npm', triple)) ? describe : describe.skip;
const withBuiltBinary = hasBuiltBinary ? test : test.skip;

/** The warnings a child printed on stderr, by code. */
const warningCodes = (stderr) => [...stderr.matchAll(/\[(GIL_LAB_\w+)\]/g)].map((m) => m[1]);

withPlatformFolder(`loader and the platform package gil-lab-${triple} (${backend} pass)`, () => {
  withBuiltBinary("at gil-lab's version, it is loaded, before a local build", () => {
    const dir = packageCopy({
      local: Buffer.from('a local build that must not be loaded'),
      platformPackage: { version: rootManifest.version, binary: fs.readFileSync(builtBinary) },
    });
    const r = run(dir, {}, summary);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      backend: 'native',
      binary: path.join(dir, 'node_modules', `gil-lab-${triple}`, `gil-lab.${triple}.node`),
      nativeLoadError: null,
      primes: 168,
    });
  });

  test('at another version, it is refused: one warning, nativeLoadError, the JS backend', () => {
    const binary = hasBuiltBinary ? fs.readFileSync(builtBinary) : Buffer.from('never loaded');
    const dir = packageCopy({ platformPackage: { version: '0.0.1-other', binary } });
    const r = run(dir, {}, `${summary} g.info();`);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ backend: 'js', primes: 168 });
    expect(out.binary).toBe(path.join(dir, 'node_modules', `gil-lab-${triple}`, `gil-lab.${triple}.node`));
    expect(out.nativeLoadError).toBe(
      `gil-lab-${triple} is version 0.0.1-other, but gil-lab is ${rootManifest.version}: a binary of another ` +
        `version is refused. Reinstall gil-lab so that npm installs gil-lab-${triple}@${rootManifest.version}.`,
    );
    expect(warningCodes(r.stderr)).toEqual(['GIL_LAB_NATIVE_LOAD_FAILED']);
    expect(r.stderr).toContain('is version 0.0.1-other, but gil-lab is');
  });

  test('at another version, GIL_LAB_BACKEND=native is an error that says why', () => {
    const dir = packageCopy({ platformPackage: { version: '0.0.1-other', binary: Buffer.from('never loaded') } });
    const r = run(dir, { GIL_LAB_BACKEND: 'native' }, summary);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      `GIL_LAB_BACKEND=native, but no native binary loads for ${triple}: gil-lab-${triple} is version 0.0.1-other`,
    );
  });

  test('with a corrupt binary: one warning, nativeLoadError, the JS backend', () => {
    const dir = packageCopy({
      platformPackage: { version: rootManifest.version, binary: Buffer.from('not a shared object') },
    });
    const r = run(dir, {}, summary);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ backend: 'js', primes: 168 });
    expect(out.nativeLoadError).toContain(
      path.join(dir, 'node_modules', `gil-lab-${triple}`, `gil-lab.${triple}.node`),
    );
    expect(warningCodes(r.stderr)).toEqual(['GIL_LAB_NATIVE_LOAD_FAILED']);
  });

  test('without its binary: one warning, nativeLoadError, the JS backend', () => {
    const dir = packageCopy({ platformPackage: { version: rootManifest.version } });
    const r = run(dir, {}, summary);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ backend: 'js', primes: 168 });
    expect(out.nativeLoadError).toMatch(new RegExp(`^gil-lab-${triple} is installed, but its binary .+ is missing$`));
    expect(warningCodes(r.stderr)).toEqual(['GIL_LAB_NATIVE_LOAD_FAILED']);
  });
});
