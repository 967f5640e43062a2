'use strict';
// The wasm backend beyond its kernels' results (those are in the parity suites): its lock, its
// pools, ticks and cancellation, stats and trace, the host's core count, and what a user must
// not see (Node's WASI warning, a process kept alive), and a Rust panic, which traps on wasm.
// jest's module system cannot load emnapi (ES modules only), so each check runs in a child
// process with GIL_LAB_BACKEND=wasm.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { ROOT, inBackend, inBackendAsync, wasmLoads } = require('../support/backends');

const hasWasm = fs.existsSync(path.join(ROOT, 'wasm', 'gil-lab.wasi.cjs')) && wasmLoads();
const describeWasm = hasWasm ? describe : describe.skip;

/** The test build (`npm run build:wasm:test`): the shipped one plus `__panicForTesting`. */
const testBuild = path.join(ROOT, 'wasm', 'test', 'gil-lab.wasi.cjs');
/** Preloaded in a child, it makes gil-lab load the test build where it loads the shipped one. */
const useTestBuild = { NODE_OPTIONS: `--require=${path.join(__dirname, '..', 'support', 'wasm-test-build.js')}` };

/** Runs `body` under wasm and returns its answer, which must not be an error. */
async function inWasm(body, options) {
  const answer = await inBackendAsync('wasm', body, { timeout: 60_000, ...options });
  expect(answer.error).toBeUndefined();
  return answer.ok;
}

