// Picks the backend once, when gil-lab is first loaded.
//
// Order: GIL_LAB_BACKEND if set; else native — the platform package `gil-lab-<triple>`, else a
// local build in `native/`; else wasm — the package `gil-lab-wasm32-wasi`, else a local build in
// `wasm/` (the same Rust built for wasm32-wasip1-threads, run by napi-rs's wasm runtime); else
// the JS backend. A binary that is not there is no error — the next backend serves quietly. A
// binary that is there but is not used is: it is warned about once and kept in
// `nativeLoadError`. That is one that does not load (ERR_DLOPEN_FAILED: a wrong glibc, a corrupt
// file; a wasm build on a Node that cannot run its runtime), a package without its binary, and a
// package of another version than gil-lab's, which is refused: the binding's exports change
// between versions, and a stale one would fail later, in a way harder to read.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { checkBackendChoice, type BackendName } from './backend-names';
import type { Backend } from './backends/backend';
import { JsBackend } from './backends/js';
import { NativeBackend, type NativeBinding } from './backends/native';
import { adoptGilSettings } from './gil/control';
import { physicalCores, platformTriple } from './platform';

export const PACKAGE_ROOT = path.resolve(__dirname, '..');

/** gil-lab's version; a platform package must have the same. */
export const VERSION = (
  JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

export interface Loaded {
  readonly backend: Backend;
  readonly triple: string;
  /** The `.node` or `.wasm` file the backend came from (or that failed to load), or null. */
  readonly binary: string | null;
  /** Why binaries that were found were not used (they did not load, or were refused), or null. */
  readonly nativeLoadError: string | null;
}

interface NativeAttempt {
  binding?: NativeBinding;
  /** The wasm build only: makes a new instance of it (the last one trapped). */
  instantiate?: () => NativeBinding;
  binary: string | null;
  error: string | null;
}

/** A package that holds one of gil-lab's binaries: its name, its entry, how that loads. */
interface BinaryPackage {
  name: string;
  /** Its entry, where the manifest names no `main`. */
  main: string;
  /** The binary behind the entry: the entry itself (a `.node`), or the `.wasm` beside it. */
  binaryOf(entry: string): string;
  load(entry: string): NativeAttempt;
}

function isMissingModule(error: unknown, request: string): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'MODULE_NOT_FOUND' && (e.message ?? '').includes(`'${request}'`);
}

function loadBinary(binary: string): NativeAttempt {
  try {
    return { binding: require(binary) as NativeBinding, binary, error: null };
  } catch (error) {
    return { binary, error: `${binary}: ${(error as Error).message}` };
  }
}

/** The package `pkg`, or null where it is not installed. */
function loadPackage(pkg: BinaryPackage): NativeAttempt | null {
  const request = `${pkg.name}/package.json`;
  let manifestPath: string;
  try {
    manifestPath = require.resolve(request);
  } catch (error) {
    if (isMissingModule(error, request)) return null;
    return { binary: null, error: `${pkg.name}: ${(error as Error).message}` };
  }
  let manifest: { version?: unknown; main?: unknown };
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch (error) {
    return { binary: null, error: `${manifestPath}: ${(error as Error).message}` };
  }
  const entry = path.join(path.dirname(manifestPath), typeof manifest.main === 'string' ? manifest.main : pkg.main);
  const binary = pkg.binaryOf(entry);
  if (manifest.version !== VERSION) {
    return {
      binary,
      error:
        `${pkg.name} is version ${String(manifest.version)}, but gil-lab is ${VERSION}: ` +
        `a binary of another version is refused. Reinstall gil-lab so that npm installs ${pkg.name}@${VERSION}.`,
    };
  }
  for (const file of new Set([binary, entry])) {
    if (!fs.existsSync(file)) return { binary, error: `${pkg.name} is installed, but its binary ${file} is missing` };
  }
  return pkg.load(entry);
}

function nativePackage(triple: string): BinaryPackage {
  return { name: `gil-lab-${triple}`, main: `gil-lab.${triple}.node`, binaryOf: (entry) => entry, load: loadBinary };
}

/** The local build in `native/` (`npm run build:native`), or null where there is none. */
function loadLocalBuild(triple: string): NativeAttempt | null {
  const local = path.join(PACKAGE_ROOT, 'native', `gil-lab.${triple}.node`);
  return fs.existsSync(local) ? loadBinary(local) : null;
}

