// gil-lab: CPU-bound kernels in Rust with a JavaScript twin, and a lab for the GIL. This file
// only names the public API; each part lives in its layer (see docs/architecture.md).

// The declarations use Node's types (NodeJS.Signals, AsyncDisposable): a TypeScript project
// that uses them needs @types/node, and this line makes tsc say so.
/// <reference types="node" preserve="true" />

export {
  AbortError,
  BrokenPoolError,
  CancelledError,
  NoHostError,
  RedisUnavailableError,
  TimeoutError,
  WasmTrapError,
  WorkerExitedError,
} from './errors';
export type { BackendName } from './backend-names';
export type {
  KernelArgs,
  KernelName,
  KernelResult,
  KernelSignatures,
  MandelbrotOptions,
  FannkuchResult,
  NbodyEnergies,
} from './kernels';
export { kernelNames } from './kernels';
export { gil } from './gil';
export type {
  Gil,
  GilBackendStats,
  GilCounts,
  GilEnableOptions,
  GilInterpreterStats,
  GilMode,
  GilStats,
  GilThreadStats,
  GilTraceEvent,
  ReleaseReason,
  TraceEventKind,
} from './gil';
export { info, type Info } from './loader';
export { kernels, kernelsFor, type Kernels } from './pools/default-pool';
export type { CallArgs, CallOptions, PoolOptions, ShutdownOptions } from './pools/options';
export type { MapItem } from './pools/executor';
export { ThreadPool, InterpreterPool } from './pools/thread-pool';
export type { InterpreterPoolOptions } from './pools/thread-pool';
export { ProcessPool } from './pools/process-pool';
export { EventLoopExecutor } from './pools/event-loop';
export { ClusterPool, type ClusterPoolOptions } from './pools/cluster/cluster-pool';
export type { ClusterConnection } from './pools/cluster/connection';
export type { HostInfo } from './pools/cluster/protocol';
export { compare } from './lab/compare';
export type * from './lab/types';
export { asCompleted, wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from './pools/futures';
export type { ReturnWhen, WaitOptions, WaitResult } from './pools/futures';
