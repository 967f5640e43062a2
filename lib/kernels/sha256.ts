// `sha256(data, rounds = 1)`: the twin of `crates/core/src/kernels/sha256.rs`, on
// `node:crypto` (OpenSSL, with the CPU's SHA extensions where it has them).

import { createHash } from 'node:crypto';
import type { Ticker } from '../breaker';
import { integer, uint8Array } from '../args';

/** The most rounds accepted. */
export const SHA256_ROUNDS_MAX = 2 ** 32 - 1;

/** Bytes hashed per tick: about 30 µs here; a smaller chunk would pay node:crypto's cost per call more often. */
const BYTES_PER_TICK = 64 * 1024;

/** Re-hashing rounds per tick: about 15 µs here, at about 1 µs a round. */
const ROUNDS_PER_TICK = 16;

export function checkSha256(data: unknown, rounds: unknown): [Uint8Array, number] {
  const bytes = uint8Array('data', data);
  return [bytes, rounds === undefined ? 1 : integer('rounds', rounds, 1, SHA256_ROUNDS_MAX)];
}

export function sha256(data: Uint8Array, rounds: number, ticker: Ticker): Uint8Array {
  const hash = createHash('sha256');
  for (let offset = 0; offset < data.length; offset += BYTES_PER_TICK) {
    hash.update(data.subarray(offset, offset + BYTES_PER_TICK));
    ticker.tick();
  }
  let digest = hash.digest();
  for (let round = 1; round < rounds; round++) {
    digest = createHash('sha256').update(digest).digest();
    if (round % ROUNDS_PER_TICK === 0) ticker.tick();
  }
  ticker.tick();
  // A plain Uint8Array of its own: a digest Buffer may share Node's pool of small buffers.
  return new Uint8Array(digest);
}
