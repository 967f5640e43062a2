// ProcessPool: child Node processes, each loading the same backend and so holding a lock of
// its own, as each CPython process holds its own GIL. Arguments and results cross by IPC
// with `serialization: 'advanced'`, so typed arrays arrive as typed arrays — copied, which is
// the price of the independence, and what the `transfer` workload of compare() measures.
//
// Invariants:
// - A child runs at most one task; `child.task` is that task from the `run` message until the
//   child answers for it, even once the task has settled (aborted, cancelled): a child is free
//   only when it says so, or dead.
// - A child says `started` as it takes a task, before it runs it. The death of a child fails
//   its task (WorkerExitedError) only once it has said so: a task handed to a child that died
//   before it took it (killed while idle, before the pool saw it die; a send that failed) goes
//   back to the front of the queue — up to MAX_HANDOFFS children in turn, then it fails.
// - Every task is, at any time, in exactly one place: `queue`, some `child.task`, or settled.
//   Every way out of those settles it: an answer, an abort, a cancelling shutdown, the death
//   of the child that started it, MAX_HANDOFFS deaths of children that had not, a broken pool.
// - A child that dies is replaced while the pool is open, so the pool goes on — unless it died
//   before it was ready, MAX_FAILED_STARTS times in a row (no child ready in between): then
//   the pool is broken (`broken`), as Python's BrokenProcessPool. It rejects its queued tasks
//   and every later one with a BrokenPoolError, starts no child, and closes its children once
//   their running tasks are done. A failed start below that limit is retried while the tasks
//   wait: the cause may pass (a fork that failed for want of memory, a child killed by hand).
// - Idle children are unref'd: a program that forgets `shutdown` can still exit.

