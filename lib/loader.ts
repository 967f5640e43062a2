// Picks the backend once, when gil-lab is first loaded.
//
// Order: GIL_LAB_BACKEND if set; else the platform package `gil-lab-<triple>`; else a local
// build in `native/`; else the JS backend. A binary that is not there is no error — the JS
// backend serves quietly. A binary that is there but does not load (ERR_DLOPEN_FAILED: a
// wrong glibc, a corrupt file) is: it is warned about once and kept in `nativeLoadError`.

import fs from 'node:fs';
import path from 'node:path';
import type { Backend, BackendName } from './backends/backend';
import { JsBackend } from './backends/js';
import { NativeBackend, type NativeBinding } from './backends/native';
import { adoptGilSettings } from './gil/control';
import { platformTriple } from './platform';

export const PACKAGE_ROOT = path.resolve(__dirname, '..');

export interface Loaded {
  readonly backend: Backend;
  readonly triple: string;
  /** The `.node` file the native backend came from, or null. */
  readonly binary: string | null;
  /** Why a binary that was found did not load, or null. */
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

function loadNative(triple: string): NativeAttempt {
  const packageName = `gil-lab-${triple}`;
  try {
    const binary = require.resolve(packageName);
    try {
      return { binding: require(binary) as NativeBinding, binary, error: null };
    } catch (error) {
      return { binary, error: `${binary}: ${(error as Error).message}` };
    }
  } catch (error) {
    if (!isMissingModule(error, packageName)) return { binary: null, error: String(error) };
  }
  const local = path.join(PACKAGE_ROOT, 'native', `gil-lab.${triple}.node`);
  if (!fs.existsSync(local)) return { binary: null, error: null };
  try {
    return { binding: require(local) as NativeBinding, binary: local, error: null };
  } catch (error) {
    return { binary: local, error: `${local}: ${(error as Error).message}` };
  }
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
  adoptGilSettings(backend.gil);
  return (backends[name] = backend);
}

/** The backends made so far in this process. */
export function madeBackends(): Backend[] {
  return (['native', 'js'] as const).flatMap((name) => backends[name] ?? []);
}

function noNativeMessage(triple: string, attempt: NativeAttempt): string {
  return (
    `no native binary loads for ${triple}: ` +
    (attempt.error ?? `neither the package gil-lab-${triple} nor a local build (npm run build:native) is there`)
  );
}

function forcedBackend(): BackendName | undefined {
  const forced = process.env.GIL_LAB_BACKEND;
  if (forced === undefined || forced === '' || forced === 'auto') return undefined;
  if (forced === 'native' || forced === 'js') return forced;
  throw new Error(`GIL_LAB_BACKEND must be "native", "js" or "auto"; got "${forced}"`);
}

let picked: Loaded | undefined;

/** The default backend, picked once per process as the header of this file says. */
export function load(): Loaded {
  return (picked ??= pick());
}

function pick(): Loaded {
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
