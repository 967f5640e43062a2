// What the page uses of napi-rs's wasm runtime, which ships no types: its WASI (see
// wasi-runtime.ts). Its other exports pass through untouched.

declare module '@napi-rs/wasm-runtime' {
  /** A WASI preview1 call: numbers and pointers in, an errno out. */
  type WasiCall = (...args: (number | bigint)[]) => number;

  export class WASI {
    constructor(options?: object);
    /** The calls the wasm imports, by name; replacing one before instantiation replaces it for the wasm. */
    readonly wasiImport: Record<string, WasiCall>;
  }
}
