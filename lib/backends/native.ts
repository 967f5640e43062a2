// The native backend: the exports of the napi-rs binding (`src/`), called by kernel name.

import { runAbortable } from '../abort';
import { CancelledError, poolShutDownError } from '../errors';
import { sinceOrigin, syncCallerName } from '../gil/control';
import type { GilControl, GilMode, RawThreadStats, ReleaseReason, TraceEventKind } from '../gil/types';
import type { KernelName } from '../kernels';
import type { Fault } from '../pools/faults-for-testing';
import type { Backend, WorkerPool } from './backend';

interface NativePool {
  shutdown(cancelPending: boolean): Promise<void>;
}

interface CancelToken {
  cancel(): void;
}

interface NativeThreadStats extends Omit<RawThreadStats, 'thread'> {
  id: number;
  name: string;
}

/** The part of the binding's surface that this backend calls (see `src/`). */
export interface NativeBinding {
  CancelToken: new () => CancelToken;
  NativePool: new (workers: number, label: string) => NativePool;
  gilNameSyncCaller(name: string): void;
  gilSetMode(mode: GilMode): void;
  gilSetSwitchInterval(seconds: number): void;
  gilStats(): NativeThreadStats[];
  gilSwitches(): number;
  gilResetStats(): void;
  gilTrace(limit: number): { thread: number; event: TraceEventKind; reason?: ReleaseReason; timeNs: number }[];
  gilNowNs(): number;
  [exported: string]: unknown;
}

type SyncExport = (...args: unknown[]) => unknown;
type AsyncExport = (pool: NativePool | null, token: unknown, ...args: unknown[]) => Promise<unknown>;

export class NativeBackend implements Backend {
  readonly name = 'native' as const;
  private readonly defaultPool: NativeWorkerPool;
  readonly gil: GilControl;

  constructor(private readonly binding: NativeBinding) {
    this.defaultPool = new NativeWorkerPool(binding, null);
    this.gil = nativeGil(binding);
    binding.gilNameSyncCaller(syncCallerName());
  }

  /** The binding's own export: it checks its arguments, and needs no `this`. */
  syncKernel(kernel: KernelName): SyncExport {
    return this.binding[`${kernel}Sync`] as SyncExport;
  }

  call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    return this.defaultPool.call(kernel, args, signal);
  }

  createPool(threads: number, label: string): WorkerPool {
    return new NativeWorkerPool(this.binding, new this.binding.NativePool(threads, label));
  }
}

/** The binding's default pool (`pool` null) or one of its `NativePool`s. */
class NativeWorkerPool implements WorkerPool {
  private closing: Promise<void> | undefined;

  constructor(
    private readonly binding: NativeBinding,
    private readonly pool: NativePool | null,
  ) {}

  call(kernel: KernelName, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    const run = this.binding[kernel] as AsyncExport;
    const token = signal === undefined ? null : tokenFor(this.binding, signal);
    let promise: Promise<unknown>;
    try {
      // The binding checks the arguments before it queues anything, and throws here (as it
      // does for a pool that is shut down).
      promise = run(this.pool, token, ...args).catch(fromNative);
    } catch (error) {
      return Promise.reject(nativeError(error));
    }
    if (signal === undefined) return promise;
    if (signal.aborted) {
      // Aborted before the call: it was only checked and queued; take it back.
      token?.cancel();
      promise.catch(() => {});
    }
    return runAbortable(signal, () => ({ promise, cancel: () => token?.cancel() }));
  }

  runFault(fault: Fault, signal?: AbortSignal): Promise<unknown> {
    if (fault.kind !== 'panic') return Promise.reject(new Error(`a native thread meets no "${fault.kind}" fault, only a panic`));
    const token = new this.binding.CancelToken();
    const panic = this.binding.__panicForTesting as AsyncExport;
    const promise = panic(this.pool, token, 'a panic injected for testing').catch(fromNative);
    return runAbortable(signal, () => ({ promise, cancel: () => token.cancel() }));
  }

  failNextStarts(): void {
    throw new Error('a native pool starts its threads once, when it is made: none can fail later');
  }

  shutdown(cancelPending: boolean): Promise<void> {
    // A later call only cancels: the first one's promise is the one that waits for the threads.
    const closing = this.pool?.shutdown(cancelPending) ?? Promise.resolve();
    this.closing ??= closing;
    return this.closing;
  }
}

/**
 * The binding's CancelToken of each AbortSignal: the tasks given one signal share a token,
 * which cancels them all (a token is an object with a finalizer: microseconds a task, were
 * each to have one).
 */
const tokens = new WeakMap<AbortSignal, CancelToken>();

function tokenFor(binding: NativeBinding, signal: AbortSignal): CancelToken {
  let token = tokens.get(signal);
  if (token === undefined) {
    token = new binding.CancelToken();
    tokens.set(signal, token);
  }
  return token;
}

/** gil-lab's errors for the binding's: a cancelled task (napi's `Cancelled`), a closed pool (`Closing`). */
function nativeError(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (code === 'Cancelled') return new CancelledError();
  if (code === 'Closing') return poolShutDownError();
  return error;
}

function fromNative(error: unknown): never {
  throw nativeError(error);
}

/** The process's native lock, through the binding. */
function nativeGil(binding: NativeBinding): GilControl {
  // The native lock keeps its own clock; read both at once to line its times up with ours.
  const before = process.hrtime.bigint();
  const native = binding.gilNowNs();
  const after = process.hrtime.bigint();
  const shift = sinceOrigin(before + (after - before) / 2n) - native;
  return {
    setMode: (mode) => binding.gilSetMode(mode),
    setSwitchInterval: (seconds) => binding.gilSetSwitchInterval(seconds),
    stats: () => ({
      threads: binding.gilStats().map(({ id, name, ...counts }) => ({ thread: name, ...counts })),
      switches: binding.gilSwitches(),
    }),
    resetStats: () => binding.gilResetStats(),
    trace: (limit) => {
      const names = new Map(binding.gilStats().map((t) => [t.id, t.name]));
      return binding.gilTrace(limit).map(({ thread, reason, timeNs, ...event }) => ({
        thread: names.get(thread) ?? `thread-${thread}`,
        ...event,
        ...(reason === undefined || reason === null ? {} : { reason }),
        timeNs: timeNs + shift,
      }));
    },
  };
}
