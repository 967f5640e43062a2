// The peer pool libraries of benchmark/peers.js, installed into this folder's node_modules
// on first use (at the versions of its lockfile), so that the root install stays without
// them. Piscina is the root's own: the library gil-lab's JS backend is built on.
//
//   await require('./peer-pools/load').load() → { Piscina, workerpool, Tinypool, versions, workers }
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const HERE = __dirname;

function installedVersion(name, where = HERE) {
  const manifest = path.join(where, 'node_modules', name, 'package.json');
  return fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, 'utf8')).version : null;
}

function ensureInstalled() {
  const wanted = JSON.parse(fs.readFileSync(path.join(HERE, 'package.json'), 'utf8')).devDependencies;
  if (Object.entries(wanted).every(([name, version]) => installedVersion(name) === version)) return;
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: HERE, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm ci failed in ${HERE}:\n${result.stdout}${result.stderr}`);
}

async function load() {
  ensureInstalled();
  const from = (name) => require.resolve(name, { paths: [HERE] });
  return {
    Piscina: require('piscina').Piscina,
    workerpool: require(from('workerpool')),
    Tinypool: (await import(pathToFileURL(from('tinypool')).href)).Tinypool, // ES module only
    versions: {
      piscina: installedVersion('piscina', path.join(HERE, '..', '..')),
      workerpool: installedVersion('workerpool'),
      tinypool: installedVersion('tinypool'),
    },
    workers: {
      piscina: path.join(HERE, 'piscina-task.js'),
      workerpool: path.join(HERE, 'workerpool-task.js'),
      tinypool: pathToFileURL(path.join(HERE, 'tinypool-task.mjs')).href,
    },
  };
}

module.exports = { load };
