'use strict';
// The soak test: for GIL_LAB_SOAK_MS (default 20 s), keeps dozens of small tasks in flight on
// the backend's own threads (`kernels.NAME`) and on a ProcessPool, with random aborts, Rust
// panics (native), faults in the children (throws, exits, crashes, kill signals, blocked
// threads), children killed from outside, and a shutdown of the ProcessPool in the middle of
// it all, every few seconds, after which a new pool takes over. Then:
// - every promise settles: a watchdog fails the test, with a report of what is pending, on
//   any task pending for over WATCHDOG_MS, or not settled within DRAIN_MS of the end;
// - every outcome is the one its task allows: its result (checked against the sync form),
//   an AbortError for an aborted task, the fault's own error, a WorkerExitedError no more
//   often than children died mid-task, a CancelledError only from a cancelling shutdown;
// - no child outlives its pool (its pids are gone once `shutdown()` resolves), and this
//   process's threads do not grow with the tasks;
// - the resident set stays under a generous bound.
// The figures are printed, for the README.
const fs = require('node:fs');
const { kernels, info, ProcessPool, AbortError, CancelledError, WorkerExitedError } = require('gil-lab');
const { submitFault } = require('../dist/pools/faults-for-testing');
const { jsKernels } = require('../dist/kernels');
const { encode } = require('./support/encode');
const { backend } = require('./support/backends');

const SOAK_MS = Number(process.env.GIL_LAB_SOAK_MS ?? 20_000);
const SEED = Number(process.env.GIL_LAB_SOAK_SEED ?? 0x50a6);
/** Tasks in flight at once: on the backend's threads, and on the ProcessPool. */
const IN_FLIGHT = { threads: 48, pool: 16 };
/** The share of the ProcessPool's tasks that are faults (half of them deaths mid-task, each a restart of 0.1 s or more). */
const FAULT_RATE = 0.01;
/** How long one task may stay pending: far over the longest (a blocked child killed after 1 s). */
const WATCHDOG_MS = 15_000;
/** How long the tasks still in flight at the end may take to settle. */
const DRAIN_MS = 20_000;
/** A new ProcessPool this often, the old one shut down with its tasks in flight. */
const GENERATION_MS = Math.max(2000, SOAK_MS / 5);
/** How often a child is killed from outside, on average; and how long it must have lived. */
const KILL_EVERY_MS = 150;
const KILL_AFTER_MS = 500;
/** Rust panics on this process's threads: each prints its message on stderr, so a few. */
const THREAD_PANICS_MAX = 20;
/** Growth of the resident set allowed over the run: generous, a leak of a task's worth each would pass it. */
const RSS_GROWTH_MAX = 512 * 2 ** 20;
const native = info().backend === 'native';

/** A small PRNG (xorshift32), seeded, so that a run's choices can be told apart from its timing. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  return { next, below: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)] };
}

/** The tasks: small, each with its result from the sync form of the same backend. */
function taskMenu() {
  const bytes = (n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
  const menu = [
    ['countPrimes', [0]], ['countPrimes', [1000]], ['countPrimes', [20_000]],
    ['countdown', [5000]], ['sleep', [0]], ['sleep', [1.5]],
    ['sha256', [bytes(0)]], ['sha256', [bytes(3000), 3]],
    ['mandelbrot', [{ width: 8, height: 5, maxIter: 50 }]], ['monteCarloPi', [500, 7]],
    ['matmul', [Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), Float64Array.of(9, 8, 7, 6, 5, 4, 3, 2, 1), 3]],
    ['nbody', [20]], ['spectralNorm', [6]], ['fannkuch', [5]], ['readFile', [__filename]], ['pipeRoundTrips', [2]],
  ];
  return menu.map(([kernel, args]) => {
    const value = kernels[`${kernel}Sync`](...args);
    const item = jsKernels[kernel].arity === 1 ? args[0] : args; // as `map` takes it
    return { kernel, args, item, expected: JSON.stringify(encode(value)), mapped: JSON.stringify(encode([value, value, value])) };
  });
}

