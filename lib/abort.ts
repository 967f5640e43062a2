// Aborting tasks with an AbortSignal, for every pool and backend.

import { AbortError } from './errors';

/**
 * The stops of the tasks that wait on each signal. A signal gets one listener of ours, however
 * many tasks share it (a map's items, or every call a program makes with one signal): Node's
 * AbortSignal walks its listeners to add or remove one, so a listener per task would make n
 * tasks on one signal cost O(n²).
 */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `stop` when `signal` aborts, unless the returned function is called first (when the
 * task settles). `signal` must not be aborted yet.
 */
export function whenAborted(signal: AbortSignal, stop: () => void): () => void {
  let stops = waiting.get(signal);
  if (stops === undefined) {
    const created = new Set<() => void>();
    stops = created;
    waiting.set(signal, created);
    signal.addEventListener('abort', () => created.forEach((each) => each()), { once: true });
  }
  stops.add(stop);
  const own = stops;
  return () => own.delete(stop);
}

/** A running task as a backend hands it out: its result, and a way to stop it. */
export interface RunningTask<T> {
  readonly promise: Promise<T>;
  cancel(): void;
}

/**
 * Starts a task unless `signal` is already aborted, and rejects with an AbortError as soon as
 * the signal aborts, cancelling the task, which stops at its next tick.
 */
export function runAbortable<T>(signal: AbortSignal | undefined, start: () => RunningTask<T>): Promise<T> {
  if (signal === undefined) return start().promise;
  if (signal.aborted) return Promise.reject(new AbortError(signal.reason));
  const task = start();
  return new Promise<T>((resolve, reject) => {
    const forget = whenAborted(signal, () => {
      task.cancel();
      reject(new AbortError(signal.reason));
    });
    task.promise.then(
      (value) => {
        forget();
        resolve(value);
      },
      (error) => {
        forget();
        reject(signal.aborted ? new AbortError(signal.reason) : error);
      },
    );
  });
}
