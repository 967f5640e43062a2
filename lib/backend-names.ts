// The backends' names, and their one check: a leaf, so that every layer may name a backend.

import { checkString, rangeError } from './args';

/** Every backend, in the loader's order of preference. */
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'wasm', 'js'];

export type BackendName = 'native' | 'wasm' | 'js';

function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

function listed(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** `value` as a backend's name, or a TypeError/RangeError naming `name`. */
export function checkBackendName(name: string, value: unknown): BackendName {
  const backend = checkString(name, value);
  if (!isBackendName(backend)) throw rangeError(`${name} must be ${listed(BACKEND_NAMES)}; got "${backend}"`);
  return backend;
}

/** A backend's name, or `auto` for `'auto'` and for undefined. */
export function checkBackendChoice<Auto>(name: string, value: unknown, auto: Auto): BackendName | Auto {
  if (value === undefined || value === 'auto') return auto;
  const backend = checkString(name, value);
  if (!isBackendName(backend))
    throw rangeError(`${name} must be ${listed([...BACKEND_NAMES, 'auto'])}; got "${backend}"`);
  return backend;
}
