// `gil-lab demo`: CPU-bound tasks run one after another on this thread, then all at once off
// the event loop, timed here and now.

import { performance } from 'node:perf_hooks';
import { info, kernels } from '../index';

const LIMIT = 2_000_000;

async function timed(run: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

export async function runDemo(out: NodeJS.WritableStream): Promise<void> {
  const { backend, cpus } = info();
  const tasks = Math.max(2, cpus);
  kernels.countPrimesSync(10_000); // warm up
  const sequential = await timed(() => {
    for (let i = 0; i < tasks; i++) kernels.countPrimesSync(LIMIT);
  });
  const parallel = await timed(() => Promise.all(Array.from({ length: tasks }, () => kernels.countPrimes(LIMIT))));
  const rows: [string, number][] = [
    ['sequential, this thread', sequential],
    [`all at once, off the event loop`, parallel],
  ];
  out.write(`gil-lab demo — ${backend} backend, ${cpus} cores\n`);
  out.write(`${tasks} × countPrimes(${LIMIT.toLocaleString('en-US')})\n\n`);
  out.write(`${'model'.padEnd(34)}${'wall ms'.padStart(10)}${'speedup'.padStart(10)}\n`);
  for (const [model, ms] of rows) {
    out.write(`${model.padEnd(34)}${ms.toFixed(0).padStart(10)}${`${(sequential / ms).toFixed(2)}×`.padStart(10)}\n`);
  }
}
