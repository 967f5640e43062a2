// The wasm backend in the page: gil-lab's Rust (kernels, emulated lock, pools) built for
// wasm32-wasip1-threads, run by its host worker (wasm-host.ts), which the page calls by
// messages. Loading it fails where the site was built without the wasm build, where the page is
// not cross-origin isolated (no shared wasm memory), or where the browser lacks what it needs.

import type { CounterName, GilMode } from '../../lib/gil/types';
import { newTaskId, type PageBackend, type PoolSettings } from './backend';
import type { FromHost, HostCall, HostCalls, PageKernel, PoolName, LockTraceEvent } from './protocol';

/** How long the wasm build may take to load before the page runs on the JS backend instead. */
const LOAD_TIMEOUT_MS = 20_000;

export class WasmBackend implements PageBackend {
  readonly name = 'wasm';
  readonly isolatedModel = 'interpreters';
  private nextCallId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly host: Worker) {
    host.onmessage = ({ data }: MessageEvent<FromHost>) => {
      if (data.type !== 'answer' && data.type !== 'refused') return;
      const call = this.pending.get(data.id)!;
      this.pending.delete(data.id);
      if (data.type === 'answer') call.resolve(data.value);
      else call.reject(new Error(`wasm: ${data.message}`));
    };
    host.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`the wasm host failed: ${event.message}`);
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
  }

  /** The host with the wasm build loaded in it; rejects, saying why, where it does not load. */
  static load(): Promise<WasmBackend> {
    const host = new Worker(new URL('./wasm-host.js', import.meta.url), { type: 'module' });
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        host.terminate();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail(`it did not load within ${LOAD_TIMEOUT_MS / 1000} s`), LOAD_TIMEOUT_MS);
      host.onerror = (event) => {
        // Said in the page instead of the console: the page goes on with the JS backend.
        event.preventDefault();
        fail(event.message || 'its worker failed to start');
      };
      host.onmessage = ({ data }: MessageEvent<FromHost>) => {
        if (data.type !== 'loaded') return;
        clearTimeout(timer);
        resolve(new WasmBackend(host));
      };
    });
  }

  private call<K extends keyof HostCalls>(
    call: K,
    ...args: Parameters<HostCalls[K]>
  ): Promise<ReturnType<HostCalls[K]>> {
    const id = this.nextCallId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const message: HostCall = { id, call, args } as HostCall;
      this.host.postMessage(message);
    });
  }

  open({ workers, mode, intervalMs }: PoolSettings): Promise<void> {
    return this.call('open', workers, mode, Math.max(1, Math.round(intervalMs * 1000)));
  }

  run(pool: PoolName, kernel: PageKernel, size: number, taskId = newTaskId()): Promise<number | null> {
    return this.call('run', pool, kernel, size, taskId);
  }

  cancel(taskId: number): void {
    void this.call('cancel', taskId);
  }

  setMode(mode: GilMode): void {
    void this.call('setMode', mode);
  }

  resetStats(): void {
    void this.call('resetStats');
  }

  stats(): Promise<Record<CounterName, number>> {
    return this.call('stats');
  }

  trace(): Promise<{ nowNs: number; events: LockTraceEvent[] }> {
    return this.call('trace');
  }

  close(): Promise<void> {
    return this.call('close');
  }
}
