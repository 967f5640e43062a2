// Turns the root package.json into the one that is published: CI's publish job runs it just
// before `npm publish` of the root, and `prepublishOnly` runs it with --check.
//
//   node scripts/publish-manifest.js           writes package.json in its published form
//   node scripts/publish-manifest.js --check   changes nothing; exits 1 unless package.json is
//                                              in that form and the platform packages in step
//
// The published form differs from the repository's in two things:
// - optionalDependencies: every platform package at the root's version, so that npm installs
//   the one that fits. The repository does not list them: until a version's platform packages
//   are published (before the first release, and after every version bump) the registry does
//   not hold them, and `npm ci` refuses a lockfile that cannot list them.
// - no `prepare` script: it builds a git checkout and has nothing to do in an installed
//   package. npm runs no `prepare` of a tarball or registry dependency, but npm 11 still lists
//   it as an install script "not yet covered by allowScripts", to every user who installs.
'use strict';
const path = require('node:path');
const { platformDependencies, problems, readJson, writeJson, report } = require('./sync-versions');

/** The root manifest of the package at `root`, as published. */
function publishManifest(root) {
  const manifest = readJson(path.join(root, 'package.json'));
  if (manifest.scripts) delete manifest.scripts.prepare;
  manifest.optionalDependencies = platformDependencies(root);
  return manifest;
}

/** How package.json at `root` differs from its published form, one line each. */
function unpublishable(root) {
  const manifest = readJson(path.join(root, 'package.json'));
  const found = problems(root);
  if (manifest.optionalDependencies === undefined) {
    found.push('package.json lists no optionalDependencies: run `node scripts/publish-manifest.js`');
  }
  if (manifest.scripts?.prepare !== undefined) {
    found.push('package.json has a prepare script: run `node scripts/publish-manifest.js`');
  }
  return found;
}

module.exports = { publishManifest, unpublishable };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const args = process.argv.slice(2);
  if (args.some((a) => a !== '--check'))
    report('publish-manifest', [`unknown argument ${args.find((a) => a !== '--check')}`]);
  if (!args.includes('--check')) writeJson(path.join(root, 'package.json'), publishManifest(root));
  report('publish-manifest', unpublishable(root));
}
