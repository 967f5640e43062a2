// The settings `gil` keeps for both locks, and the locks made so far: a backend made after
// `gil.enable()` adopts the settings in force as it registers its lock.

import { isMainThread, threadId } from 'node:worker_threads';
import type { BackendName } from '../backend-names';
import type { GilControl, GilMode } from './types';

/** The origin of the traces' times: `process.hrtime.bigint()` when gil-lab was loaded. */
export const CLOCK_ORIGIN = process.hrtime.bigint();

/** `process.hrtime.bigint()`'s reading `hr`, in nanoseconds since CLOCK_ORIGIN. */
export function sinceOrigin(hr: bigint): number {
  return Number(hr - CLOCK_ORIGIN);
}

/** What `gil.enable()`, `disable()` and `setSwitchInterval()` last set. */
export const gilSettings: { mode: GilMode; switchInterval: number } = { mode: 'off', switchInterval: 0.005 };

export interface MadeLock {
  readonly backend: BackendName;
  readonly control: GilControl;
}

const madeLocks: MadeLock[] = [];

/** Registers a newly made backend's lock, brought in line with `gilSettings`. */
export function adoptGilSettings(backend: BackendName, control: GilControl): void {
  control.setSwitchInterval(gilSettings.switchInterval);
  control.setMode(gilSettings.mode);
  madeLocks.push({ backend, control });
}

/** The locks of the backends made so far in this process, in the order they were made. */
export function locksMade(): readonly MadeLock[] {
  return madeLocks;
}

/** How both locks name the calling thread's sync calls in their stats. */
export function syncCallerName(): string {
  return isMainThread ? 'main' : `thread-${threadId}`;
}
