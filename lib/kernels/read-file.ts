// readFile, the twin of `crates/core/src/kernels/read_file.rs`: the bytes of a file, by
// blocking reads — open, fstat, reads of all that is left until one returns nothing, close —
// each system call in its own allowThreads section, with a tick between two reads.
//
// A regular file larger than READ_FILE_MAX_BYTES is refused before anything is read; a file
// that does not tell its size (a device, a pipe, /proc) as soon as it has given more.

import fs from 'node:fs';
import type { Ticker } from '../breaker';
import { path as checkPath, rangeError } from '../args';
import { systemCall } from './os-error';

/** The largest file read, as in the Rust twin: 1 GiB, so that one call cannot exhaust memory. */
export const READ_FILE_MAX_BYTES = 2 ** 30;

/** The read size once the planned bytes are in, as in the Rust twin. */
const PROBE_BYTES = 64 * 1024;

export function checkReadFile(path: unknown): [string] {
  return [checkPath('path', path)];
}

function tooLarge(max: number, got: string): RangeError {
  return rangeError(`path must be a file of at most ${max} bytes; got ${got}`);
}

/** The bytes of the file at `path` (checked by checkReadFile). */
export function readFile(path: string, ticker: Ticker, max = READ_FILE_MAX_BYTES): Uint8Array {
  const fd = ticker.allowThreads(() => systemCall('open', path, () => fs.openSync(path, 'r')));
  try {
    return readOpenFile(fd, path, max, ticker);
  } finally {
    ticker.allowThreads(() => closeUnreported(fd));
  }
}

/** Closes `fd`; a failed close goes unreported, as Rust's `File` drop leaves it in the twin. */
function closeUnreported(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // a failed close leaves nothing the caller could act on
  }
}

function readOpenFile(fd: number, path: string, max: number, ticker: Ticker): Uint8Array {
  const stats = ticker.allowThreads(() => systemCall('fstat', path, () => fs.fstatSync(fd)));
  const size = stats.isFile() ? stats.size : 0;
  if (size > max) throw tooLarge(max, `${size} bytes`);
  const read = (into: Uint8Array, offset: number) =>
    ticker.allowThreads(() =>
      systemCall('read', path, () => fs.readSync(fd, into, offset, into.length - offset, null)),
    );
  // Invariant: data[0, filled) holds what was read; data[filled, length) is room for more.
  let data = new Uint8Array(size);
  let filled = 0;
  let probe: Uint8Array | undefined;
  for (;;) {
    ticker.tick();
    if (filled < data.length) {
      const n = read(data, filled);
      if (n === 0) break;
      filled += n;
    } else {
      probe ??= new Uint8Array(PROBE_BYTES);
      const n = read(probe, 0);
      if (n === 0) break;
      if (filled + n > max) throw tooLarge(max, `more than ${max} bytes`);
      const room = Math.min(Math.max(2 * (filled + n), PROBE_BYTES), max);
      const grown = new Uint8Array(room);
      grown.set(data.subarray(0, filled));
      grown.set(probe.subarray(0, n), filled);
      data = grown;
      filled += n;
    }
  }
  return filled === data.length ? data : data.slice(0, filled);
}
