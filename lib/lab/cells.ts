// compare()'s cells as the measurement core sees them: something to warm and to time once.
//
// - A batch (cpu, io, transfer): `tasks` tasks submitted at once to the cell's executor; one
//   run is the wall time until the last one settles. A warm-up is one task per worker, all at
//   once, each timed from its submission to its end.
// - The convoy (latency): one I/O task, timed alone or beside `workers` CPU-bound tasks that
//   run until it ends — on threads of this process (sharing its lock), or in child processes
//   (each with a lock of its own). A warm-up is one such run.

import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { BackendName } from '../backend-names';
import type { KernelName } from '../kernels';
import type { KernelExecutor } from '../pools/executor';
import { EventLoopExecutor, hasNonBlockingForm } from '../pools/event-loop';
import { InterpreterPool, ThreadPool } from '../pools/thread-pool';
import { openExecutor, submitTask } from './executors';
import type { Timeable } from './measure/core';
import type { ClusterTarget, Model } from './types';

/** How long the CPU tasks of a convoy run get to start before the I/O task is timed. */
const CPU_HEAD_START_MS = 30;
/**
 * A convoy's times vary by nature (each round trip waits for the lock a varying share of an
 * interval), and one run may take seconds: its warm-up only compiles the kernels and opens the
 * pipe, which one run does.
 */
const CONVOY_WARM_UPS = 1;
/**
 * A JS kernel's warm-ups before any two that agree count: in a fresh isolate a kernel's first
 * two or three full-size runs can take 1.3–2× the later ones' CPU time and agree with each
 * other (benchmark/warm-up.js, BENCHMARKS.md), so the fourth is the first that can settle it.
 */
const JS_MIN_WARM_UPS = 4;

/** A kernel and its arguments. */
export interface Task {
  kernel: KernelName;
  args: unknown[];
}

export interface OpenCell {
  timeable: Timeable;
  /** Every executor the cell opened, for the lock's counts and to close. */
  executors: KernelExecutor[];
  /** The children's median start-up, ms, where the cell runs in processes. */
  startupMs: number | null;
}

async function timedTask(executor: KernelExecutor, task: Task, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  await submitTask(executor, task.kernel, task.args, signal);
  return performance.now() - started;
}

/** `tasks` × `task` at once on `executor`. */
function batch(executor: KernelExecutor, task: Task, tasks: number): Timeable {
  // On the event loop a CPU-bound task holds the one thread: one task warms it; more would queue.
  const warmers = executor instanceof EventLoopExecutor && !hasNonBlockingForm(task.kernel) ? 1 : executor.maxWorkers;
  return {
    // A sleep has no loop for V8 to compile.
    minWarmUps: executor.backend === 'js' && task.kernel !== 'sleep' ? JS_MIN_WARM_UPS : undefined,
    cpuInThisProcess:
      executor instanceof ThreadPool || executor instanceof InterpreterPool || executor instanceof EventLoopExecutor,
    warm: (signal) => Promise.all(Array.from({ length: warmers }, () => timedTask(executor, task, signal))),
    time: async (signal) => {
      const started = performance.now();
      await Promise.all(Array.from({ length: tasks }, () => submitTask(executor, task.kernel, task.args, signal)));
      return performance.now() - started;
    },
  };
}

export async function openBatch(
  model: Model,
  backend: BackendName,
  workers: number,
  task: Task,
  tasks: number,
  cluster: ClusterTarget | null = null,
): Promise<OpenCell> {
  const { executor, startupMs } = await openExecutor(model, backend, workers, cluster);
  return { timeable: batch(executor, task, tasks), executors: [executor], startupMs };
}

/**
 * The convoy: `io` alone (`workers` 0), or beside `workers` runs of `cpu`, a task that runs
 * until stopped. Threads and interpreters: one pool of `workers + 1`, the I/O task on the one
 * the CPU tasks leave (in an interpreter of its own, for interpreters); processes: the CPU tasks
 * in children, the I/O task on a thread of this process.
 */
export async function openConvoy(
  model: Model,
  backend: BackendName,
  workers: number,
  io: Task,
  cpu: Task,
): Promise<OpenCell> {
  const executors: KernelExecutor[] = [];
  try {
    const cpuSide = workers === 0 ? null : await openExecutor(model, backend, workers + (model === 'threads' ? 1 : 0));
    if (cpuSide) executors.push(cpuSide.executor);
    const ioExecutor =
      model === 'threads' && cpuSide ? cpuSide.executor : (await openExecutor('threads', backend, 1)).executor;
    if (ioExecutor !== cpuSide?.executor) executors.push(ioExecutor);
    const time = async (signal: AbortSignal) => {
      const stopCpu = new AbortController();
      const onAbort = () => stopCpu.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      const cpuTasks = Array.from({ length: workers }, () =>
        submitTask(cpuSide!.executor, cpu.kernel, cpu.args, stopCpu.signal).catch(() => {}),
      );
      try {
        if (workers > 0) await delay(CPU_HEAD_START_MS, undefined, { signal });
        return await timedTask(ioExecutor, io, signal);
      } finally {
        stopCpu.abort();
        signal.removeEventListener('abort', onAbort);
        await Promise.all(cpuTasks);
      }
    };
    return {
      timeable: { warm: async (signal) => [await time(signal)], time, maxWarmUps: CONVOY_WARM_UPS },
      executors,
      startupMs: cpuSide?.startupMs ?? null,
    };
  } catch (error) {
    await Promise.all(executors.map((e) => e.shutdown({ cancelFutures: true })));
    throw error;
  }
}