function loadNative(triple: string): NativeAttempt {
  return loadPackage(nativePackage(triple)) ?? loadLocalBuild(triple) ?? { binary: null, error: null };
}

let native: NativeAttempt | undefined;

/** The native binary, loaded once, on first need. */
export function loadNativeOnce(triple: string): NativeAttempt {
  native ??= loadNative(triple);
  return native;
}

/** The wasm build's entry: napi-rs's loader, which runs the `.wasm` beside it on emnapi. */
const WASM_ENTRY = 'gil-lab.wasi.cjs';
const WASM_BINARY = 'gil-lab.wasm32-wasi.wasm';
const WASM_DEBUG_BINARY = 'gil-lab.wasm32-wasi.debug.wasm';

/**
 * The Node versions that run the wasm backend: its runtime, emnapi 2, is ES modules only, which
 * `require()` loads without a flag from these on (the wasm package's `engines` says the same).
 */
export const WASM_NODE_RANGE = '^20.19.0 || ^22.13.0 || >=23.5.0';

/** Whether Node `version` (`20.19.0`) is in WASM_NODE_RANGE. */
export function runsWasm(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major === 20) return minor >= 19;
  if (major === 22) return minor >= 13;
  if (major === 23) return minor >= 5;
  return major > 23;
}

const wasmPackage: BinaryPackage = {
  name: 'gil-lab-wasm32-wasi',
  main: WASM_ENTRY,
  // napi-rs's loader runs the build's `.debug.wasm` (the same code, with names) where one is beside it.
  binaryOf: (entry) => {
    const debug = path.join(path.dirname(entry), WASM_DEBUG_BINARY);
    return fs.existsSync(debug) ? debug : path.join(path.dirname(entry), WASM_BINARY);
  },
  load: loadWasmEntry,
};

/** Loads napi-rs's wasm loader `entry`, where this Node runs it. */
function loadWasmEntry(entry: string): NativeAttempt {
  const binary = wasmPackage.binaryOf(entry);
  if (!runsWasm(process.versions.node)) {
    return {
      binary,
      error: `${binary}: the wasm backend needs Node ${WASM_NODE_RANGE}; this is Node ${process.versions.node}`,
    };
  }
  try {
    return { binding: instantiateWasm(entry), binary, error: null, instantiate: () => instantiateWasm(entry) };
  } catch (error) {
    return { binary, error: `${binary}: ${(error as Error).message}` };
  }
}

/**
 * A new instance of the wasm build: napi-rs's loader `entry` run again (it makes one as it
 * runs). Node 20 warns that WASI is experimental when the loader makes its WASI instance: a
 * warning about gil-lab's insides, not about the user's code, so it is dropped here (and in the
 * wasm threads, by the worker that scripts/build-wasm.js writes).
 */
