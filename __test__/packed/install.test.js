'use strict';
// The install a user gets. The root package and this platform's package are packed into
// tarballs as `npm publish` sends them (the root's manifest as scripts/publish-manifest.js
// writes it) and installed into an empty folder with no Rust toolchain on the PATH; then the
// root alone, with --omit=optional, as on a platform with no prebuilt binary. The runtime
// dependencies come from npm's cache, or where it lacks them, the registry.
//
// `npm test` runs this file as a step of its own, once (`npm run test:packed` after a build).
// It needs this platform's release build in native/, which `npm test` builds where cargo is.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');
const { platformTriple } = require(path.join(ROOT, 'dist', 'platform.js'));
const { platformPackages } = require(path.join(ROOT, 'scripts', 'sync-versions.js'));
const { publishManifest } = require(path.join(ROOT, 'scripts', 'publish-manifest.js'));

const rootManifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const triple = platformTriple();
const platformPackage = platformPackages(ROOT).find((p) => p.triple === triple);
const builtBinary = path.join(ROOT, 'native', `gil-lab.${triple}.node`);
const canInstallNative = platformPackage !== undefined && fs.existsSync(builtBinary);
const withNative = canInstallNative ? test : test.skip;
const wasmPackage = platformPackages(ROOT).find((p) => p.triple === 'wasm32-wasi');
const wasmBuild = path.join(ROOT, 'wasm');
const canInstallWasm = fs.existsSync(path.join(wasmBuild, wasmPackage.expected.main));
const withWasm = canInstallWasm ? test : test.skip;
/** Where cargo is, `npm test` has built the binary: its absence is a failure, not a skip. */
const cargoBuilds = platformPackage !== undefined && spawnSync('cargo', ['--version']).status === 0;

/** npm itself, run by this Node: the npm that runs `npm test`, else the one on the PATH. */
const npmCli = /npm-cli\.js$/.test(process.env.npm_execpath ?? '') ? process.env.npm_execpath : null;

