// The wasm backend's host: a worker that loads gil-lab's wasm build with napi-rs's browser
// loader and answers the page's calls (protocol.ts's HostCalls). It runs in a worker, not on
// the page's thread, because the Rust lock and pools wait with `memory.atomic.wait`, which
// traps on a page's main thread; each Rust thread is a worker of its own, started by emnapi.
//
// The pools are the binding's: `sequential` one thread, `threads` sharing the main
// interpreter's lock, `isolated` one interpreter (so one lock) per thread.

import * as binding from 'gil-lab-wasm-browser';
import type { CancelToken, NativePool } from 'gil-lab-wasm-browser';
import { COUNTERS, type CounterName, type GilMode } from '../../lib/gil/types';
import type { FromHost, HostCall, HostImplementation, PageKernel, PoolName, LockTraceEvent } from './protocol';

const THREADS = 'threads';
/** Trace events read per call: enough for the page's quarter second of a few threads. */
const TRACE_LIMIT = 4096;

const KERNELS: Record<PageKernel, (pool: NativePool, token: CancelToken, size: number) => Promise<unknown>> = {
  countdown: (pool, token, n) => binding.countdown(pool, token, n),
  sleep: (pool, token, ms) => binding.sleep(pool, token, ms),
};

let pools: Record<PoolName, NativePool> | null = null;
const tokens = new Map<number, CancelToken>();

/** The threads pool's live threads in the main lock: id → row (the thread's index in the pool). */
function threadRows(): Map<number, number> {
  const rows = new Map<number, number>();
  for (const t of binding.gilStats()) {
    if (t.interpreter === 0 && !t.retired && t.name.startsWith(`${THREADS}-`))
      rows.set(t.id, Number(t.name.slice(THREADS.length + 1)));
  }
  return rows;
}

const calls: HostImplementation = {
  open(workers, mode, intervalUs) {
    binding.gilSetSwitchInterval(intervalUs / 1e6);
    binding.gilSetMode(mode);
    pools = {
      sequential: new binding.NativePool(1, 'sequential'),
      threads: new binding.NativePool(workers, THREADS),
      isolated: binding.NativePool.withInterpreters(workers, workers, 'interpreter'),
    };
  },
  async run(pool, kernel, size, taskId) {
    const token = new binding.CancelToken();
    tokens.set(taskId, token);
    const started = performance.now();
    try {
      await KERNELS[kernel](pools![pool], token, size);
      return performance.now() - started;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'Cancelled') return null;
      throw error;
    } finally {
      tokens.delete(taskId);
    }
  },
  cancel(taskId) {
    tokens.get(taskId)?.cancel();
  },
  setMode(mode: GilMode) {
    binding.gilSetMode(mode);
  },
  resetStats() {
    binding.gilResetStats();
  },
  stats() {
    const rows = threadRows();
    const totals = Object.fromEntries(COUNTERS.map((name) => [name, 0])) as Record<CounterName, number>;
    for (const t of binding.gilStats()) {
      if (t.interpreter !== 0 || !rows.has(t.id)) continue;
      for (const name of COUNTERS) totals[name] += t[name];
    }
    return totals;
  },
  trace() {
    const rows = threadRows();
    const events: LockTraceEvent[] = [];
    for (const e of binding.gilTrace(TRACE_LIMIT)) {
      const row = e.interpreter === 0 ? rows.get(e.thread) : undefined;
      if (row !== undefined) events.push({ thread: row, event: e.event as LockTraceEvent['event'], timeNs: e.timeNs });
    }
    return { nowNs: binding.gilNowNs(), events };
  },
  async close() {
    const closing = pools === null ? [] : Object.values(pools).map((pool) => pool.shutdown(true));
    pools = null;
    await Promise.all(closing);
  },
};

const reply = (message: FromHost) => postMessage(message);

onmessage = async ({ data }: MessageEvent<HostCall>) => {
  try {
    const call = calls[data.call] as (...args: unknown[]) => unknown;
    const value = await call(...data.args);
    reply({ type: 'answer', id: data.id, value });
  } catch (error) {
    reply({ type: 'refused', id: data.id, message: error instanceof Error ? error.message : String(error) });
  }
};
reply({ type: 'loaded' });
