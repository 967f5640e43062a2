// gil-lab: CPU-bound kernels in Rust with a JavaScript twin, and a lab for the GIL. This file
// only names the public API; each part lives in its layer (see docs/architecture.md).

export { AbortError, BrokenPoolError, CancelledError, TimeoutError, WorkerExitedError } from './errors';
export type { BackendName } from './backend-names';
export type { KernelArgs, KernelName, KernelResult, KernelSignatures, MandelbrotOptions, FannkuchResult, NbodyEnergies } from './kernels';
export { kernelNames } from './kernels';
export { gil } from './gil';
export type { Gil, GilBackendStats, GilCounts, GilEnableOptions, GilMode, GilStats, GilThreadStats, GilTraceEvent } from './gil';
export { info, type Info } from './loader';
export { kernels, kernelsFor, type Kernels } from './pools/default-pool';
export type { CallOptions, PoolOptions, ShutdownOptions } from './pools/options';
export type { MapItem } from './pools/executor';
export { ThreadPool } from './pools/thread-pool';
export { ProcessPool } from './pools/process-pool';
export { EventLoopExecutor } from './pools/event-loop';
export { compare } from './lab/compare';
export type * from './lab/types';
export { asCompleted, wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED } from './pools/futures';
export type { ReturnWhen, WaitOptions, WaitResult } from './pools/futures';
