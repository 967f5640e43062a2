// Argument checks, for every part of gil-lab: a leaf that imports nothing of ours. Each
// message names the argument and its allowed range; a kernel's messages are word for word those
// of the native checks in `crates/core/src/args.rs`.

import { types } from 'node:util';

/** A value's kind, for the `got` of a message: `null`, `array`, or its `typeof` (as `src/args.rs` says it). */
export function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A TypeError for an argument of the wrong type, with Node's code for it. */
export function typeError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_TYPE' });
}

/** A RangeError for an argument of the right type and a value out of its range, with Node's code for it. */
export function rangeError(message: string): RangeError {
  return Object.assign(new RangeError(message), { code: 'ERR_OUT_OF_RANGE' });
}

/** `value` as a number, or a `TypeError` naming `name`. */
export function number(name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw typeError(`${name} must be a number; got ${typeName(value)}`);
  }
  return value;
}

/** A whole number in `[min, max]`. */
export function integer(name: string, value: unknown, min: number, max: number): number {
  const n = number(name, value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw rangeError(`${name} must be an integer from ${min} to ${max}; got ${String(n)}`);
  }
  return n;
}

/** `value` as an object whose fields a kernel reads, or a `TypeError` naming `name`. */
export function object(name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    throw typeError(`${name} must be an object; got ${typeName(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A size computed from other arguments that must stay under a limit past which it would exhaust memory. */
export function atMost(name: string, value: number, max: number): number {
  if (value > max) throw rangeError(`${name} must be at most ${max}; got ${String(value)}`);
  return value;
}

/** A typed array's length, against the one its other arguments ask for; `rule` says which (`n * n`). */
export function length(name: string, rule: string, expected: number, got: number): void {
  if (got !== expected) throw rangeError(`${name} must have length ${rule} = ${expected}; got ${got}`);
}

// The class of a typed array from its internal slot, whatever its realm or prototype.
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!;

function typedArrayClass(view: ArrayBufferView): string {
  return typedArrayTag.get!.call(view) as string;
}

/** What `value` is, for the `got` of a TypeError: a typed array's class, `DataView`, or what `typeof` says. */
export function describe(value: unknown): string {
  if (types.isTypedArray(value)) return typedArrayClass(value);
  if (types.isDataView(value)) return 'DataView';
  return typeName(value);
}

/** Whether `buffer` was detached (transferred). Node 20 has no `ArrayBuffer#detached`; there, only a buffer of length 0 may be, and copying it tells. */
function isDetached(buffer: ArrayBufferLike): boolean {
  if (types.isSharedArrayBuffer(buffer)) return false;
  if ('detached' in buffer) return (buffer as { detached: boolean }).detached;
  if (buffer.byteLength !== 0) return false;
  try {
    ArrayBuffer.prototype.slice.call(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

function typedArray<T extends ArrayBufferView>(
  name: string,
  value: unknown,
  kind: string,
  isKind: (v: unknown) => v is T,
): T {
  if (!isKind(value)) throw typeError(`${name} must be a ${kind}; got ${describe(value)}`);
  if (isDetached(value.buffer)) throw typeError(`${name} must be a ${kind}; got a detached ${kind}`);
  return value;
}

/** `value` as a Uint8Array (a Buffer is one), or a `TypeError` naming `name`: not one, or detached. */
export function uint8Array(name: string, value: unknown): Uint8Array {
  return typedArray(name, value, 'Uint8Array', types.isUint8Array);
}

/** `value` as a Float64Array, or a `TypeError` naming `name`: not one, or detached. */
export function float64Array(name: string, value: unknown): Float64Array {
  return typedArray(name, value, 'Float64Array', types.isFloat64Array);
}

/** Whether a typed array lives in a SharedArrayBuffer, which other threads may write while a kernel reads. */
export function isShared(view: ArrayBufferView): boolean {
  return types.isSharedArrayBuffer(view.buffer);
}

/** A copy of a typed array's elements, of the same class (a Buffer's is a plain Uint8Array), in an ArrayBuffer of its own. */
export function copyOf<T extends ArrayBufferView>(view: T): T {
  const bytes = new Uint8Array(view.byteLength);
  bytes.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  const Class = (globalThis as unknown as Record<string, new (buffer: ArrayBuffer) => T>)[typedArrayClass(view)];
  return new Class(bytes.buffer);
}

/** A number in `[min, max]`, fractions allowed (NaN is in no range). */
export function numberInRange(name: string, value: unknown, min: number, max: number): number {
  const n = number(name, value);
  if (!(n >= min && n <= max)) {
    throw rangeError(`${name} must be a number from ${min} to ${max}; got ${String(n)}`);
  }
  return n;
}

/** A path the OS can take: a non-empty string with no NUL character (which would end it early). */
export function path(name: string, value: unknown): string {
  if (typeof value !== 'string') throw typeError(`${name} must be a string; got ${typeName(value)}`);
  const got = value === '' ? 'an empty string' : value.includes('\0') ? 'a string with a NUL character' : undefined;
  if (got !== undefined) throw rangeError(`${name} must be a non-empty string without NUL characters; got ${got}`);
  return value;
}

/** `options` as an object to read options from (`{}` when undefined), or a TypeError naming it. */
export function optionsObject(name: string, options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw typeError(`${name} must be an object; got ${typeName(options)}`);
  }
  return options as Record<string, unknown>;
}

/** `value` as a string, or a TypeError naming `name`. */
export function checkString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw typeError(`${name} must be a string; got ${typeName(value)}`);
  return value;
}

function quoted(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** A string that must be one of `allowed`: a TypeError when it is no string, a RangeError when it is none of them. */
export function oneOf<T>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(checkString(name, value) as T))
    throw rangeError(`${name} must be one of ${allowed.join(', ')}; got ${quoted(value)}`);
  return value as T;
}

export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw typeError(`${name} must be a boolean; got ${typeName(value)}`);
  return value;
}

/** An optional AbortSignal. */
export function checkSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal))
    throw typeError(`${name} must be an AbortSignal; got ${typeName(value)}`);
  return value;
}

/** A non-empty array without repeats, each item checked by `check` (which is given the item's name, `name[i]`). */
export function listOf<T>(name: string, value: unknown, check: (item: unknown, itemName: string) => T): T[] {
  if (!Array.isArray(value)) throw typeError(`${name} must be an array; got ${typeName(value)}`);
  if (value.length === 0) throw rangeError(`${name} must not be empty`);
  const items = value.map((item, i) => check(item, `${name}[${i}]`));
  if (new Set(items).size !== items.length)
    throw rangeError(`${name} must not repeat an item; got ${items.join(', ')}`);
  return items;
}