/** This process's threads, where the OS tells. */
function threadCount() {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
  } catch {
    return null;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test(`soak: ${SOAK_MS} ms of tasks, aborts, faults, kills and shutdowns (${backend} backend, seed ${SEED})`, async () => {
  const random = rng(SEED);
  const menu = taskMenu();
  const problems = [];
  const pending = new Map(); // id → { what, since }
  const inFlight = { threads: 0, pool: 0 };
  /** Wakes the run's loop when a task settles, so that it neither spins nor idles. */
  let wake = () => {};
  const figures = {
    tasks: 0, onThreads: 0, onProcesses: 0, results: 0, aborted: 0, abortErrors: 0, cancelled: 0, workerExited: 0, refusedAfterShutdown: 0,
    faults: { throw: 0, exit: 0, crash: 0, kill: 0, block: 0, panic: 0 }, childrenKilledFromOutside: 0,
    shutdowns: 0, generations: 1, brokenByKills: 0, childrenSeen: 0,
    rssMiB: { before: 0, atQuarters: [], peak: 0, growth: 0 }, heapMiBByQuarter: [], threadsBefore: threadCount(), threadsAfter: null,
  };
  /** Children that died mid-task, or may have: each can fail at most one task with WorkerExitedError. */
  let deathsMidTask = 0;
  let lastId = 0;

  /**
   * Tracks a task's promise, run by `executor` (`threads` or `pool`), and checks its outcome
   * with `judge(error, value)`, which returns a problem or null.
   */
  function track(executor, what, promise, judge) {
    const id = ++lastId;
    figures.tasks++;
    figures[executor === 'pool' ? 'onProcesses' : 'onThreads']++;
    inFlight[executor]++;
    pending.set(id, { what, since: performance.now() });
    promise
      .then((value) => judge(null, value), (error) => judge(error ?? new Error('rejected with nothing'), undefined))
      .then((problem) => problem && problems.push(`${what}: ${problem}`))
      .finally(() => {
        pending.delete(id);
        inFlight[executor]--;
        wake();
      });
  }

  /**
   * Under load, a child may still be killed as it starts, and three in a row break the pool:
   * that must be said plainly — a BrokenPoolError whose cause is our SIGKILL — and the run goes
   * on with a new pool.
   */
  function brokenByKills(entry, error) {
    if (error.cause?.signal !== 'SIGKILL') return `a pool broken by other than kills: ${error.message}`;
    if (!entry.brokenByKills) figures.brokenByKills++;
    entry.brokenByKills = true;
    return null;
  }

  /** How a kernel task may end: its result; an AbortError if aborted; else, on a pool, what the pool's life allows. */
  const judgeKernel = (task, { aborted, poolOf }) => (error, value) => {
    if (error === null) {
      figures.results++;
      return JSON.stringify(encode(value)) === task.expected ? null : `a wrong result ${JSON.stringify(encode(value)).slice(0, 80)}`;
    }
    if (error instanceof AbortError) {
      figures.abortErrors++;
      return aborted() ? null : 'an AbortError, not aborted';
    }
    if (poolOf && error instanceof CancelledError) {
      figures.cancelled++;
      return poolOf.cancelledAt !== undefined ? null : 'a CancelledError, with no cancelling shutdown';
    }
    if (poolOf && error instanceof WorkerExitedError) {
      figures.workerExited++;
      return null; // counted against the deaths at the end
    }
    if (poolOf && error.code === 'ERR_GIL_LAB_BROKEN_POOL') return brokenByKills(poolOf, error);
    if (poolOf && error.code === 'ERR_GIL_LAB_POOL_SHUT_DOWN') {
      figures.refusedAfterShutdown++;
      return poolOf.shutDownAt !== undefined ? null : 'refused as shut down, before its shutdown';
    }
    return `${error.name}: ${error.message}`;
  };

  /** A signal for a task: none most of the time, else one aborted at once, soon, or never. */
  function signalFor() {
    const roll = random.next();
    if (roll > 0.15) return { signal: undefined, aborted: () => false };
    const controller = new AbortController();
    if (roll < 0.03) controller.abort();
    else if (roll < 0.11) setTimeout(() => controller.abort(), random.below(6));
    if (roll < 0.11) figures.aborted++;
    return { signal: controller.signal, aborted: () => controller.signal.aborted };
  }

  // ── The ProcessPool of the current generation ─────────────────────────────────────────
  const pools = [];
  function openPool() {
    const pool = new ProcessPool({ maxWorkers: 2 });
    const entry = { pool, pids: new Set(), firstSeen: new Map(), cancelledAt: undefined, shutDownAt: undefined, brokenByKills: false };
    pools.push(entry);
    return entry;
  }
  let current = openPool();

  async function endGeneration(entry) {
    const cancelFutures = random.next() < 0.5;
    const wait = random.next() < 0.7;
    entry.shutDownAt = performance.now();
    if (cancelFutures) entry.cancelledAt = entry.shutDownAt;
    figures.shutdowns++;
    const closing = entry.pool.shutdown({ cancelFutures, wait });
    // A few submits after the shutdown: each is refused.
    for (let i = 0; i < 3; i++) {
      const task = random.pick(menu);
      track('pool', `${task.kernel} after shutdown`, entry.pool.submit(task.kernel, ...task.args), (error) =>
        error?.code === 'ERR_GIL_LAB_POOL_SHUT_DOWN' ? (figures.refusedAfterShutdown++, null) : `not refused: ${error}`,
      );
    }
    await closing;
    if (!wait) await entry.pool.shutdown(); // waits this time
    if (entry.pool.pids.length > 0) problems.push(`children alive after shutdown resolved: ${entry.pool.pids}`);
    const survivors = [...entry.pids].filter(alive);
    if (survivors.length > 0) problems.push(`processes of a shut-down pool still alive: ${survivors}`);
  }

  function submitToPool(entry) {
    const roll = random.next();
    const { pool } = entry;
    if (roll < FAULT_RATE) {
      // A fault in the child running it.
      const kinds = ['throw', 'exit', 'crash', 'kill', 'block', ...(native ? ['panic'] : [])];
      const kind = random.pick(kinds);
      figures.faults[kind]++;
      const fault = kind === 'exit' ? { kind, code: 3 } : kind === 'block' ? { kind, ms: 30 } : { kind };
      if (['exit', 'crash', 'kill'].includes(kind)) deathsMidTask++;
      track('pool', `fault ${kind}`, submitFault(pool, fault), (error, value) => {
        if (error?.code === 'ERR_GIL_LAB_CANCELLED' && entry.cancelledAt !== undefined) return (figures.cancelled++, null);
        if (error?.code === 'ERR_GIL_LAB_POOL_SHUT_DOWN') return null;
        if (error?.code === 'ERR_GIL_LAB_BROKEN_POOL') return brokenByKills(entry, error);
        if (error instanceof WorkerExitedError) return (figures.workerExited++, null);
        if (kind === 'throw') return error?.code === 'ERR_FAULT_FOR_TESTING' ? null : `not the fault's error: ${error}`;
        if (kind === 'block') return value === 'unblocked' ? null : `not unblocked: ${error ?? value}`;
        if (kind === 'panic') return /panicked in Rust: a panic injected for testing$/.test(error?.message) ? null : `not the panic: ${error}`;
        return `a death that was not reported: ${error ?? value}`;
      });
      return;
    }
    const task = random.pick(menu);
    const { signal, aborted } = signalFor();
    if (roll < FAULT_RATE + 0.04) {
      // A map of a few items, under one signal.
      const items = [task.item, task.item, task.item];
      track('pool', `map ${task.kernel}`, pool.map(task.kernel, items, { signal }), judgeKernel({ expected: task.mapped }, { aborted, poolOf: entry }));
      return;
    }
    track('pool', `ProcessPool ${task.kernel}`, pool.submit(task.kernel, ...task.args, { signal }), judgeKernel(task, { aborted, poolOf: entry }));
  }

  function submitToThreads() {
    if (native && figures.faults.panic < THREAD_PANICS_MAX && random.next() < 0.002) {
      figures.faults.panic++;
      const binding = require(info().binary);
      track('threads', 'panic on a native thread', binding.__panicForTesting(null, null, 'soak'), (error) =>
        error?.message === '__panicForTesting panicked in Rust: soak' ? null : `not the panic: ${error}`,
      );
      return;
    }
    const task = random.pick(menu);
    const { signal, aborted } = signalFor();
    track('threads', `threads ${task.kernel}`, kernels[task.kernel](...task.args, { signal }), judgeKernel(task, { aborted, poolOf: null }));
  }

  // ── The run ───────────────────────────────────────────────────────────────────────────
  try {
    await run();
  } finally {
    // On a failure too: no child may outlive the test.
    await Promise.all(pools.map(({ pool }) => pool.shutdown({ cancelFutures: true })));
  }

  async function run() {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const mib = (bytes) => Math.round(bytes / 2 ** 20);
  figures.rssMiB.before = mib(rssBefore);
  const started = performance.now();
  let nextGeneration = started + GENERATION_MS;
  let nextKill = started + KILL_EVERY_MS;
  const closings = [];
  const watchdog = () => {
    const now = performance.now();
    const stuck = [...pending.values()].filter((p) => now - p.since > WATCHDOG_MS);
    if (stuck.length > 0) throw new Error(`${stuck.length} tasks pending for over ${WATCHDOG_MS} ms: ${stuck.slice(0, 10).map((p) => p.what).join(', ')}`);
  };
  while (performance.now() - started < SOAK_MS) {
    while (inFlight.pool < IN_FLIGHT.pool) submitToPool(current);
    while (inFlight.threads < IN_FLIGHT.threads) submitToThreads();
    const now = performance.now();
    for (const pid of current.pool.pids) {
      current.pids.add(pid);
      if (!current.firstSeen.has(pid)) current.firstSeen.set(pid, now);
    }
    // A kill from outside, now and then, of a child that has long since started (a child
    // killed as it starts counts towards a broken pool: see below).
    const started_ = current.pool.pids.filter((pid) => now - current.firstSeen.get(pid) > KILL_AFTER_MS);
    if (now > nextKill && started_.length > 0) {
      process.kill(random.pick(started_), 'SIGKILL');
      figures.childrenKilledFromOutside++;
      deathsMidTask++;
      nextKill = now + random.below(2 * KILL_EVERY_MS);
    }
    if (current.brokenByKills) nextGeneration = now; // see brokenByKills()
    if (now >= nextGeneration) {
      closings.push(endGeneration(current));
      current = openPool();
      figures.generations++;
      nextGeneration += GENERATION_MS;
    }
    const rss = process.memoryUsage().rss;
    figures.rssMiB.peak = Math.max(figures.rssMiB.peak, mib(rss));
    if (now - started >= ((figures.rssMiB.atQuarters.length + 1) * SOAK_MS) / 4) {
      figures.rssMiB.atQuarters.push(mib(rss));
      figures.heapMiBByQuarter.push(mib(process.memoryUsage().heapUsed));
    }
    watchdog();
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 20);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  // ── The end: everything settles, every pool closes ────────────────────────────────────
  closings.push(endGeneration(current));
  const drainedBy = performance.now() + DRAIN_MS;
  while (pending.size > 0 && performance.now() < drainedBy) await new Promise((resolve) => setTimeout(resolve, 10));
  const report = [...pending.values()].map((p) => `${p.what} (${Math.round(performance.now() - p.since)} ms)`);
  expect(report).toEqual([]);
  await Promise.all(closings);
  // An aborted task settles at once, and its worker lets it go at its next tick: let the last go.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  global.gc?.();
  figures.rssMiB.growth = mib(process.memoryUsage().rss - rssBefore);
  figures.threadsAfter = threadCount();
  figures.childrenSeen = pools.reduce((n, p) => n + p.pids.size, 0);
  console.log(`soak (${backend} backend, seed ${SEED}, ${SOAK_MS} ms): ${JSON.stringify(figures)}`);

  expect(problems.slice(0, 10)).toEqual([]);
  expect(figures.workerExited).toBeLessThanOrEqual(deathsMidTask);
  expect(figures.results).toBeGreaterThan(figures.tasks / 2);
  expect(figures.shutdowns).toBeGreaterThanOrEqual(2);
  expect(process.memoryUsage().rss - rssBefore).toBeLessThan(RSS_GROWTH_MAX);
  if (figures.threadsBefore !== null) {
    // The backend's own threads (one per core) may have started during the run; nothing more.
    expect(figures.threadsAfter).toBeLessThanOrEqual(figures.threadsBefore + info().cpus + 4);
  }
  for (const { pool, pids } of pools) {
    expect(pool.pids).toEqual([]);
    expect([...pids].filter(alive)).toEqual([]);
  }
  }
}, SOAK_MS + DRAIN_MS + 60_000);
