// ClusterPool: the executor surface over BullMQ on Redis. Each task is a job; `gil-lab worker`
// hosts, on this machine or others, run the jobs on pools of their own.
//
// Invariants:
// - Every task is, at any time, in exactly one place: `waiting` (here, not yet handed to
//   Redis: the pool keeps at most `maxWorkers` jobs in the queue), `inFlight` (handed over,
//   or being handed over), or settled. Every way out settles it: the job's completion or
//   failure, an abort, a cancelling shutdown, Redis out of reach for `redisTimeout`, no live
//   host for `noHostTimeout`.
// - The pool holds every in-flight task's arguments until it settles, and Redis is a cache of
//   them: a job that Redis lost (a restart without persistence) is added again under the same
//   id, and one whose event was missed is read from its hash (`sweep`). Adding a job whose id
//   exists adds nothing, so that a repeated add is harmless. Delivery is at least once.
// - A task that settles other than by its job's outcome (abort, cancel, giving up) leaves the
//   job cancelled in Redis: removed if it waits, marked so that no host starts it, and
//   announced to every host, so that the one running it stops it at its next tick.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { whenAborted } from '../../abort';
import {
  AbortError,
  CancelledError,
  NoHostError,
  poolShutDownError,
  RedisUnavailableError,
  WorkerExitedError,
} from '../../errors';
import { gilSettings } from '../../gil/control';
import { integer, optionsObject, typeError } from '../../args';
import { checkBackendChoice, type BackendName } from '../../backend-names';
import type { KernelName } from '../../kernels';
import { deserializeError } from '../error-transport';
import { KernelExecutor } from '../executor';
import { checkWorkers, MAX_WORKERS, resolveShutdownOptions, type ShutdownOptions } from '../options';
import {
  bullmqConnection,
  createClient,
  describeConnectionError,
  resolveConnection,
  type ClusterConnection,
  type ResolvedConnection,
} from './connection';
import { bullmq } from './lazy';
import {
  CANCELLED_KEY_TTL_MS,
  checkQueueName,
  DEFAULT_QUEUE,
  LIVE_HOSTS_SCRIPT,
  pack,
  queueKeys,
  unpack,
  type HostInfo,
  type JobData,
  type Outcome,
  type QueueKeys,
} from './protocol';

export interface ClusterPoolOptions {
  /** The Redis server: a `redis://` or `rediss://` URL, or ioredis options. */
  connection: ClusterConnection;
  /** The BullMQ queue that the hosts serve (`gil-lab worker --queue`). Default `'gil-lab'`. */
  queue?: string;
  /** How many of this pool's tasks are in the queue at once; the rest wait here. Default 256. */
  maxWorkers?: number;
  /** The backend the hosts run this pool's jobs on: `'native'`, `'js'`, or `'auto'` (the default): each host's own `--backend`. */
  backend?: BackendName | 'auto';
  /** How long tasks wait for an unreachable Redis before they reject with a RedisUnavailableError, in ms. Default 10 000. */
  redisTimeout?: number;
  /** How long tasks wait while no worker host is alive before they reject with a NoHostError, in ms. Default 30 000. */
  noHostTimeout?: number;
}