function instantiateWasm(entry: string): NativeBinding {
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = function (warning: string | Error, ...rest: unknown[]): void {
    const text = typeof warning === 'string' ? warning : warning?.message;
    if (text?.startsWith('WASI is an experimental feature')) return;
    emitWarning(warning, ...rest);
  };
  try {
    // Node's own require, even where a test runner (jest) puts its module system in its place:
    // the loader requires emnapi, which is ES modules only, and only Node's require loads those.
    const nodeRequire = createRequire(entry);
    delete nodeRequire.cache[nodeRequire.resolve(entry)];
    return nodeRequire(entry) as NativeBinding;
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** The local build in `wasm/` (`npm run build:wasm`), or null where there is none. */
function loadLocalWasmBuild(): NativeAttempt | null {
  const local = path.join(PACKAGE_ROOT, 'wasm', WASM_ENTRY);
  return fs.existsSync(local) ? loadWasmEntry(local) : null;
}

let wasm: NativeAttempt | undefined;

/** The wasm build, loaded once, on first need. */
export function loadWasmOnce(): NativeAttempt {
  wasm ??= loadPackage(wasmPackage) ?? loadLocalWasmBuild() ?? { binary: null, error: null };
  return wasm;
}

const backends: Partial<Record<BackendName, Backend>> = {};

/**
 * The backend `name`, made once per process, its lock set as `gil` was last set; `native` and
 * `wasm` throw where no binary of theirs loads.
 */
export function backendFor(name: BackendName, triple: string = platformTriple()): Backend {
  const made = backends[name];
  if (made) return made;
  let backend: Backend;
  if (name === 'js') {
    backend = new JsBackend();
  } else if (name === 'wasm') {
    const attempt = loadWasmOnce();
    if (!attempt.binding) throw new Error(noWasmMessage(attempt));
    backend = new NativeBackend(attempt.binding, attempt.instantiate);
  } else {
    const attempt = loadNativeOnce(triple);
    if (!attempt.binding) throw new Error(noNativeMessage(triple, attempt));
    backend = new NativeBackend(attempt.binding);
  }
  adoptGilSettings(name, backend.gil);
  return (backends[name] = backend);
}

function noNativeMessage(triple: string, attempt: NativeAttempt): string {
  return (
    `no native binary loads for ${triple}: ` +
    (attempt.error ?? `neither the package gil-lab-${triple} nor a local build (npm run build:native) is there`)
  );
}

function noWasmMessage(attempt: NativeAttempt): string {
  return (
    'no wasm build loads: ' +
    (attempt.error ?? `neither the package ${wasmPackage.name} nor a local build (npm run build:wasm) is there`)
  );
}

function forcedBackend(): BackendName | undefined {
  const forced = process.env.GIL_LAB_BACKEND;
  return checkBackendChoice('GIL_LAB_BACKEND', forced === '' ? undefined : forced, undefined);
}

let loaded: Loaded | undefined;

/** The default backend, picked on first need, once per process. */
export function loadOnce(): Loaded {
  loaded ??= load();
  return loaded;
}

/** Picks the default backend, as the header of this file says. */
function load(): Loaded {
  const triple = platformTriple();
  const forced = forcedBackend();
  if (forced === 'js') {
    return { backend: backendFor('js'), triple, binary: null, nativeLoadError: null };
  }
  let native: NativeAttempt = { binary: null, error: null };
  if (forced !== 'wasm') {
    native = loadNativeOnce(triple);
    if (native.binding) {
      return { backend: backendFor('native', triple), triple, binary: native.binary, nativeLoadError: null };
    }
    if (forced === 'native') {
      throw new Error(`GIL_LAB_BACKEND=native, but ${noNativeMessage(triple, native)}`);
    }
  }
  const wasm = loadWasmOnce();
  if (wasm.binding) {
    warnUnused(native, null, 'the wasm backend');
    return { backend: backendFor('wasm', triple), triple, binary: wasm.binary, nativeLoadError: native.error };
  }
  if (forced === 'wasm') {
    throw new Error(`GIL_LAB_BACKEND=wasm, but ${noWasmMessage(wasm)}`);
  }
  warnUnused(native, wasm, 'the JS backend');
  const errors = [native.error, wasm.error].filter((e) => e !== null);
  return {
    backend: backendFor('js'),
    triple,
    binary: native.binary ?? wasm.binary,
    nativeLoadError: errors.join('; ') || null,
  };
}

/** One warning for the binaries that are there and were not used. */
function warnUnused(native: NativeAttempt, wasm: NativeAttempt | null, instead: string): void {
  const failed = [native.error && 'the native binary', wasm?.error && 'the wasm build'].filter((what) => what);
  if (failed.length === 0) return;
  const errors = [native.error, wasm?.error].filter((e) => e);
  process.emitWarning(`${failed.join(' and ')} did not load, so ${instead} runs instead. ${errors.join('; ')}`, {
    code: 'GIL_LAB_NATIVE_LOAD_FAILED',
  });
}

export interface Info {
  /** The backend that runs the kernels. */
  backend: BackendName;
  /** The `.node` or `.wasm` binary that loaded, or that was found and failed to load; else null. */
  binary: string | null;
  /** The platform triple that names the binary: `linux-x64-gnu`, `darwin-arm64`, ... */
  platform: string;
  /** gil-lab's version. */
  version: string;
  /** Logical cores available to this process. */
  cpus: number;
  /** Physical cores as the OS reports them (hyperthreads not counted); null where it does not say. */
  physicalCores: number | null;
  /** Why binaries that are there (native, then wasm) did not load; null when none was found or the first loaded. */
  nativeLoadError: string | null;
}

/** Which backend loaded and why, and where from. */
export function info(): Info {
  const { backend, binary, triple, nativeLoadError } = loadOnce();
  return {
    backend: backend.name,
    binary,
    platform: triple,
    version: VERSION,
    cpus: os.availableParallelism(),
    physicalCores: physicalCores(),
    nativeLoadError,
  };
}
