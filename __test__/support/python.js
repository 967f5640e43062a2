// The Python interpreters the tests can use: python3 on the PATH (3.11 on the development
// machine), and any other that pyenv keeps, found by version.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The folder of pyenv's versions, or null where there is no pyenv. */
function pyenvVersions() {
  let root = process.env.PYENV_ROOT;
  if (!root) {
    try {
      root = execFileSync('pyenv', ['root'], { encoding: 'utf8' }).trim();
    } catch {
      root = path.join(os.homedir(), '.pyenv');
    }
  }
  const versions = path.join(root, 'versions');
  return fs.existsSync(versions) ? versions : null;
}

/** The python3 of the newest pyenv version whose name starts with `prefix` ("3.8", "3.13t"), or null. */
function pyenvPython(prefix) {
  const versions = pyenvVersions();
  if (!versions) return null;
  const found = fs
    .readdirSync(versions)
    .filter(
      (v) =>
        v === prefix ||
        v.startsWith(`${prefix}.`) ||
        (prefix.endsWith('t') && v.startsWith(prefix.slice(0, -1)) && v.endsWith('t')),
    )
    .map((v) => path.join(versions, v, 'bin', 'python3'))
    .filter((p) => fs.existsSync(p));
  return found.sort().pop() ?? null;
}

/** Whether `python3` runs from the PATH. */
function python3OnPath() {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Rejects with the error `promise` rejects with; fails if it resolves. */
async function failure(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

module.exports = { failure, pyenvPython, python3OnPath };