describeWasm('the wasm backend', () => {
  test('info() names it, and kernelsFor, ThreadPool and ProcessPool take backend: "wasm" from another default', () => {
    const out = inBackend(
      'js',
      `
      const pool = new gil.ThreadPool({ maxWorkers: 2, backend: 'wasm' });
      const procs = new gil.ProcessPool({ maxWorkers: 1, backend: 'wasm' });
      const results = [gil.kernelsFor('wasm').countPrimesSync(1000), await pool.submit('countPrimes', 1000), await procs.submit('countPrimes', 1000)];
      await pool.shutdown(); await procs.shutdown();
      return { results, pool: pool.backend, procs: procs.backend, stats: Object.keys(gil.gil.stats()) };`,
    );
    expect(out.error).toBeUndefined();
    expect(out.ok).toEqual({
      results: [168, 168, 168],
      pool: 'wasm',
      procs: 'wasm',
      stats: ['native', 'wasm', 'js', 'totals'],
    });
    const info = inBackend('wasm', 'return gil.info()');
    expect(info.ok).toMatchObject({ backend: 'wasm', nativeLoadError: null });
    expect(info.ok.binary).toMatch(/gil-lab\.wasm32-wasi(\.debug)?\.wasm$/);
  });

  test('one AbortSignal serves tasks of the native and the wasm backend in one process', async () => {
    const out = await inWasm(`
      const controller = new AbortController();
      const { signal } = controller;
      const results = await Promise.all([
        gil.kernelsFor('native').countPrimes(1000, { signal }),
        gil.kernelsFor('wasm').countPrimes(1000, { signal }),
      ]);
      const running = [gil.kernelsFor('native'), gil.kernelsFor('wasm')].map((k) =>
        k.countPrimes(2 ** 31 - 1, { signal }).catch((error) => error.name));
      controller.abort();
      return { results, aborted: await Promise.all(running) };`);
    expect(out).toEqual({ results: [168, 168], aborted: ['AbortError', 'AbortError'] });
  });

  test('two CPU-bound threads contend for the same Rust lock: drop requests, forced switches, a trace of both', async () => {
    const out = await inWasm(`
      gil.gil.enable({ switchInterval: 0.001 });
      const pool = new gil.ThreadPool({ maxWorkers: 2, backend: 'wasm' });
      await pool.map('countdown', [300_000_000, 300_000_000]);
      await pool.shutdown();
      const stats = gil.gil.stats().wasm;
      const threads = stats.threads.filter((t) => t.backend === 'wasm' && t.takes > 0).map((t) => t.thread);
      const traced = new Set(gil.gil.trace().filter((e) => e.backend === 'wasm' && e.event === 'take').map((e) => e.thread));
      return { threads, traced: [...traced], totals: stats.totals, switches: stats.switches };`);
    expect(out.threads.length).toBeGreaterThanOrEqual(2);
    expect(out.traced.length).toBeGreaterThanOrEqual(2);
    expect(out.totals.contendedTakes).toBeGreaterThan(0);
    expect(out.totals.dropRequests).toBeGreaterThan(0);
    expect(out.totals.forcedSwitches).toBeGreaterThan(0);
    expect(out.switches).toBeGreaterThan(1);
  });

  test('a sync call holds the lock on the main thread; the default pool has one thread per host core', async () => {
    const cores = os.availableParallelism();
    const out = await inWasm(`
      gil.gil.enable();
      gil.kernels.countdownSync(1_000_000);
      await Promise.all(Array.from({ length: ${cores * 2} }, () => gil.kernels.countdown(20_000_000)));
      const names = gil.gil.stats().wasm.threads.map((t) => t.thread);
      return { main: names.filter((n) => n === 'main').length, defaults: names.filter((n) => n.startsWith('default-')).length };`);
    expect(out).toEqual({ main: 1, defaults: cores });
  });

  test('a running task stops at its next tick when aborted; shutdown cancels what is queued', async () => {
    const out = await inWasm(`
      const pool = new gil.ThreadPool({ maxWorkers: 1, backend: 'wasm' });
      const controller = new AbortController();
      const running = pool.submit('countdown', 2 ** 53 - 1, { signal: controller.signal });
      const queued = pool.submit('countdown', 2 ** 53 - 1);
      setTimeout(() => controller.abort(), 50);
      const first = await running.then(() => 'finished', (e) => e.name);
      const closing = pool.shutdown({ cancelFutures: true });
      const second = await queued.then(() => 'finished', (e) => e.name);
      await closing;
      return [first, second];`);
    expect(out).toEqual(['AbortError', 'CancelledError']);
  });

  test('no ExperimentalWarning reaches the user, and an idle process exits with pools left open', async () => {
    const script = `
      const g = require(${JSON.stringify(ROOT)});
      const pool = new g.ThreadPool({ maxWorkers: 2 });
      Promise.all([pool.submit('countPrimes', 10_000), g.kernels.sha256(new Uint8Array(10))]).then(([n]) => console.log(g.info().backend, n));`;
    const { stdout, stderr } = await new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['-e', script],
        { env: { ...process.env, GIL_LAB_BACKEND: 'wasm' }, timeout: 30_000 },
        (error, stdout, stderr) => (error ? reject(Object.assign(error, { stderr })) : resolve({ stdout, stderr })),
      );
    });
    expect(stdout).toBe('wasm 1229\n');
    expect(stderr).toBe('');
  });

  test('a Rust panic rejects its call and every call pending on that instance; the process lives, later calls run on a new one', async () => {
    if (!fs.existsSync(testBuild)) throw new Error(`${testBuild} is missing: run \`npm run build:wasm:test\``);
    const out = await inWasm(
      `
      const { backendFor } = require(${JSON.stringify(path.join(ROOT, 'dist', 'loader.js'))});
      const outcome = (promise) => promise.then((value) => value, (error) => error.code);
      gil.gil.enable();
      const pool = new gil.ThreadPool({ maxWorkers: 2, backend: 'wasm' });
      // On a pool thread: beside it a running task, one queued behind both, one on the default pool.
      const running = outcome(pool.submit('countdown', 2 ** 53 - 1));
      const panicked = pool.pool.call('__panicForTesting', ['a panic injected for testing']).catch((error) => error.message);
      const queued = outcome(pool.submit('countdown', 2 ** 53 - 1));
      const elsewhere = outcome(gil.kernels.countdown(2 ** 53 - 1));
      // A pool shutting down, waiting for its task: the trap leaves it nothing to wait for.
      const closingPool = new gil.ThreadPool({ maxWorkers: 1, backend: 'wasm' });
      const closingTask = outcome(closingPool.submit('countdown', 2 ** 53 - 1));
      const closed = closingPool.shutdown().then(() => 'closed');
      const threadPanic = await Promise.all([panicked, running, queued, elsewhere, closingTask, closed]);
      gil.gil.resetStats();
      const after = [await pool.submit('countPrimes', 1000), gil.kernels.countPrimesSync(1000), await gil.kernels.countPrimes(1000)];
      const mainTakes = gil.gil.stats().wasm.threads.find((t) => t.thread === 'main')?.takes;
      // On the calling thread, a sync call.
      const pending = outcome(pool.submit('countdown', 2 ** 53 - 1));
      let syncPanic;
      try {
        backendFor('wasm').syncKernel('__panicForTesting')('a panic injected for testing');
      } catch (error) {
        syncPanic = [error.name, error.code, error.cause?.name, error.message];
      }
      const afterSync = [await pending, await pool.submit('countPrimes', 1000), gil.kernels.countPrimesSync(1000)];
      await pool.shutdown();
      return { threadPanic, after, mainTakes, syncPanic, afterSync };`,
      { env: useTestBuild },
    );
    const trapped = 'ERR_GIL_LAB_WASM_TRAP';
    expect(out).toEqual({
      threadPanic: [
        expect.stringMatching(/^the wasm backend's instance trapped on its thread \d+: a Rust panic: a panic injected for testing;/),
        trapped,
        trapped,
        trapped,
        trapped,
        'closed',
      ],
      after: [168, 168, 168],
      mainTakes: 1, // the new instance has the lock enabled, as gil.enable() left it
      syncPanic: [
        'WasmTrapError',
        trapped,
        'RuntimeError',
        expect.stringContaining('trapped on the calling thread: a Rust panic: a panic injected for testing;'),
      ],
      afterSync: [trapped, 168, 168],
    });
  });

  test('a thread that panics holding the lock leaves no sync call waiting for it', async () => {
    if (!fs.existsSync(testBuild)) throw new Error(`${testBuild} is missing: run \`npm run build:wasm:test\``);
    const out = await inWasm(
      `
      gil.gil.enable();
      const pool = new gil.ThreadPool({ maxWorkers: 1, backend: 'wasm' });
      await pool.submit('countPrimes', 10);
      const panicked = pool.pool.call('__panicForTesting', ['a panic injected for testing']).catch((error) => error.code);
      // The pool thread takes the lock, then panics, while this thread does not yet know.
      const until = Date.now() + 300;
      while (Date.now() < until);
      const sync = gil.kernels.countPrimesSync(1000);
      const result = [sync, await panicked, await pool.submit('countPrimes', 1000)];
      await pool.shutdown();
      return result;`,
      { env: useTestBuild, timeout: 30_000 },
    );
    expect(out).toEqual([168, 'ERR_GIL_LAB_WASM_TRAP', 168]);
  });
});
