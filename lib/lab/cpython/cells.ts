// CPython's cells of a lab run: the same workloads as gil-lab's, run by the driver in a real
// interpreter — sequential, threading, ProcessPoolExecutor, asyncio — each an executor opened
// once in the driver and timed there, around the work only (the pipe's round trip is not in
// it). A cell can be warmed (the real task once on each worker at once, each task's time back)
// and timed, as gil-lab's cells are.

import type { Model, PythonInfo } from '../types';
import { PythonDriver } from './driver';

/** What one run of a CPython cell does: the workload's tasks, in the driver's terms. */
export type CPythonTask =
  | { workload: 'cpu'; tasks: number; n: number }
  | { workload: 'io'; tasks: number; seconds: number }
  /** Pipe round trips on the driver's thread, beside one CPU-bound spinner per worker. */
  | { workload: 'latency'; round_trips: number; head_start: number };

export interface CPythonCell {
  model: Model;
  workers: number;
  /** How long the executor took to open, its workers started, in ms. */
  startupMs: number;
  /** The real task once on each worker at once: each task's time in ms (cpu), or the run's. */
  warm(signal?: AbortSignal): Promise<number[]>;
  /** One timed run: its wall time in ms, as the interpreter measured it. */
  time(signal?: AbortSignal): Promise<number>;
  close(): Promise<void>;
}

/** A generous bound on what no healthy run takes: past it, the interpreter is taken as hung. */
function deadlineMs(expectedMs: number): number {
  return Math.max(60_000, 20 * expectedMs);
}

/** One interpreter for a lab run, with its driver. */
export class CPythonRuntime {
  private constructor(private readonly driver: PythonDriver) {}

  /** Starts `python`; a PythonError names it when it is missing, not executable, too old or broken. */
  static async start(python: string, signal?: AbortSignal): Promise<CPythonRuntime> {
    return new CPythonRuntime(await PythonDriver.start(python, { signal }));
  }

  get info(): PythonInfo {
    return this.driver.info;
  }

  /** A countdown size that takes about `ms` in this interpreter, alone. */
  async calibrateCountdown(ms: number, signal?: AbortSignal): Promise<number> {
    const reply = await this.driver.request<{ n: number }>('calibrate', { ms }, deadlineMs(20 * ms), signal);
    return reply.n;
  }

  /** One countdown of `n` on the driver's thread, alone: its time in ms. `expectedMs` tells a hang from a slow run. */
  async timeCountdown(n: number, expectedMs: number, signal?: AbortSignal): Promise<number> {
    const reply = await this.driver.request<{ ms: number }>('countdown', { n }, deadlineMs(expectedMs), signal);
    return reply.ms;
  }

  /** `sys.setswitchinterval(seconds)`; resolves to what the interpreter then reads. */
  async setSwitchInterval(seconds: number, signal?: AbortSignal): Promise<number> {
    const reply = await this.driver.request<{ switch_interval: number }>(
      'set_switch_interval',
      { seconds },
      deadlineMs(0),
      signal,
    );
    return reply.switch_interval;
  }

  /**
   * Opens an executor of `model` with `workers` workers, for runs of `task`. `expectedMs` is
   * about what one run should take, to tell a hang from a slow run.
   */
  async open(
    model: Model,
    workers: number,
    task: CPythonTask,
    expectedMs: number,
    signal?: AbortSignal,
  ): Promise<CPythonCell> {
    const { driver } = this;
    const opened = await driver.request<{ executor: number; startup_ms: number }>(
      'open',
      { model, workers },
      deadlineMs(0),
      signal,
    );
    const request = { executor: opened.executor, ...task };
    const limit = deadlineMs(expectedMs);
    return {
      model,
      workers,
      startupMs: opened.startup_ms,
      warm: async (s) => (await driver.request<{ times: number[] }>('warm', request, limit, s)).times,
      time: async (s) => (await driver.request<{ ms: number }>('run', request, limit, s)).ms,
      close: async () => {
        await driver.request('close', { executor: opened.executor }, deadlineMs(expectedMs), undefined);
      },
    };
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
