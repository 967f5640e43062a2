// gil-lab from strict TypeScript: every kernel's arguments and result are typed, and so are
// compare()'s options and rows, so that a wrong name or a wrong argument fails to compile.
//
//   npx tsc -p examples && node examples/dist/typed.mjs
import {
  compare,
  kernels,
  ThreadPool,
  wait,
  FIRST_COMPLETED,
  type CompareOptions,
  type CompareRow,
  type KernelResult,
} from 'gil-lab';

// A kernel's result has the kernel's own type: a number here, a Uint8Array for mandelbrot.
const primes: number = await kernels.countPrimes(100_000);
const image: KernelResult<'mandelbrot'> = await kernels.mandelbrot({ width: 64, height: 48, maxIter: 50 });
console.log(`countPrimes(100 000) = ${primes}; mandelbrot: ${image.length} pixels`);

// `await using` shuts the pool down at the end of the block, whatever happens in it.
{
  await using pool = new ThreadPool({ maxWorkers: 2 });
  const futures = [pool.submit('countPrimes', 5_000_000), pool.submit('sha256', new Uint8Array(1024))];
  const { done } = await wait(futures, { returnWhen: FIRST_COMPLETED });
  console.log(`first of two tasks done: ${done.size >= 1}`);
  await Promise.all(futures);
}

// compare()'s options are checked by the compiler: `kernel: 'nosuch'` or `models: ['fibers']` would not compile.
const options: CompareOptions = {
  workload: 'io',
  size: 20,
  tasks: 4,
  models: ['sequential', 'threads'],
  workers: [4],
  gil: ['on'],
  repeats: 1,
};
const report = await compare(options);
const threads: CompareRow | undefined = report.rows.find((row) => row.model === 'threads');
console.log(`4 sleeps of 20 ms on 4 threads, lock on: ${threads?.speedup?.toFixed(2) ?? '–'}× the sequential speed`);