import { fork, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { whenAborted } from '../abort';
import {
  AbortError,
  BrokenPoolError,
  CancelledError,
  describeExit,
  diedBeforeStartError,
  MAX_HANDOFFS,
  WorkerExitedError,
} from '../errors';
import { sum as sumGilCounts, type GilCounts } from '../gil';
import { gilSettings } from '../gil/control';
import type { KernelName } from '../kernels';
import { deserializeError } from './error-transport';
import { KernelExecutor } from './executor';
import { PROCESS_CHILD_ENTRY } from '../entries';
import { poolShutDownError } from '../errors';
import { resolveShutdownOptions, type PoolOptions, type ShutdownOptions } from './options';
import type { FromChild, RunMessage, ToChild } from './process-protocol';

/** How long a child may take to stop an aborted or cancelled task before it is killed and replaced. */
const ABORT_GRACE_MS = 1000;
/** How long a child may take to start (load Node and its backend) before it is killed. */
const STARTUP_TIMEOUT_MS = 30_000;
/** How long a child may take to exit once shut down before it is killed. */
const EXIT_GRACE_MS = 2000;
/** How much of a child's stderr is kept, to say why it died. */
const STDERR_TAIL_CHARS = 2000;
/** How long to wait, after a child exits, for the rest of its stderr. */
const STDERR_DRAIN_MS = 100;
/** How long to wait, after a child exits, for its IPC channel to close: it closes with the child, so only a guard. */
const CHANNEL_DRAIN_MS = 2000;
/** Children in a row that may die before they are ready before the pool gives up (is broken). */
export const MAX_FAILED_STARTS = 3;

interface Task {
  readonly id: number;
  readonly kernel: KernelName;
  readonly args: unknown[];
  settled: boolean;
  /** Children it was handed to that died before they started it. */
  handoffs: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Child {
  readonly process: ChildProcess;
  readonly spawnedAt: number;
  ready: boolean;
  /** Spawn to ready, in ms, once ready. */
  readyMs: number | null;
  /** Settles when the child is ready, or dies before. */
  readonly whenReady: Promise<void>;
  markReady(error?: Error): void;
  task: Task | null;
  /** Whether the child has said that it started `task`. */
  taskStarted: boolean;
  stderrTail: string;
  /** Kills the child if it does not free itself in time (an abort), or exit (a shutdown). */
  deadline: NodeJS.Timeout | null;
  closing: boolean;
}

export class ProcessPool extends KernelExecutor {
  private readonly queue: Task[] = [];
  private readonly children = new Set<Child>();
  private lastTaskId = 0;
  private childLockCounts: GilCounts = sumGilCounts([]);
  /** Children that died before they were ready since one last was. */
  private failedStarts = 0;
  /** Set once the pool is broken: what every task is then refused with. */
  private broken: BrokenPoolError | null = null;
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;

  constructor(options?: PoolOptions) {
    super(options);
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  /** The process ids of the live children. */
  get pids(): number[] {
    return [...this.children].flatMap((child) => (child.process.pid === undefined ? [] : [child.process.pid]));
  }

  /**
   * Starts every child now rather than on first need, and resolves once all listen for tasks,
   * with each one's start-up time in ms (spawn to ready: Node's start, loading the backend).
   */
  async start(): Promise<{ startupMs: number[] }> {
    if (this.shutDown) throw poolShutDownError();
    if (this.broken) throw this.broken;
    const started = [...this.children];
    while (this.children.size < this.maxWorkers) started.push(this.spawn());
    await Promise.all(started.map((child) => child.whenReady));
    return { startupMs: started.map((child) => child.readyMs!) };
  }

  /**
   * The children's lock counts, added up over the tasks they answered since the pool was made
   * or `resetGilStats()`. Each child has a lock of its own, which takes the parent's `gil`
   * settings with each task: a contended take here is contention inside one child.
   */
  gilStats(): GilCounts {
    return { ...this.childLockCounts };
  }

  resetGilStats(): void {
    this.childLockCounts = sumGilCounts([]);
  }

  protected run(kernel: KernelName, args: unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    return this.enqueue(kernel, args, signal);
  }

  async shutdown(options?: ShutdownOptions): Promise<void> {
    const { wait, cancelFutures } = resolveShutdownOptions(options);
    this.shutDown = true;
    if (cancelFutures) {
      for (const task of this.queue.splice(0))
        fail(task, new CancelledError('the pool was shut down with cancelFutures'));
      for (const child of this.children) {
        if (child.task && !child.task.settled)
          this.stopRunning(child, new CancelledError('the pool was shut down with cancelFutures'));
      }
    }
    this.closeIdleChildren();
    if (wait) await this.finished;
  }

  private enqueue(kernel: KernelName, args: unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    return new Promise((resolve, reject) => {
      const task: Task = { id: ++this.lastTaskId, kernel, args, settled: false, handoffs: 0, resolve, reject };
      if (signal) {
        const forget = whenAborted(signal, () => this.abort(task, new AbortError(signal.reason)));
        task.resolve = (value) => (forget(), resolve(value));
        task.reject = (error) => (forget(), reject(error));
      }
      this.queue.push(task);
      this.pump();
    });
  }

  private abort(task: Task, error: Error): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      fail(task, error);
      return;
    }
    const child = [...this.children].find((c) => c.task === task);
    if (child) this.stopRunning(child, error);
  }

  /** Settles the child's running task with `error` now; the child stops it at its next tick, or is killed. */
  private stopRunning(child: Child, error: Error): void {
    const task = child.task!;
    fail(task, error);
    send(child, { type: 'abort', id: task.id });
    child.deadline ??= setTimeout(() => child.process.kill('SIGKILL'), ABORT_GRACE_MS);
  }

  /** Hands queued tasks to free children, and starts children for those still waiting. */
  private pump(): void {
    for (const child of this.children) {
      if (this.queue.length === 0) break;
      if (child.ready && child.task === null && !child.closing && child.process.connected)
        this.dispatch(child, this.queue.shift()!);
    }
    const starting = [...this.children].filter((c) => !c.ready).length;
    for (let waiting = this.queue.length - starting; waiting > 0 && this.children.size < this.maxWorkers; waiting--) {
      this.spawn();
    }
    if (this.shutDown || this.broken) this.closeIdleChildren();
  }

  private dispatch(child: Child, task: Task): void {
    child.task = task;
    child.taskStarted = false;
    setRef(child, true);
    const lock = { mode: gilSettings.mode, switchInterval: gilSettings.switchInterval };
    const message: RunMessage = { type: 'run', id: task.id, kernel: task.kernel, args: task.args, lock };
    try {
      // A send that fails leaves a channel that no later one could use: the child is ended,
      // and its exit hands the task, which it never had, back to the queue.
      child.process.send(message, (error) => error && child.process.kill('SIGKILL'));
    } catch (error) {
      // The arguments could not be serialized: the task fails, the child stays free.
      child.task = null;
      fail(task, error);
      this.becameFree(child);
    }
  }

  private spawn(): Child {
    const process_ = fork(PROCESS_CHILD_ENTRY, [], {
      serialization: 'advanced',
      env: { ...process.env, GIL_LAB_BACKEND: this.backend },
      execArgv: childExecArgv(process.execArgv),
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let markReady!: (error?: Error) => void;
    const whenReady = new Promise<void>((resolve, reject) => {
      markReady = (error) => (error ? reject(error) : resolve());
    });
    whenReady.catch(() => {}); // only start() awaits it
    const child: Child = {
      process: process_,
      spawnedAt: performance.now(),
      ready: false,
      readyMs: null,
      whenReady,
      markReady,
      task: null,
      taskStarted: false,
      stderrTail: '',
      deadline: null,
      closing: false,
    };
    this.children.add(child);
    child.deadline = setTimeout(() => process_.kill('SIGKILL'), STARTUP_TIMEOUT_MS);
    process_.stderr!.setEncoding('utf8');
    process_.stderr!.on('data', (text: string) => {
      child.stderrTail = (child.stderrTail + text).slice(-STDERR_TAIL_CHARS);
    });
    process_.on('message', (message: FromChild) => this.onMessage(child, message));
    process_.on('exit', (code, signal) => {
      // Its last messages (a `started`, say) and the last of its stderr may still be in their
      // pipes: read them first, to know what it had started and to say why it died. Its IPC
      // channel ends with it; its stderr may be held open by a process it started: a short wait.
      const stderr = process_.stderr!;
      void Promise.all([
        eventOrTimeout(!process_.connected, process_, 'disconnect', CHANNEL_DRAIN_MS),
        eventOrTimeout(stderr.closed, stderr, 'close', STDERR_DRAIN_MS),
      ]).then(() => this.onExit(child, code, signal));
    });
    process_.on('error', () => {
      // A failed kill or send; the 'close' that follows says what became of the child.
    });
    return child;
  }

  private onMessage(child: Child, message: FromChild): void {
    if (message.type === 'ready') {
      child.ready = true;
      this.failedStarts = 0;
      child.readyMs = performance.now() - child.spawnedAt;
      child.markReady();
      this.becameFree(child);
      return;
    }
    if (message.type === 'started') {
      if (child.task?.id === message.id) child.taskStarted = true;
      return;
    }
    this.childLockCounts = sumGilCounts([this.childLockCounts, message.lockCounts]);
    const task = child.task;
    if (task === null || task.id !== message.id) return;
    child.task = null;
    if (message.type === 'result') fulfil(task, message.value);
    else fail(task, deserializeError(message.error));
    this.becameFree(child);
  }

  private becameFree(child: Child): void {
    if (child.deadline && !child.closing) {
      clearTimeout(child.deadline);
      child.deadline = null;
    }
    setRef(child, false);
    this.pump();
  }

  private onExit(child: Child, exitCode: number | null, signal: NodeJS.Signals | null): void {
    this.children.delete(child);
    if (child.deadline) clearTimeout(child.deadline);
    const how = describeExit(exitCode, signal);
    const stderr = child.stderrTail.trim() ? `; its stderr ended with:\n${child.stderrTail.trim()}` : '';
    const pid = child.process.pid;
    const task = child.task;
    if (task && !task.settled && child.taskStarted) {
      fail(
        task,
        new WorkerExitedError(
          `the child process (pid ${pid}) running ${task.kernel} ${how}${stderr}`,
          exitCode,
          signal,
        ),
      );
    } else if (task && !task.settled) {
      if (this.broken) fail(task, this.broken);
      else if (++task.handoffs >= MAX_HANDOFFS)
        fail(
          task,
          diedBeforeStartError(task.kernel, 'child processes', `(pid ${pid}) ${how}${stderr}`, exitCode, signal),
        );
      else this.queue.unshift(task);
    }
    if (!child.ready && !child.closing) {
      const error = new WorkerExitedError(
        `a child process (pid ${pid}) ${how} before it was ready${stderr}`,
        exitCode,
        signal,
      );
      child.markReady(error);
      if (++this.failedStarts >= MAX_FAILED_STARTS) this.breakDown(error);
      // Else the queued tasks wait, and pump() starts another child for them.
    } else if (!this.shutDown && !this.broken) {
      this.spawn(); // a replacement, so that the pool goes on at full strength
    }
    this.pump();
    if (this.shutDown && this.children.size === 0) this.resolveFinished();
  }

  /** Gives up: see the header. `lastDeath` is the last child's death before it was ready. */
  private breakDown(lastDeath: WorkerExitedError): void {
    if (this.broken) return;
    this.broken = new BrokenPoolError(
      `the pool is broken: ${MAX_FAILED_STARTS} child processes in a row died before they were ready; the last: ${lastDeath.message}`,
      lastDeath,
    );
    for (const task of this.queue.splice(0)) fail(task, this.broken);
  }

  /** Once shut down or broken, and with nothing left to run: close every free child's channel, so that it exits. */
  private closeIdleChildren(): void {
    if (this.queue.length > 0) return;
    for (const child of this.children) {
      if (child.task !== null || child.closing) continue;
      child.closing = true;
      setRef(child, true); // a shutdown that is awaited resolves only once the child has exited
      if (child.process.connected) child.process.disconnect();
      if (child.deadline) clearTimeout(child.deadline);
      child.deadline = setTimeout(() => child.process.kill('SIGKILL'), EXIT_GRACE_MS);
      child.deadline.unref();
    }
    if (this.children.size === 0) this.resolveFinished();
  }
}

function fulfil(task: Task, value: unknown): void {
  if (task.settled) return;
  task.settled = true;
  task.resolve(value);
}

function fail(task: Task, error: unknown): void {
  if (task.settled) return;
  task.settled = true;
  task.reject(error);
}

function send(child: Child, message: ToChild): void {
  if (child.process.connected) child.process.send(message);
}

/**
 * The parent's Node options that a child should share (`--max-old-space-size`, `-r`, ...):
 * not the code of `node -e`/`-p`, which would run instead of the child's entry, nor an
 * inspector's port, which the parent holds.
 */
function childExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    if (['-e', '--eval', '-p', '--print', '-pe'].includes(arg)) i++;
    else if (!/^--(eval|print|inspect|debug)/.test(arg)) kept.push(arg);
  }
  return kept;
}

/** Resolves when `emitter` emits `event`, or after `ms`, whichever comes first; at once if `already`. */
function eventOrTimeout(already: boolean, emitter: EventEmitter, event: string, ms: number): Promise<void> {
  if (already) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      emitter.off(event, finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    emitter.once(event, finish);
  });
}

/** A busy or starting child keeps the program alive; an idle one does not. */
function setRef(child: Child, on: boolean): void {
  const handles = [child.process, child.process.channel, child.process.stderr] as (
    { ref(): void; unref(): void } | null | undefined
  )[];
  for (const handle of handles) {
    if (on) handle?.ref();
    else handle?.unref();
  }
}
