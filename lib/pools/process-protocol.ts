// The messages between a ProcessPool and its children, over Node's IPC channel with
// `serialization: 'advanced'` (structured clone: typed arrays, Maps, BigInts cross as such).
//
// A child runs one task at a time. The parent sends `run`; the child says `started` as it
// takes it, then answers `result` or `error` with the same id — also for a task the parent has since given up on (an abort),
// which is how the parent knows the child is free again.

import type { GilCounts } from '../gil';
import type { GilMode } from '../gil/types';
import type { KernelName } from '../kernels';
import type { SerializedError } from './error-transport';

/** The parent's lock settings, which the child takes before each task: each child has a lock of its own. */
export interface LockSettings {
  mode: GilMode;
  switchInterval: number;
}

/** Sent once, when the child has loaded its backend and listens for tasks. */
export interface ReadyMessage {
  type: 'ready';
  backend: string;
}

export interface RunMessage {
  type: 'run';
  id: number;
  kernel: KernelName;
  /** Checked by the parent. */
  args: unknown[];
  lock: LockSettings;
}

export interface AbortMessage {
  type: 'abort';
  id: number;
}

/** Sent as the child takes a task, before it runs it: from here on, its death fails the task. */
export interface StartedMessage {
  type: 'started';
  id: number;
}

export interface ResultMessage {
  type: 'result';
  id: number;
  value: unknown;
  /** The child's lock counts over this task alone. */
  lockCounts: GilCounts;
}

export interface ErrorMessage {
  type: 'error';
  id: number;
  error: SerializedError;
  lockCounts: GilCounts;
}

export type ToChild = RunMessage | AbortMessage;
export type FromChild = ReadyMessage | StartedMessage | ResultMessage | ErrorMessage;
