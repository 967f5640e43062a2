// What a ClusterPool and its worker hosts agree on, beyond BullMQ's own keys: the form of a
// job, the keys and channel of cancellation, and the heartbeats that tell who is alive.
//
// BullMQ stores a job's data and result as JSON, which would turn a Float64Array into
// `{"0":…}`; so arguments and outcomes travel as v8-serialized bytes in base64, and cross as
// themselves (typed arrays, Maps, BigInts), as they do to a ProcessPool's children.

import v8 from 'node:v8';
import { checkString, rangeError } from '../../args';
import type { BackendName } from '../../backend-names';
import type { SerializedError } from '../error-transport';
import type { LockSettings } from '../process-protocol';

export const DEFAULT_QUEUE = 'gil-lab';
/** BullMQ's default key prefix, which both sides use. */
const PREFIX = 'bull';

/** A job's data; its BullMQ name is the kernel's. */
export interface JobData {
  /** The kernel's arguments, packed. */
  args: string;
  /** The submitter's lock settings, which the host takes before it runs the job. */
  lock: LockSettings;
  /** The backend the submitter asked for; absent: the host's own (`--backend`). */
  backend?: BackendName;
}

/** A job's return value, packed: what the kernel returned or threw. */
export type Outcome = { value: unknown } | { error: SerializedError };

export function pack(value: unknown): string {
  return v8.serialize(value).toString('base64');
}

export function unpack(text: string): unknown {
  return v8.deserialize(Buffer.from(text, 'base64'));
}

export function checkQueueName(name: string, value: unknown): string {
  const queue = checkString(name, value);
  // BullMQ refuses `:` in a queue name; its keys are `bull:<queue>:…`.
  if (queue === '' || queue.includes(':'))
    throw rangeError(`${name} must be a non-empty name without ":"; got "${queue}"`);
  return queue;
}

export interface QueueKeys {
  /** The job's hash, as BullMQ keeps it. */
  job(jobId: string): string;
  /** Set (for a while) when a job's submitter gave up on it: a host that has not started it yet never will. */
  cancelled(jobId: string): string;
  /** Where a submitter announces a cancelled job's id, to whichever host runs it. */
  readonly cancelChannel: string;
  /** The live hosts, scored by when their last heartbeat expires. */
  readonly hosts: string;
}

export function queueKeys(queue: string): QueueKeys {
  const base = `${PREFIX}:${queue}`;
  return {
    job: (jobId) => `${base}:${jobId}`,
    cancelled: (jobId) => `${base}:gil-lab:cancelled:${jobId}`,
    cancelChannel: `${base}:gil-lab:cancel`,
    hosts: `${base}:gil-lab:hosts`,
  };
}

/** How long a cancelled job's key lives: longer than a job waits in any sane queue. */
export const CANCELLED_KEY_TTL_MS = 10 * 60_000;

/** How often a host says it is alive, and for how long one heartbeat counts. */
export const HEARTBEAT_MS = 1000;
export const HEARTBEAT_TTL_MS = 5000;

/** A worker host, as it announces itself. */
export interface HostInfo {
  id: string;
  hostname: string;
  pid: number;
  concurrency: number;
  backend: string;
  isolate: 'threads' | 'processes';
}

// Scored by the server's clock, so that hosts on machines whose clocks differ agree.
const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS[1] the hosts; ARGV[1] this host's info; ARGV[2] the heartbeat's lifetime in ms. */
export const HEARTBEAT_SCRIPT = `${NOW_MS}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1`;

/** KEYS[1] the hosts: the infos of those whose heartbeat has not expired. */
export const LIVE_HOSTS_SCRIPT = `${NOW_MS}
return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')`;
