'use strict';
// The platform packages in npm/ and the root package stay in step: one folder per napi
// target, each with the fields npm picks it by, at the root's version — and `npm version`
// keeps it so.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT } = require('./support/backends');
const { platformPackages, problems, sync } = require(path.join(ROOT, 'scripts', 'sync-versions.js'));
const { publishManifest } = require(path.join(ROOT, 'scripts', 'publish-manifest.js'));

const rootManifest = require(path.join(ROOT, 'package.json'));

const copies = [];
afterAll(() => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A copy of the root's package.json, npm/ and the sync script, outside the repository. */
function rootCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-versions-'));
  copies.push(dir);
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.cpSync(path.join(ROOT, 'npm'), path.join(dir, 'npm'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'scripts'));
  for (const script of ['sync-versions.js', 'publish-manifest.js']) {
    fs.copyFileSync(path.join(ROOT, 'scripts', script), path.join(dir, 'scripts', script));
  }
  return dir;
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('platform packages', () => {
  test('there is one for each platform of the build matrix', () => {
    expect(platformPackages(ROOT).map((p) => p.triple)).toEqual([
      'linux-x64-gnu',
      'linux-x64-musl',
      'linux-arm64-gnu',
      'darwin-x64',
      'darwin-arm64',
      'win32-x64-msvc',
      'wasm32-wasi',
    ]);
  });

  test('each is in step with the root: name, os, cpu, libc, main, files, engines, version', () => {
    expect(problems(ROOT)).toEqual([]);
    const musl = readJson(path.join(ROOT, 'npm', 'linux-x64-musl', 'package.json'));
    expect(musl).toMatchObject({
      name: 'gil-lab-linux-x64-musl',
      version: rootManifest.version,
      os: ['linux'],
      cpu: ['x64'],
      libc: ['musl'],
      main: 'gil-lab.linux-x64-musl.node',
      files: ['gil-lab.linux-x64-musl.node'],
    });
    expect(readJson(path.join(ROOT, 'npm', 'darwin-arm64', 'package.json'))).not.toHaveProperty('libc');
  });

  test('the wasm package: cpu wasm32, no os, the loaders and the runtime at the versions the build uses', () => {
    const wasm = readJson(path.join(ROOT, 'npm', 'wasm32-wasi', 'package.json'));
    expect(wasm).toMatchObject({
      name: 'gil-lab-wasm32-wasi',
      version: rootManifest.version,
      cpu: ['wasm32'],
      main: 'gil-lab.wasi.cjs',
    });
    expect(wasm).not.toHaveProperty('os');
    expect(wasm.files).toEqual(
      expect.arrayContaining([
        'gil-lab.wasm32-wasi.wasm',
        'wasi-worker.mjs',
        'gil-lab.wasi-browser.js',
        'wasi-worker-browser.mjs',
      ]),
    );
    // napi-rs's CLI refuses emnapi packages of different versions; the package must ship the same ones.
    const emnapi = rootManifest.devDependencies.emnapi;
    expect(wasm.dependencies).toEqual({
      '@emnapi/core': emnapi,
      '@emnapi/runtime': emnapi,
      '@napi-rs/wasm-runtime': rootManifest.devDependencies['@napi-rs/wasm-runtime'],
    });
  });

  test('the check finds a platform package out of step, and the sync mends it', () => {
    const dir = rootCopy();
    const file = path.join(dir, 'npm', 'darwin-x64', 'package.json');
    fs.writeFileSync(file, JSON.stringify({ ...readJson(file), version: '0.0.1', cpu: ['arm64'] }));
    expect(problems(dir)).toEqual([
      `npm/darwin-x64/package.json: version is "0.0.1", not "${rootManifest.version}"`,
      'npm/darwin-x64/package.json: cpu is ["arm64"], not ["x64"]',
    ]);
    sync(dir);
    // The sync sets versions only; a wrong field is for a person to mend.
    expect(problems(dir)).toEqual(['npm/darwin-x64/package.json: cpu is ["arm64"], not ["x64"]']);
  });

  test('the repository lists no optionalDependencies; the published manifest lists them all, and no prepare', () => {
    expect(rootManifest.optionalDependencies).toBeUndefined();
    const dir = rootCopy();
    const script = path.join(dir, 'scripts', 'publish-manifest.js');
    const check = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('lists no optionalDependencies');
    expect(check.stderr).toContain('has a prepare script');

    expect(spawnSync(process.execPath, [script], { encoding: 'utf8' }).status).toBe(0);
    const published = readJson(path.join(dir, 'package.json'));
    expect(published).toEqual(publishManifest(ROOT));
    const names = platformPackages(ROOT).map((p) => p.expected.name);
    expect(published.optionalDependencies).toEqual(
      Object.fromEntries(names.map((name) => [name, rootManifest.version])),
    );
    expect(published.scripts).not.toHaveProperty('prepare');
    expect(published.scripts.version).toBe(rootManifest.scripts.version);
    expect(spawnSync(process.execPath, [script, '--check']).status).toBe(0);
  });

  test('`npm version` moves every platform package, and the optionalDependencies where listed, to the new version', () => {
    const dir = rootCopy();
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(publishManifest(dir)));
    const git = (...args) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=test', '-c', 'user.email=test@localhost', 'commit', '-qm', 'before the bump');
    const npm = process.env.npm_execpath;
    const [command, args] = npm && /\.js$/.test(npm) ? [process.execPath, [npm]] : ['npm', []];
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
    const bump = spawnSync(command, [...args, 'version', '7.8.9', '--no-git-tag-version'], {
      cwd: dir,
      env,
      encoding: 'utf8',
      shell: process.platform === 'win32' && command === 'npm',
    });
    expect(bump.stderr).toBe('');
    expect(bump.status).toBe(0);
    expect(problems(dir)).toEqual([]);
    for (const { triple } of platformPackages(dir)) {
      expect(readJson(path.join(dir, 'npm', triple, 'package.json')).version).toBe('7.8.9');
    }
    expect(Object.values(readJson(path.join(dir, 'package.json')).optionalDependencies)).toEqual(
      Array(7).fill('7.8.9'),
    );
    // The hook stages what it changed, for the commit `npm version` makes.
    expect(git('diff', '--cached', '--name-only').stdout.split('\n').filter(Boolean).sort()).toEqual(
      platformPackages(dir)
        .map((p) => `npm/${p.triple}/package.json`)
        .sort(),
    );
  });
});
