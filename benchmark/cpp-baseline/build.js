// Builds the C++ baseline addon with node-gyp, offline: against the headers that ship with
// the Node that runs this script (`<prefix>/include/node`, passed as --nodedir), so node-gyp
// downloads nothing. Its two devDependencies live in this folder's own package.json, so the
// root install stays free of node-gyp; they are installed here on first build.
//
// The build is cached: `build/sources.sha256` holds a hash of the sources, the lockfile and
// the Node version, and a build whose hash matches is reused.
//
//   node benchmark/cpp-baseline/build.js      (npm run build:cpp-baseline) — builds or says why not
//   require('./build').ensureBuilt()          → { addon: path } | { skipped: why }
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const HERE = __dirname;
const ADDON = path.join(HERE, 'build', 'Release', 'cpp_baseline.node');
const STAMP = path.join(HERE, 'build', 'sources.sha256');
const SOURCES = ['binding.gyp', 'cpp_baseline.cc', 'package-lock.json'];

/** Where Node's headers are: `include/node` under the prefix Node was installed to. */
const NODE_DIR = path.resolve(path.dirname(process.execPath), '..');

function runs(command, args) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Why this machine cannot build the addon, or null when it can. */
function missingToolchain() {
  const headers = path.join(NODE_DIR, 'include', 'node');
  if (!fs.existsSync(path.join(headers, 'node_api.h')) || !fs.existsSync(path.join(headers, 'common.gypi'))) {
    return `Node's headers are not in ${headers}`;
  }
  // Node's own OpenSSL headers; a Node built against a shared OpenSSL leaves them to the system.
  if (![headers, '/usr/include'].some((dir) => fs.existsSync(path.join(dir, 'openssl', 'sha.h')))) {
    return `OpenSSL's headers are neither in ${headers} nor in /usr/include`;
  }
  const compiler = process.env.CXX || 'g++';
  if (!runs(compiler, ['--version'])) return `no C++ compiler (${compiler})`;
  if (!runs('make', ['--version'])) return 'no make';
  const python = process.env.PYTHON || 'python3';
  if (!runs(python, ['--version'])) return `no Python for node-gyp (${python})`;
  return null;
}

function sourceHash() {
  const hash = crypto.createHash('sha256').update(`${process.version} ${process.arch}\n`);
  for (const file of SOURCES) hash.update(fs.readFileSync(path.join(HERE, file)));
  return hash.digest('hex');
}

/** Whether this folder's node_modules holds the devDependencies at the lockfile's versions. */
function devDependenciesInstalled() {
  const locked = JSON.parse(fs.readFileSync(path.join(HERE, 'package-lock.json'), 'utf8')).packages;
  const wanted = JSON.parse(fs.readFileSync(path.join(HERE, 'package.json'), 'utf8')).devDependencies;
  return Object.keys(wanted).every((name) => {
    const installed = path.join(HERE, 'node_modules', name, 'package.json');
    return (
      fs.existsSync(installed) &&
      JSON.parse(fs.readFileSync(installed, 'utf8')).version === locked[`node_modules/${name}`].version
    );
  });
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: HERE, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${HERE}:\n${result.stdout}${result.stderr}`);
  }
}

/**
 * Builds the addon unless an up-to-date build is there. Returns `{ addon }`, the `.node`
 * path, or `{ skipped }`: why no build is there and none can be made (no compiler, no
 * headers). A build that fails throws.
 */
function ensureBuilt() {
  const hash = sourceHash();
  if (fs.existsSync(ADDON) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === hash) {
    return { addon: ADDON, built: false };
  }
  const missing = missingToolchain();
  if (missing) return { skipped: missing };
  if (!devDependenciesInstalled()) run('npm', ['ci', '--no-audit', '--no-fund']);
  run(process.execPath, [
    require.resolve('node-gyp/bin/node-gyp.js', { paths: [HERE] }),
    'rebuild',
    `--nodedir=${NODE_DIR}`,
  ]);
  fs.writeFileSync(STAMP, hash);
  return { addon: ADDON, built: true };
}

/** The built addon's exports; throws when it cannot be built here. */
function load() {
  const built = ensureBuilt();
  if (built.skipped) throw new Error(`the C++ baseline cannot be built here: ${built.skipped}`);
  return require(built.addon);
}

module.exports = { ensureBuilt, load };

if (require.main === module) {
  const started = Date.now();
  const built = ensureBuilt();
  if (built.skipped) {
    console.log(`cpp-baseline: not built: ${built.skipped}.`);
  } else {
    const took = built.built ? `built in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'up to date';
    console.log(`cpp-baseline: ${path.relative(process.cwd(), built.addon)} (${took})`);
  }
}
