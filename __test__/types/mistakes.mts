// Deliberate mistakes, each of which the declarations must refuse: `tsc -p __test__/types`
// fails if any line under a @ts-expect-error compiles (run by __test__/types.test.js). The
// lines without one are the right forms beside them, which must compile.
import {
  compare,
  gil,
  kernels,
  kernelsFor,
  wait,
  FIRST_COMPLETED,
  ThreadPool,
  type CompareOptions,
  type CompareRow,
  type GilTraceEvent,
} from 'gil-lab';

// compare(): every closed set of its options is a union of literals.
await compare({
  kernel: 'countPrimes',
  workload: 'cpu',
  models: ['threads'],
  gil: ['on'],
  mode: 'legacy',
  backends: ['js'],
});
// @ts-expect-error: no such kernel
await compare({ kernel: 'nosuch' });
// @ts-expect-error: sleep is a kernel, but not a CPU-bound one that compare() runs
await compare({ kernel: 'sleep' });
// @ts-expect-error: no such workload
await compare({ workload: 'gpu' });
// @ts-expect-error: no such model
await compare({ models: ['fibers'] });
// @ts-expect-error: the lock is on or off
await compare({ gil: ['maybe'] });
// @ts-expect-error: no such mode
await compare({ mode: 'modern' });
// @ts-expect-error: no such backend
await compare({ backends: ['rust'] });
// @ts-expect-error: switch intervals are numbers of seconds
await compare({ switchIntervals: ['5ms'] });
// @ts-expect-error: an unknown option
await compare({ kernal: 'countPrimes' } satisfies CompareOptions);

declare const row: CompareRow;
// @ts-expect-error: a row's model is one of four
if (row.model === 'fibers') console.log(row);

// Kernels: their names, arguments and results.
const primes: number = await kernels.countPrimes(10);
// @ts-expect-error: a number, not a string
await kernels.countPrimes('10');
// @ts-expect-error: no such kernel
await kernels.nosuch(1);
// @ts-expect-error: countPrimes gives a number
const digest: string = await kernels.countPrimes(10);
// @ts-expect-error: the backends are native and js
kernelsFor('rust');

// Pools: submit and map check the kernel's name and arguments.
const pool = new ThreadPool({ maxWorkers: 2 });
const future = pool.submit('countPrimes', 10);
// @ts-expect-error: no such kernel
pool.submit('nosuch', 1);
// @ts-expect-error: countPrimes takes a number
pool.submit('countPrimes', 'ten');
// @ts-expect-error: maxWorkers is a number
new ThreadPool({ maxWorkers: '2' });

// Futures: returnWhen is one of three.
await wait([future], { returnWhen: FIRST_COMPLETED });
// @ts-expect-error: no such condition
await wait([future], { returnWhen: 'SOMETIME' });

// The lock: its modes, and its trace events' fields.
gil.enable({ mode: 'legacy' });
// @ts-expect-error: off is gil.disable(), not a mode to enable
gil.enable({ mode: 'off' });
declare const traced: GilTraceEvent;
// @ts-expect-error: a trace event has no such kind
if (traced.event === 'steal') console.log(traced);

console.log(primes, digest);
await pool.shutdown();
