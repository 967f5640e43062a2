// Argument checks shared by every JS kernel. Each message names the argument and its allowed
// range, word for word as the native checks in `crates/core/src/args.rs` do.

function typeName(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

function typeError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_TYPE' });
}

function rangeError(message: string): RangeError {
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
