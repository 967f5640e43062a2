// Argument checks shared by every JS kernel. Each message names the argument and its allowed
// range, word for word as the native checks in `crates/core/src/args.rs` do.

export function typeName(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

export function typeError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_TYPE' });
}

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
