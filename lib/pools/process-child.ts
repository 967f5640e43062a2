// The entry point of a ProcessPool's child processes. The child loads the backend that
// GIL_LAB_BACKEND names, with a lock of its own, and runs each task through the kernel's
// async form: the kernel computes on one of the child's own threads, so that the child's
// event loop stays free to hear an abort and pass it on (the kernel stops at its next tick,
// and the child takes the next task — it is not killed).

import { gil } from '../gil';
import type { KernelName } from '../kernels';
import { info } from '../loader';
import { kernels } from './default-pool';
import { serializeError } from './error-transport';
import { FAULT_FOR_TESTING, injectFault, injectStartupFault, meetFaultBeforeStart, type Fault } from './faults-for-testing';
import type { FromChild, LockSettings, RunMessage, ToChild } from './process-protocol';

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

async function run({ id, kernel, args, lock }: RunMessage): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  takeLockSettings(lock);
  const lockCounts = () => gil.stats().totals;
  try {
    const value =
      kernel === FAULT_FOR_TESTING
        ? await injectFault(args[0] as Fault, nativePanic())
        : await (kernels[kernel as KernelName] as (...a: unknown[]) => Promise<unknown>)(...args, {
            signal: controller.signal,
          });
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

/** The native binding's panic, where the native backend runs here. */
function nativePanic(): ((message: string) => Promise<unknown>) | undefined {
  const { backend, binary } = info();
  if (backend !== 'native') return undefined;
  const binding = require(binary!) as { __panicForTesting(pool: null, token: null, message: string): Promise<void> };
  return (message) => binding.__panicForTesting(null, null, message);
}

process.on('message', (message: ToChild) => {
  if (message.type === 'run') {
    if (message.kernel === FAULT_FOR_TESTING) meetFaultBeforeStart(message.args[0] as Fault);
    send({ type: 'started', id: message.id });
    void run(message);
  }
  else if (message.type === 'abort') running.get(message.id)?.abort();
});

// The parent closes the channel to shut the child down, or went away: either way, stop.
process.on('disconnect', () => process.exit(0));

injectStartupFault(process.argv);
send({ type: 'ready', backend: info().backend });
