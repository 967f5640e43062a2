// The entry point of a ProcessPool's child processes (PROCESS_CHILD_ENTRY). The child loads the backend that
// GIL_LAB_BACKEND names, with a lock of its own, and runs each task through the kernel's
// async form: the kernel computes on one of the child's own threads, so that the child's
// event loop stays free to hear an abort and pass it on (the kernel stops at its next tick,
// and the child takes the next task — it is not killed).

import { gil } from '../gil';
import type { KernelName } from '../kernels';
import { info } from '../loader';
import { kernels } from './default-pool';
import { serializeError } from './error-transport';
import type { FromChild, LockSettings, RunMessage, ToChild } from './process-protocol';

/** How the child computes one task, whose arguments the parent checked. */
export type Compute = (kernel: KernelName, args: unknown[], signal: AbortSignal) => Promise<unknown>;

/** The kernel's async form, on this process's backend. */
export const runKernel: Compute = (kernel, args, signal) =>
  (kernels[kernel] as (...a: unknown[]) => Promise<unknown>)(...args, { signal });

const running = new Map<number, AbortController>();

function send(message: FromChild): void {
  process.send?.(message);
}

/** Takes the parent's lock settings, and counts this task's use of the lock afresh (a child runs one task at a time). */
function takeLockSettings({ mode, switchInterval }: LockSettings): void {
  if (mode === 'off') gil.disable();
  else gil.enable({ mode, switchInterval });
  gil.resetStats();
}

async function run({ id, kernel, args, lock }: RunMessage, compute: Compute): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  takeLockSettings(lock);
  const lockCounts = () => gil.stats().totals;
  try {
    const value = await compute(kernel, args, controller.signal);
    try {
      send({ type: 'result', id, value, lockCounts: lockCounts() });
    } catch (error) {
      // A result that cannot cross (it holds a function, say) is the task's failure.
      send({ type: 'error', id, error: serializeError(error), lockCounts: lockCounts() });
    }
  } catch (error) {
    send({ type: 'error', id, error: serializeError(error), lockCounts: lockCounts() });
  } finally {
    running.delete(id);
  }
}

/** Serves the parent: runs each task it sends with `compute`, one at a time; says first that it is ready. */
export function listen(compute: Compute): void {
  process.on('message', (message: ToChild) => {
    if (message.type === 'run') {
      send({ type: 'started', id: message.id });
      void run(message, compute);
    } else if (message.type === 'abort') running.get(message.id)?.abort();
  });
  // The parent closes the channel to shut the child down, or went away: either way, stop.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', backend: info().backend });
}

// Run as the child's entry; a test's own entry requires this file and listens with a compute that wraps runKernel.
if (require.main === module) listen(runKernel);
