// pipeRoundTrips, the twin of `crates/core/src/kernels/pipe_round_trips.rs`: write one byte
// into a pipe and read it back, `count` times, each write and each read in its own
// allowThreads section (as CPython's os.write and os.read each release the lock), with a
// tick between two round trips.
//
// Node has no pipe() call, so the pipe is the nearest thing it can open synchronously: a
// FIFO, made by the `mkfifo` program in a fresh temporary folder, opened twice — O_RDWR for
// the reading end (an open for reading alone would wait for a writer) and O_WRONLY for the
// writing end — and unlinked at once, so that nothing is left on disk. The same kernel
// object as a pipe, so the same blocking reads and writes, at the price of starting one
// process per call (a few milliseconds, before the round trips). Where no FIFO can be made
// (Windows, or no `mkfifo` on the PATH), the round trips go through a temporary file
// instead: a positioned write and read of one byte, two blocking calls that never wait.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import type { Ticker } from '../breaker';
import { integer } from '../args';
import { osError, systemCall, UV_EOF } from './os-error';

/** The largest `count` accepted, as in the Rust twin: it fits an int32. */
export const PIPE_ROUND_TRIPS_MAX = 2 ** 31 - 1;

/** Where the round trips go: one byte written, then one byte read back. */
interface Channel {
  write(byte: Uint8Array): void;
  read(byte: Uint8Array): void;
  close(): void;
}

export function checkPipeRoundTrips(count: unknown): [number] {
  return [integer('count', count, 0, PIPE_ROUND_TRIPS_MAX)];
}

/** Does `count` round trips through a new channel; returns how many it did: `count` (+0 for a `count` of -0, as in Rust). */
export function pipeRoundTrips(count: number, ticker: Ticker): number {
  const channel = ticker.allowThreads(openChannel);
  let done = 0;
  try {
    const byte = new Uint8Array([1]);
    for (; done < count; done++) {
      ticker.tick();
      ticker.allowThreads(() => channel.write(byte));
      ticker.allowThreads(() => channel.read(byte));
    }
  } finally {
    ticker.allowThreads(() => channel.close());
  }
  return done;
}

function openChannel(): Channel {
  const dir = systemCall('mkdtemp', undefined, () => fs.mkdtempSync(nodePath.join(os.tmpdir(), 'gil-lab-pipe-')));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  let channel: Channel;
  try {
    channel = fifoChannel(nodePath.join(dir, 'fifo')) ?? fileChannel(nodePath.join(dir, 'round-trips'));
  } catch (error) {
    removeDir();
    throw error;
  }
  if (process.platform !== 'win32') {
    removeDir(); // what is open stays usable, and nothing is left on disk
    return channel;
  }
  // Windows removes no file that is open.
  return { ...channel, close: () => (channel.close(), removeDir()) };
}

/** Reads one byte into `byte`; `position` null reads at the current offset. */
function readOne(fd: number, byte: Uint8Array, position: number | null): void {
  if (systemCall('read', undefined, () => fs.readSync(fd, byte, 0, 1, position)) !== 1) throw osError(UV_EOF, 'read');
}

/** A FIFO at `fifo`, both ends open and the name unlinked; undefined where none can be made. */
function fifoChannel(fifo: string): Channel | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    execFileSync('mkfifo', ['-m', '600', fifo], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const readFd = systemCall('open', fifo, () => fs.openSync(fifo, fs.constants.O_RDWR));
  let writeFd: number;
  try {
    writeFd = systemCall('open', fifo, () => fs.openSync(fifo, fs.constants.O_WRONLY));
  } catch (error) {
    fs.closeSync(readFd);
    throw error;
  }
  return {
    write: (byte) => void systemCall('write', undefined, () => fs.writeSync(writeFd, byte, 0, 1)),
    read: (byte) => readOne(readFd, byte, null),
    close: () => {
      fs.closeSync(writeFd);
      fs.closeSync(readFd);
    },
  };
}

/** A temporary file, written and read back at offset 0. */
function fileChannel(file: string): Channel {
  const fd = systemCall('open', file, () => fs.openSync(file, 'w+'));
  return {
    write: (byte) => void systemCall('write', undefined, () => fs.writeSync(fd, byte, 0, 1, 0)),
    read: (byte) => readOne(fd, byte, 0),
    close: () => fs.closeSync(fd),
  };
}
