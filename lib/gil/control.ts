// What `gil` needs of each backend's lock, and the settings it keeps for both: a backend
// loaded after `gil.enable()` adopts them as it is made.

import { isMainThread, threadId } from 'node:worker_threads';
import type { CounterName, GilMode, ReleaseReason, TraceEventKind } from './js-lock';

export type { GilMode, ReleaseReason, TraceEventKind } from './js-lock';
export { COUNTERS, type CounterName } from './js-lock';

/** One thread's counts since the last reset; times in nanoseconds. */
export interface RawThreadStats extends Record<CounterName, number> {
  /** The interpreter whose lock the thread is bound to: 0 for the main one. */
  readonly interpreter: number;
  readonly thread: string;
  readonly retired: boolean;
}

/** One interpreter's lock: the times its holder changed since the last reset. */
export interface RawSwitches {
  readonly interpreter: number;
  readonly switches: number;
}

/** One event of a lock's trace; `timeNs` counts from `CLOCK_ORIGIN`. */
export interface RawTraceEvent {
  readonly interpreter: number;
  readonly thread: string;
  readonly event: TraceEventKind;
  readonly reason?: ReleaseReason;
  readonly timeNs: number;
}

/**
 * A backend's locks: the main interpreter's (0), and one per interpreter of its interpreter
 * pools. Each call covers them all: a setting applies to every one.
 */
export interface GilControl {
  setMode(mode: GilMode): void;
  /** Seconds, already checked. */
  setSwitchInterval(seconds: number): void;
  stats(): { threads: RawThreadStats[]; interpreters: RawSwitches[] };
  resetStats(): void;
  /** The newest `limit` events of all the locks, oldest first. */
  trace(limit: number): RawTraceEvent[];
}

/** The origin of the traces' times: `process.hrtime.bigint()` when gil-lab was loaded. */
export const CLOCK_ORIGIN = process.hrtime.bigint();

/** `process.hrtime.bigint()`'s reading `hr`, in nanoseconds since CLOCK_ORIGIN. */
export function sinceOrigin(hr: bigint): number {
  return Number(hr - CLOCK_ORIGIN);
}

/** What `gil.enable()`, `disable()` and `setSwitchInterval()` last set. */
export const gilSettings: { mode: GilMode; switchInterval: number } = { mode: 'off', switchInterval: 0.005 };

/** Brings a newly made backend's lock in line with `gilSettings`. */
export function adoptGilSettings(control: GilControl): void {
  control.setSwitchInterval(gilSettings.switchInterval);
  control.setMode(gilSettings.mode);
}

/** How both locks name the calling thread's sync calls in their stats. */
export function syncCallerName(): string {
  return isMainThread ? 'main' : `thread-${threadId}`;
}
