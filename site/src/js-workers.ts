// The JS backend in the page: gil-lab's JS kernels and lock (lib/kernels, lib/gil/js-lock.ts)
// on Web Workers (lab-worker.ts), each worker a thread of the lock it joined. `threads` share
// one lock in SharedArrayBuffers; `sequential` and each of the `isolated` workers ("processes")
// have a lock and a breaker board of their own, and share nothing. The page's thread only
// posts tasks and sets the lock's mode (stores and notifies, which never block).

import { cancelTask, createBreakerBoard, type BreakerBoard } from '../../lib/breaker';
import { createJsGilState, JsGil, type JsGilState } from '../../lib/gil/js-lock';
import { COUNTERS, type CounterName, type GilMode } from '../../lib/gil/types';
import { newTaskId, type PageBackend, type PoolSettings } from './backend';
import type { FromWorker, PageKernel, PoolName } from './protocol';

/** One worker, its lock and its board, with the tasks it was handed and not yet answered. */
class LabWorker {
  private readonly worker = new Worker(new URL('./lab-worker.js', import.meta.url), { type: 'module' });
  private readonly pending = new Map<number, { resolve: (ms: number | null) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor(
    lock: JsGilState,
    readonly board: BreakerBoard,
    name: string,
    threadId: number,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.worker.onerror = (event) => {
        const error = new Error(`worker ${name}: ${event.message}`);
        reject(error);
        for (const task of this.pending.values()) task.reject(error);
        this.pending.clear();
      };
      this.worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
        if (data.type === 'ready') return resolve();
        const task = this.pending.get(data.taskId)!;
        this.pending.delete(data.taskId);
        if (data.type === 'done') task.resolve(data.ms);
        else if (data.type === 'cancelled') task.resolve(null);
        else task.reject(new Error(`worker ${name}: ${data.message}`));
      };
    });
    this.worker.postMessage({ type: 'init', lock, board, name, threadId });
  }

  get idle(): boolean {
    return this.pending.size === 0;
  }

  /** Runs a task; resolves to its time in the worker, or null when it was cancelled. */
  run(kernel: PageKernel, size: number, taskId: number): Promise<number | null> {
    return new Promise((resolve, reject) => {
      this.pending.set(taskId, { resolve, reject });
      this.worker.postMessage({ type: 'run', taskId, kernel, size });
    });
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** A lock with its page-side view, which sets its mode and switch interval (no waiting). */
function newLock(board: BreakerBoard, settings: PoolSettings) {
  const state = createJsGilState();
  const view = new JsGil(state, board.bits);
  view.mode = settings.mode;
  view.switchIntervalUs = Math.max(1, Math.round(settings.intervalMs * 1000));
  return { state, view };
}

/** The workers of one run. */
class Pools {
  readonly shared: JsGil;
  readonly byName: Record<PoolName, LabWorker[]>;

  constructor(settings: PoolSettings) {
    let threadIds = 1;
    const board = createBreakerBoard();
    const shared = newLock(board, settings);
    this.shared = shared.view;
    const alone = (name: string, threadId: number) => {
      const own = createBreakerBoard();
      return new LabWorker(newLock(own, settings).state, own, name, threadId);
    };
    this.byName = {
      sequential: [alone('sequential', threadIds++)],
      threads: Array.from(
        { length: settings.workers },
        (_, i) => new LabWorker(shared.state, board, `thread-${i + 1}`, threadIds++),
      ),
      isolated: Array.from({ length: settings.workers }, (_, i) => alone(`process-${i + 1}`, 1)),
    };
  }

  all(): LabWorker[] {
    return Object.values(this.byName).flat();
  }
}

export class JsWorkersBackend implements PageBackend {
  readonly name = 'js-workers';
  readonly isolatedModel = 'processes';
  private pools: Pools | null = null;
  /** The worker of each running task, to cancel it on its board. */
  private readonly running = new Map<number, LabWorker>();

  async open(settings: PoolSettings): Promise<void> {
    this.pools = new Pools(settings);
    await Promise.all(this.pools.all().map((w) => w.ready));
  }

  async run(pool: PoolName, kernel: PageKernel, size: number, taskId = newTaskId()): Promise<number | null> {
    const worker = this.pools!.byName[pool].find((w) => w.idle);
    if (!worker) throw new Error(`every worker of the ${pool} pool is busy`);
    this.running.set(taskId, worker);
    try {
      return await worker.run(kernel, size, taskId);
    } finally {
      this.running.delete(taskId);
    }
  }

  cancel(taskId: number): void {
    const worker = this.running.get(taskId);
    if (worker) cancelTask(worker.board, taskId);
  }

  setMode(mode: GilMode): void {
    this.pools!.shared.mode = mode;
  }

  resetStats(): void {
    this.pools!.shared.resetStats();
  }

  stats(): Promise<Record<CounterName, number>> {
    const threads = this.pools!.shared.stats();
    return Promise.resolve(
      Object.fromEntries(COUNTERS.map((name) => [name, threads.reduce((total, t) => total + t[name], 0)])) as Record<
        CounterName,
        number
      >,
    );
  }

  trace() {
    const gil = this.pools!.shared;
    const events = gil.trace(4096).map(({ slot, event, timeNs }) => ({ thread: slot, event, timeNs }));
    return Promise.resolve({ nowNs: gil.nowNs(), events });
  }

  close(): Promise<void> {
    for (const worker of this.pools?.all() ?? []) worker.terminate();
    this.pools = null;
    return Promise.resolve();
  }
}
