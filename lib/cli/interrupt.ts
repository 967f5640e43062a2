// SIGINT (Ctrl-C) and SIGTERM during a long command (compare, demo). The first aborts the run:
// its running tasks stop, its pools shut down (their children exit, their threads end), and
// the command exits with the shell's status for that signal, 130 or 143. A second ends the
// process at once, with the same status; its children exit as their IPC channels close.

import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The reason of a run aborted by a signal. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
  }

  /** The status of a process that a signal ended, as a shell gives it: 128 + its number. */
  get exitStatus(): number {
    return 128 + constants.signals[this.signal];
  }
}

/** Runs `work` with an AbortSignal that SIGINT and SIGTERM abort, listening for them until it ends. */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit((controller.signal.reason as Interrupted).exitStatus);
    controller.abort(new Interrupted(signal));
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  try {
    return await work(controller.signal);
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}
