// What crosses from a worker thread back to the caller. Piscina hands results and errors
// over by structured cloning, which keeps an error's class (for the built-in ones), its
// message and its `cause`, but drops its other own properties: the `code` of an argument
// error, the `code`, `errno`, `syscall` and `path` of a system error. So the worker packs
// them into the cause of the error it throws, and the caller unpacks them. And a typed
// array that owns its whole buffer (a kernel's fresh result) is moved, not copied.

import { move } from 'piscina';

const PACKED = 'gil-lab:own-properties';

interface Packed {
  [PACKED]: Record<string, unknown>;
  cause: unknown;
}

function setCause(error: Error, cause: unknown): void {
  Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
}

/** In the worker: `error`, with its own enumerable properties packed into its cause. */
export function packError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const own = { ...error };
  if (Object.keys(own).length === 0) return error;
  const packed: Packed = { [PACKED]: own, cause: error.cause };
  setCause(error, packed);
  return error;
}

/** In the caller: the error as the worker threw it, own properties and cause restored. */
export function unpackError(error: unknown): unknown {
  const packed = (error as { cause?: Partial<Packed> } | null)?.cause;
  if (!(error instanceof Error) || typeof packed !== 'object' || packed === null || !(PACKED in packed)) return error;
  Object.assign(error, packed[PACKED]);
  if (packed.cause === undefined) delete error.cause;
  else setCause(error, packed.cause);
  return error;
}

/** In the worker: the result, marked to be moved where it is a typed array owning its buffer. */
export function movable(result: unknown): unknown {
  const ownsItsBuffer =
    ArrayBuffer.isView(result) &&
    result.buffer instanceof ArrayBuffer &&
    result.byteOffset === 0 &&
    result.byteLength === result.buffer.byteLength;
  return ownsItsBuffer ? move(result) : result;
}
