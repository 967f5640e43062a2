// A plain CPU-bound process for the machine's ceiling: no gil-lab, no lock, only a loop. Each
// message `{ iterations }` runs the loop that many times and answers with its time in ms.

import { performance } from 'node:perf_hooks';

/** xorshift32, `iterations` steps: integer work the compiler cannot drop, since the result is sent back. */
function spin(iterations: number): number {
  let x = 0x9e3779b9 | 0;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x;
}

process.on('message', ({ iterations }: { iterations: number }) => {
  const started = performance.now();
  const result = spin(iterations);
  process.send!({ ms: performance.now() - started, result });
});
