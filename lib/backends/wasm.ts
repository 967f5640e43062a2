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
//
// And a Rust panic is an abort on wasm: the thread traps, where natively the panic becomes a
// rejected promise. `WasmInstance` turns a trap into rejected promises too (see there).

import os from 'node:os';
import path from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { WasmTrapError } from '../errors';
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

/** The working directory each instance was last given (one that is not here starts at `/`). */
const wasiCwds = new WeakMap<object, string>();

/** Hands `process.cwd()` to the wasm build before `kernel` reads a relative path. */
export function followCwd(binding: object, kernel: KernelName, args: readonly unknown[]): void {
  if (kernel !== 'readFile' || typeof args[0] !== 'string' || path.isAbsolute(args[0])) return;
  const cwd = process.cwd();
  if (cwd === (wasiCwds.get(binding) ?? '/')) return;
  (binding as WasiBinding).wasiChdir(cwd);
  wasiCwds.set(binding, cwd);
}

/** The default pool's threads: the host's cores, which WASI does not report. */
export function hostParallelism(): number {
  return os.availableParallelism();
}

/** What scripts/build-wasm.js adds to napi-rs's loader, and the channel its thread worker tells a trap on. */
const THREAD_CRASHED = Symbol.for('gil-lab.wasi.threadCrashed');
const PANIC_MESSAGE = Symbol.for('gil-lab.wasi.panicMessage');
const ABANDON = Symbol.for('gil-lab.wasi.abandon');
const TRAP_CHANNEL = 'gil-lab:wasm-thread-trapped';

/** What a trap throws (tsc's lib for Node declares no WebAssembly). */
const WasmRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }).WebAssembly
  .RuntimeError;

interface StoppableBinding {
  /** Whether a wasm thread of this instance trapped. */
  [THREAD_CRASHED]?: () => boolean;
  /** The message of the instance's first Rust panic, if one was kept. */
  [PANIC_MESSAGE]?: () => string | undefined;
  /** Terminates the instance's threads without entering its wasm again; rejects, as nothing was cleaned up. */
  [ABANDON]?: () => Promise<void>;
}

/** What a thread's worker says on TRAP_CHANNEL. */
interface TrapReport {
  message: string;
  threadId: number;
}

/**
 * The wasm build's instance in use, made again after a trap. A Rust panic is an abort on
 * wasm32-wasip1-threads (stable Rust has no unwinding there), so a panicking thread traps: on a
 * pool thread, its worker says so on TRAP_CHANNEL (scripts/build-wasm.js) instead of throwing,
 * which emnapi would rethrow on the main thread; on the calling thread, the sync call throws
 * WebAssembly's RuntimeError. Either way the trapped thread may hold the instance's locks (the
 * emulated GIL, the allocator's), so nothing in that instance is trusted again: every call
 * pending there rejects with a WasmTrapError, its threads are terminated without entering its
 * wasm, and the next call makes a new instance (`instantiate`), set up by `onInstantiated`.
 */
export class WasmInstance<B extends object> {
  private live: B | null;
  /** The rejections of the calls pending on the live instance. */
  private readonly pending = new Set<(error: WasmTrapError) => void>();

  constructor(
    first: B,
    private readonly instantiate: () => B,
    private readonly onInstantiated: (binding: B) => void,
  ) {
    this.live = first;
    const channel = new BroadcastChannel(TRAP_CHANNEL);
    channel.onmessage = (event) => this.threadTrapped((event as { data: TrapReport }).data);
    channel.unref();
  }

  /** The instance in use: a new one where the last one trapped. */
  get binding(): B {
    if (this.live === null) {
      const binding = this.instantiate();
      this.live = binding;
      this.onInstantiated(binding);
    }
    return this.live;
  }

  /** Whether `binding` is the instance in use (not one that trapped). */
  isLive(binding: B): boolean {
    return this.live === binding;
  }

  /** `promise`, of a call on the instance in use, or a WasmTrapError where that instance traps first. */
  track<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.add(reject);
      promise.then(
        (value) => {
          this.pending.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(reject);
          reject(error);
        },
      );
    });
  }

  /** `promise`, of a wait on the instance in use (a pool's shutdown), settled once that instance traps: nothing is left to wait for. */
  untilTrapped(promise: Promise<void>): Promise<void> {
    return this.track(promise).catch((error: unknown) => {
      if (!(error instanceof WasmTrapError)) throw error;
    });
  }

  /** Runs `call`, a sync call into `binding`; a trap on this thread stops that instance and throws a WasmTrapError. */
  runSync<T>(binding: B, call: () => T): T {
    try {
      return call();
    } catch (error) {
      if (error instanceof WasmRuntimeError) throw this.trapped(binding, 'on the calling thread', error);
      throw error;
    }
  }

  private threadTrapped(report: TrapReport): void {
    const binding = this.live;
    // A report of an instance stopped already (two of its threads trapped) is not about this one.
    if (binding === null || !(binding as StoppableBinding)[THREAD_CRASHED]?.()) return;
    this.trapped(binding, `on its thread ${report.threadId}`, new WasmRuntimeError(report.message));
  }

  private trapped(binding: B, where: string, cause: unknown): WasmTrapError {
    const stoppable = binding as StoppableBinding;
    const panic = this.live === binding ? stoppable[PANIC_MESSAGE]?.() : undefined;
    const error = new WasmTrapError(
      `the wasm backend's instance trapped ${where}: ` +
        (panic === undefined ? 'a Rust panic aborts on wasm (its message is on stderr)' : `a Rust panic: ${panic}`) +
        '; every call pending there is rejected, and the next call runs on a new instance',
      cause,
    );
    if (this.live !== binding) return error;
    this.live = null;
    // It rejects by design: an instance that trapped is not cleaned up, only stopped.
    stoppable[ABANDON]?.().catch(() => {});
    const rejections = [...this.pending];
    this.pending.clear();
    for (const reject of rejections) reject(error);
    return error;
  }
}
