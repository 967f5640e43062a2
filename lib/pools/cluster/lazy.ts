// BullMQ and ioredis, loaded on first use: together they take longer to load than the rest of
// gil-lab, which a program that never uses a cluster (every ProcessPool child among them)
// should not pay. Everything else reaches them through here; `import type` costs nothing.

import type * as BullMQ from 'bullmq';
import type IORedisClass from 'ioredis';

let bullmqModule: typeof BullMQ | undefined;
let ioredisClass: typeof IORedisClass | undefined;

export function bullmq(): typeof BullMQ {
  return (bullmqModule ??= require('bullmq') as typeof BullMQ);
}

export function IORedis(): typeof IORedisClass {
  return (ioredisClass ??= (require('ioredis') as { default: typeof IORedisClass }).default);
}
