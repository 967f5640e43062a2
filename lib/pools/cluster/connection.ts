// Where a cluster's Redis is, checked once, and the clients made from it. A connection is a
// `redis://` or `rediss://` URL, or ioredis options; messages name it by its URL without the
// password (`label`), so that an error says which server could not be reached.

import type { ConnectionOptions } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { rangeError, typeError, typeName } from '../../args';
import { IORedis } from './lazy';

/** A Redis server: a `redis://` / `rediss://` URL, or ioredis options. */
export type ClusterConnection = string | RedisOptions;

export interface ResolvedConnection {
  /** ioredis options, with `url` when one was given (BullMQ takes that form too). */
  readonly options: RedisOptions & { url?: string };
  /** The server in words, without credentials: `redis://127.0.0.1:6379/0`. */
  readonly label: string;
}

export function resolveConnection(name: string, value: unknown): ResolvedConnection {
  if (typeof value === 'string') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw rangeError(`${name} must be a redis:// or rediss:// URL, or ioredis options; got "${value}"`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw rangeError(`${name} must be a redis:// or rediss:// URL, or ioredis options; got "${value}"`);
    }
    return {
      options: { url: value },
      label: `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw typeError(`${name} must be a redis:// URL or an object of ioredis options; got ${typeName(value)}`);
  }
  const options = value as RedisOptions;
  const scheme = options.tls ? 'rediss' : 'redis';
  const where = options.path ?? `${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
  return { options: { ...options }, label: `${scheme}://${where}${options.db ? `/${options.db}` : ''}` };
}

/** Reconnects quickly at first (a restarted server is back within a second or two), then every 2 s at most. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * attempt, 2000);
}

/** Options for a client of `connection`, reconnecting for ever unless `extra` says otherwise. */
function clientOptions(connection: ResolvedConnection, extra: RedisOptions = {}): RedisOptions & { url?: string } {
  return { retryStrategy: reconnectDelay, ...connection.options, ...extra };
}

/** What BullMQ's objects take to make clients of their own: the same options (its types declare fewer fields than ioredis's). */
export function bullmqConnection(connection: ResolvedConnection, extra: RedisOptions = {}): ConnectionOptions {
  return clientOptions(connection, extra) as ConnectionOptions;
}

/** A client of its own. */
export function createClient(connection: ResolvedConnection, extra: RedisOptions = {}): Redis {
  const { url, ...options } = clientOptions(connection, extra);
  const Client = IORedis();
  return url === undefined ? new Client(options) : new Client(url, options);
}

/** Why a client cannot reach its server, in words: ioredis's last error, or that it gave up. */
export function describeConnectionError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeConnectionError(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}