interface Task {
  readonly jobId: string;
  readonly kernel: string;
  readonly data: JobData;
  settled: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const DEFAULT_REDIS_TIMEOUT_MS = 10_000;
const DEFAULT_NO_HOST_TIMEOUT_MS = 30_000;
/** How often, while tasks are pending, the pool checks for live hosts. */
const WATCH_MS = 500;
/** How often, while tasks are pending, it reads their jobs back from Redis (one missed event costs at most this). */
const SWEEP_MS = 5000;
/** Jobs per pipeline of a sweep. */
const SWEEP_BATCH = 500;
/** How long finished jobs stay in Redis: long enough for a sweep to read a result whose event was missed. */
const KEEP_COMPLETED_S = 60;
const KEEP_FAILED_S = 600;

/** A time in ms that a timer can hold. */
function milliseconds(name: string, value: unknown): number {
  return integer(name, value, 0, 2 ** 31 - 1);
}

export class ClusterPool extends KernelExecutor {
  /** The queue's name. */
  readonly queue: string;
  /** The Redis server, without credentials: `redis://127.0.0.1:6379`. */
  readonly server: string;
  private readonly connection: ResolvedConnection;
  private readonly keys: QueueKeys;
  private readonly redisTimeout: number;
  private readonly noHostTimeout: number;
  private readonly poolId = randomUUID();
  /** The backend the jobs ask for; null: each host's own. */
  private readonly askedBackend: BackendName | null;
  private lastTaskId = 0;
  private readonly commands: Redis;
  private readonly jobs: Queue;
  /** Made once Redis is first reached, from the end of the events stream then. */
  private events: QueueEvents | null = null;
  private readonly waiting: Task[] = [];
  private readonly inFlight = new Map<string, Task>();
  /** Since when Redis has been out of reach (or not yet reached), in performance.now() ms; null while it is. */
  private downSince: number | null = performance.now();
  private lastRedisError = 'not connected yet';
  /** Set once Redis has been out of reach for `redisTimeout`, until it is back: what submits reject with. */
  private unavailable: RedisUnavailableError | null = null;
  private redisTimer: NodeJS.Timeout | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private noHostSince: number | null = null;
  private lastSweep = 0;
  private sweeping = false;
  private opening: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  constructor(options: ClusterPoolOptions) {
    const o = optionsObject('options', options);
    if (o.connection === undefined)
      throw typeError('options.connection must be a redis:// URL or ioredis options; got undefined');
    const connection = resolveConnection('options.connection', o.connection);
    const queue = o.queue === undefined ? DEFAULT_QUEUE : checkQueueName('options.queue', o.queue);
    const maxWorkers = o.maxWorkers === undefined ? MAX_WORKERS : checkWorkers('options.maxWorkers', o.maxWorkers);
    const redisTimeout =
      o.redisTimeout === undefined ? DEFAULT_REDIS_TIMEOUT_MS : milliseconds('options.redisTimeout', o.redisTimeout);
    const noHostTimeout =
      o.noHostTimeout === undefined
        ? DEFAULT_NO_HOST_TIMEOUT_MS
        : milliseconds('options.noHostTimeout', o.noHostTimeout);
    const asked = checkBackendChoice('options.backend', o.backend, null);
    super({ maxWorkers, backend: asked ?? 'auto' });
    this.askedBackend = asked;
    this.connection = connection;
    this.server = connection.label;
    this.queue = queue;
    this.keys = queueKeys(queue);
    this.redisTimeout = redisTimeout;
    this.noHostTimeout = noHostTimeout;

    // Commands fail at once while Redis is out of reach rather than wait in ioredis's queue:
    // the pool keeps what it must send, and sends it again once Redis is back.
    this.commands = createClient(connection, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.commands.on('error', (error: unknown) => (this.lastRedisError = describeConnectionError(error)));
    this.commands.on('close', () => this.wentDown());
    this.commands.on('ready', () => this.cameUp());
    this.jobs = new (bullmq().Queue)(queue, { connection: this.commands });
    this.jobs.on('error', () => {}); // connection errors: the client's events above tell them
    this.startRedisTimer();
  }

  /** The worker hosts alive now (each says so every second), or a RedisUnavailableError. */
  async hosts(): Promise<HostInfo[]> {
    await this.reachable();
    const members = (await this.commands.eval(LIVE_HOSTS_SCRIPT, 1, this.keys.hosts)) as string[];
    return members.map((member) => JSON.parse(member) as HostInfo);
  }

  protected run(kernel: KernelName, args: unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    if (this.unavailable) return Promise.reject(this.unavailable);
    let data: JobData;
    try {
      data = { args: pack(args), lock: { mode: gilSettings.mode, switchInterval: gilSettings.switchInterval } };
      if (this.askedBackend) data.backend = this.askedBackend;
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const jobId = `${this.poolId}-${++this.lastTaskId}`;
      const task: Task = { jobId, kernel, data, settled: false, resolve, reject };
      if (signal) {
        const forget = whenAborted(signal, () => this.abort(task, new AbortError(signal.reason)));
        task.resolve = (value) => (forget(), resolve(value));
        task.reject = (error) => (forget(), reject(error));
      }
      this.waiting.push(task);
      this.pump();
      this.watch();
    });
  }

