// Keeps the platform packages in step with the root package (`npm run version:sync`; npm's
// `version` lifecycle runs it after each `npm version`).
//
//   node scripts/sync-versions.js                       sets every npm/<triple>/package.json's
//                                                       version to the root's
//   node scripts/sync-versions.js --with-platform-deps  also writes the root's optionalDependencies:
//                                                       every platform package at the root's version
//   --check                                             changes nothing; lists what is out of step
//                                                       and exits 1 if anything is
//
// The root's optionalDependencies are written only for publishing (CI's publish job does it
// just before `npm publish`; `prepublishOnly` checks it was done). They are not kept in the
// repository's package.json: there they would name packages that the registry does not hold
// until they are published — before the first release, and after every version bump — and
// `npm ci` refuses a lockfile that cannot list them.
//
// `napi.targets` in the root package.json (Rust target triples) is the one list of platforms;
// each has a folder npm/<triple>/ whose package.json says what this file derives from it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const CPUS = { x86_64: 'x64', aarch64: 'arm64' };
const SYSTEMS = { linux: 'linux', darwin: 'darwin', windows: 'win32' };
const LIBCS = { gnu: 'glibc', musl: 'musl' };

/**
 * What npm calls the platform of a Rust target: `x86_64-unknown-linux-musl` →
 * `{ triple: 'linux-x64-musl', os: 'linux', cpu: 'x64', libc: 'musl' }`.
 */
function npmPlatform(target) {
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

/** `manifest` with optionalDependencies on every platform package at the root's version. */
function withPlatformDependencies(manifest, packages) {
  const optionalDependencies = Object.fromEntries(packages.map((p) => [p.expected.name, manifest.version]));
  return { ...manifest, optionalDependencies };
}

/** What is out of step under `root`, one line each; empty when all is. */
function problems(root, { withPlatformDeps = false } = {}) {
  const found = [];
  const rootManifest = readJson(path.join(root, 'package.json'));
  const packages = platformPackages(root);
  const folders = fs.readdirSync(path.join(root, 'npm'));
  for (const folder of folders) {
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
        found.push(`npm/${triple}/package.json: ${key} is ${JSON.stringify(manifest[key])}, not ${JSON.stringify(value)}`);
      }
    }
    if (!fs.existsSync(path.join(dir, 'README.md'))) found.push(`npm/${triple}/README.md is missing`);
  }
  const listed = rootManifest.optionalDependencies;
  if (listed !== undefined || withPlatformDeps) {
    const wanted = withPlatformDependencies(rootManifest, packages).optionalDependencies;
    if (listed === undefined) {
      found.push('package.json lists no optionalDependencies: run `node scripts/sync-versions.js --with-platform-deps`');
    } else if (JSON.stringify(listed) !== JSON.stringify(wanted)) {
      found.push(`package.json: optionalDependencies are ${JSON.stringify(listed)}, not ${JSON.stringify(wanted)}`);
    }
  }
  return found;
}

/** Sets the versions under `root` to the root's; with `withPlatformDeps`, writes those too. */
function sync(root, { withPlatformDeps = false } = {}) {
  const rootFile = path.join(root, 'package.json');
  const rootManifest = readJson(rootFile);
  const packages = platformPackages(root);
  for (const { dir } of packages) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue; // `problems` names it
    const manifest = readJson(file);
    if (manifest.version !== rootManifest.version) writeJson(file, { ...manifest, version: rootManifest.version });
  }
  if (withPlatformDeps || rootManifest.optionalDependencies !== undefined) {
    writeJson(rootFile, withPlatformDependencies(rootManifest, packages));
  }
}

module.exports = { npmPlatform, platformPackages, withPlatformDependencies, problems, sync };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check' && a !== '--with-platform-deps');
  if (unknown.length > 0) {
    console.error(`sync-versions: unknown argument ${unknown[0]}`);
    process.exit(2);
  }
  const options = { withPlatformDeps: args.includes('--with-platform-deps') };
  if (!args.includes('--check')) sync(root, options);
  const found = problems(root, options);
  for (const line of found) console.error(`sync-versions: ${line}`);
  process.exit(found.length === 0 ? 0 : 1);
}
