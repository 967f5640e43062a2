// How the I/O-bound tasks fail, the twin of `crates/core/src/os_error.rs`: a failed system
// call becomes an Error shaped as Node's fs shapes one — `code`, `errno`, `syscall`, `path`
// and the message `CODE: description, syscall 'path'` — with the path given whichever call
// failed (Node's own readSync errors have none), so that both backends report it alike.

import { getSystemErrorMap } from 'node:util';

export interface OsError extends Error {
  code: string;
  errno: number;
  syscall: string;
  path?: string;
}

/**
 * The error for a failed `syscall` with libuv's `errno` (negative), on `path` if given. The
 * path is named as the OS got it: a string's UTF-8, with U+FFFD for a lone surrogate, which
 * is what Node passes to the OS, and what the Rust twin holds.
 */
export function osError(errno: number, syscall: string, givenPath?: string): OsError {
  const path = givenPath === undefined ? undefined : Buffer.from(givenPath, 'utf8').toString('utf8');
  const [code, description] = getSystemErrorMap().get(errno) ?? ['UNKNOWN', 'unknown error'];
  const message = `${code}: ${description}, ${syscall}${path === undefined ? '' : ` '${path}'`}`;
  return Object.assign(
    new Error(message),
    path === undefined ? { code, errno, syscall } : { code, errno, syscall, path },
  );
}

/** libuv's end of file: a pipe that gave no byte back. */
export const UV_EOF = -4095;

/**
 * Runs a blocking fs call; an error of the OS it throws becomes an OsError naming `syscall`
 * and `path`, anything else goes on as it is.
 */
export function systemCall<T>(syscall: string, path: string | undefined, call: () => T): T {
  try {
    return call();
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException)?.errno;
    throw typeof errno === 'number' ? osError(errno, syscall, path) : error;
  }
}