  async shutdown(options?: ShutdownOptions): Promise<void> {
    const { wait, cancelFutures } = resolveShutdownOptions(options);
    this.shutDown = true;
    if (cancelFutures) {
      for (const task of this.waiting.splice(0))
        this.fail(task, new CancelledError('the pool was shut down with cancelFutures'));
      this.giveUp([...this.inFlight.values()], () => new CancelledError('the pool was shut down with cancelFutures'));
    }
    const closed = this.closeWhenIdle();
    if (wait) await closed;
    else closed.catch(() => {});
  }

  /** Hands waiting tasks to Redis while fewer than `maxWorkers` are in flight. */
  private pump(): void {
    if (this.events === null || this.commands.status !== 'ready') {
      if (this.commands.status === 'ready' && this.waiting.length > 0) void this.open();
      return;
    }
    while (this.inFlight.size < this.maxWorkers && this.waiting.length > 0) {
      const task = this.waiting.shift()!;
      this.inFlight.set(task.jobId, task); // before the add: its completion may come first
      this.add(task);
    }
  }

  private add(task: Task): void {
    this.jobs
      .add(task.kernel, task.data, {
        jobId: task.jobId,
        attempts: 1,
        removeOnComplete: { age: KEEP_COMPLETED_S },
        removeOnFail: { age: KEEP_FAILED_S },
      })
      .catch(() => {
        // Redis went away meanwhile (else the add would not fail: the task was checked): the
        // sweep that follows its return adds the job again.
      });
  }

  /**
   * Listens for the queue's events from the end of its stream as it is now, so that no event
   * of a job added later is missed however long the listener takes to start.
   */
  private open(): Promise<void> {
    this.opening ??= (async () => {
      try {
        const eventsKey = this.jobs.keys.events;
        const [last] = (await this.commands.xrevrange(eventsKey, '+', '-', 'COUNT', 1)) as [string, string[]][];
        if (this.closing) return;
        const events = new (bullmq().QueueEvents)(this.queue, {
          connection: bullmqConnection(this.connection, { maxRetriesPerRequest: null }),
          lastEventId: last?.[0] ?? '0-0',
        });
        events.on('error', () => {});
        events.on('completed', ({ jobId, returnvalue }) => this.onCompleted(jobId, returnvalue as unknown as string));
        events.on('failed', ({ jobId, failedReason }) => this.onFailed(jobId, failedReason));
        this.events = events;
      } catch {
        this.opening = null; // Redis went away: the next 'ready' opens again
        return;
      }
      this.pump();
    })();
    return this.opening;
  }

  private onCompleted(jobId: string, returnValue: string): void {
    const task = this.inFlight.get(jobId);
    if (!task) return; // another pool's job, or one settled here already
    this.inFlight.delete(jobId);
    let outcome: Outcome;
    try {
      outcome = unpack(returnValue) as Outcome;
    } catch (error) {
      this.fail(task, new Error(`job ${jobId} (${task.kernel}) returned what this pool cannot read`, { cause: error }));
      return this.pump();
    }
    if ('error' in outcome) this.fail(task, deserializeError(outcome.error));
    else this.fulfil(task, outcome.value);
    this.pump();
  }

