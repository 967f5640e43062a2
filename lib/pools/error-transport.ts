// Errors across a process boundary. Node's structured clone keeps an error's class only for
// the built-in ones and drops its own properties (`code`, ...); a plain JSON copy keeps
// neither. Here an error travels as its name, message, stack, code and cause, and comes back
// as an instance of the same class where the receiver knows it (the built-in errors,
// gil-lab's own), else as an Error with the same `name`.

import { AbortError, CancelledError } from '../errors';

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  cause?: SerializedError | { value: unknown };
}

const BUILT_IN: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** At most this many causes deep: a cycle of causes must not loop. */
const MAX_CAUSES = 8;

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: `a non-error was thrown: ${String(error)}` };
  }
  const serialized: SerializedError = { name: error.name, message: error.message, stack: error.stack };
  const { code } = error as { code?: unknown };
  if (code !== undefined) serialized.code = code;
  if (error.cause !== undefined && depth < MAX_CAUSES) {
    serialized.cause = error.cause instanceof Error ? serializeError(error.cause, depth + 1) : { value: error.cause };
  }
  return serialized;
}

export function deserializeError(serialized: SerializedError): Error {
  const { name, message, stack, code, cause } = serialized;
  let error: Error;
  if (name === 'AbortError') error = new AbortError();
  else if (name === 'CancelledError') error = new CancelledError(message);
  else error = new (BUILT_IN[name] ?? Error)(message);
  if (error.name !== name) error.name = name;
  error.message = message;
  if (stack !== undefined) error.stack = stack;
  if (code !== undefined && (error as { code?: unknown }).code !== code) {
    Object.defineProperty(error, 'code', { value: code, enumerable: true, configurable: true, writable: true });
  }
  if (cause !== undefined) {
    Object.defineProperty(error, 'cause', {
      value: 'name' in cause ? deserializeError(cause) : cause.value,
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }
  return error;
}