/** This environment without the Rust toolchain on the PATH, and without npm's own variables. */
function userEnvironment() {
  const exe = process.platform === 'win32' ? '.exe' : '';
  const hasToolchain = (dir) => ['cargo', 'rustc'].some((tool) => fs.existsSync(path.join(dir, tool + exe)));
  const pathKey = Object.keys(process.env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH';
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  env[pathKey] = (process.env[pathKey] ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !hasToolchain(dir))
    .join(path.delimiter);
  env.GIL_LAB_BACKEND = '';
  return env;
}
const env = userEnvironment();

/** Runs npm with `args` in `cwd`; its result, whatever its status. */
function tryNpm(args, cwd) {
  const common = ['--no-audit', '--no-fund', '--loglevel=warn'];
  const [command, prefix] = npmCli ? [process.execPath, [npmCli]] : ['npm', []];
  return spawnSync(command, [...prefix, ...common, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    shell: process.platform === 'win32' && !npmCli,
  });
}

/** Runs npm with `args` in `cwd`, and throws with its output unless it succeeds. */
function npm(args, cwd) {
  const result = tryNpm(args, cwd);
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed in ${cwd} (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Packs the package in `dir` into `destination`: the tarball's path and its file list. */
function pack(dir, destination) {
  const [packed] = JSON.parse(
    npm(['pack', '--json', '--ignore-scripts', '--pack-destination', destination], dir).stdout,
  );
  return { tarball: path.join(destination, packed.filename), files: packed.files.map((f) => f.path).sort() };
}

/** Runs `code` in Node (as CommonJS, or as an ES module) in the app `dir`; its output, parsed. */
function runIn(dir, code, { module = false } = {}) {
  const args = module ? ['--input-type=module', '-e', code] : ['-e', code];
  const result = spawnSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node failed in ${dir}:\n${result.stderr}`);
  return { out: JSON.parse(result.stdout), stderr: result.stderr };
}

const SUMMARY = `JSON.stringify({ ...info(), sync: kernels.countPrimesSync(100000), async: await kernels.countPrimes(100000) })`;
const viaRequire = `const { kernels, info } = require('gil-lab'); (async () => console.log(${SUMMARY}))();`;
const viaImport = `import { kernels, info } from 'gil-lab'; console.log(${SUMMARY});`;

/**
 * A new, empty app folder with `tarballs` installed into it by npm: from npm's cache alone
 * where it holds the runtime dependencies' metadata (`npm ci` fetches only their tarballs),
 * else from the cache and the registry.
 */
function installApp(name, tarballs, extraArgs = [], overrides = undefined) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', private: true, overrides }),
  );
  const offline = tryNpm(['install', '--offline', ...extraArgs, ...tarballs], dir);
  const result = offline.status === 0 ? offline : npm(['install', '--prefer-offline', ...extraArgs, ...tarballs], dir);
  return { dir, output: result.stdout + result.stderr };
}

let work;
const packed = {};
const apps = {};

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gil-lab-packed-'));

  // The root, as published: npm's own file list of this checkout, with the published manifest.
  const [dryRun] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT).stdout);
  packed.checkoutFiles = dryRun.files.map((f) => f.path).sort();
  const stagedRoot = path.join(work, 'root');
  for (const file of packed.checkoutFiles) {
    fs.mkdirSync(path.dirname(path.join(stagedRoot, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(stagedRoot, file));
  }
  packed.manifest = publishManifest(ROOT);
  fs.writeFileSync(path.join(stagedRoot, 'package.json'), `${JSON.stringify(packed.manifest, null, 2)}\n`);
  packed.root = pack(stagedRoot, work);
  apps.js = installApp('js-app', [packed.root.tarball], ['--omit=optional']);

  if (canInstallWasm) {
    // The wasm package, as CI publishes it: its folder, the build's files, the LICENSE; installed
    // as on a platform with no native package (npm picks packages by `--cpu`).
    const stagedWasm = path.join(work, 'wasm32-wasi');
    fs.cpSync(wasmPackage.dir, stagedWasm, { recursive: true });
    for (const file of wasmPackage.expected.files)
      fs.copyFileSync(path.join(wasmBuild, file), path.join(stagedWasm, file));
    fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(stagedWasm, 'LICENSE'));
    packed.wasm = pack(stagedWasm, work);
    // npm refuses a tarball named on the command line whose `cpu` is not this machine's; as the
    // root's optional dependency, it installs it where `--cpu` says so. The override stands in
    // for the registry, which does not hold this version.
    const overrides = { [wasmPackage.expected.name]: `file:${packed.wasm.tarball}` };
    apps.wasm = installApp('wasm-app', [packed.root.tarball], ['--cpu=wasm32'], overrides);
  }

  if (!canInstallNative) return;
  // This platform's package, as CI publishes it: its folder, the release build, the LICENSE.
  const stagedPlatform = path.join(work, 'platform');
  fs.cpSync(platformPackage.dir, stagedPlatform, { recursive: true });
  fs.copyFileSync(builtBinary, path.join(stagedPlatform, platformPackage.expected.main));
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(stagedPlatform, 'LICENSE'));
  packed.platform = pack(stagedPlatform, work);
  apps.native = installApp('native-app', [packed.root.tarball, packed.platform.tarball]);
}, 180_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the packed tarballs', () => {
  (cargoBuilds ? test : test.skip)(`the release build for ${triple} is there to pack`, () => {
    expect(fs.existsSync(builtBinary)).toBe(true);
  });

  test('the root holds what users need and no more: no Rust, no tests, no build folders', () => {
    const allowed =
      /^(package\.json|README\.md|LICENSE|dist\/.+\.(js|mjs|d\.ts|js\.map)|dist\/site\/(index\.html|style\.css|_headers|gil-lab\.wasm32-wasi\.wasm)|lib\/.+\.ts|python\/\w+\.py)$/;
    expect(packed.root.files.filter((file) => !allowed.test(file))).toEqual([]);
    expect(packed.root.files).toEqual(packed.checkoutFiles);
    // python/: the CPython driver that compare({ python }) starts (docs/cpython.md).
    const driver = ['python/driver.py', 'python/gil_lab_driver.py', 'python/gil_lab_tasks.py'];
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/index.mjs',
      'dist/index.d.ts',
      ...driver,
    ]) {
      expect(packed.root.files).toContain(file);
    }
    expect(packed.root.files).toContain(rootManifest.bin['gil-lab']);
  });

  test('every source map in the root points at sources that are in it', () => {
    const maps = packed.root.files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      expect(packed.root.files).toContain(map.replace(/\.map$/, ''));
      const { sources } = JSON.parse(fs.readFileSync(path.join(ROOT, map), 'utf8'));
      for (const source of sources) {
        expect(packed.root.files).toContain(path.posix.join(path.posix.dirname(map), source));
      }
    }
  });

  test('the root names every platform package at its own version, and has nothing to run at install', () => {
    const names = platformPackages(ROOT).map((p) => p.expected.name);
    expect(packed.manifest.optionalDependencies).toEqual(
      Object.fromEntries(names.map((name) => [name, rootManifest.version])),
    );
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(packed.manifest.scripts).not.toHaveProperty(script);
    }
    expect(packed.root.files).not.toContain('binding.gyp'); // npm would run node-gyp for it
  });

  withWasm('the wasm package holds the .wasm, the loaders for Node and browsers, manifest, README and LICENSE', () => {
    expect(packed.wasm.files).toEqual(['LICENSE', 'README.md', 'package.json', ...wasmPackage.expected.files].sort());
  });

  withNative('the platform package holds its binary, manifest, README and LICENSE', () => {
    expect(packed.platform.files).toEqual(
      ['LICENSE', 'README.md', platformPackage.expected.main, 'package.json'].sort(),
    );
  });
});

describe('installed from the tarballs, with no Rust toolchain', () => {
  test('the installs ran without cargo or rustc on the PATH, and built nothing', () => {
    const cargo = spawnSync('cargo', ['--version'], { env });
    expect(cargo.error?.code).toBe('ENOENT');
    for (const app of Object.values(apps)) {
      const installed = path.join(app.dir, 'node_modules', 'gil-lab');
      expect(fs.existsSync(path.join(installed, 'native'))).toBe(false);
      expect(fs.existsSync(path.join(installed, 'target'))).toBe(false);
      // npm 11 names every dependency with a lifecycle script it may run; gil-lab has none.
      expect(app.output).not.toMatch(/install-scripts +gil-lab/);
    }
  });

  withNative('with its platform package, require and import load the native backend and run a kernel', () => {
    const binary = path.join(apps.native.dir, 'node_modules', `gil-lab-${triple}`, platformPackage.expected.main);
    for (const run of [runIn(apps.native.dir, viaRequire), runIn(apps.native.dir, viaImport, { module: true })]) {
      expect(run.stderr).toBe('');
      expect(run.out).toMatchObject({ backend: 'native', binary, platform: triple, nativeLoadError: null });
      expect(run.out).toMatchObject({ version: rootManifest.version, sync: 9592, async: 9592 });
    }
  });

  withWasm(
    'with the wasm package and no native one, require and import load the wasm backend, quietly, with the same results',
    () => {
      expect(fs.existsSync(path.join(apps.wasm.dir, 'node_modules', `gil-lab-${triple}`))).toBe(false);
      const binary = path.join(apps.wasm.dir, 'node_modules', wasmPackage.expected.name, 'gil-lab.wasm32-wasi.wasm');
      for (const run of [runIn(apps.wasm.dir, viaRequire), runIn(apps.wasm.dir, viaImport, { module: true })]) {
        expect(run.stderr).toBe('');
        expect(run.out).toMatchObject({ backend: 'wasm', binary, nativeLoadError: null, sync: 9592, async: 9592 });
      }
    },
  );

  withNative("the package's command says which backend runs", () => {
    const result = npm(['exec', '--offline', '--', 'gil-lab', 'info'], apps.native.dir);
    expect(result.stdout).toMatch(
      new RegExp(`^backend +native \\(the native binary from the platform package gil-lab-${triple} loaded\\)$`, 'm'),
    );
  });

  test('what ships holds no test hook: no fault injection in the root package, no panic export in the binary', () => {
    const installed = path.join(apps.js.dir, 'node_modules', 'gil-lab');
    const hooks = /__panicForTesting|FaultForTesting|faultForTesting|failNextStarts|runFault/;
    expect(
      packed.root.files.filter((file) => hooks.test(fs.readFileSync(path.join(installed, file), 'latin1'))),
    ).toEqual([]);
    if (canInstallNative) expect(fs.readFileSync(builtBinary).includes('__panicForTesting')).toBe(false);
    if (canInstallWasm)
      expect(fs.readFileSync(path.join(wasmBuild, 'gil-lab.wasm32-wasi.wasm')).includes('__panicForTesting')).toBe(
        false,
      );
  });

  test('the installed command has no bench: its suites ship with the source only', () => {
    const help = npm(['exec', '--offline', '--', 'gil-lab', '--help'], apps.js.dir);
    expect(help.stdout).toMatch(/^ {2}compare /m);
    expect(help.stdout).not.toMatch(/^ {2}bench /m);
    const bench = tryNpm(['exec', '--offline', '--', 'gil-lab', 'bench'], apps.js.dir);
    expect(bench.status).toBe(1);
    expect(bench.stderr).toMatch(/unknown command 'bench'/);
  });

  test('the root alone (--omit=optional) runs the JS backend, quietly, with the same results', () => {
    expect(fs.existsSync(path.join(apps.js.dir, 'node_modules', `gil-lab-${triple}`))).toBe(false);
    for (const run of [runIn(apps.js.dir, viaRequire), runIn(apps.js.dir, viaImport, { module: true })]) {
      expect(run.stderr).toBe('');
      expect(run.out).toMatchObject({ backend: 'js', binary: null, nativeLoadError: null, sync: 9592, async: 9592 });
    }
  });

  withNative('a corrupt binary in the platform package gives one warning, nativeLoadError and the JS backend', () => {
    const binary = path.join(apps.native.dir, 'node_modules', `gil-lab-${triple}`, platformPackage.expected.main);
    fs.writeFileSync(binary, 'this is not a shared object');
    const { out, stderr } = runIn(apps.native.dir, viaRequire);
    expect(out).toMatchObject({ backend: 'js', binary, sync: 9592, async: 9592 });
    expect(out.nativeLoadError).toContain(binary);
    expect([...stderr.matchAll(/GIL_LAB_NATIVE_LOAD_FAILED/g)]).toHaveLength(1);
  });
});
