// Keeps the platform packages in step with the root package: `npm run version:sync`, and
// npm's `version` lifecycle runs it after each `npm version`.
//
//   node scripts/sync-versions.js           sets every npm/<triple>/package.json's version to the
//                                           root's (and the root's optionalDependencies', where listed)
//   node scripts/sync-versions.js --check   changes nothing; lists what is out of step, and exits 1
//                                           if anything is
//
// `napi.targets` in the root package.json (Rust target triples) is the one list of platforms;
// each has a folder npm/<triple>/ whose package.json must say what this file derives from it.
// `wasm32-wasip1-threads` is the wasm backend's package, npm/wasm32-wasi/: `cpu: ["wasm32"]`,
// so that npm installs it only when asked (`npm install --cpu=wasm32`), and napi-rs's wasm
// runtime as its dependencies, at the exact versions the root builds it with.
// The repository's package.json lists no optionalDependencies: scripts/publish-manifest.js
// writes them when publishing (it says why).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const CPUS = { x86_64: 'x64', aarch64: 'arm64' };
const SYSTEMS = { linux: 'linux', darwin: 'darwin', windows: 'win32' };
const LIBCS = { gnu: 'glibc', musl: 'musl' };
const WASM_TARGET = 'wasm32-wasip1-threads';
/** What the wasm package needs at run time; its versions are the root's devDependencies'. */
const WASM_RUNTIME = ['@emnapi/core', '@emnapi/runtime', '@napi-rs/wasm-runtime'];
/** The Node versions whose `require()` loads emnapi 2, which is ES modules only (lib/loader.ts). */
const WASM_ENGINES = { node: '^20.19.0 || ^22.13.0 || >=23.5.0' };

/**
 * What npm calls the platform of a Rust target: `x86_64-unknown-linux-musl` →
 * `{ triple: 'linux-x64-musl', os: 'linux', cpu: 'x64', libc: 'musl' }`.
 */
function npmPlatform(target) {
  if (target === WASM_TARGET) return { triple: 'wasm32-wasi', cpu: 'wasm32' };
  const [arch, , system, abi] = target.split('-');
  const cpu = CPUS[arch];
  const os = SYSTEMS[system];
  if (!cpu || !os || (os === 'linux' && !LIBCS[abi])) {
    throw new Error(`napi.targets: no npm platform is known for the Rust target ${target}`);
  }
  const triple = abi ? `${os}-${cpu}-${abi}` : `${os}-${cpu}`;
  return os === 'linux' ? { triple, os, cpu, libc: LIBCS[abi] } : { triple, os, cpu };
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The platform packages of the root at `root`: one per napi target, as each must be. */
function platformPackages(root) {
  const rootManifest = readJson(path.join(root, 'package.json'));
  return rootManifest.napi.targets.map((target) => {
    const { triple, os, cpu, libc } = npmPlatform(target);
    if (target === WASM_TARGET) return wasmPackage(root, rootManifest, target, triple, cpu);
    const binary = `${rootManifest.napi.binaryName}.${triple}.node`;
    return {
      target,
      triple,
      dir: path.join(root, 'npm', triple),
      expected: {
        name: `${rootManifest.name}-${triple}`,
        version: rootManifest.version,
        license: rootManifest.license,
        os: [os],
        cpu: [cpu],
        ...(libc && { libc: [libc] }),
        main: binary,
        files: [binary],
        engines: rootManifest.engines,
      },
    };
  });
}

/** The wasm backend's package: the build's `.wasm`, napi-rs's loaders for Node and browsers, and its runtime. */
function wasmPackage(root, rootManifest, target, triple, cpu) {
  const name = rootManifest.napi.binaryName;
  const files = [
    `${name}.wasm32-wasi.wasm`,
    `${name}.wasi.cjs`,
    `${name}.wasi-browser.js`,
    'wasi-worker.mjs',
    'wasi-worker-browser.mjs',
  ];
  return {
    target,
    triple,
    dir: path.join(root, 'npm', triple),
    expected: {
      name: `${rootManifest.name}-${triple}`,
      version: rootManifest.version,
      license: rootManifest.license,
      cpu: [cpu],
      main: `${name}.wasi.cjs`,
      browser: `${name}.wasi-browser.js`,
      files,
      engines: WASM_ENGINES,
      dependencies: Object.fromEntries(
        WASM_RUNTIME.map((dependency) => [dependency, rootManifest.devDependencies[dependency]]),
      ),
    },
  };
}

/** The root's optionalDependencies as published: every platform package at the root's version. */
function platformDependencies(root) {
  const { version } = readJson(path.join(root, 'package.json'));
  return Object.fromEntries(platformPackages(root).map((p) => [p.expected.name, version]));
}

/** What is out of step under `root`, one line each; empty when all is. */
function problems(root) {
  const found = [];
  const packages = platformPackages(root);
  for (const folder of fs.readdirSync(path.join(root, 'npm'))) {
    if (!packages.some((p) => p.triple === folder)) found.push(`npm/${folder}/ is no napi target's folder`);
  }
  for (const { triple, dir, expected } of packages) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) {
      found.push(`npm/${triple}/package.json is missing`);
      continue;
    }
    const manifest = readJson(file);
    for (const [key, value] of Object.entries(expected)) {
      if (JSON.stringify(manifest[key]) !== JSON.stringify(value)) {
        found.push(
          `npm/${triple}/package.json: ${key} is ${JSON.stringify(manifest[key])}, not ${JSON.stringify(value)}`,
        );
      }
    }
    if (!fs.existsSync(path.join(dir, 'README.md'))) found.push(`npm/${triple}/README.md is missing`);
  }
  const listed = readJson(path.join(root, 'package.json')).optionalDependencies;
  const wanted = platformDependencies(root);
  if (listed !== undefined && JSON.stringify(listed) !== JSON.stringify(wanted)) {
    found.push(`package.json: optionalDependencies are ${JSON.stringify(listed)}, not ${JSON.stringify(wanted)}`);
  }
  return found;
}

/** Sets the versions under `root` to the root's. */
function sync(root) {
  const rootFile = path.join(root, 'package.json');
  const rootManifest = readJson(rootFile);
  for (const { dir } of platformPackages(root)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue; // `problems` names it
    const manifest = readJson(file);
    if (manifest.version !== rootManifest.version) writeJson(file, { ...manifest, version: rootManifest.version });
  }
  if (rootManifest.optionalDependencies !== undefined) {
    writeJson(rootFile, { ...rootManifest, optionalDependencies: platformDependencies(root) });
  }
}

/** Prints `found` and exits: 0 if it is empty, else 1. */
function report(name, found) {
  for (const line of found) console.error(`${name}: ${line}`);
  process.exit(found.length === 0 ? 0 : 1);
}

module.exports = { npmPlatform, platformPackages, platformDependencies, problems, sync, readJson, writeJson, report };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const args = process.argv.slice(2);
  if (args.some((a) => a !== '--check'))
    report('sync-versions', [`unknown argument ${args.find((a) => a !== '--check')}`]);
  if (!args.includes('--check')) sync(root);
  report('sync-versions', problems(root));
}
