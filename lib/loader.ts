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

function forcedBackend(): BackendName | undefined {
  const forced = process.env.GIL_LAB_BACKEND;
  if (forced === undefined || forced === '' || forced === 'auto') return undefined;
  if (forced === 'native' || forced === 'js') return forced;
  throw new Error(`GIL_LAB_BACKEND must be "native", "js" or "auto"; got "${forced}"`);
}

export function load(): Loaded {
  const triple = platformTriple();
  const forced = forcedBackend();
  if (forced === 'js') {
    return { backend: new JsBackend(), triple, binary: null, nativeLoadError: null };
  }
  const native = loadNative(triple);
  if (native.binding) {
    return { backend: new NativeBackend(native.binding), triple, binary: native.binary, nativeLoadError: null };
  }
  if (forced === 'native') {
    throw new Error(
      `GIL_LAB_BACKEND=native, but no native binary loads for ${triple}: ` +
        (native.error ?? `neither the package gil-lab-${triple} nor a local build (npm run build:native) is there`),
    );
  }
  if (native.error) {
    process.emitWarning(`the native binary did not load, so the JS backend runs instead. ${native.error}`, {
      code: 'GIL_LAB_NATIVE_LOAD_FAILED',
    });
  }
  return { backend: new JsBackend(), triple, binary: native.binary, nativeLoadError: native.error };
}