  private onFailed(jobId: string, reason: string): void {
    const task = this.inFlight.get(jobId);
    if (!task) return;
    this.inFlight.delete(jobId);
    if (/stalled more than allowable limit/.test(reason)) {
      const message =
        `job ${jobId} (${task.kernel}) was given up: the hosts that ran it stopped answering (killed, or cut off ` +
        `from Redis) more often than their --max-stalled allows`;
      this.fail(task, new WorkerExitedError(message, null, null));
    } else {
      this.fail(
        task,
        Object.assign(new Error(`job ${jobId} (${task.kernel}) failed on its host: ${reason}`), {
          code: 'ERR_GIL_LAB_JOB_FAILED',
        }),
      );
    }
    this.pump();
  }

  private abort(task: Task, error: Error): void {
    const queued = this.waiting.indexOf(task);
    if (queued >= 0) {
      this.waiting.splice(queued, 1);
      this.fail(task, error);
    } else if (this.inFlight.get(task.jobId) === task) {
      this.giveUp([task], () => error);
      this.pump();
    }
  }

  /** Settles in-flight tasks with an error now, and cancels their jobs in Redis (see the header). */
  private giveUp(tasks: Task[], error: () => Error): void {
    for (const task of tasks) {
      this.inFlight.delete(task.jobId);
      this.fail(task, error());
    }
    if (tasks.length === 0 || this.commands.status !== 'ready') return;
    const pipeline = this.commands.pipeline();
    for (const { jobId } of tasks) {
      pipeline.set(this.keys.cancelled(jobId), '1', 'PX', CANCELLED_KEY_TTL_MS);
      pipeline.publish(this.keys.cancelChannel, jobId);
    }
    const announced = pipeline.exec().catch(() => {});
    // A waiting job leaves the queue; a running one is locked by its host, which stops it.
    const removed = tasks.map(({ jobId }) => this.jobs.remove(jobId).catch(() => 0));
    const sent: Promise<void> = Promise.all([announced, ...removed]).then(() => void this.cancelling.delete(sent));
    this.cancelling.add(sent);
  }

  /** Cancellations still being sent, which a closing pool lets finish. */
  private readonly cancelling = new Set<Promise<void>>();

  /** Resolves once Redis is reached; rejects if it is not within `redisTimeout`. */
  private reachable(): Promise<void> {
    if (this.closing) return Promise.reject(poolShutDownError());
    if (this.commands.status === 'ready') return Promise.resolve();
    if (this.unavailable) return Promise.reject(this.unavailable);
    return new Promise((resolve, reject) => this.whenReachable.push({ resolve, reject }));
  }

  private whenReachable: { resolve: () => void; reject: (error: Error) => void }[] = [];

  private wentDown(): void {
    this.downSince ??= performance.now();
    this.startRedisTimer();
  }

  private cameUp(): void {
    this.downSince = null;
    this.unavailable = null;
    if (this.redisTimer) clearTimeout(this.redisTimer);
    this.redisTimer = null;
    this.noHostSince = null; // hosts need a moment to come back too
    for (const { resolve } of this.whenReachable.splice(0)) resolve();
    if (this.events === null) void this.open();
    else void this.sweep();
    this.pump();
  }

  private startRedisTimer(): void {
    if (this.redisTimer || this.closing) return;
    this.redisTimer = setTimeout(
      () => {
        this.redisTimer = null;
        if (this.downSince === null) return;
        this.unavailable = this.unavailableError();
        const error = this.unavailable;
        for (const { reject } of this.whenReachable.splice(0)) reject(error);
        for (const task of this.waiting.splice(0)) this.fail(task, error);
        this.giveUp([...this.inFlight.values()], () => error);
      },
      Math.max(0, this.redisTimeout - (performance.now() - (this.downSince ?? performance.now()))),
    );
    this.redisTimer.unref();
  }

  private unavailableError(): RedisUnavailableError {
    return new RedisUnavailableError(
      `cannot reach Redis at ${this.server} (queue "${this.queue}"): ${this.lastRedisError}` +
        (this.downSince === null ? '' : `; tried for ${Math.round(performance.now() - this.downSince)} ms`),
    );
  }

