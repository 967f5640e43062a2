// Picks the backend once, when gil-lab is first loaded.
//
// Order: GIL_LAB_BACKEND if set; else the platform package `gil-lab-<triple>`; else a local
// build in `native/`; else the JS backend. A binary that is not there is no error — the JS
// backend serves quietly. A binary that is there but is not used is: it is warned about once
// and kept in `nativeLoadError`. That is one that does not load (ERR_DLOPEN_FAILED: a wrong
// glibc, a corrupt file), a platform package without its binary, and a platform package of
// another version than gil-lab's, which is refused: the binding's exports change between
// versions, and a stale one would fail later, in a way harder to read.

import fs from 'node:fs';
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
export const VERSION: string = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;

export interface Loaded {
  readonly backend: Backend;
  readonly triple: string;
  /** The `.node` file the native backend came from, or null. */
  readonly binary: string | null;
  /** Why a binary that was found was not used (it did not load, or was refused), or null. */
  readonly nativeLoadError: string | null;
}

interface NativeAttempt {
  binding?: NativeBinding;
  binary: string | null;
  error: string | null;
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

/** The platform package `gil-lab-<triple>`, or null where it is not installed. */
function loadPlatformPackage(triple: string): NativeAttempt | null {
  const packageName = `gil-lab-${triple}`;
  const request = `${packageName}/package.json`;
  let manifestPath: string;
  try {
    manifestPath = require.resolve(request);
  } catch (error) {
    if (isMissingModule(error, request)) return null;
    return { binary: null, error: `${packageName}: ${(error as Error).message}` };
  }
  let manifest: { version?: unknown; main?: unknown };
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    return { binary: null, error: `${manifestPath}: ${(error as Error).message}` };
  }
  const main = typeof manifest.main === 'string' ? manifest.main : `gil-lab.${triple}.node`;
  const binary = path.join(path.dirname(manifestPath), main);
  if (manifest.version !== VERSION) {
    return {
      binary,
      error:
        `${packageName} is version ${String(manifest.version)}, but gil-lab is ${VERSION}: ` +
        `a binary of another version is refused. Reinstall gil-lab so that npm installs ${packageName}@${VERSION}.`,
    };
  }
  if (!fs.existsSync(binary)) {
    return { binary, error: `${packageName} is installed, but its binary ${binary} is missing` };
  }
  return loadBinary(binary);
}

/** The local build in `native/` (`npm run build:native`), or null where there is none. */
function loadLocalBuild(triple: string): NativeAttempt | null {
  const local = path.join(PACKAGE_ROOT, 'native', `gil-lab.${triple}.node`);
  return fs.existsSync(local) ? loadBinary(local) : null;
}

function loadNative(triple: string): NativeAttempt {
  return loadPlatformPackage(triple) ?? loadLocalBuild(triple) ?? { binary: null, error: null };
}

let native: NativeAttempt | undefined;

/** The native binary, loaded once, on first need. */
export function loadNativeOnce(triple: string): NativeAttempt {
  native ??= loadNative(triple);
  return native;
}

const backends: Partial<Record<BackendName, Backend>> = {};

/**
 * The backend `name`, made once per process, its lock set as `gil` was last set; `native`
 * throws where no binary loads.
 */
export function backendFor(name: BackendName, triple: string = platformTriple()): Backend {
  const made = backends[name];
  if (made) return made;
  let backend: Backend;
  if (name === 'js') {
    backend = new JsBackend();
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
  const attempt = loadNativeOnce(triple);
  if (attempt.binding) {
    return { backend: backendFor('native', triple), triple, binary: attempt.binary, nativeLoadError: null };
  }
  if (forced === 'native') {
    throw new Error(`GIL_LAB_BACKEND=native, but ${noNativeMessage(triple, attempt)}`);
  }
  if (attempt.error) {
    process.emitWarning(`the native binary did not load, so the JS backend runs instead. ${attempt.error}`, {
      code: 'GIL_LAB_NATIVE_LOAD_FAILED',
    });
  }
  return { backend: backendFor('js'), triple, binary: attempt.binary, nativeLoadError: attempt.error };
}

export interface Info {
  /** The backend that runs the kernels. */
  backend: BackendName;
  /** The native binary that loaded, or that was found and failed to load; else null. */
  binary: string | null;
  /** The platform triple that names the binary: `linux-x64-gnu`, `darwin-arm64`, ... */
  platform: string;
  /** gil-lab's version. */
  version: string;
  /** Logical cores available to this process. */
  cpus: number;
  /** Physical cores as the OS reports them (hyperthreads not counted); null where it does not say. */
  physicalCores: number | null;
  /** Why a native binary that is there did not load; null when none was found or it loaded. */
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
