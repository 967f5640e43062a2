// A worker host of a ClusterPool's queue (`gil-lab worker`): a BullMQ Worker that runs each
// job on a pool of this machine — threads, or child processes with `isolate: 'processes'` —
// under a lock of its own, which takes the submitter's settings with each job. A job may ask
// for a backend (a ClusterPool made with `backend`); the host opens a pool of it on first need.
//
// Cancellation reaches the host that runs a job in two ways, because BullMQ's `cancelJob`
// works only in the process that holds the job: every host listens on the queue's cancel
// channel (a job it runs stops at its next tick), and checks a job's cancelled key before it
// starts it (a job cancelled while it was being handed to this host never starts). On a stop,
// running jobs get `grace` ms to finish; then they go back to the queue, for another host.

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BackendName } from '../../backend-names';
import { RedisUnavailableError } from '../../errors';
import { gil } from '../../gil';
import { gilSettings } from '../../gil/control';
import type { KernelName } from '../../kernels';
import { serializeError } from '../error-transport';
import type { KernelExecutor } from '../executor';
import { ProcessPool } from '../process-pool';
import type { LockSettings } from '../process-protocol';
import { ThreadPool } from '../thread-pool';
import {
  bullmqConnection,
  createClient,
  describeConnectionError,
  reconnectDelay,
  resolveConnection,
  type ClusterConnection,
} from './connection';
import { bullmq } from './lazy';
import {
  checkQueueName,
  HEARTBEAT_MS,
  HEARTBEAT_SCRIPT,
  HEARTBEAT_TTL_MS,
  pack,
  queueKeys,
  unpack,
  type HostInfo,
  type JobData,
  type QueueKeys,
} from './protocol';

export interface HostOptions {
  connection: ClusterConnection;
  queue: string;
  /** Jobs run at once, each on a worker of the local pool. */
  concurrency: number;
  backend: BackendName;
  isolate: 'threads' | 'processes';
  /** How long a job's lock lasts unless renewed (BullMQ's `lockDuration`): a dead host's jobs are free after it. */
  lockDuration: number;
  /** How often this host looks for jobs whose host died (BullMQ's `stalledInterval`). */
  stalledInterval: number;
  /** How many times a job may lose its host and run again before it fails (BullMQ's `maxStalledCount`). */
  maxStalled: number;
  /** How long running jobs may take to finish once the host is asked to stop, in ms. */
  grace: number;
  /** How long to keep trying to reach Redis at start, in ms. */
  connectTimeout: number;
  /** Log each job's start and end too. */
  verbose: boolean;
  log(line: string): void;
}

interface RunningJob {
  readonly job: Job;
  readonly token: string | undefined;
  readonly stop: AbortController;
  /** Set when the host stops: the job goes back to the queue rather than fail. */
  requeue: boolean;
}

/** How long a stop may take past its grace before connections are cut. */
const STOP_MARGIN_MS = 5000;

export class WorkerHost {
  readonly info: HostInfo;
  private readonly keys: QueueKeys;
  private readonly running = new Map<string, RunningJob>();
  private readonly pools = new Map<BackendName, Promise<KernelExecutor>>();
  private heartbeat: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;
  private redisDown = false;
  private lastLine = '';

  private constructor(
    private readonly options: HostOptions,
    private readonly label: string,
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    private readonly worker: Worker,
  ) {
    this.keys = queueKeys(options.queue);
    this.info = {
      id: `${os.hostname()}:${process.pid}`,
      hostname: os.hostname(),
      pid: process.pid,
      concurrency: options.concurrency,
      backend: options.backend,
      isolate: options.isolate,
    };
  }

