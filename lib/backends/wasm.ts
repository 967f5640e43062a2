// What the wasm backend does beside the native one's code (`native.ts` runs both): WASI and
// napi-rs's wasm runtime differ from a `.node` addon in three ways that JS must make up for.
//
// - Errors: on wasm, napi-rs turns an error object made in Rust into a plain `Error` with its
//   message (it keeps no reference to the object), so the I/O tasks' `fs`-shaped errors reach
//   JS as `Error: ENOENT: no such file or directory, open '/x'`. The message says all that was
//   lost; `fsError` makes the error again, with `errno` from this host's numbers (WASI's are
//   its own), and the RangeError of a file too large.
// - The working directory: a WASI instance starts at `/`; relative paths must resolve from
//   `process.cwd()`, so it is handed to the build before a relative path is read.
// - The default pool's size: WASI reports one CPU, so it comes from the host.

import os from 'node:os';
import path from 'node:path';
import type { KernelName } from '../kernels';

/** The binding's wasm-only export (`src/wasi.rs`). */
interface WasiBinding {
  wasiChdir(path: string): void;
}

/** The kernels whose errors come from the file system. */
const IO_KERNELS: ReadonlySet<KernelName> = new Set(['readFile', 'pipeRoundTrips']);

/** `CODE: description, syscall 'path'` (the path optional), as `crates/core/src/os_error.rs` writes it. */
const OS_ERROR = /^([A-Z0-9]+): ([^,]+), (\w+)(?: '([\s\S]*)')?$/;

/** libuv's numbers of the two errors that no OS numbers. */
const LIBUV_ERRNO: Record<string, number> = { EOF: -4095, UNKNOWN: -4094 };

/** The error the native backend gives, made again from the plain Error napi-rs's wasm side gave. */
export function fsError(error: unknown): unknown {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== 'GenericFailure') return error;
  if (error.message.startsWith('path must be a file of at most')) {
    return Object.assign(new RangeError(error.message), { code: 'ERR_OUT_OF_RANGE' });
  }
  const match = OS_ERROR.exec(error.message);
  if (!match) return error;
  const [, code, , syscall, filePath] = match as unknown as [string, string, string, string, string | undefined];
  const hostNumber = (os.constants.errno as Record<string, number | undefined>)[code];
  const errno = LIBUV_ERRNO[code] ?? (hostNumber === undefined ? LIBUV_ERRNO.UNKNOWN : -hostNumber);
  const rebuilt = Object.assign(new Error(error.message), { code, errno, syscall });
  return filePath === undefined ? rebuilt : Object.assign(rebuilt, { path: filePath });
}

/** Whether `kernel`'s errors need `fsError`. */
export function failsLikeFs(kernel: KernelName): boolean {
  return IO_KERNELS.has(kernel);
}

let wasiCwd = '/';

/** Hands `process.cwd()` to the wasm build before `kernel` reads a relative path. */
export function followCwd(binding: unknown, kernel: KernelName, args: readonly unknown[]): void {
  if (kernel !== 'readFile' || typeof args[0] !== 'string' || path.isAbsolute(args[0])) return;
  const cwd = process.cwd();
  if (cwd === wasiCwd) return;
  (binding as WasiBinding).wasiChdir(cwd);
  wasiCwd = cwd;
}

/** The default pool's threads: the host's cores, which WASI does not report. */
export function hostParallelism(): number {
  return os.availableParallelism();
}
