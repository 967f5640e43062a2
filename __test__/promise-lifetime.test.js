// What a pending async call does to the life of its process and thread: it holds the event
// loop open until it settles, an idle gil-lab holds nothing open, and a worker thread that
// ends with calls still running leaves the rest of the process unharmed. Each case runs in a
// child process, whose exit is what is under test. And a pool that lives long keeps nothing
// of the tasks it has settled.
'use strict';
const { execFileSync } = require('node:child_process');
const { ROOT, backend } = require('./support/backends');

function runNode(script, nodeFlags = []) {
  return execFileSync(process.execPath, [...nodeFlags, '-e', script], {
    encoding: 'utf8',
    timeout: 20_000, // a process that an idle gil-lab holds open fails here
    env: { ...process.env, GIL_LAB_BACKEND: backend === 'auto' ? '' : backend },
  }).trim();
}

describe(`the life of a process with async calls (${backend} backend)`, () => {
  test('a pending call keeps the process alive until it settles', () => {
    const out = runNode(`require(${JSON.stringify(ROOT)}).kernels.countPrimes(2_000_000).then((n) => console.log(n));`);
    expect(out).toBe('148933');
  });

  test('a process whose calls have settled exits by itself', () => {
    const started = Date.now();
    const out = runNode(`
      const { kernels } = require(${JSON.stringify(ROOT)});
      Promise.all([kernels.countPrimes(10), kernels.countPrimes(100)]).then((r) => console.log(r.join(',')));`);
    expect(out).toBe('4,25');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('worker threads that end with calls running leave the main thread working', () => {
    const out = runNode(`
      const { Worker } = require('node:worker_threads');
      const { kernels } = require(${JSON.stringify(ROOT)});
      const source = \`
        const { parentPort } = require('node:worker_threads');
        const { kernels } = require(${JSON.stringify(ROOT)});
        kernels.countPrimes(1000).then((n) => parentPort.postMessage(n));
        kernels.countPrimes(2_000_000); // still running when the worker is terminated
      \`;
      (async () => {
        const seen = [];
        for (let i = 0; i < 3; i++) {
          const worker = new Worker(source, { eval: true });
          seen.push(await new Promise((resolve) => worker.once('message', resolve)));
          await worker.terminate();
        }
        // The workers' long calls finish while the main thread goes on calling.
        for (let i = 0; i < 40; i++) seen.push(await kernels.countPrimes(100_000));
        console.log(seen.join(','));
      })();`);
    expect(out).toBe(['168', '168', '168', ...Array(40).fill('9592')].join(','));
  });

  test('a pool that lives long keeps nothing of the tasks it has settled', () => {
    // 40 000 tasks, half through submit (all with one signal) and half through map, after a
    // warm-up; the heap's live size after a full collection, before and after. A few hundred
    // bytes kept per task would show as megabytes.
    const out = runNode(
      `
      const { ThreadPool } = require(${JSON.stringify(ROOT)});
      (async () => {
        const pool = new ThreadPool({ maxWorkers: 2 });
        const longLived = new AbortController(); // one signal for every submit, never aborted
        const rounds = async (count) => {
          for (let i = 0; i < count; i++) {
            await Promise.all(Array.from({ length: 1000 }, () => pool.submit('countPrimes', 10, { signal: longLived.signal })));
            await pool.map('countPrimes', Array(1000).fill(10));
          }
        };
        await rounds(5);
        gc();
        const before = process.memoryUsage().heapUsed;
        await rounds(20);
        gc();
        const after = process.memoryUsage().heapUsed;
        await pool.shutdown();
        console.log(JSON.stringify({ keptBytes: after - before }));
      })();`,
      ['--expose-gc'],
    );
    const { keptBytes } = JSON.parse(out);
    expect(keptBytes).toBeLessThan(2 * 2 ** 20);
  });
});