  /** Reaches Redis (retrying for `connectTimeout` ms), starts the local pool, and serves the queue. */
  static async start(options: HostOptions): Promise<WorkerHost> {
    const connection = resolveConnection('--redis', options.connection);
    checkQueueName('--queue', options.queue);
    await reach(connection, options);
    const commands = createClient(connection, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const subscriber = createClient(connection);
    const worker = new (bullmq().Worker)(options.queue, (job, token, signal) => host.process(job, token, signal), {
      connection: bullmqConnection(connection, { maxRetriesPerRequest: null }),
      concurrency: options.concurrency,
      lockDuration: options.lockDuration,
      stalledInterval: options.stalledInterval,
      maxStalledCount: options.maxStalled,
      autorun: false,
    });
    const host: WorkerHost = new WorkerHost(options, connection.label, commands, subscriber, worker);
    try {
      await host.poolFor(options.backend);
    } catch (error) {
      commands.disconnect();
      subscriber.disconnect();
      await worker.close();
      throw error;
    }
    host.listen();
    await subscriber.subscribe(host.keys.cancelChannel);
    void worker
      .run()
      .catch((error: unknown) => host.say(`stopped serving the queue: ${describeConnectionError(error)}`));
    host.beat();
    options.log(
      `serving queue "${options.queue}" at ${connection.label} as ${host.info.id}: ${options.concurrency} at once on ` +
        `${options.isolate} of the ${options.backend} backend; a dead host's jobs run again after ` +
        `${options.lockDuration} + up to ${options.stalledInterval} ms, at most ${options.maxStalled} time(s)`,
    );
    return host;
  }

  /** Stops taking jobs, lets the running ones finish for `grace` ms, then puts them back in the queue. Idempotent. */
  stop(why: string): Promise<void> {
    this.stopping ??= (async () => {
      const { grace } = this.options;
      this.say(
        `stopping (${why}): ${this.running.size} job(s) running, ${grace} ms to finish before they go back to the queue`,
      );
      const requeue = setTimeout(() => this.requeueRunning(), grace);
      const closed = this.worker.close();
      const cutOff = new Promise<'cut'>((resolve) => setTimeout(() => resolve('cut'), grace + STOP_MARGIN_MS).unref());
      if ((await Promise.race([closed, cutOff])) === 'cut') {
        this.say('Redis did not answer in time: closing without it');
        void this.worker.close(true).catch(() => {});
      }
      clearTimeout(requeue);
      if (this.heartbeat) clearInterval(this.heartbeat);
      await Promise.race([this.commands.zrem(this.keys.hosts, JSON.stringify(this.info)).catch(() => {}), cutOff]);
      this.commands.disconnect();
      this.subscriber.disconnect();
      const opened = (await Promise.allSettled(this.pools.values())).flatMap((p) =>
        p.status === 'fulfilled' ? [p.value] : [],
      );
      await Promise.all(opened.map((pool) => pool.shutdown({ cancelFutures: true })));
      this.say('stopped');
    })();
    return this.stopping;
  }

  /** Puts the running jobs back in the queue now (a second signal does not wait for the grace). */
  requeueRunning(): void {
    for (const running of this.running.values()) {
      running.requeue = true;
      running.stop.abort();
    }
  }

  private async process(job: Job, token: string | undefined, signal: AbortSignal | undefined): Promise<string> {
    const jobId = job.id!;
    if (await this.cancelledBefore(jobId)) {
      this.say(`job ${jobId} was cancelled before it started`);
      throw new (bullmq().UnrecoverableError)('cancelled by its submitter before it started');
    }
    const { args, lock, backend } = job.data as JobData;
    takeLockSettings(lock);
    const running: RunningJob = { job, token, stop: new AbortController(), requeue: false };
    this.running.set(jobId, running);
    const onCancel = () => running.stop.abort();
    signal?.addEventListener('abort', onCancel, { once: true });
    if (signal?.aborted) onCancel();
    const started = performance.now();
    const took = () => `${Math.round(performance.now() - started)} ms`;
    if (this.options.verbose) this.say(`job ${jobId} started: ${job.name}`);
    try {
      const pool = await this.poolFor(backend ?? this.options.backend);
      const submit = pool.submit.bind(pool) as (kernel: KernelName, ...rest: unknown[]) => Promise<unknown>;
      const value = await submit(job.name as KernelName, ...(unpack(args) as unknown[]), {
        signal: running.stop.signal,
      });
      if (this.options.verbose) this.say(`job ${jobId} done in ${took()}`);
      return pack({ value });
    } catch (error) {
      if (running.requeue) {
        await job.moveToWait(token);
        this.say(`job ${jobId} went back to the queue after ${took()}`);
        throw new (bullmq().WaitingError)();
      }
      if (signal?.aborted) {
        this.say(`job ${jobId} cancelled by its submitter after ${took()}`);
        throw error;
      }
      if (this.options.verbose)
        this.say(`job ${jobId} failed in ${took()}: ${error instanceof Error ? error.message : String(error)}`);
      return pack({ error: serializeError(error) });
    } finally {
      signal?.removeEventListener('abort', onCancel);
      this.running.delete(jobId);
    }
  }

  /** The local pool of `backend`, opened on first need: `concurrency` threads or children. */
  private poolFor(backend: BackendName): Promise<KernelExecutor> {
    let pool = this.pools.get(backend);
    if (pool === undefined) {
      const { concurrency: maxWorkers, isolate } = this.options;
      pool = (async () => {
        if (isolate === 'threads') return new ThreadPool({ maxWorkers, backend });
        const children = new ProcessPool({ maxWorkers, backend });
        await children.start();
        return children;
      })();
      pool.catch(() => this.pools.delete(backend)); // a backend that does not load here: each job asking for it fails with why
      this.pools.set(backend, pool);
    }
    return pool;
  }

  /** Whether the job's submitter cancelled it before this host got it; if Redis cannot say, the job runs (at least once). */
  private async cancelledBefore(jobId: string): Promise<boolean> {
    try {
      return (await this.commands.exists(this.keys.cancelled(jobId))) === 1;
    } catch {
      return false;
    }
  }

  private listen(): void {
    this.subscriber.on('message', (_channel: string, jobId: string) => {
      this.worker.cancelJob(jobId, 'cancelled by its submitter');
    });
    // The subscriber is back after a loss: a cancel announced meanwhile left its key behind.
    this.subscriber.on('ready', () => void this.checkRunningCancelled());
    this.commands.on('error', () => {}); // told through 'close' and the worker's errors
    this.subscriber.on('error', () => {});
    this.commands.on('close', () => {
      if (this.redisDown || this.stopping) return;
      this.redisDown = true;
      this.say(`lost Redis at ${this.label}; reconnecting`);
    });
    this.commands.on('ready', () => {
      if (!this.redisDown) return;
      this.redisDown = false;
      this.say(`reconnected to Redis at ${this.label}`);
      this.beat();
    });
    this.worker.on('error', (error: unknown) => {
      if (!this.redisDown && !this.stopping) this.say(`BullMQ: ${describeConnectionError(error)}`);
    });
    this.worker.on('stalled', (jobId: string) => this.say(`job ${jobId} lost its host; it goes back to the queue`));
    this.worker.on('failed', (job: Job | undefined, error: Error) => {
      if (/stalled more than allowable limit/.test(error.message))
        this.say(`job ${job?.id ?? '?'} lost its hosts too often: failed`);
    });
  }

  private async checkRunningCancelled(): Promise<void> {
    const ids = [...this.running.keys()];
    if (ids.length === 0) return;
    try {
      const flags = await this.commands.mget(ids.map((id) => this.keys.cancelled(id)));
      ids.forEach((id, i) => flags[i] !== null && this.worker.cancelJob(id, 'cancelled by its submitter'));
    } catch {
      // Redis went away again: its next return checks again.
    }
  }

  /** Says this host is alive now, and every HEARTBEAT_MS. */
  private beat(): void {
    const member = JSON.stringify(this.info);
    const once = () =>
      void this.commands.eval(HEARTBEAT_SCRIPT, 1, this.keys.hosts, member, HEARTBEAT_TTL_MS).catch(() => {});
    once();
    if (this.heartbeat === null) {
      this.heartbeat = setInterval(once, HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  /** Logs a line, unless it repeats the last one (a connection error every retry). */
  private say(line: string): void {
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.options.log(line);
  }
}

/** Connects and pings, retrying for `connectTimeout` ms; a RedisUnavailableError naming the server if it cannot. */
async function reach(connection: ReturnType<typeof resolveConnection>, options: HostOptions): Promise<void> {
  const deadline = performance.now() + options.connectTimeout;
  for (let attempt = 1; ; attempt++) {
    const probe = createClient(connection, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    let socketError: unknown; // what ioredis rejects with says less ("Connection is closed")
    probe.on('error', (error: unknown) => (socketError ??= error));
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return;
    } catch (error) {
      probe.disconnect();
      const why = describeConnectionError(socketError ?? error);
      const wait = reconnectDelay(attempt) * 5;
      if (performance.now() + wait > deadline) {
        throw new RedisUnavailableError(
          `cannot reach Redis at ${connection.label}: ${why} (${attempt} attempt(s) in ${options.connectTimeout} ms)`,
          error,
        );
      }
      options.log(`cannot reach Redis at ${connection.label}: ${why}; trying again in ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** Takes the job's lock settings, as a ProcessPool's child takes its parent's (the host's lock is its own). */
function takeLockSettings({ mode, switchInterval }: LockSettings): void {
  if (mode === gilSettings.mode && switchInterval === gilSettings.switchInterval) return;
  if (mode === 'off') gil.disable();
  else gil.enable({ mode, switchInterval });
}
