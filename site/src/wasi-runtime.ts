// napi-rs's wasm runtime as the page gives it to the wasm build's loader and thread workers
// (build-site.js points their imports of `@napi-rs/wasm-runtime` here): the same runtime, with
// a WASI whose two time calls do in a browser what they do in Node.
//
// The runtime's browser WASI (@tybys/wasm-util) reads the monotonic clock as each worker's own
// `performance.now()` cut to whole milliseconds, so each wasm thread's clock is offset by when
// its worker started; and it sleeps (`poll_oneoff` on clocks: Rust's `thread::sleep`) by
// spinning on `Date.now()`, so a sleeping thread keeps a core busy. Here the clock is the
// page's shared one (process-shim.ts: every worker's `timeOrigin + now`, to the microsecond and
// below) and a sleep is a timed `Atomics.wait`, which lets the core go. Every wasm thread runs
// in a worker, where `Atomics.wait` may block. Other calls are the runtime's.

import { WASI as RuntimeWASI } from '@napi-rs/wasm-runtime';
import { process } from './process-shim';

export * from '@napi-rs/wasm-runtime';

const CLOCK_MONOTONIC = 1;
const EVENT_CLOCK = 0;
const SUBSCRIPTION_BYTES = 48;
const SUBCLOCK_ABSTIME = 1;
const ESUCCESS = 0;

export class WASI extends RuntimeWASI {
  private memory: WebAssembly.Memory | undefined;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));

  constructor(options?: object) {
    super(options);
    // The runtime sets the instance's memory through a symbol of its own, on every path.
    const setMemory = Object.getOwnPropertySymbols(this).find((s) => s.description === 'kSetMemory');
    if (setMemory === undefined) throw new Error('@napi-rs/wasm-runtime: its WASI has no kSetMemory any more');
    const self = this as unknown as Record<symbol, (memory: WebAssembly.Memory) => void>;
    const original = self[setMemory];
    self[setMemory] = (memory) => {
      this.memory = memory;
      original.call(this, memory);
    };
    const imports = this.wasiImport;
    const clockTimeGet = imports.clock_time_get;
    const pollOneoff = imports.poll_oneoff;
    imports.clock_time_get = (id, precision, out) => {
      if (Number(id) !== CLOCK_MONOTONIC) return clockTimeGet(id, precision, out);
      this.view().setBigUint64(Number(out), process.hrtime.bigint(), true);
      return ESUCCESS;
    };
    imports.poll_oneoff = (input, output, subscriptions, events) => {
      const sleep = this.clockOnly(Number(input), Number(subscriptions));
      if (sleep === null) return pollOneoff(input, output, subscriptions, events);
      if (sleep.ms > 0) Atomics.wait(this.sleeper, 0, 0, sleep.ms);
      const view = this.view();
      const event = Number(output);
      view.setBigUint64(event, sleep.userdata, true);
      view.setUint16(event + 8, ESUCCESS, true);
      view.setUint8(event + 10, EVENT_CLOCK);
      view.setUint32(Number(events), 1, true);
      return ESUCCESS;
    };
  }

  private view(): DataView {
    return new DataView(this.memory!.buffer);
  }

  /** The soonest of `count` subscriptions at `input` when all are on the monotonic clock, else null. */
  private clockOnly(input: number, count: number): { ms: number; userdata: bigint } | null {
    if (count === 0) return null;
    const view = this.view();
    let soonest: { ms: number; userdata: bigint } | null = null;
    for (let i = 0; i < count; i++) {
      const at = input + i * SUBSCRIPTION_BYTES;
      if (view.getUint8(at + 8) !== EVENT_CLOCK || view.getUint32(at + 16, true) !== CLOCK_MONOTONIC) return null;
      const timeoutNs = view.getBigUint64(at + 24, true);
      const absolute = (view.getUint16(at + 40, true) & SUBCLOCK_ABSTIME) !== 0;
      const ns = absolute ? timeoutNs - process.hrtime.bigint() : timeoutNs;
      const ms = Number(ns) / 1e6;
      if (soonest === null || ms < soonest.ms) soonest = { ms, userdata: view.getBigUint64(at, true) };
    }
    return soonest;
  }
}