  /** While tasks are pending: checks that some host is alive, and sweeps now and then. */
  private watch(): void {
    if (this.watchTimer) return;
    this.watchTimer = setInterval(() => void this.check(), WATCH_MS);
    this.watchTimer.unref();
  }

  private async check(): Promise<void> {
    if (this.waiting.length === 0 && this.inFlight.size === 0) {
      clearInterval(this.watchTimer!);
      this.watchTimer = null;
      this.noHostSince = null;
      return;
    }
    if (this.commands.status !== 'ready') return; // the Redis timer is on it
    let live: number;
    try {
      live = ((await this.commands.eval(LIVE_HOSTS_SCRIPT, 1, this.keys.hosts)) as string[]).length;
    } catch {
      return;
    }
    const now = performance.now();
    if (live > 0) this.noHostSince = null;
    else if ((this.noHostSince ??= now) <= now - this.noHostTimeout) {
      const error = new NoHostError(
        `no worker host has served queue "${this.queue}" at ${this.server} for ${this.noHostTimeout} ms; ` +
          `start one with: gil-lab worker --redis ${this.server} --queue ${this.queue}`,
      );
      for (const task of this.waiting.splice(0)) this.fail(task, error);
      this.giveUp([...this.inFlight.values()], () => error);
      this.noHostSince = null;
    }
    if (now - this.lastSweep >= SWEEP_MS) void this.sweep();
  }

  /** Reads the in-flight jobs back from Redis: settles the finished ones whose event was missed, adds the lost ones again. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.events === null) return;
    this.sweeping = true;
    this.lastSweep = performance.now();
    try {
      const tasks = [...this.inFlight.values()];
      for (let i = 0; i < tasks.length; i += SWEEP_BATCH) {
        const batch = tasks.slice(i, i + SWEEP_BATCH);
        const pipeline = this.commands.pipeline();
        for (const { jobId } of batch)
          pipeline.hmget(this.keys.job(jobId), 'name', 'finishedOn', 'returnvalue', 'failedReason');
        const replies = (await pipeline.exec()) ?? [];
        batch.forEach((task, j) => {
          const [error, fields] = replies[j] ?? [new Error('no reply')];
          if (error || task.settled || this.inFlight.get(task.jobId) !== task) return;
          const [name, finishedOn, returnValue, failedReason] = fields as (string | null)[];
          if (name === null) this.add(task);
          else if (finishedOn !== null && returnValue !== null)
            this.onCompleted(task.jobId, JSON.parse(returnValue) as string);
          else if (finishedOn !== null && failedReason !== null) this.onFailed(task.jobId, failedReason);
        });
      }
    } catch {
      // Redis went away mid-sweep: its return sweeps again.
    } finally {
      this.sweeping = false;
    }
  }

  private fulfil(task: Task, value: unknown): void {
    if (task.settled) return;
    task.settled = true;
    task.resolve(value);
    this.closeIfDone();
  }

  private fail(task: Task, error: unknown): void {
    if (task.settled) return;
    task.settled = true;
    task.reject(error);
    this.closeIfDone();
  }

  private resolveIdle: (() => void) | null = null;

  private closeIfDone(): void {
    if (this.shutDown && this.waiting.length === 0 && this.inFlight.size === 0) this.resolveIdle?.();
  }

  /** Once shut down and every task has settled: closes the connections. */
  private closeWhenIdle(): Promise<void> {
    this.closing ??= (async () => {
      await new Promise<void>((resolve) => {
        this.resolveIdle = resolve;
        this.closeIfDone();
      });
      if (this.watchTimer) clearInterval(this.watchTimer);
      if (this.redisTimer) clearTimeout(this.redisTimer);
      for (const { reject } of this.whenReachable.splice(0)) reject(poolShutDownError());
      await Promise.all([...this.cancelling]);
      await this.opening;
      await this.events?.close().catch(() => {});
      await this.jobs.close().catch(() => {});
      this.commands.disconnect();
    })();
    return this.closing;
  }
}
